/**
 * HDBSCAN* as the scikit-learn-contrib `hdbscan` package defines it, one file per phase:
 * points → core-distances → mst → linkage → condense → select → membership / outliers; prediction
 * and soft clustering reuse the fitted model.
 */
import { KdTree } from "../../neighbors/kdtree.js";
import type { Matrix } from "../../types.js";
import { definedOnly } from "../../util/defined.js";
import { UserError } from "../../util/errors.js";
import { type CondensedTree, condenseTree, type PointDeparture } from "./condense.js";
import { coreDistances, coreDistancesWithNeighbours, KD_TREE_MAX_DIMENSION } from "./core-distances.js";
import { type SingleLinkageTree, singleLinkage } from "./linkage.js";
import { membershipProbabilities } from "./membership.js";
import { primMst, type SpanningTree } from "./mst.js";
import { boruvkaMst } from "./mst-boruvka.js";
import { outlierScores } from "./outliers.js";
import { type HdbscanMetric, type PointSet, preparePoints, toUserDistance } from "./points.js";
import { type ClusterHierarchy, clusterHierarchy, type SelectionMethod, selectClusters } from "./select.js";

export type { CondensedTree, PointDeparture } from "./condense.js";
export type { SingleLinkageTree } from "./linkage.js";
export type { HdbscanMetric } from "./points.js";
export type { SelectionMethod } from "./select.js";

export type MstAlgorithm = "auto" | "boruvka" | "prim";

export interface HdbscanOptions {
  /** Smallest group that counts as a cluster (≥ 2; default 10). */
  minClusterSize: number;
  /** Neighbours (the point itself included) that make a point core; default minClusterSize. */
  minSamples?: number;
  /** Cluster selection: excess of mass (default) or leaves. */
  selection: SelectionMethod;
  /** cluster_selection_epsilon (distance, default 0). */
  epsilon: number;
  metric: HdbscanMetric;
  allowSingleCluster: boolean;
  /** Largest cluster eom may select (0 = no limit). */
  maxClusterSize: number;
  /**
   * auto: Borůvka on a k-d tree up to 16 dimensions, Prim above; with matchReference "r" Prim up to
   * `R_PRIM_MAX_POINTS` points, because only Prim reproduces R's order of tied merges.
   */
  mstAlgorithm: MstAlgorithm;
  /**
   * Whose definitions to follow where the references differ. "python" (default): the
   * scikit-learn-contrib package (BERTopic's clusterer). "r": R's dbscan::hdbscan, whose condensed
   * tree lets points of groups smaller than min_cluster_size leave at their own first merge (see
   * condense.ts), so its stabilities, selections and GLOSH scores differ on data with many small groups.
   */
  matchReference: PointDeparture;
}

/** Up to this many points, matchReference "r" builds the spanning tree with R's algorithm (Prim). */
export const R_PRIM_MAX_POINTS = 50_000;

export const DEFAULT_HDBSCAN_OPTIONS: HdbscanOptions = {
  minClusterSize: 10,
  selection: "eom",
  epsilon: 0,
  metric: "euclidean",
  allowSingleCluster: false,
  maxClusterSize: 0,
  mstAlgorithm: "auto",
  matchReference: "python",
};

export interface HdbscanModel {
  readonly options: Readonly<HdbscanOptions> & { readonly minSamples: number };
  /** Effective min_samples after hdbscan's clamp to n − 1. */
  readonly effectiveMinSamples: number;
  readonly points: PointSet;
  /** Core distances in the base metric (euclidean for cosine, see points.ts). */
  readonly coreDistances: Float64Array;
  readonly singleLinkageTree: SingleLinkageTree;
  readonly condensedTree: CondensedTree;
  readonly hierarchy: ClusterHierarchy;
  /** Condensed-tree id of each label's cluster (label i ↔ selectedClusters[i]). */
  readonly selectedClusters: Int32Array;
  readonly labels: Int32Array;
  readonly probabilities: Float32Array;
  readonly outlierScores: Float32Array;
  /** hdbscan's `cluster_persistence_`, one per label. */
  readonly clusterPersistence: Float64Array;
  /** Spatial index over the training points, built on first use by prediction. */
  spatialIndex(): KdTree | undefined;
}

export function resolveHdbscanOptions(
  options: Partial<HdbscanOptions>,
): HdbscanOptions & { minSamples: number } {
  const merged = { ...DEFAULT_HDBSCAN_OPTIONS, ...definedOnly(options) };
  const { minClusterSize, epsilon, maxClusterSize } = merged;
  if (!Number.isInteger(minClusterSize) || minClusterSize < 2) {
    throw new UserError(`min_cluster_size must be an integer ≥ 2, got ${minClusterSize}`);
  }
  const minSamples = merged.minSamples ?? minClusterSize;
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new UserError(`min_samples must be an integer ≥ 1, got ${minSamples}`);
  }
  if (!Number.isFinite(epsilon) || epsilon < 0) {
    throw new UserError(`cluster selection epsilon must be a number ≥ 0, got ${epsilon}`);
  }
  if (!(maxClusterSize >= 0)) {
    throw new UserError(`max_cluster_size must be ≥ 0 (0 = no limit), got ${maxClusterSize}`);
  }
  if (merged.selection !== "eom" && merged.selection !== "leaf") {
    throw new UserError(`cluster selection must be eom or leaf, got '${merged.selection}'`);
  }
  if (merged.matchReference !== "python" && merged.matchReference !== "r") {
    throw new UserError(`matchReference must be python or r, got '${merged.matchReference}'`);
  }
  if (!["euclidean", "cosine", "manhattan"].includes(merged.metric)) {
    throw new UserError(`metric must be euclidean, cosine or manhattan, got '${merged.metric}'`);
  }
  return { ...merged, minSamples };
}

export function fitHdbscan(matrix: Matrix, options: Partial<HdbscanOptions> = {}): HdbscanModel {
  const resolved = resolveHdbscanOptions(options);
  const points = preparePoints(matrix, resolved.metric);
  const n = points.rows;
  if (n < resolved.minSamples) {
    throw new UserError(
      `HDBSCAN needs at least min_samples = ${resolved.minSamples} points, got ${n}; lower --min-samples or add points`,
    );
  }
  // hdbscan clamps min_samples to n − 1 (and at least 1).
  const k = Math.max(1, Math.min(n - 1, resolved.minSamples));
  const useTree =
    resolved.mstAlgorithm === "boruvka" ||
    (resolved.mstAlgorithm === "auto" &&
      points.cols <= KD_TREE_MAX_DIMENSION &&
      !(resolved.matchReference === "r" && n <= R_PRIM_MAX_POINTS));
  let tree: KdTree | undefined;
  let core: Float64Array;
  let mst: SpanningTree;
  if (useTree) {
    tree = new KdTree(points.data, n, points.cols, points.base);
    const found = coreDistancesWithNeighbours(tree, k);
    core = found.core;
    mst = boruvkaMst(tree, found.coreInTreeOrder, found.knn);
  } else {
    core = coreDistances(points, k);
    mst = primMst(points, core);
  }
  if (points.metric === "cosine") {
    for (let i = 0; i < mst.weight.length; i++) mst.weight[i] = toUserDistance("cosine", mst.weight[i]);
  }
  const slt = singleLinkage(mst, n);
  const condensed = condenseTree(slt, resolved.minClusterSize, resolved.matchReference);
  const hierarchy = clusterHierarchy(condensed);
  const selection = selectClusters(condensed, hierarchy, {
    method: resolved.selection,
    epsilon: resolved.epsilon,
    allowSingleCluster: resolved.allowSingleCluster,
    maxClusterSize: resolved.maxClusterSize,
  });
  const probabilities = membershipProbabilities(condensed, hierarchy, selection);
  const scores = outlierScores(condensed, hierarchy, resolved.matchReference);
  const persistence = clusterPersistence(condensed, selection.labels, selection.stability);
  return {
    options: resolved,
    effectiveMinSamples: k,
    points,
    coreDistances: core,
    singleLinkageTree: slt,
    condensedTree: condensed,
    hierarchy,
    selectedClusters: selection.selected,
    labels: selection.labels,
    probabilities,
    outlierScores: scores,
    clusterPersistence: persistence,
    spatialIndex() {
      if (tree === undefined && points.cols <= KD_TREE_MAX_DIMENSION) {
        tree = new KdTree(points.data, n, points.cols, points.base);
      }
      return tree;
    },
  };
}

/** hdbscan's `get_stability_scores`: stability / (size × largest lambda in the tree), 1 when undefined. */
function clusterPersistence(tree: CondensedTree, labels: Int32Array, stability: Float64Array): Float64Array {
  let maxLambda = 0;
  for (const l of tree.lambda) if (l > maxLambda) maxLambda = l;
  const sizes = new Int32Array(stability.length);
  for (const label of labels) if (label >= 0) sizes[label]++;
  return Float64Array.from(stability, (s, i) =>
    !Number.isFinite(maxLambda) || maxLambda === 0 || sizes[i] === 0 ? 1 : s / (sizes[i] * maxLambda),
  );
}
