/**
 * Labels for unseen points without refitting, as hdbscan's `prediction.approximate_predict`: find the
 * new point's nearest training point in mutual-reachability distance among its 2·min_samples nearest
 * neighbours, attach the point where that neighbour sits in the condensed tree (moving up while the
 * new point is sparser than the cluster's birth), and report that cluster's label and the membership
 * strength λ / λmax of the selected cluster.
 */
import type { ClusterPrediction, Matrix } from "../../types.js";
import { UserError } from "../../util/errors.js";
import type { HdbscanModel } from "./index.js";
import { baseDistance, preparePoints, toUserDistance } from "./points.js";

/** Each point's row in the condensed tree: the cluster it leaves and the lambda it leaves at. */
export interface PointPlacement {
  cluster: Int32Array;
  lambda: Float64Array;
}

const placements = new WeakMap<HdbscanModel, PointPlacement>();

export function pointPlacement(model: HdbscanModel): PointPlacement {
  let placement = placements.get(model);
  if (placement === undefined) {
    const tree = model.condensedTree;
    const n = tree.nPoints;
    const cluster = new Int32Array(n);
    const lambda = new Float64Array(n);
    for (let r = 0; r < tree.parent.length; r++) {
      const c = tree.child[r];
      if (c < n) {
        cluster[c] = tree.parent[r] - n;
        lambda[c] = tree.lambda[r];
      }
    }
    placement = { cluster, lambda };
    placements.set(model, placement);
  }
  return placement;
}

/** Label of every cluster (index = id − nPoints): its own if selected, else its selected ancestor's, else −1. */
export function clusterLabels(model: HdbscanModel): Int32Array {
  const h = model.hierarchy;
  const n = model.condensedTree.nPoints;
  const count = model.condensedTree.clusterCount;
  const labels = new Int32Array(count).fill(-1);
  for (let i = 0; i < model.selectedClusters.length; i++) labels[model.selectedClusters[i] - n] = i;
  for (let c = 1; c < count; c++) if (labels[c] < 0) labels[c] = labels[h.parent[c]];
  return labels;
}

/**
 * The k nearest training points of each query row, in the base metric (see points.ts), nearest first.
 * Uses the model's k-d tree in low dimension, a scan otherwise.
 */
export function nearestTrainingPoints(
  model: HdbscanModel,
  query: Float64Array,
  rows: number,
  k: number,
): { distances: Float64Array; indices: Int32Array } {
  const { points } = model;
  const cols = points.cols;
  const distances = new Float64Array(rows * k);
  const indices = new Int32Array(rows * k);
  const tree = model.spatialIndex();
  if (tree !== undefined) {
    for (let i = 0; i < rows; i++) {
      tree.query(
        query,
        i * cols,
        k,
        distances.subarray(i * k, (i + 1) * k),
        indices.subarray(i * k, (i + 1) * k),
      );
    }
    return { distances, indices };
  }
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  for (let i = 0; i < rows; i++) {
    bestD.fill(Number.POSITIVE_INFINITY);
    bestI.fill(-1);
    for (let j = 0; j < points.rows; j++) {
      const d = baseDistance(query, i, points.data, j, cols, points.base);
      if (d < bestD[k - 1]) {
        let p = k - 1;
        while (p > 0 && bestD[p - 1] > d) {
          bestD[p] = bestD[p - 1];
          bestI[p] = bestI[p - 1];
          p--;
        }
        bestD[p] = d;
        bestI[p] = j;
      }
    }
    distances.set(bestD, i * k);
    indices.set(bestI, i * k);
  }
  return { distances, indices };
}

export function approximatePredict(model: HdbscanModel, newPoints: Matrix): ClusterPrediction {
  const { points } = model;
  if (newPoints.rows > 0 && newPoints.cols !== points.cols) {
    throw new UserError(
      `new points have ${newPoints.cols} columns but the model was fitted on ${points.cols}`,
    );
  }
  const m = newPoints.rows;
  const labels = new Int32Array(m).fill(-1);
  const probabilities = new Float32Array(m);
  if (m === 0 || model.condensedTree.clusterCount <= 1) return { labels, probabilities };
  const query = preparePoints(newPoints, points.metric, "new points");
  const minSamples = model.options.minSamples;
  const k = Math.min(2 * minSamples, points.rows);
  const { distances, indices } = nearestTrainingPoints(model, query.data, m, k);
  const placement = pointPlacement(model);
  const labelOf = clusterLabels(model);
  const h = model.hierarchy;
  const n = model.condensedTree.nPoints;
  const core = model.coreDistances;
  const metric = points.metric;
  for (let i = 0; i < m; i++) {
    const o = i * k;
    const pointCore = distances[o + Math.min(minSamples, k) - 1];
    let nearest = -1;
    let best = Number.POSITIVE_INFINITY;
    for (let j = 0; j < k; j++) {
      const neighbour = indices[o + j];
      const mr = Math.max(core[neighbour], pointCore, distances[o + j]);
      if (mr < best) {
        best = mr;
        nearest = neighbour;
      }
    }
    const d = toUserDistance(metric, best);
    const lambda = d > 0 ? 1 / d : Number.MAX_VALUE;
    let cluster = placement.cluster[nearest];
    if (placement.lambda[nearest] > lambda) {
      while (cluster > 0 && h.birth[cluster] >= lambda) cluster = h.parent[cluster];
    }
    const label = labelOf[cluster];
    labels[i] = label;
    if (label >= 0) {
      const max = h.death[model.selectedClusters[label] - n];
      probabilities[i] = max > 0 ? Math.min(max, lambda) / max : 1;
    }
  }
  return { labels, probabilities };
}
