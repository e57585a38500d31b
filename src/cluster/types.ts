import type { ClusterPrediction, ClusterResult, Matrix, StageState } from "../types.js";
import type { PointDeparture } from "./hdbscan/condense.js";
import type { ClustererMethod, ClusterMetric, ClusterSelection } from "./methods.js";

export type { ClustererMethod, ClusterMetric, ClusterSelection } from "./methods.js";

export interface ClustererOptions {
  method: ClustererMethod;
  /** HDBSCAN min_cluster_size (default 10). */
  minClusterSize: number;
  /** HDBSCAN min_samples (default: minClusterSize). */
  minSamples?: number;
  selection: ClusterSelection;
  /** cluster_selection_epsilon (default 0). */
  epsilon: number;
  metric: ClusterMetric;
  allowSingleCluster?: boolean;
  maxClusterSize?: number;
  /** HDBSCAN: follow the Python hdbscan package (default) or R's dbscan::hdbscan where they differ. */
  matchReference?: PointDeparture;
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
  /** What `restoreClusterer` needs, besides the fitted points and labels, to rebuild this clusterer. */
  toState(): StageState;
  /**
   * Soft clustering of the fitted points: rows × clusters membership strengths (HDBSCAN's
   * all_points_membership_vectors). Absent for methods that have none.
   */
  membership?(): Matrix;
}

/** The points a clusterer was fitted on and the labels it gave them (a model folder keeps both). */
export interface FittedClustering {
  points: Matrix;
  labels: Int32Array;
}

export interface ClustererFactory {
  create(options: ClustererOptions): Clusterer;
  restore(state: StageState, fitted: FittedClustering, options: ClustererOptions): Clusterer;
}
