import type { Matrix, ProgressCallback, StageState } from "../types.js";
import type { Logger } from "../util/log.js";
import type { ReducerMethod } from "./methods.js";

export type { ReducerMethod } from "./methods.js";

export const REDUCER_METRICS = ["cosine", "euclidean"] as const;
export type ReducerMetric = (typeof REDUCER_METRICS)[number];

export interface ReducerOptions {
  method: ReducerMethod;
  /** Output dimension (BERTopic default 5). */
  nComponents: number;
  /** UMAP neighbourhood size (default 15). */
  nNeighbors: number;
  /** UMAP min_dist (BERTopic default 0.0). */
  minDist: number;
  metric: ReducerMetric;
  seed: number;
  /** Where warnings go (too few rows, zero vectors under cosine); default: silent. */
  logger?: Logger;
}

export interface ReducerFitOptions {
  /** Supervised UMAP: integer class per row, -1 = unlabelled. */
  labels?: Int32Array;
  onProgress?: ProgressCallback;
}

export interface ReducerTransformOptions {
  /**
   * Rows this reducer will transform in all, this call's and later calls' together (a streaming
   * assignment in batches): lets UMAP build an index of its training rows once when that is cheaper
   * than searching them exactly for every batch.
   */
  expectedRows?: number;
}

/** Fits on the embeddings (n×d) and returns the reduced coordinates (n×k); `transform` maps unseen rows. */
export interface Reducer {
  readonly name: ReducerMethod;
  fit(data: Matrix, options?: ReducerFitOptions): Promise<Matrix>;
  transform(data: Matrix, options?: ReducerTransformOptions): Promise<Matrix>;
  /** What `restoreReducer` needs, besides the fitted input and output, to rebuild this reducer. */
  toState(): StageState;
}

/** The rows a reducer was fitted on and the coordinates it gave them (a model folder keeps both). */
export interface FittedReduction {
  input: Matrix;
  output: Matrix;
}

/** One reducer method: how to make it, how many rows its fit needs, how to rebuild a fitted one. */
export interface ReducerFactory {
  create(options: ReducerOptions): Reducer;
  /** The fewest non-empty documents a fit with these options can work on. */
  minimumRows(options: ReducerOptions): number;
  restore(state: StageState, fitted: FittedReduction, options: ReducerOptions): Promise<Reducer>;
}
