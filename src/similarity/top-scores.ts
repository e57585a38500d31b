/**
 * The one place the similarity jobs get their dot products: blocked matrix products with a top-k per
 * row, on onnxruntime (both cores, src/neighbors/exact-ort.ts) and, if onnxruntime cannot load, on the
 * typed-array kernel. Memory is one score block (≤ 64 MB), never an n × n matrix.
 */
import {
  type PreparedRows,
  selfTopScoresOrt,
  TopK,
  type TopScores,
  topScoresOrt,
} from "../neighbors/index.js";
import type { ProgressCallback } from "../types.js";
import type { Logger } from "../util/log.js";

export type { TopScores } from "../neighbors/index.js";

export interface ScoringOptions {
  /** "ort" (default) or "js" (the single-threaded kernel, also the fallback). */
  backend?: "ort" | "js";
  /** onnxruntime threads (default: all cores). */
  threads?: number;
  /** Query rows per matrix product (default: as many as keep the score block under 64 MB). */
  blockRows?: number;
  onProgress?: ProgressCallback;
  logger?: Logger;
}

/** Largest score block (floats): 2^24 = 64 MB, as the neighbour search. */
const SCORE_BLOCK_FLOATS = 1 << 24;

/** Query rows per product for `width` indexed rows, capped by the caller's chunk size. */
export function blockRows(width: number, chunk = Number.POSITIVE_INFINITY): number {
  return Math.max(1, Math.min(chunk, Math.max(16, Math.min(1024, Math.floor(SCORE_BLOCK_FLOATS / width)))));
}

let ortFailure: string | undefined;

async function withFallback<T>(options: ScoringOptions, ort: () => Promise<T>, js: () => T): Promise<T> {
  if (options.backend !== "js" && ortFailure === undefined) {
    try {
      return await ort();
    } catch (error) {
      if (options.backend === "ort") throw error;
      ortFailure = error instanceof Error ? error.message : String(error);
      options.logger?.warn(
        `onnxruntime unavailable (${ortFailure}); similarity scores fall back to the slower JavaScript kernel`,
      );
    }
  }
  return js();
}

/** The k best `base` rows for every query row, best first, ties by lower index. */
export function topScores(
  base: PreparedRows,
  queries: PreparedRows,
  k: number,
  options: ScoringOptions = {},
): Promise<TopScores> {
  const ortOptions = {
    threads: options.threads,
    blockRows: options.blockRows ?? blockRows(base.rows),
    onProgress: options.onProgress,
  };
  return withFallback(
    options,
    () => topScoresOrt(base, queries, k, ortOptions),
    () => topScoresJs(base, queries, k, -1, options.onProgress),
  );
}

/** The `others` best other rows of every row (self excluded); score(i, j) = score(j, i) exactly. */
export function selfTopScores(
  rows: PreparedRows,
  others: number,
  options: ScoringOptions = {},
): Promise<TopScores> {
  const ortOptions = {
    threads: options.threads,
    blockRows: options.blockRows ?? blockRows(rows.rows),
    onProgress: options.onProgress,
  };
  return withFallback(
    options,
    () => selfTopScoresOrt(rows, others, ortOptions),
    () => topScoresJs(rows, rows, others, 0, options.onProgress),
  );
}

/**
 * Typed-array kernel: `selfOffset` ≥ 0 excludes base row q + selfOffset from query q's list. The dot
 * product of (q, x) is summed in the same order as of (x, q), so the self-join stays symmetric.
 */
function topScoresJs(
  base: PreparedRows,
  queries: PreparedRows,
  k: number,
  selfOffset: number,
  onProgress?: ProgressCallback,
): TopScores {
  const { dim, rows: n } = base;
  const b = base.data;
  const q = queries.data;
  const out: TopScores = {
    indices: new Int32Array(queries.rows * k).fill(-1),
    scores: new Float32Array(queries.rows * k).fill(Number.NEGATIVE_INFINITY),
    k,
  };
  if (k === 0) return out;
  const top = new TopK(k);
  for (let i = 0; i < queries.rows; i++) {
    top.reset();
    const qo = i * dim;
    const skip = selfOffset >= 0 ? i + selfOffset : -1;
    for (let j = 0; j < n; j++) {
      if (j === skip) continue;
      const bo = j * dim;
      let s = 0;
      for (let t = 0; t < dim; t++) s += q[qo + t] * b[bo + t];
      // TopK keeps the smallest: negate, and round to float32 as the onnxruntime scores are
      const score = -Math.fround(s);
      if (score <= top.worst) top.push(score, j);
    }
    for (let r = 0; r < top.size; r++) {
      out.indices[i * k + r] = top.indices[r];
      out.scores[i * k + r] = -top.scores[r];
    }
    if (onProgress && ((i + 1) % 256 === 0 || i + 1 === queries.rows)) onProgress(i + 1, queries.rows);
  }
  return out;
}
