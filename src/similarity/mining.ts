/**
 * Paraphrase mining: the most similar pairs of rows, as sentence-transformers'
 * `util.paraphrase_mining_embeddings` finds them. Each row offers its `topK` most similar other rows
 * (per corpus chunk); the candidates go through their bounded queue (`maxPairs`), are de-duplicated to
 * i < j and sorted, highest score first. Exact, in blocks (never an n × n matrix), on both cores.
 */
import type { Matrix, ProgressCallback } from "../types.js";
import type { Logger } from "../util/log.js";
import { PairQueue } from "./pair-queue.js";
import { blockRows, type ScoringOptions, topScores } from "./top-scores.js";
import { checkPositiveInteger, checkThreshold, unitRows } from "./vectors.js";

export interface ParaphraseMiningOptions {
  /** Most similar other rows each row offers (default 100; capped at n − 1 as theirs is). */
  topK?: number;
  /** Size of the candidate queue (default 500,000 directed candidates: about half as many pairs). */
  maxPairs?: number;
  /** Query rows per matrix product, at most (default 5,000; the 64 MB score block may lower it). */
  queryChunkSize?: number;
  /** Rows compared at once; each row offers its top k per chunk (default 100,000). */
  corpusChunkSize?: number;
  /** Keep only pairs scoring at least this (cosine, in [-1, 1]). */
  threshold?: number;
  backend?: ScoringOptions["backend"];
  threads?: number;
  onProgress?: ProgressCallback;
  logger?: Logger;
}

export interface ScoredPair {
  score: number;
  /** Row indices, i < j. */
  i: number;
  j: number;
}

export const MINING_DEFAULTS = {
  topK: 100,
  maxPairs: 500000,
  queryChunkSize: 5000,
  corpusChunkSize: 100000,
} as const;

export async function paraphraseMining(
  embeddings: Matrix,
  options: ParaphraseMiningOptions = {},
): Promise<ScoredPair[]> {
  const topK = options.topK ?? MINING_DEFAULTS.topK;
  const maxPairs = options.maxPairs ?? MINING_DEFAULTS.maxPairs;
  const queryChunk = options.queryChunkSize ?? MINING_DEFAULTS.queryChunkSize;
  const corpusChunk = options.corpusChunkSize ?? MINING_DEFAULTS.corpusChunkSize;
  checkPositiveInteger(topK, "topK");
  checkPositiveInteger(maxPairs, "maxPairs");
  checkPositiveInteger(queryChunk, "queryChunkSize");
  checkPositiveInteger(corpusChunk, "corpusChunkSize");
  if (options.threshold !== undefined) checkThreshold(options.threshold);
  const rows = unitRows(embeddings);
  const n = rows.rows;
  if (n < 2) return [];
  const queue = new PairQueue(maxPairs);
  const floor = options.threshold ?? Number.NEGATIVE_INFINITY;
  // their loop: per corpus chunk, each row's top k + 1 rows of the chunk (itself among them, dropped).
  // The full product costs less here than the neighbour search's half-product self-join, whose
  // column-wise top-k is slow for k ≈ 100 (see bench/mining.ts).
  const chunks = Math.ceil(n / corpusChunk);
  for (let c = 0; c < chunks; c++) {
    const start = c * corpusChunk;
    const end = Math.min(n, start + corpusChunk);
    const width = end - start;
    const chunk = { ...rows, data: rows.data.subarray(start * rows.dim, end * rows.dim), rows: width };
    const wanted = Math.min(topK + 1, width);
    const top = await topScores(chunk, rows, wanted, {
      backend: options.backend,
      threads: options.threads,
      logger: options.logger,
      blockRows: blockRows(width, queryChunk),
      onProgress: options.onProgress && ((done) => options.onProgress?.(c * n + done, chunks * n)),
    });
    for (let i = 0; i < n; i++) {
      const o = i * wanted;
      for (let t = 0; t < wanted; t++) {
        const score = top.scores[o + t];
        // a row's candidates come best first: the rest are below the bar too
        if (score < floor || score <= queue.minScore) break;
        const j = start + top.indices[o + t];
        if (j !== i) queue.offer(score, i, j);
      }
    }
  }
  return drain(queue);
}

/** Keeps each unordered pair's first appearance in pop order, then sorts highest first (stable). */
function drain(queue: PairQueue): ScoredPair[] {
  const { scores, is, js } = queue.drain();
  const seen = new Set<number>();
  const pairs: ScoredPair[] = [];
  for (let t = 0; t < scores.length; t++) {
    const a = Math.min(is[t], js[t]);
    const b = Math.max(is[t], js[t]);
    // a * 2^26 + b is exact for up to 67 million rows
    const key = a * 67108864 + b;
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push({ score: scores[t], i: a, j: b });
  }
  // pairs are in ascending pop order; theirs sorts by score, highest first, keeping pop order within
  // a tie (a stable sort): reverse, then put each run of equal scores back in pop order
  pairs.reverse();
  for (let start = 0; start < pairs.length; ) {
    let end = start + 1;
    while (end < pairs.length && pairs[end].score === pairs[start].score) end++;
    if (end - start > 1) {
      for (let a = start, b = end - 1; a < b; a++, b--) {
        const swap = pairs[a];
        pairs[a] = pairs[b];
        pairs[b] = swap;
      }
    }
    start = end;
  }
  return pairs;
}
