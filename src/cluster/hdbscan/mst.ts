/**
 * Minimum spanning tree of the mutual-reachability graph, mrd(a, b) = max(core(a), core(b), d(a, b)),
 * without ever building the n×n matrix.
 *
 * - `primMst`: O(n²) time, O(n) memory; the fallback for high dimension where trees prune nothing.
 * - `boruvkaMst` (mst-boruvka.ts): dual-tree Borůvka on a k-d tree for low dimension.
 *
 * Any minimum spanning tree gives the same single-linkage hierarchy (the components below every
 * threshold are those of the thresholded graph); only the order of merges at exactly equal distances
 * can differ between algorithms.
 */
import { baseDistance, type PointSet } from "./points.js";

export interface SpanningTree {
  from: Int32Array;
  to: Int32Array;
  /** Mutual-reachability distance of each edge. */
  weight: Float64Array;
}

export function primMst(points: PointSet, core: Float64Array): SpanningTree {
  const { data, rows: n, cols, base } = points;
  const from = new Int32Array(Math.max(0, n - 1));
  const to = new Int32Array(Math.max(0, n - 1));
  const weight = new Float64Array(Math.max(0, n - 1));
  if (n <= 1) return { from, to, weight };
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let current = 0;
  inTree[0] = 1;
  for (let edge = 0; edge < n - 1; edge++) {
    const coreCurrent = core[current];
    let next = -1;
    let nextDistance = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      let d = baseDistance(data, current, data, j, cols, base);
      if (coreCurrent > d) d = coreCurrent;
      if (core[j] > d) d = core[j];
      if (d < best[j]) best[j] = d;
      if (best[j] < nextDistance || next < 0) {
        nextDistance = best[j];
        next = j;
      }
    }
    // Like R's `prims` and hdbscan's `mst_linkage_core_vector`, the edge is recorded from the node
    // added last, not from the tree node that gave `next` its key: both are valid for single
    // linkage (Prim's order), and this one reproduces the references' order of tied merges.
    from[edge] = current;
    to[edge] = next;
    weight[edge] = nextDistance;
    inTree[next] = 1;
    current = next;
  }
  return { from, to, weight };
}
