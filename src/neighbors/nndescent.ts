/**
 * NN-descent (Dong, Moses & Li 2011) as pynndescent runs it for umap-learn: a forest of random
 * projection trees gives every row candidate neighbours from its leaves, then rounds of "local
 * joins" (a neighbour of my neighbour is likely my neighbour) refine the k-nearest-neighbour heaps
 * until fewer than delta·n·k entries change. Candidates are sampled by random priority, at most
 * `maxCandidates` new and old ones per row and round (pynndescent's defaults: trees
 * min(64, 5 + round(n^¼)), rounds max(5, round(log2 n)), leaf size max(10, k), 60 candidates at most,
 * delta 0.001).
 *
 * One thread, one seeded RNG, rows visited in order: the same seed gives the same graph.
 */
import type { ProgressCallback } from "../types.js";
import { createRng, type Rng } from "../util/rng.js";
import type { BlockResult } from "./exact.js";
import type { PreparedRows } from "./prepare.js";

export interface NnDescentParams {
  seed: number;
  trees?: number;
  iterations?: number;
  leafSize?: number;
  maxCandidates?: number;
  delta?: number;
}

/** Distance used inside the search: 1 − x·y on unit rows (cosine), ‖x − y‖² (euclidean). */
function makeDistance(rows: PreparedRows): (a: number, b: number) => number {
  const { data, dim } = rows;
  const cosine = rows.metric === "cosine";
  const tail = dim & ~3;
  return (a: number, b: number): number => {
    const x = a * dim;
    const y = b * dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    if (cosine) {
      for (let d = 0; d < tail; d += 4) {
        s0 += data[x + d] * data[y + d];
        s1 += data[x + d + 1] * data[y + d + 1];
        s2 += data[x + d + 2] * data[y + d + 2];
        s3 += data[x + d + 3] * data[y + d + 3];
      }
      for (let d = tail; d < dim; d++) s0 += data[x + d] * data[y + d];
      return 1 - (s0 + s1 + s2 + s3);
    }
    for (let d = 0; d < tail; d += 4) {
      const e0 = data[x + d] - data[y + d];
      const e1 = data[x + d + 1] - data[y + d + 1];
      const e2 = data[x + d + 2] - data[y + d + 2];
      const e3 = data[x + d + 3] - data[y + d + 3];
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    for (let d = tail; d < dim; d++) {
      const e = data[x + d] - data[y + d];
      s0 += e * e;
    }
    return s0 + s1 + s2 + s3;
  };
}

/**
 * n fixed-size max-heaps (largest distance at the root) of neighbour ids, distances and "new" flags.
 */
class NeighborHeaps {
  readonly ids: Int32Array;
  readonly dist: Float32Array;
  readonly flags: Uint8Array;
  constructor(
    readonly n: number,
    readonly size: number,
  ) {
    this.ids = new Int32Array(n * size).fill(-1);
    this.dist = new Float32Array(n * size).fill(Number.POSITIVE_INFINITY);
    this.flags = new Uint8Array(n * size);
  }

  top(row: number): number {
    return this.dist[row * this.size];
  }

  /** Pushes (d, id) into row's heap unless it is no better than the worst or already there. */
  push(row: number, d: number, id: number, flag: number): number {
    const size = this.size;
    const base = row * size;
    const { ids, dist, flags } = this;
    if (d >= dist[base]) return 0;
    for (let i = 0; i < size; i++) if (ids[base + i] === id) return 0;
    // replace the root and sift down
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      const r = l + 1;
      let swap = c;
      let swapDist = d;
      if (l < size && dist[base + l] > swapDist) {
        swap = l;
        swapDist = dist[base + l];
      }
      if (r < size && dist[base + r] > swapDist) swap = r;
      if (swap === c) break;
      dist[base + c] = dist[base + swap];
      ids[base + c] = ids[base + swap];
      flags[base + c] = flags[base + swap];
      c = swap;
    }
    dist[base + c] = d;
    ids[base + c] = id;
    flags[base + c] = flag;
    return 1;
  }
}

/** Leaves of one random projection tree, as [start, end) ranges of the returned permutation. */
function rpTreeLeaves(
  rows: PreparedRows,
  rng: Rng,
  leafSize: number,
): { order: Int32Array; bounds: number[] } {
  const { data, dim, rows: n } = rows;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const bounds: number[] = [];
  const normal = new Float64Array(dim);
  const side = new Uint8Array(n);
  const stack: [number, number][] = [[0, n]];
  const cosine = rows.metric === "cosine";
  while (stack.length > 0) {
    const [start, end] = stack.pop() as [number, number];
    const size = end - start;
    if (size <= leafSize) {
      bounds.push(start, end);
      continue;
    }
    const l = order[start + rng.nextInt(size)];
    let r = order[start + rng.nextInt(size - 1)];
    if (r === l) r = order[end - 1];
    // hyperplane between two random rows: angular trees split on the difference of the (unit) rows,
    // euclidean ones through their midpoint
    let offset = 0;
    for (let d = 0; d < dim; d++) {
      const a = data[l * dim + d];
      const b = data[r * dim + d];
      normal[d] = a - b;
      if (!cosine) offset -= normal[d] * (a + b) * 0.5;
    }
    let left = 0;
    for (let i = start; i < end; i++) {
      const row = order[i] * dim;
      let s = offset;
      for (let d = 0; d < dim; d++) s += normal[d] * data[row + d];
      const goesLeft = s > 0 || (s === 0 && rng.next() < 0.5);
      side[i - start] = goesLeft ? 1 : 0;
      if (goesLeft) left++;
    }
    if (left === 0 || left === size) {
      // identical rows (or a useless plane): split at random
      left = 0;
      for (let i = 0; i < size; i++) {
        side[i] = rng.next() < 0.5 ? 1 : 0;
        left += side[i];
      }
      if (left === 0 || left === size) {
        side.fill(0, 0, size);
        side.fill(1, 0, size >> 1);
        left = size >> 1;
      }
    }
    // stable partition of order[start, end) by side
    const tmp = order.slice(start, end);
    let li = start;
    let ri = start + left;
    for (let i = 0; i < size; i++) {
      if (side[i]) order[li++] = tmp[i];
      else order[ri++] = tmp[i];
    }
    stack.push([start + left, end], [start, start + left]);
  }
  return { order, bounds };
}

/**
 * Candidate lists: for each row up to `max` ids with the smallest random priority (pynndescent's
 * sampling of forward and reverse neighbours).
 */
class CandidateLists {
  readonly ids: Int32Array;
  readonly prio: Float32Array;
  readonly count: Int32Array;
  constructor(
    n: number,
    readonly max: number,
  ) {
    this.ids = new Int32Array(n * max);
    this.prio = new Float32Array(n * max);
    this.count = new Int32Array(n);
  }
  reset(): void {
    this.count.fill(0);
  }
  add(row: number, id: number, priority: number): void {
    const max = this.max;
    const base = row * max;
    const count = this.count[row];
    const { ids, prio } = this;
    for (let i = 0; i < count; i++) if (ids[base + i] === id) return;
    if (count < max) {
      ids[base + count] = id;
      prio[base + count] = priority;
      this.count[row] = count + 1;
      return;
    }
    // full: replace the entry of largest priority if this one is smaller
    let worst = 0;
    for (let i = 1; i < max; i++) if (prio[base + i] > prio[base + worst]) worst = i;
    if (priority >= prio[base + worst]) return;
    ids[base + worst] = id;
    prio[base + worst] = priority;
  }
}

export function defaultNnDescentParams(n: number, k: number): Required<Omit<NnDescentParams, "seed">> {
  return {
    trees: Math.min(64, 5 + Math.round(n ** 0.25)),
    iterations: Math.max(5, Math.round(Math.log2(n))),
    leafSize: Math.max(10, k),
    maxCandidates: Math.min(60, k),
    delta: 0.001,
  };
}

/**
 * The k nearest rows of every row. With `self`, row i comes first at distance 0 followed by its
 * k − 1 nearest other rows (the heaps hold k others, one more than needed, which costs little and
 * gives the joins more to work with).
 */
export function nnDescentKnn(
  rows: PreparedRows,
  k: number,
  params: NnDescentParams,
  onProgress?: ProgressCallback,
): BlockResult {
  const n = rows.rows;
  const defaults = defaultNnDescentParams(n, k);
  const trees = params.trees ?? defaults.trees;
  const iterations = params.iterations ?? defaults.iterations;
  const leafSize = params.leafSize ?? defaults.leafSize;
  const maxCandidates = params.maxCandidates ?? defaults.maxCandidates;
  const delta = params.delta ?? defaults.delta;
  const heapSize = Math.min(k, n - 1);
  const rng = createRng(params.seed);
  const distance = makeDistance(rows);
  const heaps = new NeighborHeaps(n, heapSize);
  const total = trees + iterations;

  for (let t = 0; t < trees; t++) {
    const { order, bounds } = rpTreeLeaves(rows, rng, leafSize);
    for (let b = 0; b < bounds.length; b += 2) {
      const start = bounds[b];
      const end = bounds[b + 1];
      for (let i = start; i < end; i++) {
        const p = order[i];
        for (let j = i + 1; j < end; j++) {
          const q = order[j];
          const d = distance(p, q);
          if (d < heaps.top(p)) heaps.push(p, d, q, 1);
          if (d < heaps.top(q)) heaps.push(q, d, p, 1);
        }
      }
    }
    onProgress?.(t + 1, total);
  }
  // rows a tree forest left short of neighbours (tiny leaves at the edges) get random ones
  for (let i = 0; i < n; i++) {
    let guard = 0;
    while (heaps.ids[i * heapSize] < 0 && guard++ < 4 * heapSize) {
      const j = rng.nextInt(n);
      if (j !== i) heaps.push(i, distance(i, j), j, 1);
    }
  }

  const fresh = new CandidateLists(n, maxCandidates);
  const old = new CandidateLists(n, maxCandidates);
  // xorshift32 priorities: a closure call per draw in the sampling loop costs more than the join
  let state = (rng.next() * 4294967296) >>> 0 || 0x2545f491;
  const nextPriority = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state * 2.3283064365386963e-10;
  };
  const { ids, flags } = heaps;
  for (let it = 0; it < iterations; it++) {
    fresh.reset();
    old.reset();
    for (let i = 0; i < n; i++) {
      const base = i * heapSize;
      for (let s = 0; s < heapSize; s++) {
        const j = ids[base + s];
        if (j < 0) continue;
        const priority = nextPriority();
        const target = flags[base + s] ? fresh : old;
        target.add(i, j, priority);
        target.add(j, i, priority);
      }
    }
    // sampled new entries become old: they are joined this round
    for (let i = 0; i < n; i++) {
      const base = i * heapSize;
      const cBase = i * maxCandidates;
      const count = fresh.count[i];
      for (let s = 0; s < heapSize; s++) {
        if (!flags[base + s]) continue;
        const j = ids[base + s];
        for (let c = 0; c < count; c++) {
          if (fresh.ids[cBase + c] === j) {
            flags[base + s] = 0;
            break;
          }
        }
      }
    }
    let updates = 0;
    for (let i = 0; i < n; i++) {
      const cBase = i * maxCandidates;
      const nNew = fresh.count[i];
      const nOld = old.count[i];
      for (let a = 0; a < nNew; a++) {
        const p = fresh.ids[cBase + a];
        for (let b = a + 1; b < nNew; b++) {
          const q = fresh.ids[cBase + b];
          const d = distance(p, q);
          if (d < heaps.top(p)) updates += heaps.push(p, d, q, 1);
          if (d < heaps.top(q)) updates += heaps.push(q, d, p, 1);
        }
        for (let b = 0; b < nOld; b++) {
          const q = old.ids[cBase + b];
          if (q === p) continue;
          const d = distance(p, q);
          if (d < heaps.top(p)) updates += heaps.push(p, d, q, 1);
          if (d < heaps.top(q)) updates += heaps.push(q, d, p, 1);
        }
      }
    }
    onProgress?.(trees + it + 1, total);
    if (updates <= delta * k * n) break;
  }
  onProgress?.(total, total);
  return sortedResult(rows, heaps, k);
}

/** Heaps → rows of (self, nearest others…) sorted by distance, ties by lower index. */
function sortedResult(rows: PreparedRows, heaps: NeighborHeaps, k: number): BlockResult {
  const n = rows.rows;
  const size = heaps.size;
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  const order = Array.from({ length: size }, (_, i) => i);
  const euclidean = rows.metric === "euclidean";
  for (let i = 0; i < n; i++) {
    const base = i * size;
    order.sort(
      (a, b) => heaps.dist[base + a] - heaps.dist[base + b] || heaps.ids[base + a] - heaps.ids[base + b],
    );
    indices[i * k] = i;
    distances[i * k] = 0;
    for (let j = 1; j < k; j++) {
      const s = order[j - 1];
      indices[i * k + j] = heaps.ids[base + s];
      const d = heaps.dist[base + s];
      distances[i * k + j] = euclidean ? Math.sqrt(Math.max(0, d)) : Math.max(0, d);
    }
  }
  return { indices, distances };
}
