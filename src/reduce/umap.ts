/**
 * UMAP reducer: our kNN (src/neighbors) → our typed-array UMAP (src/reduce/umap/), seeded, with
 * umap-learn's defaults and epoch schedule. See docs/reduce.md for why umap-js was replaced.
 *
 * A fitted UMAP is its training rows and their layout (umap-learn's transform places a new row from
 * its nearest training rows), so `restore` needs no refit: given the rows and the layout as saved
 * (float32), it transforms exactly as the reducer that produced them.
 */
import { availableParallelism } from "node:os";
import { buildQueryIndex, knn, knnQuery, preferGraphQuery, type QueryIndex } from "../neighbors/index.js";
import type { KnnOptions } from "../neighbors/types.js";
import type { Matrix, StageState } from "../types.js";
import { UserError } from "../util/errors.js";
import type {
  FittedReduction,
  Reducer,
  ReducerFactory,
  ReducerFitOptions,
  ReducerOptions,
  ReducerTransformOptions,
} from "./types.js";
import { findAbParams } from "./umap/curve.js";
import { fitUmapLayout, transformUmap, type UmapInit, type UmapLayout } from "./umap/fit.js";
import { assertFiniteRows } from "./validate.js";

export { defaultEpochs } from "./umap/fit.js";

/** Extra knobs of the UMAP reducer beyond ReducerOptions (benchmarks, tests, power users). */
export interface UmapExtraOptions {
  nEpochs?: number;
  init?: UmapInit;
  /** Layout blocks (default by size; 1 = umap-learn's sequential layout) and the threads running them (fit.ts). */
  layoutBlocks?: number;
  layoutThreads?: number;
  neighbors?: Pick<KnnOptions, "method" | "hnswThreshold" | "backend" | "threads">;
}

type UmapOptions = ReducerOptions & UmapExtraOptions;

/** The layout as a matrix of its own (the reducer keeps the layout for transform). */
function layoutMatrix(embedding: Float32Array, rows: number, cols: number): Matrix {
  return { data: embedding.slice(), rows, cols };
}

/** Neighbours used for n rows: n_neighbors, or n − 1 when there are fewer rows (as umap-learn). */
function effectiveNeighbours(options: UmapOptions, rows: number): number {
  return Math.min(options.nNeighbors, rows - 1);
}

function createUmapReducer(options: UmapOptions, fitted?: { layout: UmapLayout; training: Matrix }): Reducer {
  let layout = fitted?.layout;
  let training = fitted?.training;
  /** Built on the first transform that needs it (many rows), kept for the next ones. */
  let queryIndex: QueryIndex | undefined;
  return {
    name: "umap",
    async fit(data: Matrix, fitOptions: ReducerFitOptions = {}): Promise<Matrix> {
      assertFiniteRows(data);
      const minimum = umapMinimumRows(options);
      if (data.rows < minimum) {
        throw new UserError(
          `UMAP to ${options.nComponents} dimensions needs at least ${minimum} documents, got ${data.rows}; reduce tiny corpora with PCA or none instead (--reducer pca)`,
        );
      }
      const k = effectiveNeighbours(options, data.rows);
      if (k < options.nNeighbors) {
        options.logger?.warn(
          `only ${data.rows} documents for ${options.nNeighbors} neighbours: using ${k} neighbours (umap-learn does the same)`,
        );
      }
      if (fitOptions.labels && fitOptions.labels.length !== data.rows) {
        throw new UserError(
          `labels: expected one label per document (${data.rows}), got ${fitOptions.labels.length}`,
        );
      }
      const progress = fitOptions.onProgress;
      // progress: 20% neighbours, 80% epochs (measured split on AG News is about 1:4)
      const neighbours = await knn(data, k, {
        metric: options.metric,
        seed: options.seed,
        logger: options.logger,
        ...options.neighbors,
        onProgress: progress ? (done, total) => progress(Math.round((200 * done) / total), 1000) : undefined,
      });
      layout = await fitUmapLayout(data, neighbours, {
        nComponents: options.nComponents,
        minDist: options.minDist,
        nEpochs: options.nEpochs,
        seed: options.seed,
        init: options.init,
        layoutBlocks: options.layoutBlocks,
        layoutThreads: options.layoutThreads,
        labels: fitOptions.labels,
        onEpoch: progress
          ? (epoch, total) => progress(200 + Math.round((800 * epoch) / total), 1000)
          : undefined,
      });
      training = data;
      queryIndex = undefined;
      return layoutMatrix(layout.embedding, layout.rows, layout.dim);
    },
    async transform(data: Matrix, transformOptions: ReducerTransformOptions = {}): Promise<Matrix> {
      if (!layout || !training) throw new Error("UMAP reducer: call fit before transform");
      assertFiniteRows(data);
      if (data.cols !== training.cols)
        throw new UserError(`expected ${training.cols}-dimensional vectors, got ${data.cols}`);
      if (data.rows === 0) return { data: new Float32Array(0), rows: 0, cols: layout.dim };
      const k = effectiveNeighbours(options, training.rows);
      // Exact search for new rows, unless so many arrive (a streaming assignment) that an index of
      // the training rows pays for itself: their own kNN graph — the same call as fit's, so the
      // same graph — searched from a tree (neighbors/graph-search.ts).
      const expected = Math.max(data.rows, transformOptions.expectedRows ?? 0);
      if (queryIndex || preferGraphQuery(expected, training.rows, training.cols)) {
        queryIndex ??= await buildQueryIndex(training, {
          metric: options.metric,
          seed: options.seed,
          graphK: k,
          neighbors: options.neighbors,
        });
      }
      // the search's answers do not depend on the threads (query-index.ts): both cores by default
      const threads = options.neighbors?.threads ?? Math.min(2, availableParallelism());
      const neighbours = queryIndex
        ? await queryIndex.queryParallel(data, k, threads)
        : await knnQuery(training, data, k, {
            metric: options.metric,
            ...options.neighbors,
            method: "exact",
          });
      // a batch of a larger transform gets the epochs of the whole transform, as if it came at once
      const embedding = transformUmap(layout, neighbours, data.rows, options.seed, options.nEpochs, expected);
      return { data: embedding, rows: data.rows, cols: layout.dim };
    },
    toState: () => umapState("umap", options),
  };
}

/** The state of either UMAP (ours or umap-js): its options, the epoch count only when it was given. */
export function umapState(
  method: "umap" | "umap-js",
  options: ReducerOptions & { nEpochs?: number },
): StageState {
  const { nComponents, nNeighbors, minDist, metric, seed, nEpochs } = options;
  return {
    method,
    options: {
      nComponents,
      nNeighbors,
      minDist,
      metric,
      seed,
      ...(nEpochs === undefined ? {} : { nEpochs }),
    },
  };
}

/** The layout itself works from nComponents + 2 rows (fewer neighbours); a topic fit wants full neighbourhoods. */
function umapMinimumRows(options: ReducerOptions): number {
  return Math.max(3, options.nComponents + 2);
}

export const umapFactory: ReducerFactory = {
  create: (options) => createUmapReducer(options),
  minimumRows: (options) => Math.max(options.nNeighbors + 1, umapMinimumRows(options)),
  async restore(state: StageState, fitted: FittedReduction, options: ReducerOptions): Promise<Reducer> {
    const umapOptions: UmapOptions = { ...options, nEpochs: state.options.nEpochs as number | undefined };
    const { a, b } = findAbParams(1, options.minDist);
    const layout: UmapLayout = {
      embedding: Float32Array.from(fitted.output.data),
      rows: fitted.output.rows,
      dim: fitted.output.cols,
      a,
      b,
      nEpochs: 0,
    };
    return createUmapReducer(umapOptions, { layout, training: fitted.input });
  },
};
