/**
 * Exact k-nearest neighbours by brute force over query blocks, in a plain typed-array kernel. Memory
 * stays at O(block × k); no n×n matrix is ever formed. The onnxruntime backend (exact-ort.ts) does the
 * same with a multi-threaded matrix product and is the faster default; this one is the fallback and
 * the reference the tests compare against.
 */
import type { ProgressCallback } from "../types.js";
import type { PreparedRows } from "./prepare.js";

/**
 * Keeps the `k` smallest scores seen so far, sorted ascending. Scores are "smaller is nearer":
 * −x·y for cosine, ‖y‖² − 2x·y for euclidean (‖x‖² is added back at the end).
 */
export class TopK {
  readonly scores: Float64Array;
  readonly indices: Int32Array;
  size = 0;
  constructor(readonly k: number) {
    this.scores = new Float64Array(k);
    this.indices = new Int32Array(k);
  }
  reset(): void {
    this.size = 0;
  }
  get worst(): number {
    return this.size < this.k ? Number.POSITIVE_INFINITY : this.scores[this.k - 1];
  }
  push(score: number, index: number): void {
    const { scores, indices, k } = this;
    let pos: number;
    if (this.size < k) pos = this.size++;
    else {
      if (score > scores[k - 1] || (score === scores[k - 1] && index > indices[k - 1])) return;
      pos = k - 1;
    }
    // ties keep the lower index first, so results do not depend on scan order
    while (pos > 0 && (scores[pos - 1] > score || (scores[pos - 1] === score && indices[pos - 1] > index))) {
      scores[pos] = scores[pos - 1];
      indices[pos] = indices[pos - 1];
      pos--;
    }
    scores[pos] = score;
    indices[pos] = index;
  }
}

/** Converts a "smaller is nearer" score back to the metric's distance. */
export function scoreToDistance(score: number, metric: PreparedRows["metric"], querySqNorm: number): number {
  if (metric === "cosine") return Math.max(0, 1 + score);
  return Math.sqrt(Math.max(0, querySqNorm + score));
}

export interface BlockResult {
  indices: Int32Array;
  distances: Float32Array;
}

/**
 * Neighbours of `queries` rows [start, end) among `base`. `selfOffset` ≥ 0 means query row q is base row
 * q + selfOffset: it is put first at distance 0 and excluded from the k − 1 others.
 */
export function exactKnnBlockJs(
  base: PreparedRows,
  queries: PreparedRows,
  start: number,
  end: number,
  k: number,
  selfOffset: number,
  out: BlockResult,
  outOffset = start,
): void {
  const { dim, rows: n } = base;
  const b = base.data;
  const q = queries.data;
  const euclid = base.metric === "euclidean";
  const sq = base.sqNorms;
  const self = selfOffset >= 0;
  const top = new TopK(self ? k - 1 : k);
  for (let i = start; i < end; i++) {
    top.reset();
    const qo = i * dim;
    const selfIndex = self ? i + selfOffset : -1;
    for (let j = 0; j < n; j++) {
      if (j === selfIndex) continue;
      const bo = j * dim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t = 0;
      for (; t + 3 < dim; t += 4) {
        s0 += q[qo + t] * b[bo + t];
        s1 += q[qo + t + 1] * b[bo + t + 1];
        s2 += q[qo + t + 2] * b[bo + t + 2];
        s3 += q[qo + t + 3] * b[bo + t + 3];
      }
      for (; t < dim; t++) s0 += q[qo + t] * b[bo + t];
      const dot = s0 + s1 + s2 + s3;
      const score = euclid ? sq[j] - 2 * dot : -dot;
      if (score <= top.worst) top.push(score, j);
    }
    writeRow(out, outOffset + (i - start), k, self ? selfIndex : -1, top, base.metric, queries.sqNorms[i]);
  }
}

export function writeRow(
  out: BlockResult,
  row: number,
  k: number,
  selfIndex: number,
  top: TopK,
  metric: PreparedRows["metric"],
  querySqNorm: number,
): void {
  let o = row * k;
  if (selfIndex >= 0) {
    out.indices[o] = selfIndex;
    out.distances[o] = 0;
    o++;
  }
  for (let r = 0; r < top.size; r++, o++) {
    out.indices[o] = top.indices[r];
    out.distances[o] = scoreToDistance(top.scores[r], metric, querySqNorm);
  }
}

/** Single-threaded exact search over all query rows, reporting progress per block. */
export function exactKnnJs(
  base: PreparedRows,
  queries: PreparedRows,
  k: number,
  self: boolean,
  onProgress?: ProgressCallback,
): BlockResult {
  const out: BlockResult = {
    indices: new Int32Array(queries.rows * k),
    distances: new Float32Array(queries.rows * k),
  };
  const block = 64;
  for (let start = 0; start < queries.rows; start += block) {
    const end = Math.min(queries.rows, start + block);
    exactKnnBlockJs(base, queries, start, end, k, self ? 0 : -1, out);
    onProgress?.(end, queries.rows);
  }
  return out;
}
