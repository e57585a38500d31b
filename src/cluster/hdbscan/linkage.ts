/**
 * Single-linkage tree from a minimum spanning tree, in scipy.cluster.hierarchy format (as hdbscan's
 * `label`): row i merges nodes `left[i]` and `right[i]` at `distance[i]` into node n + i holding
 * `size[i]` points. Points are nodes 0..n-1.
 */
import type { SpanningTree } from "./mst.js";

export interface SingleLinkageTree {
  left: Int32Array;
  right: Int32Array;
  distance: Float64Array;
  size: Int32Array;
  /** Number of points (the tree has nPoints − 1 rows). */
  nPoints: number;
}

/** Edges are processed in order of weight; ties keep the order the spanning tree produced them in. */
export function singleLinkage(mst: SpanningTree, nPoints: number): SingleLinkageTree {
  const m = mst.weight.length;
  const order = new Int32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  const w = mst.weight;
  // A stable sort so that the result is deterministic for tied weights.
  const sorted = Array.from(order).sort((a, b) => w[a] - w[b] || a - b);

  const total = 2 * nPoints - 1;
  const parent = new Int32Array(total);
  for (let i = 0; i < total; i++) parent[i] = i;
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r];
    while (parent[x] !== r) {
      const next = parent[x];
      parent[x] = r;
      x = next;
    }
    return r;
  };
  const nodeSize = new Int32Array(total);
  nodeSize.fill(1, 0, nPoints);

  const left = new Int32Array(m);
  const right = new Int32Array(m);
  const distance = new Float64Array(m);
  const size = new Int32Array(m);
  for (let row = 0; row < m; row++) {
    const e = sorted[row];
    const a = find(mst.from[e]);
    const b = find(mst.to[e]);
    const node = nPoints + row;
    left[row] = a;
    right[row] = b;
    distance[row] = w[e];
    size[row] = nodeSize[a] + nodeSize[b];
    nodeSize[node] = size[row];
    parent[a] = node;
    parent[b] = node;
  }
  return { left, right, distance, size, nPoints };
}
