/**
 * Condensed tree (hdbscan's `condense_tree`): walk the single-linkage tree from the root; a split where
 * both sides hold at least `minClusterSize` points makes two new clusters, otherwise the smaller side's
 * points "fall out" of the current cluster at that lambda (= 1 / distance). Rows are emitted in the
 * same breadth-first order as the Python package, so cluster ids (root = nPoints, then nPoints + 1, …)
 * are numbered the same way for the same single-linkage tree: a parent always has a smaller id than its
 * children.
 */
import type { SingleLinkageTree } from "./linkage.js";

export interface CondensedTree {
  /** Cluster id of the parent (≥ nPoints). */
  parent: Int32Array;
  /** A point (< nPoints) or a cluster id (≥ nPoints). */
  child: Int32Array;
  /** 1 / distance at which the child left the parent (Infinity at distance 0). */
  lambda: Float64Array;
  childSize: Int32Array;
  nPoints: number;
  /** Number of clusters, root included; ids are nPoints .. nPoints + clusterCount − 1. */
  clusterCount: number;
}

/**
 * When points of a group smaller than min_cluster_size leave their cluster:
 * - "python" (default): all at once, at the lambda where the group splits off (the hdbscan package,
 *   and the HDBSCAN* paper: components below the minimum size are noise at that level);
 * - "r": each at the lambda of its own first merge in the single-linkage tree, as R's
 *   dbscan::hdbscan (`computeStability`) does; small groups stay in the cluster until they dissolve.
 *   This raises the stability of clusters with small groups attached and changes some selections.
 */
/** Whose HDBSCAN definitions to follow where the references differ (see docs/clustering.md). */
export const HDBSCAN_REFERENCES = ["python", "r"] as const;
export type PointDeparture = (typeof HDBSCAN_REFERENCES)[number];

export function condenseTree(
  tree: SingleLinkageTree,
  minClusterSize: number,
  departure: PointDeparture = "python",
): CondensedTree {
  const n = tree.nPoints;
  if (n === 1) {
    // One point: the root cluster holds it at lambda 0 (no merge ever happens).
    return {
      parent: Int32Array.of(1),
      child: Int32Array.of(0),
      lambda: Float64Array.of(0),
      childSize: Int32Array.of(1),
      nPoints: 1,
      clusterCount: 1,
    };
  }
  const root = 2 * n - 2;
  const nodeCount = root + 1;
  const sizeOf = (node: number): number => (node < n ? 1 : tree.size[node - n]);

  const capacity = 3 * n;
  const parent = new Int32Array(capacity);
  const child = new Int32Array(capacity);
  const lambda = new Float64Array(capacity);
  const childSize = new Int32Array(capacity);
  let rows = 0;
  const emit = (p: number, c: number, l: number, s: number) => {
    parent[rows] = p;
    child[rows] = c;
    lambda[rows] = l;
    childSize[rows] = s;
    rows++;
  };

  const relabel = new Int32Array(nodeCount);
  const ignore = new Uint8Array(nodeCount);
  relabel[root] = n;
  let nextLabel = n + 1;

  const queue = new Int32Array(nodeCount);
  const subQueue = new Int32Array(nodeCount);
  // Points of a subtree that falls out, in breadth-first order, all at the same lambda.
  // Distance of each point's own first merge (the "r" departure).
  let ownMerge: Float64Array | undefined;
  if (departure === "r") {
    ownMerge = new Float64Array(n);
    for (let row = 0; row < n - 1; row++) {
      if (tree.left[row] < n) ownMerge[tree.left[row]] = tree.distance[row];
      if (tree.right[row] < n) ownMerge[tree.right[row]] = tree.distance[row];
    }
  }
  const fallOut = (top: number, into: number, l: number) => {
    let head = 0;
    let tail = 0;
    subQueue[tail++] = top;
    while (head < tail) {
      const node = subQueue[head++];
      ignore[node] = 1;
      if (node < n) {
        if (ownMerge === undefined) emit(into, node, l, 1);
        else emit(into, node, ownMerge[node] > 0 ? 1 / ownMerge[node] : Number.POSITIVE_INFINITY, 1);
      } else {
        subQueue[tail++] = tree.left[node - n];
        subQueue[tail++] = tree.right[node - n];
      }
    }
  };

  let head = 0;
  let tail = 0;
  queue[tail++] = root;
  while (head < tail) {
    const node = queue[head++];
    if (node < n) continue;
    const row = node - n;
    const left = tree.left[row];
    const right = tree.right[row];
    queue[tail++] = left;
    queue[tail++] = right;
    if (ignore[node]) continue;
    const d = tree.distance[row];
    const l = d > 0 ? 1 / d : Number.POSITIVE_INFINITY;
    const leftCount = sizeOf(left);
    const rightCount = sizeOf(right);
    const label = relabel[node];
    if (leftCount >= minClusterSize && rightCount >= minClusterSize) {
      relabel[left] = nextLabel++;
      emit(label, relabel[left], l, leftCount);
      relabel[right] = nextLabel++;
      emit(label, relabel[right], l, rightCount);
    } else if (leftCount < minClusterSize && rightCount < minClusterSize) {
      fallOut(left, label, l);
      fallOut(right, label, l);
    } else if (leftCount < minClusterSize) {
      relabel[right] = label;
      fallOut(left, label, l);
    } else {
      relabel[left] = label;
      fallOut(right, label, l);
    }
  }
  return {
    parent: parent.slice(0, rows),
    child: child.slice(0, rows),
    lambda: lambda.slice(0, rows),
    childSize: childSize.slice(0, rows),
    nPoints: n,
    clusterCount: nextLabel - n,
  };
}
