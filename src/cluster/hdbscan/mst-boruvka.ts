/**
 * Dual-tree Borůvka (March, Ram & Gray 2010; as hdbscan's `_hdbscan_boruvka.pyx`) for the minimum
 * spanning tree of the mutual-reachability graph on a k-d tree.
 *
 * Each round finds, for every component, its cheapest edge to another component by walking pairs of
 * tree nodes (query, reference) and pruning a pair when
 *  - both nodes lie entirely inside one component, or
 *  - max(box distance, smallest core distance in either node) cannot beat `bound`: the worst current
 *    candidate among the query node's points that could still improve (a point whose core distance
 *    reaches its component's candidate cannot: every edge weighs at least its core distance), and for
 *    a node inside one component, that component's candidate, shared by all its nodes.
 * Then all candidate edges are added (a union-find drops the ones that would close a cycle among
 * equal weights) and the components merge. Rounds at least halve the number of components.
 *
 * Two shortcuts that do not change the result:
 *  - Every round starts from the k-nearest-neighbour lists: a neighbour in another component gives a
 *    valid candidate, and one with a smaller core distance gives the point its cheapest possible edge
 *    (mrd ≥ its own core distance), so the walk starts with tight bounds.
 *  - A leaf of identical points is pre-joined by a star from its smallest-core point (each star edge
 *    weighs the point's own core distance, the least any of its edges can weigh) and afterwards is
 *    represented by that point alone, so duplicates cost O(1), not O(m²).
 */
import type { KdTree } from "../../neighbors/kdtree.js";
import type { SpanningTree } from "./mst.js";

export interface NeighbourLists {
  /** Row p (tree order) holds k distances ascending. */
  distances: Float64Array;
  /** Tree positions of those neighbours. */
  positions: Int32Array;
  k: number;
}

/**
 * @param core core distance per tree position (tree order)
 * @returns edges in the tree's original row numbering
 */
export function boruvkaMst(tree: KdTree, core: Float64Array, knn?: NeighbourLists): SpanningTree {
  const n = tree.rows;
  const edgeCount = Math.max(0, n - 1);
  const from = new Int32Array(edgeCount);
  const to = new Int32Array(edgeCount);
  const weight = new Float64Array(edgeCount);
  if (n <= 1) return { from, to, weight };

  const uf = new Int32Array(n);
  for (let i = 0; i < n; i++) uf[i] = i;
  const find = (x: number): number => {
    let r = x;
    while (uf[r] !== r) r = uf[r];
    while (uf[x] !== r) {
      const next = uf[x];
      uf[x] = r;
      x = next;
    }
    return r;
  };
  let edges = 0;
  const addEdge = (a: number, b: number, w: number): boolean => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return false;
    uf[ra] = rb;
    from[edges] = tree.index[a];
    to[edges] = tree.index[b];
    weight[edges] = w;
    edges++;
    return true;
  };

  const nodes = tree.nodeCount;
  const { left, right, start, end, zeroSpread } = tree;
  const isLeaf = (node: number) => left[node] < 0;

  // Leaves of identical points: star from the smallest-core point, which then stands for the leaf.
  const representative = new Int32Array(nodes).fill(-1);
  for (let node = 0; node < nodes; node++) {
    if (!isLeaf(node) || !zeroSpread[node] || end[node] - start[node] < 2) continue;
    let rep = start[node];
    for (let p = start[node] + 1; p < end[node]; p++) if (core[p] < core[rep]) rep = p;
    for (let p = start[node]; p < end[node]; p++) if (p !== rep) addEdge(p, rep, core[p]);
    representative[node] = rep;
  }

  // Smallest core distance under each node (children have larger ids than their parent).
  const minCore = new Float64Array(nodes);
  for (let node = nodes - 1; node >= 0; node--) {
    if (isLeaf(node)) {
      let m = Number.POSITIVE_INFINITY;
      for (let p = start[node]; p < end[node]; p++) if (core[p] < m) m = core[p];
      minCore[node] = m;
    } else {
      minCore[node] = Math.min(minCore[left[node]], minCore[right[node]]);
    }
  }

  const component = new Int32Array(n);
  const nodeComponent = new Int32Array(nodes);
  const best = new Float64Array(n);
  const bestFrom = new Int32Array(n);
  const bestTo = new Int32Array(n);
  const bound = new Float64Array(nodes);
  const { data, cols } = tree;
  const euclidean = tree.metric === "euclidean";

  const refreshComponents = (): number => {
    let count = 0;
    for (let p = 0; p < n; p++) {
      component[p] = find(p);
      if (component[p] === p) count++;
    }
    for (let node = nodes - 1; node >= 0; node--) {
      if (isLeaf(node)) {
        const c = component[start[node]];
        let same = c;
        for (let p = start[node] + 1; p < end[node]; p++) {
          if (component[p] !== c) {
            same = -1;
            break;
          }
        }
        nodeComponent[node] = same;
      } else {
        const a = nodeComponent[left[node]];
        nodeComponent[node] = a >= 0 && a === nodeComponent[right[node]] ? a : -1;
      }
    }
    return count;
  };

  const leafPair = (q: number, r: number) => {
    const qs = start[q];
    const qe = representative[q] >= 0 ? qs + 1 : end[q];
    const rs = start[r];
    const re = representative[r] >= 0 ? rs + 1 : end[r];
    for (let qi = qs; qi < qe; qi++) {
      const p = representative[q] >= 0 ? representative[q] : qi;
      const c = component[p];
      const coreP = core[p];
      if (coreP >= best[c]) continue;
      const po = p * cols;
      for (let ri = rs; ri < re; ri++) {
        const s = representative[r] >= 0 ? representative[r] : ri;
        if (component[s] === c) continue;
        const limit = best[c];
        const coreS = core[s];
        if (coreS >= limit) continue;
        const so = s * cols;
        let d = 0;
        if (euclidean) {
          for (let j = 0; j < cols; j++) {
            const t = data[po + j] - data[so + j];
            d += t * t;
          }
          if (d >= limit * limit) continue;
          d = Math.sqrt(d);
        } else {
          for (let j = 0; j < cols; j++) d += Math.abs(data[po + j] - data[so + j]);
          if (d >= limit) continue;
        }
        let mr = d;
        if (coreP > mr) mr = coreP;
        if (coreS > mr) mr = coreS;
        if (mr < best[c]) {
          best[c] = mr;
          bestFrom[c] = p;
          bestTo[c] = s;
          if (coreP >= mr) break; // nothing in any leaf can beat this point's own core distance
        }
      }
    }
    const b = leafBound(q);
    if (b < bound[q]) bound[q] = b;
  };

  /**
   * The largest candidate a leaf's points could still improve: points whose core distance already
   * reaches their component's best cannot do better (every edge weighs at least the core distance).
   */
  const leafBound = (q: number): number => {
    let b = 0;
    const rep = representative[q];
    const qs = start[q];
    const qe = rep >= 0 ? qs + 1 : end[q];
    for (let qi = qs; qi < qe; qi++) {
      const p = rep >= 0 ? rep : qi;
      const v = best[component[p]];
      if (core[p] < v && v > b) b = v;
    }
    return b;
  };

  /** Bounds of every node from the candidates known before the walk (children have larger ids). */
  const initialBounds = () => {
    for (let node = nodes - 1; node >= 0; node--) {
      bound[node] = isLeaf(node) ? leafBound(node) : Math.max(bound[left[node]], bound[right[node]]);
    }
  };

  const nodeDistance = (a: number, b: number): number => tree.toDistance(tree.reducedNodeDistance(a, b));

  const traverse = (q: number, r: number, lower: number) => {
    const cq = nodeComponent[q];
    // A node inside one component shares that component's current best with all its other nodes.
    if (cq >= 0 && best[cq] < bound[q]) bound[q] = best[cq];
    if (lower >= bound[q] || (cq >= 0 && cq === nodeComponent[r])) return;
    const qLeaf = isLeaf(q);
    const rLeaf = isLeaf(r);
    if (qLeaf && rLeaf) {
      leafPair(q, r);
      return;
    }
    if (qLeaf) {
      visitNearerFirst(q, left[r], right[r]);
      return;
    }
    if (rLeaf) {
      const ql = left[q];
      const qr = right[q];
      traverse(ql, r, lowerBound(ql, r));
      traverse(qr, r, lowerBound(qr, r));
    } else {
      visitNearerFirst(left[q], left[r], right[r]);
      visitNearerFirst(right[q], left[r], right[r]);
    }
    const b = Math.max(bound[left[q]], bound[right[q]]);
    if (b < bound[q]) bound[q] = b;
  };

  const lowerBound = (q: number, r: number): number => {
    let lower = nodeDistance(q, r);
    if (minCore[q] > lower) lower = minCore[q];
    if (minCore[r] > lower) lower = minCore[r];
    return lower;
  };

  const visitNearerFirst = (q: number, r1: number, r2: number) => {
    const l1 = lowerBound(q, r1);
    const l2 = lowerBound(q, r2);
    if (l1 <= l2) {
      traverse(q, r1, l1);
      traverse(q, r2, l2);
    } else {
      traverse(q, r2, l2);
      traverse(q, r1, l1);
    }
  };

  let components = refreshComponents();
  while (components > 1) {
    best.fill(Number.POSITIVE_INFINITY);
    if (knn !== undefined) {
      // Candidates from the k-nearest-neighbour lists: valid edges, often already the cheapest, and
      // they tighten the bounds before the walk starts.
      const { k, distances, positions } = knn;
      for (let p = 0; p < n; p++) {
        const c = component[p];
        for (let i = 0; i < k; i++) {
          const s = positions[p * k + i];
          if (component[s] === c) continue;
          const mr = Math.max(core[p], core[s], distances[p * k + i]);
          if (mr < best[c]) {
            best[c] = mr;
            bestFrom[c] = p;
            bestTo[c] = s;
          }
        }
      }
    }
    initialBounds();
    traverse(0, 0, minCore[0]);
    let added = 0;
    for (let c = 0; c < n; c++) {
      if (component[c] !== c || best[c] === Number.POSITIVE_INFINITY) continue;
      if (addEdge(bestFrom[c], bestTo[c], best[c])) added++;
    }
    if (added === 0) throw new Error("Borůvka made no progress (internal error)");
    components = refreshComponents();
  }
  return { from, to, weight };
}
