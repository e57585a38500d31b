/**
 * UMAP from the umap-js package behind the Reducer interface (`--reducer umap-js`): its own
 * NN-descent and random initial layout, driven by our seeded RNG so that a seed gives one result, with
 * umap-learn's epoch schedule (a random start needs it) unless `nEpochs` says otherwise.
 * A fitted umap-js object cannot be serialised, but its fit is deterministic for a seed: `restore`
 * refits on the saved input and checks that it lands on the saved layout.
 */
import { UMAP } from "umap-js";
import type { Matrix, StageState } from "../types.js";
import { UserError } from "../util/errors.js";
import { createRng, type Rng } from "../util/rng.js";
import type { FittedReduction, Reducer, ReducerFactory, ReducerFitOptions, ReducerOptions } from "./types.js";
import { umapLearnEpochs } from "./umap/fit.js";
import { umapState } from "./umap.js";
import { assertFiniteRows } from "./validate.js";

function toRows(matrix: Matrix): number[][] {
  const rows: number[][] = new Array(matrix.rows);
  for (let i = 0; i < matrix.rows; i++)
    rows[i] = Array.from(matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols));
  return rows;
}

function fromRows(rows: readonly number[][], cols: number): Matrix {
  const data = new Float32Array(rows.length * cols);
  rows.forEach((row, i) => {
    data.set(row, i * cols);
  });
  return { data, rows: rows.length, cols };
}

function cosineDistance(x: number[], y: number[]): number {
  let dot = 0;
  let nx = 0;
  let ny = 0;
  for (let i = 0; i < x.length; i++) {
    dot += x[i] * y[i];
    nx += x[i] * x[i];
    ny += y[i] * y[i];
  }
  return nx === 0 || ny === 0 ? 1 : 1 - dot / Math.sqrt(nx * ny);
}

/**
 * umap-js's transform runs nEpochs / 3 epochs and stops only when its counter equals that number
 * exactly: a count not divisible by 3 never ends (seen: 500 hangs). Round to a multiple of 3.
 */
function epochsFor(requested: number): number {
  return Math.max(3, 3 * Math.round(requested / 3));
}

function createUmapJsReducer(options: ReducerOptions & { nEpochs?: number }): Reducer {
  let umap: UMAP | undefined;
  let inputCols = 0;
  // umap-js reads its random source at every draw; swapping the generator gives each call a fixed start
  let rng: Rng = createRng(options.seed);
  const random = () => rng.next();
  return {
    name: "umap-js",
    async fit(data: Matrix, fitOptions: ReducerFitOptions = {}): Promise<Matrix> {
      assertFiniteRows(data);
      if (data.rows <= options.nComponents + 1) {
        throw new UserError(
          `umap-js to ${options.nComponents} dimensions needs more than ${options.nComponents + 1} documents, got ${data.rows}`,
        );
      }
      rng = createRng(options.seed);
      umap = new UMAP({
        nComponents: options.nComponents,
        nNeighbors: Math.min(options.nNeighbors, data.rows - 1),
        minDist: options.minDist,
        nEpochs: epochsFor(options.nEpochs ?? umapLearnEpochs(data.rows)),
        random,
        ...(options.metric === "cosine" ? { distanceFn: cosineDistance } : {}),
      });
      if (fitOptions.labels) umap.setSupervisedProjection(Array.from(fitOptions.labels));
      const total = umap.initializeFit(toRows(data));
      for (let epoch = 0; epoch < total; epoch++) {
        umap.step();
        fitOptions.onProgress?.(epoch + 1, total);
      }
      inputCols = data.cols;
      return fromRows(umap.getEmbedding(), options.nComponents);
    },
    async transform(data: Matrix): Promise<Matrix> {
      if (!umap) throw new Error("umap-js reducer: call fit before transform");
      assertFiniteRows(data);
      if (data.cols !== inputCols)
        throw new UserError(`expected ${inputCols}-dimensional vectors, got ${data.cols}`);
      if (data.rows === 0) return { data: new Float32Array(0), rows: 0, cols: options.nComponents };
      // a transform depends only on its input, not on earlier calls
      rng = createRng(options.seed + 1);
      return fromRows(umap.transform(toRows(data)), options.nComponents);
    },
    toState: () => umapState("umap-js", options),
  };
}

export const umapJsFactory: ReducerFactory = {
  create: createUmapJsReducer,
  minimumRows: (options) => Math.max(options.nNeighbors + 1, options.nComponents + 2),
  async restore(state: StageState, fitted: FittedReduction, options: ReducerOptions): Promise<Reducer> {
    const reducer = createUmapJsReducer({ ...options, nEpochs: state.options.nEpochs as number | undefined });
    const layout = await reducer.fit(fitted.input);
    if (layout.data.some((x, i) => x !== fitted.output.data[i])) {
      throw new UserError(
        "refitting umap-js on the saved embeddings did not reproduce the saved layout; refit the model",
      );
    }
    return reducer;
  },
};
