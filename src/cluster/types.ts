import type { ClusterPrediction, ClusterResult, Matrix } from "../types.js";

export type ClustererMethod = "hdbscan" | "dbscan" | "optics" | "kmeans";

export interface ClustererOptions {
  method: ClustererMethod;
  /** HDBSCAN min_cluster_size (default 10). */
  minClusterSize: number;
  /** HDBSCAN min_samples (default: minClusterSize). */
  minSamples?: number;
  selection: "eom" | "leaf";
  /** cluster_selection_epsilon (default 0). */
  epsilon: number;
  metric: "euclidean" | "cosine" | "manhattan";
  allowSingleCluster?: boolean;
  maxClusterSize?: number;
  /** HDBSCAN: follow the Python hdbscan package (default) or R's dbscan::hdbscan where they differ. */
  matchReference?: "python" | "r";
  /** k-means: number of clusters. */
  nClusters?: number;
  /** DBSCAN / OPTICS neighbourhood radius. */
  eps?: number;
  seed: number;
}

/** Clusters points (n×k) and predicts clusters of unseen points without refitting. */
export interface Clusterer {
  readonly name: ClustererMethod;
  fit(points: Matrix): ClusterResult;
  predict(points: Matrix): ClusterPrediction;
}
