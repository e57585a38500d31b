/**
 * Approximate k nearest indexed rows of new points by searching a kNN graph of the indexed rows, as
 * pynndescent's query does: a random projection tree sends the query to a leaf whose rows start the
 * search, then a best-first walk over the graph keeps expanding the nearest unexpanded candidate
 * while it is within (1 + epsilon) × the current k-th distance. The graph is the rows' own kNN
 * (NN-descent or exact, as `knn` gives it) with reverse edges added, so that a row is reachable from
 * the rows it is near to; each row keeps at most `maxDegree` edges, the nearest.
 *
 * Assigning a million documents to a model fitted on a sample needs this: exact search of 950,000
 * new rows against 50,000 is ~20 CPU minutes at 384 dimensions. Searching costs a few hundred
 * distances per query instead (docs/scale.md has the recall and the time). Deterministic: the same
 * rows, graph and seed give the same answers, in any order of queries and on any thread.
 */
import { createRng, type Rng } from "../util/rng.js";
import { distanceAt } from "./distance.js";
import type { BlockResult } from "./exact.js";
import { DistanceHeap } from "./heap.js";
import type { PreparedRows } from "./prepare.js";
import { type SimdKernel, type SimdRows, simdKernel, simdRows, simdRowsOf } from "./simd.js";

export interface GraphSearchOptions {
  seed: number;
  /** Rows per leaf of the start trees (default 32). */
  leafSize?: number;
  /** Start trees (default 4). */
  trees?: number;
  /** How far past the k-th distance the walk still expands candidates (pynndescent: 0.1). */
  epsilon?: number;
  /** Edges kept per row, nearest first (default 2 × the graph's k). */
  maxDegree?: number;
}

/** One start tree: per node a hyperplane (dim values + offset) and children (-1: leaf); leaves are ranges of `members`. */
export interface StartTree {
  normals: Float32Array;
  offsets: Float32Array;
  left: Int32Array;
  right: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** Leaf members, as positions (see GraphIndexArrays). */
  members: Int32Array;
}

/**
 * The parts of a built index, as flat typed arrays (shareable with worker threads). The rows are
 * stored again in the first start tree's leaf order ("positions"): rows near each other in space are
 * then near each other in memory, and a walk through one neighbourhood stays in the processor's
 * caches (measured: most of a query's time was waiting for rows scattered over 77 MB).
 */
export interface GraphIndexArrays {
  /** The indexed rows (prepared) at their positions, position-major; empty when `simd` holds them. */
  data: Float32Array;
  /**
   * The same rows in the WebAssembly kernel's memory (simd.ts), when it is available: scratch slot 0
   * for the caller's thread, 1 for a worker's (a query is copied to the slot and compared there).
   */
  simd?: SimdRows;
  /** CSR search graph over positions. */
  indptr: Int32Array;
  edges: Int32Array;
  /**
   * Where walks start: the union of the query's leaves in each tree. A kNN graph of well-separated
   * topics falls apart into one piece per topic, and a walk never leaves the piece it starts in; one
   * tree's leaf missed the query's topic for 18 % of queries on the synthetic corpus (200 topics), so
   * several trees start each walk.
   */
  trees: StartTree[];
  /** Position → indexed row. */
  order: Int32Array;
}

/** Distance inside the search (distance.ts) from indexed row `row` to the query at `q[qo…]`. */
function distanceTo(rows: PreparedRows, row: number, q: Float32Array, qo: number): number {
  return distanceAt(rows.data, row * rows.dim, q, qo, rows.dim, rows.metric === "cosine");
}

/** Forward kNN edges plus reverse ones, each row's list cut to the `maxDegree` nearest. */
function searchGraph(
  rows: PreparedRows,
  knn: { indices: Int32Array; k: number },
  maxDegree: number,
): { indptr: Int32Array; edges: Int32Array } {
  const n = rows.rows;
  const { indices, k } = knn;
  const degree = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const t = indices[i * k + j];
      if (t === i || t < 0) continue;
      degree[i]++;
      degree[t]++;
    }
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + degree[i];
  const all = new Int32Array(offsets[n]);
  const fill = offsets.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const t = indices[i * k + j];
      if (t === i || t < 0) continue;
      all[fill[i]++] = t;
      all[fill[t]++] = i;
    }
  }
  const indptr = new Int32Array(n + 1);
  const kept: number[] = [];
  const scratch = new Float32Array(rows.dim);
  for (let i = 0; i < n; i++) {
    const list = [...new Set(all.subarray(offsets[i], offsets[i + 1]))];
    if (list.length > maxDegree) {
      scratch.set(rows.data.subarray(i * rows.dim, (i + 1) * rows.dim));
      const dist = new Map(list.map((t) => [t, distanceTo(rows, t, scratch, 0)]));
      list.sort((a, b) => dist.get(a)! - dist.get(b)! || a - b);
      list.length = maxDegree;
    }
    for (const t of list) kept.push(t);
    indptr[i + 1] = kept.length;
  }
  return { indptr, edges: Int32Array.from(kept) };
}

/** A random projection tree with its hyperplanes kept, so that a new point can be sent to a leaf. */
function startTree(
  rows: PreparedRows,
  rng: Rng,
  leafSize: number,
  kernel?: SimdKernel,
): Omit<StartTree, "members"> & { order: Int32Array } {
  const { data, dim, rows: n } = rows;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const maxNodes = 2 * Math.ceil(n / Math.max(1, leafSize >> 1)) + 1;
  const normals = new Float32Array(maxNodes * dim);
  const offsets = new Float32Array(maxNodes);
  const left = new Int32Array(maxNodes).fill(-1);
  const right = new Int32Array(maxNodes).fill(-1);
  const start = new Int32Array(maxNodes);
  const end = new Int32Array(maxNodes);
  const side = new Uint8Array(n);
  const cosine = rows.metric === "cosine";
  let count = 1;
  start[0] = 0;
  end[0] = n;
  const stack = [0];
  while (stack.length > 0) {
    const node = stack.pop() as number;
    const s = start[node];
    const e = end[node];
    const size = e - s;
    if (size <= leafSize || count + 2 > maxNodes) continue;
    const a = order[s + rng.nextInt(size)];
    let b = order[s + rng.nextInt(size - 1)];
    if (b === a) b = order[e - 1];
    const base = node * dim;
    let offset = 0;
    for (let d = 0; d < dim; d++) {
      const v = data[a * dim + d] - data[b * dim + d];
      normals[base + d] = v;
      if (!cosine) offset -= v * (data[a * dim + d] + data[b * dim + d]) * 0.5;
    }
    offsets[node] = offset;
    // with the kernel the normal goes to this thread's scratch row and rows are projected on it there
    kernel?.scratch.set(normals.subarray(base, base + dim));
    let goLeft = 0;
    for (let i = s; i < e; i++) {
      const margin = kernel
        ? kernel.dotScratch(order[i]) + offsets[node]
        : hyperplaneMargin(normals, offsets, node, dim, data, order[i] * dim);
      side[i - s] = margin > 0 ? 1 : 0;
      goLeft += side[i - s];
    }
    if (goLeft === 0 || goLeft === size) continue; // identical rows: one leaf, however large
    const tmp = order.slice(s, e);
    let li = s;
    let ri = s + goLeft;
    for (let i = 0; i < size; i++) {
      if (side[i]) order[li++] = tmp[i];
      else order[ri++] = tmp[i];
    }
    const l = count++;
    const r = count++;
    start[l] = s;
    end[l] = s + goLeft;
    start[r] = s + goLeft;
    end[r] = e;
    left[node] = l;
    right[node] = r;
    stack.push(r, l);
  }
  return {
    normals: normals.slice(0, count * dim),
    offsets: offsets.slice(0, count),
    left: left.slice(0, count),
    right: right.slice(0, count),
    start: start.slice(0, count),
    end: end.slice(0, count),
    order,
  };
}

function hyperplaneMargin(
  normals: Float32Array,
  offsets: Float32Array,
  node: number,
  dim: number,
  x: Float32Array,
  xo: number,
): number {
  const base = node * dim;
  let s = offsets[node];
  for (let d = 0; d < dim; d++) s += normals[base + d] * x[xo + d];
  return s;
}

/** Builds the search graph and the start tree over `rows` from their kNN graph. */
export function buildGraphIndex(
  rows: PreparedRows,
  knn: { indices: Int32Array; k: number },
  options: GraphSearchOptions,
): GraphIndexArrays {
  const graph = searchGraph(rows, knn, options.maxDegree ?? 2 * knn.k);
  const rng = createRng(options.seed);
  // the trees split the rows in the kernel's memory (a copy in row order, dropped after the build)
  const treeRows = simdRows(rows, 1);
  const treeKernel = treeRows ? simdKernel(treeRows, 0) : undefined;
  const built = Array.from({ length: Math.max(1, options.trees ?? 4) }, () =>
    startTree(rows, rng, options.leafSize ?? 32, treeKernel),
  );
  const { order } = built[0];
  const n = rows.rows;
  const dim = rows.dim;
  const position = new Int32Array(n);
  for (let p = 0; p < n; p++) position[order[p]] = p;
  const data = new Float32Array(n * dim);
  const indptr = new Int32Array(n + 1);
  const edges = new Int32Array(graph.edges.length);
  for (let p = 0; p < n; p++) {
    const row = order[p];
    data.set(rows.data.subarray(row * dim, (row + 1) * dim), p * dim);
    let e = indptr[p];
    for (let j = graph.indptr[row]; j < graph.indptr[row + 1]; j++) edges[e++] = position[graph.edges[j]];
    indptr[p + 1] = e;
  }
  const trees = built.map(({ order: leafOrder, ...tree }) => ({
    ...tree,
    members: Int32Array.from(leafOrder, (row) => position[row]),
  }));
  // the search's memory: the rows at their positions, then every tree's normals (tree order), so a
  // query is routed to its leaves in the kernel too
  const simd = simdRowsOf(
    [{ data, rows: n }, ...trees.map((tree) => ({ data: tree.normals, rows: tree.offsets.length }))],
    dim,
    SEARCH_SLOTS,
  );
  return simd
    ? { data: new Float32Array(0), simd, indptr, edges, trees, order }
    : { data, indptr, edges, trees, order };
}

/** Scratch rows of an index's kernel memory: the caller's thread and one worker (query-index.ts). */
export const SEARCH_SLOTS = 2;

/**
 * Searches queries [from, to) and writes each one's k nearest indexed rows (nearest first, ties by
 * lower index) into `out` at row q − from. Cosine distances come out as 1 − cos, euclidean ones as
 * ‖x − y‖, as `knnQuery` reports them.
 */
export function searchGraphIndex(
  indexed: Pick<PreparedRows, "rows" | "dim" | "metric">,
  index: GraphIndexArrays,
  queries: PreparedRows,
  k: number,
  epsilon: number,
  from = 0,
  to = queries.rows,
  out: BlockResult = {
    indices: new Int32Array((to - from) * k),
    distances: new Float32Array((to - from) * k),
  },
  /** This thread's scratch slot in the index's kernel memory (0: the caller's, 1: a worker's). */
  slot = 0,
): BlockResult {
  const { indptr, edges, trees, order } = index;
  const n = indexed.rows;
  const dim = indexed.dim;
  // the walk works on positions (index.data or the kernel's memory); answers are mapped back to rows
  // through `order`
  const rows: PreparedRows = { ...indexed, data: index.data, sqNorms: new Float32Array(0), zeroRows: [] };
  const q = queries.data;
  // the kernel compares the query copied to this thread's scratch row; distance.ts reads it in place
  const kernel: SimdKernel | undefined = index.simd ? simdKernel(index.simd, slot) : undefined;
  let queryOffset = 0;
  const distance = kernel
    ? indexed.metric === "cosine"
      ? (id: number) => 1 - kernel.dotScratch(id)
      : (id: number) => kernel.sqdistScratch(id)
    : (id: number) => distanceTo(rows, id, q, queryOffset);
  const visited = new Int32Array(n).fill(-1);
  const candidates = new DistanceHeap(256, false);
  // results: a max-heap of size k by distance (ties: larger index on top)
  const rd = new Float64Array(k);
  const ri = new Int32Array(k);
  const scale = 1 + epsilon;
  // each query's leaf in every tree first; queries are then searched in the order of their first
  // tree's leaf, so that consecutive walks cover the same rows (answers do not depend on the order)
  const count = to - from;
  const leafOf = new Int32Array(count * trees.length);
  // each tree's first normal row in the kernel's memory (after the n rows, in tree order)
  const normalsAt = new Int32Array(trees.length);
  for (let t = 1; t < trees.length; t++) normalsAt[t] = normalsAt[t - 1] + trees[t - 1].offsets.length;
  for (let qi = from; qi < to; qi++) {
    kernel?.scratch.set(q.subarray(qi * dim, (qi + 1) * dim));
    trees.forEach((tree, t) => {
      let node = 0;
      while (tree.left[node] >= 0) {
        const margin = kernel
          ? kernel.dotScratch(n + normalsAt[t] + node) + tree.offsets[node]
          : hyperplaneMargin(tree.normals, tree.offsets, node, dim, q, qi * dim);
        node = margin > 0 ? tree.left[node] : tree.right[node];
      }
      leafOf[(qi - from) * trees.length + t] = node;
    });
  }
  const sequence = Array.from({ length: count }, (_, i) => i).sort(
    (a, b) => leafOf[a * trees.length] - leafOf[b * trees.length] || a - b,
  );
  for (const local of sequence) {
    const qi = from + local;
    const qo = qi * dim;
    queryOffset = qo;
    kernel?.scratch.set(q.subarray(qo, qo + dim));
    let size = 0;
    const offer = (d: number, id: number) => {
      if (size < k) {
        let i = size++;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (rd[p] > d || (rd[p] === d && ri[p] > id)) break;
          rd[i] = rd[p];
          ri[i] = ri[p];
          i = p;
        }
        rd[i] = d;
        ri[i] = id;
        return;
      }
      if (d > rd[0] || (d === rd[0] && id > ri[0])) return;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= k) break;
        const r = l + 1;
        let c = l;
        if (r < k && (rd[r] > rd[l] || (rd[r] === rd[l] && ri[r] > ri[l]))) c = r;
        if (rd[c] < d || (rd[c] === d && ri[c] < id)) break;
        rd[i] = rd[c];
        ri[i] = ri[c];
        i = c;
      }
      rd[i] = d;
      ri[i] = id;
    };
    candidates.size = 0;
    for (let t = 0; t < trees.length; t++) {
      const { start, end, members } = trees[t];
      const node = leafOf[local * trees.length + t];
      for (let m = start[node]; m < end[node]; m++) {
        const id = members[m];
        if (visited[id] === qi) continue;
        visited[id] = qi;
        const d = distance(id);
        offer(d, id);
        candidates.push(d, id);
      }
    }
    while (candidates.size > 0) {
      const d = candidates.dist[0];
      const v = candidates.ids[0];
      const bound = size < k ? Number.POSITIVE_INFINITY : rd[0] * scale;
      if (d > bound) break;
      candidates.pop();
      for (let e = indptr[v]; e < indptr[v + 1]; e++) {
        const w = edges[e];
        if (visited[w] === qi) continue;
        visited[w] = qi;
        const dw = distance(w);
        if (size < k || dw < rd[0] * scale) {
          candidates.push(dw, w);
          offer(dw, w);
        }
      }
    }
    if (size < k) {
      // a walk that found fewer than k rows (k above the graph's own k, a tiny component): scan all
      for (let id = 0; id < n; id++) if (visited[id] !== qi) offer(distance(id), id);
    }
    // heap → ascending (ties by lower index)
    const o = (qi - from) * k;
    const order2 = Array.from({ length: size }, (_, i) => i).sort(
      (a, b) => rd[a] - rd[b] || order[ri[a]] - order[ri[b]],
    );
    for (let j = 0; j < k; j++) {
      if (j < size) {
        const s = order2[j];
        out.indices[o + j] = order[ri[s]];
        const dist = rd[s];
        out.distances[o + j] = rows.metric === "cosine" ? Math.max(0, dist) : Math.sqrt(Math.max(0, dist));
      } else {
        out.indices[o + j] = -1;
        out.distances[o + j] = Number.POSITIVE_INFINITY;
      }
    }
  }
  return out;
}
