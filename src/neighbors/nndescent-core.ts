/**
 * The two kinds of work NN-descent is made of, as pure functions over shared typed arrays, so that
 * the main thread and the worker threads (nndescent-worker.ts) run the very same code: a random
 * projection tree's leaf pairs, and a block of rows' local join. Both only read the neighbour heaps
 * (through a snapshot of each row's current worst distance) and return candidate updates; the caller
 * applies them in a fixed order, so the graph does not depend on how many threads computed them.
 */
import { createRng, type Rng } from "../util/rng.js";
import { distanceAt } from "./distance.js";
import type { PreparedRows } from "./prepare.js";
import type { SimdKernel } from "./simd.js";

/**
 * Distance used inside the search between two of the rows: the WebAssembly kernel's when there is
 * one (simd.ts), else distance.ts's.
 */
export function makeDistance(rows: PreparedRows, kernel?: SimdKernel): (a: number, b: number) => number {
  const cosine = rows.metric === "cosine";
  if (kernel) return cosine ? (a, b) => 1 - kernel.dot(a, b) : (a, b) => kernel.sqdist(a, b);
  const { data, dim } = rows;
  return (a: number, b: number): number => distanceAt(data, a * dim, data, b * dim, dim, cosine);
}

/** A growable list of (p, q, distance) candidate updates. */
export class Updates {
  p: Int32Array;
  q: Int32Array;
  d: Float32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.p = new Int32Array(capacity);
    this.q = new Int32Array(capacity);
    this.d = new Float32Array(capacity);
  }
  add(p: number, q: number, d: number): void {
    if (this.length === this.p.length) {
      const grow = this.length * 2;
      const p2 = new Int32Array(grow);
      p2.set(this.p);
      const q2 = new Int32Array(grow);
      q2.set(this.q);
      const d2 = new Float32Array(grow);
      d2.set(this.d);
      this.p = p2;
      this.q = q2;
      this.d = d2;
    }
    this.p[this.length] = p;
    this.q[this.length] = q;
    this.d[this.length] = d;
    this.length++;
  }
  /** Trimmed copies, ready to transfer between threads. */
  packed(): PackedUpdates {
    return {
      p: this.p.slice(0, this.length),
      q: this.q.slice(0, this.length),
      d: this.d.slice(0, this.length),
    };
  }
}

export interface PackedUpdates {
  p: Int32Array;
  q: Int32Array;
  d: Float32Array;
}

/** normal · x[xo…] with four partial sums (one running sum is bound by the latency of the adds). */
function projection(normal: Float64Array | Float32Array, x: Float32Array, xo: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const tail = dim & ~3;
  let d = 0;
  for (; d < tail; d += 4) {
    s0 += normal[d] * x[xo + d];
    s1 += normal[d + 1] * x[xo + d + 1];
    s2 += normal[d + 2] * x[xo + d + 2];
    s3 += normal[d + 3] * x[xo + d + 3];
  }
  for (; d < dim; d++) s0 += normal[d] * x[xo + d];
  return s0 + s1 + s2 + s3;
}

/** Leaves of one random projection tree, as [start, end) ranges of the returned permutation. */
export function rpTreeLeaves(
  rows: PreparedRows,
  rng: Rng,
  leafSize: number,
  kernel?: SimdKernel,
): { order: Int32Array; bounds: number[] } {
  const { data, dim, rows: n } = rows;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const bounds: number[] = [];
  // the kernel projects rows on a normal in its thread's scratch row; distance.ts's way reads them in place
  const normal = kernel ? kernel.scratch : new Float64Array(dim);
  const source = kernel ? kernel.view : data;
  const stride = kernel ? kernel.stride : dim;
  const project = kernel
    ? (row: number) => kernel.dotScratch(row)
    : (row: number) => projection(normal, data, row * dim, dim);
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
      const a = source[l * stride + d];
      const b = source[r * stride + d];
      normal[d] = a - b;
      if (!cosine) offset -= normal[d] * (a + b) * 0.5;
    }
    let left = 0;
    for (let i = start; i < end; i++) {
      const s = project(order[i]) + offset;
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

/** Seed of tree t: each tree has its own stream, so trees can be built in any order or thread. */
export function treeSeed(seed: number, tree: number): number {
  return (Math.imul(seed | 0, 0x9e3779b1) + 7919 * (tree + 1)) >>> 0;
}

/** Every pair within each leaf of tree `tree`, keeping those that beat either end's current worst. */
export function treeUpdates(
  rows: PreparedRows,
  seed: number,
  tree: number,
  leafSize: number,
  thresholds: Float32Array,
  kernel?: SimdKernel,
): PackedUpdates {
  const distance = makeDistance(rows, kernel);
  const { order, bounds } = rpTreeLeaves(rows, createRng(treeSeed(seed, tree)), leafSize, kernel);
  const out = new Updates(rows.rows * 4);
  for (let b = 0; b < bounds.length; b += 2) {
    const start = bounds[b];
    const end = bounds[b + 1];
    for (let i = start; i < end; i++) {
      const p = order[i];
      for (let j = i + 1; j < end; j++) {
        const q = order[j];
        const d = distance(p, q);
        if (d < thresholds[p] || d < thresholds[q]) out.add(p, q, d);
      }
    }
  }
  return out.packed();
}

/** Candidate lists of one round, as flat shared arrays (row r's ids at [r·max, r·max + count[r])). */
export interface JoinCandidates {
  max: number;
  freshIds: Int32Array;
  freshCount: Int32Array;
  oldIds: Int32Array;
  oldCount: Int32Array;
}

/** Local join of rows [from, to): new × new and new × old candidate pairs that beat a threshold. */
export function joinUpdates(
  rows: PreparedRows,
  candidates: JoinCandidates,
  thresholds: Float32Array,
  from: number,
  to: number,
  kernel?: SimdKernel,
): PackedUpdates {
  const distance = makeDistance(rows, kernel);
  const { max, freshIds, freshCount, oldIds, oldCount } = candidates;
  const out = new Updates((to - from) * 32);
  for (let i = from; i < to; i++) {
    const base = i * max;
    const nNew = freshCount[i];
    const nOld = oldCount[i];
    for (let a = 0; a < nNew; a++) {
      const p = freshIds[base + a];
      const tp = thresholds[p];
      for (let b = a + 1; b < nNew; b++) {
        const q = freshIds[base + b];
        const d = distance(p, q);
        if (d < tp || d < thresholds[q]) out.add(p, q, d);
      }
      for (let b = 0; b < nOld; b++) {
        const q = oldIds[base + b];
        if (q === p) continue;
        const d = distance(p, q);
        if (d < tp || d < thresholds[q]) out.add(p, q, d);
      }
    }
  }
  return out.packed();
}
