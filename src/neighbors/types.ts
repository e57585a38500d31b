import type { ProgressCallback } from "../types.js";
import type { Logger } from "../util/log.js";

export const NEIGHBOR_METRICS = ["cosine", "euclidean"] as const;
export type NeighborMetric = (typeof NEIGHBOR_METRICS)[number];
export const KNN_METHODS = ["auto", "exact", "hnsw"] as const;
export type NeighborMethod = (typeof KNN_METHODS)[number];

/**
 * k nearest neighbours of every query row. Row i's neighbours are at [i*k, (i+1)*k), nearest first.
 * When the queries are the indexed rows themselves (`knn(matrix, k)`), each row is its own first
 * neighbour at distance 0 (umap-learn's convention), so k counts the row itself.
 */
export interface KnnResult {
  indices: Int32Array;
  /** Cosine: 1 − cos(x, y) (in [0, 2]); euclidean: ‖x − y‖. */
  distances: Float32Array;
  k: number;
}

export interface KnnOptions {
  metric?: NeighborMetric;
  /** "auto" picks exact below `hnswThreshold` rows, HNSW from there on. */
  method?: NeighborMethod;
  /** Rows from which "auto" switches to HNSW (default {@link DEFAULT_HNSW_THRESHOLD}). */
  hnswThreshold?: number;
  seed?: number;
  onProgress?: ProgressCallback;
  logger?: Logger;
  /** Exact search: "ort" (onnxruntime MatMul, multi-threaded) or "js" (typed-array kernel). */
  backend?: "ort" | "js";
  /** Threads for exact search (default: all cores). */
  threads?: number;
  /** Exact search: query rows per matrix product (default: a 64 MB score block). */
  blockRows?: number;
  /** HNSW graph degree M (layer 0 gets 2M). */
  hnswM?: number;
  /** HNSW candidate list size while building. */
  hnswEfConstruction?: number;
  /** HNSW candidate list size while searching (raised to at least k). */
  hnswEf?: number;
}
