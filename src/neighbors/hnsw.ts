/**
 * Hierarchical navigable small-world graph (Malkov & Yashunin 2016) on typed arrays: approximate
 * k-nearest neighbours in O(n log n) distance evaluations instead of O(n²). Levels are drawn from the
 * seeded RNG and points are inserted in row order, so the same seed gives the same graph. Neighbour
 * lists are pruned with the paper's heuristic (keep a candidate only if it is nearer to the new point
 * than to every neighbour already kept), which is what gives HNSW its recall on clustered data.
 */
import type { ProgressCallback } from "../types.js";
import { createRng } from "../util/rng.js";
import { distanceAt } from "./distance.js";
import type { BlockResult } from "./exact.js";
import { DistanceHeap as Heap } from "./heap.js";
import type { PreparedRows } from "./prepare.js";

export interface HnswParams {
  /** Links per node on the upper layers (layer 0 keeps 2M). */
  m: number;
  efConstruction: number;
  seed: number;
}

export const DEFAULT_HNSW: HnswParams = { m: 16, efConstruction: 100, seed: 42 };
export const DEFAULT_HNSW_EF = 64;

export class HnswIndex {
  private readonly data: Float32Array;
  private readonly dim: number;
  private readonly cosine: boolean;
  private readonly m: number;
  private readonly m0: number;
  private readonly level: Int8Array;
  /** Layer-0 links: n × m0, with counts. */
  private readonly links0: Int32Array;
  private readonly count0: Int32Array;
  /** Upper-layer links of node i: (level(i)) × (m + 1) values; slot 0 of each layer is the count. */
  private readonly upper: (Int32Array | undefined)[];
  private entry = -1;
  private maxLevel = -1;
  private visited: Uint32Array;
  private stamp = 0;
  private readonly candidates = new Heap(256, false);
  private readonly results = new Heap(256, true);
  size = 0;

  constructor(
    private readonly rows: PreparedRows,
    private readonly params: HnswParams = DEFAULT_HNSW,
  ) {
    this.data = rows.data;
    this.dim = rows.dim;
    this.cosine = rows.metric === "cosine";
    this.m = params.m;
    this.m0 = 2 * params.m;
    const n = rows.rows;
    this.level = new Int8Array(n);
    this.links0 = new Int32Array(n * this.m0);
    this.count0 = new Int32Array(n);
    this.upper = new Array(n);
    this.visited = new Uint32Array(n);
  }

  /** Distance used inside the graph: 1 − x·y (cosine, unit rows) or squared euclidean. */
  distance(a: number, b: number): number {
    return this.distanceTo(this.data, a * this.dim, b);
  }

  private distanceTo(query: Float32Array, qo: number, b: number): number {
    return distanceAt(query, qo, this.data, b * this.dim, this.dim, this.cosine);
  }

  private linksOf(node: number, layer: number): { array: Int32Array; start: number; count: number } {
    if (layer === 0) return { array: this.links0, start: node * this.m0, count: this.count0[node] };
    const array = this.upper[node] as Int32Array;
    const base = (layer - 1) * (this.m + 1);
    return { array, start: base + 1, count: array[base] };
  }

  private setLinks(node: number, layer: number, ids: ArrayLike<number>, count: number): void {
    if (layer === 0) {
      const start = node * this.m0;
      for (let i = 0; i < count; i++) this.links0[start + i] = ids[i];
      this.count0[node] = count;
      return;
    }
    const array = this.upper[node] as Int32Array;
    const base = (layer - 1) * (this.m + 1);
    array[base] = count;
    for (let i = 0; i < count; i++) array[base + 1 + i] = ids[i];
  }

  private nextStamp(): number {
    this.stamp++;
    if (this.stamp === 0xffffffff) {
      this.visited.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  private greedy(
    query: Float32Array,
    qo: number,
    start: number,
    startDistance: number,
    layer: number,
  ): { id: number; distance: number } {
    let current = start;
    let best = startDistance;
    let changed = true;
    while (changed) {
      changed = false;
      const { array, start: s, count } = this.linksOf(current, layer);
      for (let i = 0; i < count; i++) {
        const other = array[s + i];
        const d = this.distanceTo(query, qo, other);
        if (d < best) {
          best = d;
          current = other;
          changed = true;
        }
      }
    }
    return { id: current, distance: best };
  }

  /** Best-first search on one layer; leaves the ef nearest in `results` (a max-heap). */
  private searchLayer(
    query: Float32Array,
    qo: number,
    entry: number,
    entryDistance: number,
    ef: number,
    layer: number,
  ): Heap {
    const stamp = this.nextStamp();
    const visited = this.visited;
    const candidates = this.candidates;
    const results = this.results;
    candidates.clear();
    results.clear();
    visited[entry] = stamp;
    candidates.push(entryDistance, entry);
    results.push(entryDistance, entry);
    while (candidates.size > 0) {
      const d = candidates.topDistance;
      const node = candidates.topId;
      if (d > results.topDistance && results.size >= ef) break;
      candidates.pop();
      const { array, start, count } = this.linksOf(node, layer);
      for (let i = 0; i < count; i++) {
        const other = array[start + i];
        if (visited[other] === stamp) continue;
        visited[other] = stamp;
        const dist = this.distanceTo(query, qo, other);
        if (results.size < ef || dist < results.topDistance) {
          candidates.push(dist, other);
          results.push(dist, other);
          if (results.size > ef) results.pop();
        }
      }
    }
    return results;
  }

  /** Drains a max-heap into ascending (distance, id) arrays. */
  private static drain(heap: Heap): { ids: Int32Array; dists: Float64Array } {
    const n = heap.size;
    const ids = new Int32Array(n);
    const dists = new Float64Array(n);
    for (let i = n - 1; i >= 0; i--) {
      ids[i] = heap.topId;
      dists[i] = heap.topDistance;
      heap.pop();
    }
    return { ids, dists };
  }

  /** The paper's neighbour-selection heuristic on ascending candidates; returns up to `limit` ids. */
  private selectNeighbours(ids: Int32Array, dists: Float64Array, limit: number): number[] {
    const kept: number[] = [];
    for (let i = 0; i < ids.length && kept.length < limit; i++) {
      const candidate = ids[i];
      let good = true;
      for (const r of kept) {
        if (this.distance(candidate, r) < dists[i]) {
          good = false;
          break;
        }
      }
      if (good) kept.push(candidate);
    }
    return kept;
  }

  private connect(node: number, neighbour: number, layer: number): void {
    const limit = layer === 0 ? this.m0 : this.m;
    const { array, start, count } = this.linksOf(neighbour, layer);
    if (count < limit) {
      array[start + count] = node;
      if (layer === 0) this.count0[neighbour] = count + 1;
      else array[start - 1] = count + 1;
      return;
    }
    // full: re-select among the old links plus the new node
    const ids = new Int32Array(count + 1);
    const dists = new Float64Array(count + 1);
    for (let i = 0; i < count; i++) ids[i] = array[start + i];
    ids[count] = node;
    for (let i = 0; i <= count; i++) dists[i] = this.distance(neighbour, ids[i]);
    const order = Array.from(ids.keys()).sort((a, b) => dists[a] - dists[b] || ids[a] - ids[b]);
    const sortedIds = Int32Array.from(order, (i) => ids[i]);
    const sortedDists = Float64Array.from(order, (i) => dists[i]);
    const kept = this.selectNeighbours(sortedIds, sortedDists, limit);
    this.setLinks(neighbour, layer, kept, kept.length);
  }

  /** Inserts rows 0..n-1 in order. */
  build(onProgress?: ProgressCallback): void {
    const n = this.rows.rows;
    const rng = createRng(this.params.seed);
    const mL = 1 / Math.log(this.m);
    for (let i = 0; i < n; i++) {
      const level = Math.min(30, Math.floor(-Math.log(1 - rng.next()) * mL));
      this.insert(i, level);
      if (onProgress && (i % 1024 === 1023 || i === n - 1)) onProgress(i + 1, n);
    }
  }

  private insert(node: number, level: number): void {
    this.level[node] = level;
    if (level > 0) this.upper[node] = new Int32Array(level * (this.m + 1));
    this.size++;
    if (this.entry < 0) {
      this.entry = node;
      this.maxLevel = level;
      return;
    }
    const qo = node * this.dim;
    let current = this.entry;
    let currentDistance = this.distanceTo(this.data, qo, current);
    for (let layer = this.maxLevel; layer > level; layer--) {
      const r = this.greedy(this.data, qo, current, currentDistance, layer);
      current = r.id;
      currentDistance = r.distance;
    }
    for (let layer = Math.min(level, this.maxLevel); layer >= 0; layer--) {
      const { ids, dists } = HnswIndex.drain(
        this.searchLayer(this.data, qo, current, currentDistance, this.params.efConstruction, layer),
      );
      const chosen = this.selectNeighbours(ids, dists, this.m);
      this.setLinks(node, layer, chosen, chosen.length);
      for (const other of chosen) this.connect(node, other, layer);
      current = ids[0];
      currentDistance = dists[0];
    }
    if (level > this.maxLevel) {
      this.maxLevel = level;
      this.entry = node;
    }
  }

  /** The k nearest indexed rows to query row `row` of `queries` (ascending graph distance). */
  search(
    queries: PreparedRows,
    row: number,
    k: number,
    ef: number,
  ): { ids: Int32Array; dists: Float64Array } {
    const qo = row * this.dim;
    let current = this.entry;
    let currentDistance = this.distanceTo(queries.data, qo, current);
    for (let layer = this.maxLevel; layer > 0; layer--) {
      const r = this.greedy(queries.data, qo, current, currentDistance, layer);
      current = r.id;
      currentDistance = r.distance;
    }
    const { ids, dists } = HnswIndex.drain(
      this.searchLayer(queries.data, qo, current, currentDistance, Math.max(ef, k), 0),
    );
    return { ids: ids.subarray(0, k), dists: dists.subarray(0, k) };
  }

  /** Converts a graph distance to the metric's distance. */
  toMetric(d: number): number {
    return this.cosine ? Math.max(0, d) : Math.sqrt(Math.max(0, d));
  }
}

/** Approximate kNN of `queries` among the index; `self` puts row i first at distance 0 (queries = indexed rows). */
export function hnswKnn(
  index: HnswIndex,
  queries: PreparedRows,
  k: number,
  self: boolean,
  ef: number,
  onProgress?: ProgressCallback,
): BlockResult {
  const out: BlockResult = {
    indices: new Int32Array(queries.rows * k),
    distances: new Float32Array(queries.rows * k),
  };
  for (let i = 0; i < queries.rows; i++) {
    const { ids, dists } = index.search(queries, i, self ? k + 1 : k, ef);
    let o = i * k;
    let written = 0;
    if (self) {
      out.indices[o] = i;
      out.distances[o] = 0;
      o++;
      written = 1;
    }
    for (let t = 0; t < ids.length && written < k; t++) {
      if (self && ids[t] === i) continue;
      out.indices[o] = ids[t];
      out.distances[o] = index.toMetric(dists[t]);
      o++;
      written++;
    }
    // a graph too small to return k results (cannot happen when k ≤ rows, kept for safety)
    for (; written < k; written++, o++) {
      out.indices[o] = -1;
      out.distances[o] = Number.POSITIVE_INFINITY;
    }
    if (onProgress && (i % 1024 === 1023 || i === queries.rows - 1)) onProgress(i + 1, queries.rows);
  }
  return out;
}
