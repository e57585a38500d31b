/**
 * DBSCAN and OPTICS from `density-clustering`, and a seeded k-means, behind the `Clusterer` interface.
 *
 * density-clustering scans every point for each region query (O(n²)) and, in DBSCAN, merges
 * neighbour lists with `indexOf` (O(n²) again). We give each run our k-d tree for its region queries
 * and a set-backed merge by overriding those two methods on the instance; the clustering logic is the
 * package's. Its KMEANS draws initial centroids with `Math.random` (results change from run to run),
 * so k-means is our own small seeded k-means++ / Lloyd (kmeans.ts). Measured limits: docs/clustering.md.
 */
import densityClustering from "density-clustering";
import { KdTree } from "../neighbors/kdtree.js";
import type { ClusterPrediction, ClusterResult, Matrix, StageState } from "../types.js";
import { UserError } from "../util/errors.js";
import { type PointSet, preparePoints } from "./hdbscan/points.js";
import { fitKmeans, type KmeansModel, predictKmeans } from "./kmeans.js";
import type { Clusterer, ClustererFactory, ClustererOptions, FittedClustering } from "./types.js";

const DEFAULT_EPS = 0.5;

interface RegionQueryHost {
  _regionQuery(pointId: number, epsilon?: number): number[];
  _mergeArrays?(a: number[], b: number[]): number[];
  epsilon: number;
}

/** Points as density-clustering wants them (number[][]) plus our index over the same points. */
function prepareForDensityClustering(points: Matrix, metric: ClustererOptions["metric"]) {
  const set = preparePoints(points, metric);
  const rows: number[][] = new Array(set.rows);
  for (let i = 0; i < set.rows; i++)
    rows[i] = Array.from(set.data.subarray(i * set.cols, (i + 1) * set.cols));
  const tree = new KdTree(set.data, set.rows, set.cols, set.base);
  return { set, rows, tree };
}

/** In cosine space the user's eps is a cosine distance; the tree works in euclidean: d = sqrt(2·eps). */
function baseRadius(metric: ClustererOptions["metric"], eps: number): number {
  return metric === "cosine" ? Math.sqrt(2 * eps) : eps;
}

/** What predictByRadius needs of a DBSCAN / OPTICS fit. */
interface RadiusFit {
  set: PointSet;
  tree: KdTree;
  labels: Int32Array;
  eps: number;
}

/** Gives the package instance its radius and our k-d tree for its region queries. */
function useTreeForRegionQueries(
  host: RegionQueryHost,
  eps: number,
  set: PointSet,
  tree: KdTree,
  metric: ClustererOptions["metric"],
) {
  host.epsilon = eps;
  host._regionQuery = (pointId: number, epsilon?: number) => {
    const radius = baseRadius(metric, epsilon || host.epsilon);
    const found = tree.radius(set.data, pointId * set.cols, radius, []);
    return found.sort((a, b) => a - b); // the package's scan order
  };
}

function checkRadius(eps: number | undefined): number {
  const value = eps ?? DEFAULT_EPS;
  if (!Number.isFinite(value) || value <= 0) throw new UserError(`eps must be a number > 0, got ${value}`);
  return value;
}

function checkMinPts(options: ClustererOptions): number {
  const minPts = options.minSamples ?? options.minClusterSize;
  if (!Number.isInteger(minPts) || minPts < 1)
    throw new UserError(`min_samples must be an integer ≥ 1, got ${minPts}`);
  return minPts;
}

/** New points join the cluster of their nearest clustered training point within eps, else noise. */
function predictByRadius(
  fitted: RadiusFit | undefined,
  points: Matrix,
  metric: ClustererOptions["metric"],
): ClusterPrediction {
  if (fitted === undefined) throw new Error("call fit() before predict()");
  const query = preparePoints(points, metric, "new points");
  const labels = new Int32Array(query.rows).fill(-1);
  const probabilities = new Float32Array(query.rows);
  const radius = baseRadius(metric, fitted.eps);
  for (let i = 0; i < query.rows; i++) {
    const found = fitted.tree.radius(query.data, i * query.cols, radius, []);
    let best = Number.POSITIVE_INFINITY;
    for (const j of found) {
      if (fitted.labels[j] < 0) continue;
      const d = fitted.tree.reducedDistance(query.data, i * query.cols, positionOf(fitted.tree, j));
      if (d < best) {
        best = d;
        labels[i] = fitted.labels[j];
        probabilities[i] = 1;
      }
    }
  }
  return { labels, probabilities };
}

const positions = new WeakMap<KdTree, Int32Array>();
function positionOf(tree: KdTree, row: number): number {
  let inverse = positions.get(tree);
  if (inverse === undefined) {
    inverse = new Int32Array(tree.rows);
    for (let p = 0; p < tree.rows; p++) inverse[tree.index[p]] = p;
    positions.set(tree, inverse);
  }
  return inverse[row];
}

function labelsFromGroups(n: number, groups: number[][], minSize: number): Int32Array {
  const labels = new Int32Array(n).fill(-1);
  let next = 0;
  for (const group of groups) {
    if (group.length < minSize) continue;
    for (const p of group) labels[p] = next;
    next++;
  }
  return labels;
}

function hardResult(labels: Int32Array): ClusterResult {
  return {
    labels,
    probabilities: Float32Array.from(labels, (l) => (l >= 0 ? 1 : 0)),
    outlierScores: new Float32Array(labels.length),
  };
}

type DensityInput = ReturnType<typeof prepareForDensityClustering>;

/**
 * A density-clustering algorithm behind the Clusterer interface: `cluster` labels the prepared points
 * (-1 = noise); new points join the cluster of their nearest clustered point within eps. A fitted one
 * is its points and labels, so `fitted` (a restore) skips the clustering itself.
 */
function radiusClusterer(
  name: "dbscan" | "optics",
  options: ClustererOptions,
  cluster: (input: DensityInput, eps: number, minPts: number) => Int32Array,
  restored?: FittedClustering,
): Clusterer {
  const eps = checkRadius(options.eps);
  const minPts = checkMinPts(options);
  let fitted: RadiusFit | undefined;
  if (restored) {
    const set = preparePoints(restored.points, options.metric);
    fitted = { set, tree: new KdTree(set.data, set.rows, set.cols, set.base), labels: restored.labels, eps };
  }
  return {
    name,
    fit(points: Matrix): ClusterResult {
      const input = prepareForDensityClustering(points, options.metric);
      const labels = cluster(input, eps, minPts);
      fitted = { set: input.set, tree: input.tree, labels, eps };
      return hardResult(labels);
    },
    predict(points: Matrix): ClusterPrediction {
      return predictByRadius(fitted, points, options.metric);
    },
    toState: (): StageState => ({
      method: name,
      options: { eps, minSamples: minPts, metric: options.metric },
    }),
  };
}

function createDbscanClusterer(options: ClustererOptions, restored?: FittedClustering): Clusterer {
  return radiusClusterer("dbscan", options, runDbscan(options), restored);
}

function runDbscan(options: ClustererOptions) {
  return ({ set, rows, tree }: DensityInput, eps: number, minPts: number): Int32Array => {
    const dbscan = new densityClustering.DBSCAN();
    const host = dbscan as unknown as RegionQueryHost;
    useTreeForRegionQueries(host, eps, set, tree, options.metric);
    // The package merges neighbour lists with indexOf (quadratic); a set per run keeps its order.
    let seen: Set<number> | undefined;
    let seenFor: number[] | undefined;
    host._mergeArrays = (a: number[], b: number[]) => {
      if (seenFor !== a) {
        seen = new Set(a);
        seenFor = a;
      }
      for (const p of b) {
        if (!seen!.has(p)) {
          seen!.add(p);
          a.push(p);
        }
      }
      return a;
    };
    const groups = dbscan.run(rows, eps, minPts);
    return labelsFromGroups(set.rows, groups, 1);
  };
}

function createOpticsClusterer(options: ClustererOptions, restored?: FittedClustering): Clusterer {
  return radiusClusterer("optics", options, runOptics(options), restored);
}

function runOptics(options: ClustererOptions) {
  return ({ set, rows, tree }: DensityInput, eps: number, minPts: number): Int32Array => {
    const optics = new densityClustering.OPTICS();
    const host = optics as unknown as RegionQueryHost;
    useTreeForRegionQueries(host, eps, set, tree, options.metric);
    let groups: number[][];
    try {
      groups = optics.run(rows, eps, minPts);
    } catch (error) {
      if (error instanceof RangeError) {
        throw new UserError(
          `OPTICS (density-clustering) ran out of stack on ${set.rows} points: its cluster expansion is recursive; use --clusterer hdbscan or dbscan`,
        );
      }
      throw error;
    }
    // The package opens a one-point "cluster" for every point it cannot expand: those are noise.
    return labelsFromGroups(set.rows, groups, Math.max(2, minPts));
  };
}

function createKmeansClusterer(options: ClustererOptions, restored?: KmeansModel): Clusterer {
  const k = options.nClusters ?? 8;
  if (!Number.isInteger(k) || k < 1)
    throw new UserError(`number of clusters must be an integer ≥ 1, got ${k}`);
  let fitted: KmeansModel | undefined = restored;
  return {
    name: "kmeans",
    fit(points: Matrix): ClusterResult {
      fitted = fitKmeans(points, { nClusters: k, seed: options.seed, metric: options.metric });
      return hardResult(fitted.labels);
    },
    predict(points: Matrix): ClusterPrediction {
      if (fitted === undefined) throw new Error("k-means: call fit() before predict()");
      const labels = predictKmeans(fitted, points);
      return { labels, probabilities: new Float32Array(labels.length).fill(1) };
    },
    toState(): StageState {
      if (fitted === undefined) throw new Error("k-means: call fit() before toState()");
      return {
        method: "kmeans",
        options: { nClusters: k, seed: options.seed, metric: options.metric },
        arrays: { centroids: { data: fitted.centroids, shape: [fitted.k, fitted.cols] } },
      };
    },
  };
}

export const dbscanFactory: ClustererFactory = {
  create: (options) => createDbscanClusterer(options),
  restore: (_state, fitted, options) => createDbscanClusterer(options, fitted),
};

export const opticsFactory: ClustererFactory = {
  create: (options) => createOpticsClusterer(options),
  restore: (_state, fitted, options) => createOpticsClusterer(options, fitted),
};

/** k-means keeps its centroids; without them (older folders) it is refitted — it is seeded. */
export const kmeansFactory: ClustererFactory = {
  create: (options) => createKmeansClusterer(options),
  restore(state, fitted, options) {
    const centroids = state.arrays?.centroids;
    if (!centroids) {
      const clusterer = createKmeansClusterer(options);
      clusterer.fit(fitted.points);
      return clusterer;
    }
    const [k, cols] = centroids.shape;
    return createKmeansClusterer(options, {
      centroids: Float64Array.from(centroids.data),
      k,
      cols,
      metric: options.metric,
      labels: fitted.labels,
      inertia: Number.NaN,
      iterations: 0,
    });
  },
};
