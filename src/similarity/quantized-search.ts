/**
 * Search over a quantized corpus with rescoring, as sentence-transformers' `semantic_search_usearch`
 * and `semantic_search_faiss` do it: the float queries are quantized like the corpus, the first stage
 * fetches topK × rescoreMultiplier candidates (integer inner product for int8/uint8, hamming distance
 * for binary/ubinary), and the candidates are rescored with the float query against their stored codes
 * (the int8/uint8 values, or the 0/1 bits), keeping the topK best. Rescored scores are therefore not
 * cosines: they are what theirs report (query · codes).
 *
 * The first stage runs exactly (their `exact=True`) on the same blocked matrix product as the float
 * search, corpus chunk by corpus chunk, so only one chunk is ever unpacked to float32. The arithmetic
 * is float32: exact for int8 up to 1,024 dimensions and for binary; uint8 inner products above 2^24
 * (beyond 256 dimensions of large codes) are rounded.
 */
import { TopK } from "../neighbors/index.js";
import type { Matrix, ProgressCallback } from "../types.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/log.js";
import { type QuantizedEmbeddings, quantizeEmbeddings, unpackRows } from "./quantize.js";
import { type SearchHit, semanticSearch } from "./search.js";
import { blockRows, type ScoringOptions, topScores } from "./top-scores.js";
import { checkPositiveInteger, rawRows } from "./vectors.js";

export interface QuantizedSearchOptions {
  /** Hits per query (default 10). */
  topK?: number;
  /** Rescore the candidates with the float query (default true). */
  rescore?: boolean;
  /** Candidates fetched per hit before rescoring (default 2). */
  rescoreMultiplier?: number;
  backend?: ScoringOptions["backend"];
  threads?: number;
  onProgress?: ProgressCallback;
  logger?: Logger;
}

/** Corpus rows unpacked per matrix product: 16 MB of float32. */
const CHUNK_FLOATS = 1 << 22;

export async function quantizedSearch(
  queries: Matrix,
  corpus: QuantizedEmbeddings,
  options: QuantizedSearchOptions = {},
): Promise<SearchHit[][]> {
  const topK = options.topK ?? 10;
  const multiplier = options.rescoreMultiplier ?? 2;
  const rescore = options.rescore ?? true;
  checkPositiveInteger(topK, "topK");
  checkPositiveInteger(multiplier, "rescoreMultiplier");
  if (queries.cols !== corpus.dimension) {
    throw new UserError(
      `queries have ${queries.cols} dimensions but the quantized corpus was made from ${corpus.dimension}; embed both with the same model`,
    );
  }
  if (corpus.precision === "float32") {
    const data = corpus.data as Float32Array;
    return semanticSearch(queries, { data, rows: corpus.rows, cols: corpus.cols }, options);
  }
  if ((corpus.precision === "int8" || corpus.precision === "uint8") && !corpus.ranges) {
    throw new UserError(
      `a ${corpus.precision} corpus needs the quantization ranges it was made with, to quantize the queries alike`,
    );
  }
  const binary = corpus.precision === "binary" || corpus.precision === "ubinary";
  const quantizedQueries = quantizeEmbeddings(queries, corpus.precision, { ranges: corpus.ranges });
  const queryCodes = firstStageCodes(quantizedQueries, 0, queries.rows, binary);
  const dim = queryCodes.length / Math.max(1, queries.rows);
  const k = Math.min(corpus.rows, rescore ? topK * multiplier : topK);
  const candidates = await firstStage(queryCodes, queries.rows, dim, corpus, k, binary, options);
  const bits = corpus.cols * 8;
  return candidates.map((top, q) => {
    const ids = Array.from(top.indices.subarray(0, top.size));
    // first-stage similarity: the integer inner product, or for bits the count that agree
    const firstScores = Array.from(top.scores.subarray(0, top.size), (s) => (binary ? (bits - s) / 2 : -s));
    if (!rescore) return ids.slice(0, topK).map((corpusId, r) => ({ corpusId, score: firstScores[r] }));
    const query = queries.data.subarray(q * queries.cols, (q + 1) * queries.cols);
    const hits = ids.map((corpusId, r) => ({ corpusId, score: rescoreOne(query, corpus, corpusId), r }));
    // highest rescored first; ties keep the first stage's order
    hits.sort((a, b) => b.score - a.score || a.r - b.r);
    return hits.slice(0, topK).map(({ corpusId, score }) => ({ corpusId, score }));
  });
}

/** Codes the first stage multiplies: int8/uint8 values as they are; bits as ±1 (dot = bits − 2·hamming). */
function firstStageCodes(q: QuantizedEmbeddings, start: number, end: number, binary: boolean): Float32Array {
  const codes = unpackRows(q, start, end);
  if (binary) for (let t = 0; t < codes.length; t++) codes[t] = 2 * codes[t] - 1;
  return codes;
}

/** Running top k per query over the corpus chunks; TopK keeps "smaller is better": −dot. */
async function firstStage(
  queryCodes: Float32Array,
  queryRows: number,
  dim: number,
  corpus: QuantizedEmbeddings,
  k: number,
  binary: boolean,
  options: QuantizedSearchOptions,
): Promise<TopK[]> {
  const running = Array.from({ length: queryRows }, () => new TopK(k));
  const queries = rawRows({ data: queryCodes, rows: queryRows, cols: dim });
  const chunkRows = Math.max(1, Math.floor(CHUNK_FLOATS / dim));
  for (let start = 0; start < corpus.rows; start += chunkRows) {
    const end = Math.min(corpus.rows, start + chunkRows);
    const chunk = rawRows({
      data: firstStageCodes(corpus, start, end, binary),
      rows: end - start,
      cols: dim,
    });
    const kk = Math.min(k, end - start);
    const top = await topScores(chunk, queries, kk, {
      backend: options.backend,
      threads: options.threads,
      logger: options.logger,
      blockRows: blockRows(end - start),
    });
    for (let q = 0; q < queryRows; q++) {
      for (let t = 0; t < kk; t++) {
        const score = -top.scores[q * kk + t];
        if (score <= running[q].worst) running[q].push(score, start + top.indices[q * kk + t]);
      }
    }
    options.onProgress?.(end, corpus.rows);
  }
  return running;
}

/** Float query · stored codes of one corpus row, in float64 (their einsum of float32 × int64). */
function rescoreOne(query: Float32Array, corpus: QuantizedEmbeddings, row: number): number {
  const codes = unpackRows(corpus, row, row + 1);
  let s = 0;
  const d = Math.min(query.length, codes.length);
  for (let j = 0; j < d; j++) s += query[j] * codes[j];
  return s;
}
