/**
 * UMAP reducer: our kNN (src/neighbors) → our typed-array UMAP (src/reduce/umap/), seeded, with
 * umap-learn's defaults and epoch schedule. See docs/reduce.md for why umap-js was replaced.
 */
import { knn, knnQuery } from "../neighbors/index.js";
import type { KnnOptions } from "../neighbors/types.js";
import type { Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import type { Reducer, ReducerFitOptions, ReducerOptions } from "./types.js";
import { fitUmapLayout, transformUmap, type UmapLayout } from "./umap/fit.js";
import { assertFiniteRows } from "./validate.js";

export { defaultEpochs } from "./umap/fit.js";

/** Extra knobs of the UMAP reducer beyond ReducerOptions (benchmarks, tests, power users). */
export interface UmapExtraOptions {
  nEpochs?: number;
  init?: "spectral" | "random";
  /** Layout threads: 1 (default) is seeded and reproducible; more is faster and differs per run (fit.ts). */
  layoutThreads?: number;
  neighbors?: Pick<KnnOptions, "method" | "hnswThreshold" | "backend" | "threads">;
}

function toFloat32(embedding: Float64Array, rows: number, cols: number): Matrix {
  return { data: Float32Array.from(embedding), rows, cols };
}

export function createUmapReducer(options: ReducerOptions & UmapExtraOptions): Reducer {
  let layout: UmapLayout | undefined;
  let training: Matrix | undefined;
  let k = options.nNeighbors;
  return {
    name: "umap",
    async fit(data: Matrix, fitOptions: ReducerFitOptions = {}): Promise<Matrix> {
      assertFiniteRows(data);
      const minimum = Math.max(3, options.nComponents + 2);
      if (data.rows < minimum) {
        throw new UserError(
          `UMAP to ${options.nComponents} dimensions needs at least ${minimum} documents, got ${data.rows}; use --reducer pca or none for tiny corpora`,
        );
      }
      k = options.nNeighbors;
      if (data.rows <= k) {
        k = data.rows - 1;
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
        layoutThreads: options.layoutThreads,
        labels: fitOptions.labels,
        onEpoch: progress
          ? (epoch, total) => progress(200 + Math.round((800 * epoch) / total), 1000)
          : undefined,
      });
      training = data;
      return toFloat32(layout.embedding, layout.rows, layout.dim);
    },
    async transform(data: Matrix): Promise<Matrix> {
      if (!layout || !training) throw new Error("UMAP reducer: call fit before transform");
      assertFiniteRows(data);
      if (data.cols !== training.cols)
        throw new UserError(`expected ${training.cols}-dimensional vectors, got ${data.cols}`);
      if (data.rows === 0) return { data: new Float32Array(0), rows: 0, cols: layout.dim };
      // exact search for new rows: building an HNSW index of the training rows per call would cost more
      // than it saves unless very many rows arrive at once
      const neighbours = await knnQuery(training, data, k, {
        metric: options.metric,
        ...options.neighbors,
        method: "exact",
      });
      const embedding = transformUmap(layout, neighbours, data.rows, options.seed, options.nEpochs);
      return toFloat32(embedding, data.rows, layout.dim);
    },
  };
}
