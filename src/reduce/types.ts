import type { Matrix, ProgressCallback } from "../types.js";
import type { Logger } from "../util/log.js";

export type ReducerMethod = "umap" | "pca" | "none";

export interface ReducerOptions {
  method: ReducerMethod;
  /** Output dimension (BERTopic default 5). */
  nComponents: number;
  /** UMAP neighbourhood size (default 15). */
  nNeighbors: number;
  /** UMAP min_dist (BERTopic default 0.0). */
  minDist: number;
  metric: "cosine" | "euclidean";
  seed: number;
  /** Where warnings go (too few rows, zero vectors under cosine); default: silent. */
  logger?: Logger;
}

export interface ReducerFitOptions {
  /** Supervised UMAP: integer class per row, -1 = unlabelled. */
  labels?: Int32Array;
  onProgress?: ProgressCallback;
}

/** Fits on the embeddings (n×d) and returns the reduced coordinates (n×k); `transform` maps unseen rows. */
export interface Reducer {
  readonly name: ReducerMethod;
  fit(data: Matrix, options?: ReducerFitOptions): Promise<Matrix>;
  transform(data: Matrix): Promise<Matrix>;
}
