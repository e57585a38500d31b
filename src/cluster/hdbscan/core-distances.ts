/**
 * Core distances: the distance from each point to its `minSamples`-th nearest neighbour, counting the
 * point itself (as hdbscan's `KDTree.query(X, k=min_samples)[:, -1]`, and R's `minPts`). A k-d tree
 * answers the queries in low dimension; in high dimension a tree prunes nothing, so we scan.
 */
import { KdTree } from "../../neighbors/kdtree.js";
import type { NeighbourLists } from "./mst-boruvka.js";
import { baseDistance, type PointSet } from "./points.js";

/** Above this dimension the k-d tree stops paying for itself (measured in bench/hdbscan.ts). */
export const KD_TREE_MAX_DIMENSION = 16;

export function coreDistances(points: PointSet, minSamples: number, tree?: KdTree): Float64Array {
  const { rows } = points;
  const k = Math.min(minSamples, rows);
  if (k <= 1) return new Float64Array(rows);
  if (tree !== undefined || points.cols <= KD_TREE_MAX_DIMENSION) {
    const index = tree ?? new KdTree(points.data, rows, points.cols, points.base);
    return index.kthNeighbourDistances(k);
  }
  return bruteForceCoreDistances(points, k);
}

/**
 * Core distances with the k-nearest-neighbour lists kept for Borůvka's first round, in the tree's
 * order, plus the same core distances in row order.
 */
export function coreDistancesWithNeighbours(
  tree: KdTree,
  minSamples: number,
): { core: Float64Array; coreInTreeOrder: Float64Array; knn: NeighbourLists } {
  const k = Math.min(minSamples, tree.rows);
  const { distances, positions } = tree.knnAll(k);
  const coreInTreeOrder = new Float64Array(tree.rows);
  const core = new Float64Array(tree.rows);
  for (let p = 0; p < tree.rows; p++) {
    const d = k <= 1 ? 0 : distances[p * k + k - 1];
    coreInTreeOrder[p] = d;
    core[tree.index[p]] = d;
  }
  return { core, coreInTreeOrder, knn: { distances, positions, k } };
}

/** O(n²) scan keeping the k smallest distances per point in a small sorted buffer. */
export function bruteForceCoreDistances(points: PointSet, k: number): Float64Array {
  const { data, rows, cols, base } = points;
  const result = new Float64Array(rows);
  const best = new Float64Array(k);
  for (let i = 0; i < rows; i++) {
    best.fill(Number.POSITIVE_INFINITY);
    best[0] = 0; // the point itself
    let filled = 1;
    for (let j = 0; j < rows; j++) {
      if (j === i) continue;
      const d = baseDistance(data, i, data, j, cols, base);
      if (filled < k || d < best[k - 1]) {
        let p = filled < k ? filled++ : k - 1;
        while (p > 0 && best[p - 1] > d) {
          best[p] = best[p - 1];
          p--;
        }
        best[p] = d;
      }
    }
    result[i] = best[k - 1];
  }
  return result;
}
