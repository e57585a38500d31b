/** Reducers by name: UMAP (the BERTopic default), PCA (fast, linear) and none (identity). */
import type { Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import { createSilentLogger } from "../util/log.js";
import { fitPca, type PcaModel, projectPca } from "./pca.js";
import type { Reducer, ReducerFitOptions, ReducerOptions } from "./types.js";
import { createUmapReducer, type UmapExtraOptions } from "./umap.js";
import { assertFiniteRows } from "./validate.js";

export { trustworthiness } from "./trustworthiness.js";
export type { Reducer, ReducerFitOptions, ReducerMethod, ReducerOptions } from "./types.js";
export type { UmapExtraOptions } from "./umap.js";

export const defaultReducerOptions: Readonly<Omit<ReducerOptions, "logger">> = {
  method: "umap",
  nComponents: 5,
  nNeighbors: 15,
  minDist: 0,
  metric: "cosine",
  seed: 42,
};

export function createReducer(options: Partial<ReducerOptions> & UmapExtraOptions = {}): Reducer {
  const resolved: ReducerOptions & UmapExtraOptions = {
    ...defaultReducerOptions,
    logger: createSilentLogger(),
    ...options,
  };
  for (const [key, value] of Object.entries(resolved)) {
    if (value === undefined)
      (resolved as unknown as Record<string, unknown>)[key] = (
        defaultReducerOptions as Record<string, unknown>
      )[key];
  }
  if (!Number.isInteger(resolved.nComponents) || resolved.nComponents < 1) {
    throw new UserError(`nComponents must be an integer ≥ 1, got ${resolved.nComponents}`);
  }
  if (!Number.isInteger(resolved.nNeighbors) || resolved.nNeighbors < 2) {
    throw new UserError(`nNeighbors must be an integer ≥ 2, got ${resolved.nNeighbors}`);
  }
  if (!(resolved.minDist >= 0)) throw new UserError(`minDist must be ≥ 0, got ${resolved.minDist}`);
  switch (resolved.method) {
    case "umap":
      return createUmapReducer(resolved);
    case "pca":
      return createPcaReducer(resolved);
    case "none":
      return createIdentityReducer();
    default:
      throw new UserError(`unknown reducer '${String(resolved.method)}'; use umap, pca or none`);
  }
}

function createPcaReducer(options: ReducerOptions): Reducer {
  let model: PcaModel | undefined;
  return {
    name: "pca",
    async fit(data: Matrix, fitOptions: ReducerFitOptions = {}): Promise<Matrix> {
      assertFiniteRows(data);
      if (data.rows < 2) throw new UserError(`PCA needs at least 2 documents, got ${data.rows}`);
      if (options.nComponents > data.cols) {
        throw new UserError(
          `PCA cannot make ${options.nComponents} components from ${data.cols}-dimensional vectors; lower --n-components`,
        );
      }
      model = fitPca(data, options.nComponents, options.seed);
      fitOptions.onProgress?.(1, 1);
      return projectPca(model, data);
    },
    async transform(data: Matrix): Promise<Matrix> {
      if (!model) throw new Error("PCA reducer: call fit before transform");
      assertFiniteRows(data);
      if (data.cols !== model.cols)
        throw new UserError(`expected ${model.cols}-dimensional vectors, got ${data.cols}`);
      return projectPca(model, data);
    },
  };
}

function createIdentityReducer(): Reducer {
  return {
    name: "none",
    async fit(data: Matrix, fitOptions: ReducerFitOptions = {}): Promise<Matrix> {
      assertFiniteRows(data);
      fitOptions.onProgress?.(1, 1);
      return { data: data.data.slice(), rows: data.rows, cols: data.cols };
    },
    async transform(data: Matrix): Promise<Matrix> {
      assertFiniteRows(data);
      return { data: data.data.slice(), rows: data.rows, cols: data.cols };
    },
  };
}
