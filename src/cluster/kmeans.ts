/**
 * Seeded k-means (k-means++ initialisation, then Lloyd iterations), as scikit-learn's KMeans with
 * n_init=1. Ours rather than density-clustering's KMEANS because that one draws its initial centroids
 * with Math.random (a different clustering on every run) and works on number[][].
 * Cosine runs on L2-normalised rows (spherical k-means assignment by euclidean distance).
 */
import type { Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import { createRng } from "../util/rng.js";
import { type HdbscanMetric, type PointSet, preparePoints } from "./hdbscan/points.js";

export interface KmeansOptions {
  nClusters: number;
  seed: number;
  metric: HdbscanMetric;
  maxIterations?: number;
}

export interface KmeansModel {
  centroids: Float64Array;
  k: number;
  cols: number;
  metric: HdbscanMetric;
  labels: Int32Array;
  inertia: number;
  iterations: number;
}

function squaredDistance(a: Float64Array, ao: number, b: Float64Array, bo: number, cols: number): number {
  let s = 0;
  for (let j = 0; j < cols; j++) {
    const t = a[ao + j] - b[bo + j];
    s += t * t;
  }
  return s;
}

function manhattanDistance(a: Float64Array, ao: number, b: Float64Array, bo: number, cols: number): number {
  let s = 0;
  for (let j = 0; j < cols; j++) s += Math.abs(a[ao + j] - b[bo + j]);
  return s;
}

export function fitKmeans(points: Matrix, options: KmeansOptions): KmeansModel {
  const set = preparePoints(points, options.metric);
  const { rows: n, cols } = set;
  const k = options.nClusters;
  if (k > n) throw new UserError(`k-means: asked for ${k} clusters but there are only ${n} points`);
  const distance = options.metric === "manhattan" ? manhattanDistance : squaredDistance;
  const rng = createRng(options.seed);
  const centroids = kmeansPlusPlus(set, k, rng.next, distance);
  const labels = new Int32Array(n);
  const sums = new Float64Array(k * cols);
  const counts = new Int32Array(k);
  const maxIterations = options.maxIterations ?? 300;
  let inertia = 0;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let changed = 0;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const d = distance(set.data, i * cols, centroids, c * cols, cols);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      if (labels[i] !== best || iterations === 0) changed++;
      labels[i] = best;
      inertia += bestD;
    }
    if (changed === 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      counts[c]++;
      for (let j = 0; j < cols; j++) sums[c * cols + j] += set.data[i * cols + j];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        // An empty cluster takes the point farthest from its centroid (deterministic, as scikit-learn).
        const far = farthestPoint(set, labels, centroids, distance);
        for (let j = 0; j < cols; j++) centroids[c * cols + j] = set.data[far * cols + j];
        continue;
      }
      for (let j = 0; j < cols; j++) centroids[c * cols + j] = sums[c * cols + j] / counts[c];
    }
  }
  return { centroids, k, cols, metric: options.metric, labels, inertia, iterations };
}

type Distance = (a: Float64Array, ao: number, b: Float64Array, bo: number, cols: number) => number;

function farthestPoint(
  set: PointSet,
  labels: Int32Array,
  centroids: Float64Array,
  distance: Distance,
): number {
  let far = 0;
  let farD = -1;
  for (let i = 0; i < set.rows; i++) {
    const d = distance(set.data, i * set.cols, centroids, labels[i] * set.cols, set.cols);
    if (d > farD) {
      farD = d;
      far = i;
    }
  }
  return far;
}

/** k-means++: each next centre drawn with probability proportional to its distance to the nearest centre. */
function kmeansPlusPlus(set: PointSet, k: number, random: () => number, distance: Distance): Float64Array {
  const { rows: n, cols, data } = set;
  const centroids = new Float64Array(k * cols);
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let pick = Math.floor(random() * n);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < cols; j++) centroids[c * cols + j] = data[pick * cols + j];
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = distance(data, i * cols, centroids, c * cols, cols);
      if (d < nearest[i]) nearest[i] = d;
      total += nearest[i];
    }
    if (c === k - 1) break;
    if (total === 0) {
      pick = Math.floor(random() * n);
      continue;
    }
    let target = random() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i];
      if (target < 0) {
        pick = i;
        break;
      }
    }
  }
  return centroids;
}

export function predictKmeans(model: KmeansModel, points: Matrix): Int32Array {
  if (points.rows > 0 && points.cols !== model.cols) {
    throw new UserError(`new points have ${points.cols} columns but k-means was fitted on ${model.cols}`);
  }
  if (points.rows === 0) return new Int32Array(0);
  const set = preparePoints(points, model.metric, "new points");
  const distance = model.metric === "manhattan" ? manhattanDistance : squaredDistance;
  const labels = new Int32Array(set.rows);
  for (let i = 0; i < set.rows; i++) {
    let bestD = Number.POSITIVE_INFINITY;
    for (let c = 0; c < model.k; c++) {
      const d = distance(set.data, i * set.cols, model.centroids, c * set.cols, set.cols);
      if (d < bestD) {
        bestD = d;
        labels[i] = c;
      }
    }
  }
  return labels;
}
