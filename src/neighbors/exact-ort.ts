/**
 * Exact k-nearest neighbours on onnxruntime: one GEMM + TopK per block of query rows (see
 * gemm-topk.ts), on the sessions of src/onnx/runtime.ts; memory is the b×n score block,
 * with b chosen so that it stays under SCORE_BLOCK_FLOATS.
 */
import { createSession, type Ort, type OrtSession } from "../onnx/runtime.js";
import type { ProgressCallback } from "../types.js";
import type { BlockResult } from "./exact.js";
import { buildGemmTopKModel } from "./gemm-topk.js";
import type { PreparedRows } from "./prepare.js";

/** Largest score block (floats): 2^24 = 64 MB. */
const SCORE_BLOCK_FLOATS = 1 << 24;

const sessions = new Map<string, Promise<{ ort: Ort; session: OrtSession }>>();

/** One session per (threads, columns): the graph is the same for every call. */
function session(threads: number | undefined, columns = false): Promise<{ ort: Ort; session: OrtSession }> {
  const key = `${threads ?? "default"}:${columns}`;
  let s = sessions.get(key);
  if (!s) {
    s = createSession(buildGemmTopKModel(columns), { threads });
    sessions.set(key, s);
  }
  return s;
}

export interface ExactOrtOptions {
  threads?: number;
  onProgress?: ProgressCallback;
  /** Query rows per GEMM (default: as many as keep the score block under 64 MB). */
  blockRows?: number;
}

function blockRowsFor(n: number, options: ExactOrtOptions): number {
  return options.blockRows ?? Math.max(16, Math.min(1024, Math.floor(SCORE_BLOCK_FLOATS / n)));
}

/**
 * The k best rows of `base` for every query row by raw score (q·x + c_x: the dot product for cosine
 * rows), best first, ties by lower index. Rows of `indices`/`scores` are `k` wide; when `base` has
 * fewer rows the tail is index −1, score −∞. The similarity jobs (src/similarity) use the scores
 * directly; `exactKnnOrt` turns them into distances.
 */
export async function topScoresOrt(
  base: PreparedRows,
  queries: PreparedRows,
  k: number,
  options: ExactOrtOptions = {},
): Promise<TopScores> {
  const { ort, session: s } = await session(options.threads);
  const { rows: n, dim } = base;
  const c = new Float32Array(n);
  if (base.metric === "euclidean") for (let j = 0; j < n; j++) c[j] = -0.5 * base.sqNorms[j];
  const wanted = Math.min(n, k);
  const x = new ort.Tensor("float32", base.data, [n, dim]);
  const cTensor = new ort.Tensor("float32", c, [n]);
  const kTensor = new ort.Tensor("int64", BigInt64Array.from([BigInt(wanted)]), [1]);
  const block = blockRowsFor(n, options);
  const out: TopScores = {
    indices: new Int32Array(queries.rows * k).fill(-1),
    scores: new Float32Array(queries.rows * k).fill(Number.NEGATIVE_INFINITY),
    k,
  };
  for (let start = 0; start < queries.rows; start += block) {
    const end = Math.min(queries.rows, start + block);
    const rows = end - start;
    const q = new ort.Tensor("float32", queries.data.subarray(start * dim, end * dim), [rows, dim]);
    const result = await s.run({ Q: q, X: x, C: cTensor, K: kTensor });
    const values = result.values.data as Float32Array;
    const indices = result.indices.data as BigInt64Array;
    for (let r = 0; r < rows; r++) {
      const o = (start + r) * k;
      for (let t = 0; t < wanted; t++) {
        out.indices[o + t] = Number(indices[r * wanted + t]);
        out.scores[o + t] = values[r * wanted + t];
      }
    }
    options.onProgress?.(end, queries.rows);
  }
  return out;
}

/** Best rows per query by raw score; row i of the result is [i*k, (i+1)*k), best first. */
export interface TopScores {
  indices: Int32Array;
  scores: Float32Array;
  k: number;
}

/**
 * Neighbours of every query row among `base`. With `self`, query i is base row i: it comes first at
 * distance 0 and the k − 1 nearest other rows follow.
 */
export async function exactKnnOrt(
  base: PreparedRows,
  queries: PreparedRows,
  k: number,
  self: boolean,
  options: ExactOrtOptions = {},
): Promise<BlockResult> {
  // the half-product self-join needs a symmetric score: cosine's dot product is, the euclidean
  // q·x − ‖x‖²/2 is not
  if (self && base === queries && base.metric === "cosine") return exactSelfKnnOrt(base, k, options);
  const euclid = base.metric === "euclidean";
  const wanted = Math.min(base.rows, k);
  const top = await topScoresOrt(base, queries, wanted, options);
  const out: BlockResult = {
    indices: new Int32Array(queries.rows * k),
    distances: new Float32Array(queries.rows * k),
  };
  for (let i = 0; i < queries.rows; i++) {
    let o = i * k;
    const qNorm = queries.sqNorms[i];
    const toDistance = (score: number) =>
      euclid ? Math.sqrt(Math.max(0, qNorm - 2 * score)) : Math.max(0, 1 - score);
    if (self) {
      out.indices[o] = i;
      out.distances[o] = 0;
      o++;
      let written = 1;
      for (let t = 0; t < wanted && written < k; t++) {
        const j = top.indices[i * wanted + t];
        if (j === i) continue;
        out.indices[o] = j;
        out.distances[o] = toDistance(top.scores[i * wanted + t]);
        o++;
        written++;
      }
    } else {
      for (let t = 0; t < wanted; t++, o++) {
        out.indices[o] = top.indices[i * wanted + t];
        out.distances[o] = toDistance(top.scores[i * wanted + t]);
      }
    }
  }
  return out;
}

/**
 * The `others` best other rows of every row by dot product (self excluded), best first, ties by
 * lower index; a row with fewer other rows gets index −1, score −∞ in the tail. Rows must be
 * prepared for cosine (the half-product needs a symmetric score).
 *
 * Block i multiplies its rows only with rows from its own start onwards (the upper triangle, half the
 * multiply-adds). The row-wise TopK gives each row its best candidates among later rows; the
 * column-wise TopK hands every later row its best candidates within block i. A row's list is final
 * once its own block has run. Each pair's score is computed once, so score(i, j) = score(j, i) exactly.
 */
export async function selfTopScoresOrt(
  rows: PreparedRows,
  others: number,
  options: ExactOrtOptions = {},
): Promise<TopScores> {
  const { ort, session: s } = await session(options.threads, true);
  const { rows: n, dim } = rows;
  const k = others + 1;
  const euclid = rows.metric === "euclidean";
  const c = new Float32Array(n);
  if (euclid) for (let j = 0; j < n; j++) c[j] = -0.5 * rows.sqNorms[j];
  // running best "other" neighbours per row, best (largest score) first
  const width0 = Math.max(1, others);
  const bestScore = new Float32Array(n * width0).fill(Number.NEGATIVE_INFINITY);
  const bestIndex = new Int32Array(n * width0).fill(-1);
  const offer = (row: number, candidate: number, score: number): void => {
    if (others === 0 || candidate === row) return;
    const base = row * others;
    const last = base + others - 1;
    if (score < bestScore[last] || (score === bestScore[last] && candidate > bestIndex[last])) return;
    let pos = last;
    while (
      pos > base &&
      (bestScore[pos - 1] < score || (bestScore[pos - 1] === score && bestIndex[pos - 1] > candidate))
    ) {
      bestScore[pos] = bestScore[pos - 1];
      bestIndex[pos] = bestIndex[pos - 1];
      pos--;
    }
    bestScore[pos] = score;
    bestIndex[pos] = candidate;
  };
  const block = blockRowsFor(n, options);
  for (let start = 0; start < n; start += block) {
    const end = Math.min(n, start + block);
    const b = end - start;
    const width = n - start;
    const rowK = Math.min(width, k);
    const colK = Math.min(b, k);
    const result = await s.run({
      Q: new ort.Tensor("float32", rows.data.subarray(start * dim, end * dim), [b, dim]),
      X: new ort.Tensor("float32", rows.data.subarray(start * dim, n * dim), [width, dim]),
      C: new ort.Tensor("float32", c.subarray(start, n), [width]),
      K: new ort.Tensor("int64", BigInt64Array.from([BigInt(rowK)]), [1]),
      KC: new ort.Tensor("int64", BigInt64Array.from([BigInt(colK)]), [1]),
    });
    const values = result.values.data as Float32Array;
    const indices = result.indices.data as BigInt64Array;
    for (let r = 0; r < b; r++) {
      for (let t = 0; t < rowK; t++)
        offer(start + r, start + Number(indices[r * rowK + t]), values[r * rowK + t]);
    }
    const colValues = result.col_values.data as Float32Array;
    const colIndices = result.col_indices.data as BigInt64Array;
    // columns inside the block are rows of this block: already served by the row-wise TopK
    for (let j = b; j < width; j++) {
      for (let t = 0; t < colK; t++)
        offer(start + j, start + Number(colIndices[t * width + j]), colValues[t * width + j]);
    }
    options.onProgress?.(end, n);
  }
  return others === 0
    ? { indices: new Int32Array(0), scores: new Float32Array(0), k: 0 }
    : { indices: bestIndex, scores: bestScore, k: others };
}

async function exactSelfKnnOrt(
  rows: PreparedRows,
  k: number,
  options: ExactOrtOptions,
): Promise<BlockResult> {
  const others = k - 1;
  const best = await selfTopScoresOrt(rows, others, options);
  const euclid = rows.metric === "euclidean";
  const n = rows.rows;
  const out: BlockResult = { indices: new Int32Array(n * k), distances: new Float32Array(n * k) };
  for (let i = 0; i < n; i++) {
    out.indices[i * k] = i;
    out.distances[i * k] = 0;
    const qNorm = rows.sqNorms[i];
    for (let t = 0; t < others; t++) {
      const score = best.scores[i * others + t];
      out.indices[i * k + 1 + t] = best.indices[i * others + t];
      out.distances[i * k + 1 + t] = euclid
        ? Math.sqrt(Math.max(0, qNorm - 2 * score))
        : Math.max(0, 1 - score);
    }
  }
  return out;
}
