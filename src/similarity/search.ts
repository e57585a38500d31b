/**
 * Semantic search, as sentence-transformers' `util.semantic_search`: for every query row the `topK`
 * corpus rows of highest cosine similarity, best first (ties: lower corpus id first, where theirs
 * leaves the order to the heap). The corpus is scanned in chunks of `corpusChunkSize` rows and the
 * per-chunk top-k lists are merged, as theirs; query chunks are at most `queryChunkSize` rows and
 * smaller when the score block would pass 64 MB. Exact, on both cores.
 */
import { TopK } from "../neighbors/index.js";
import type { Matrix, ProgressCallback } from "../types.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/log.js";
import { blockRows, type ScoringOptions, topScores } from "./top-scores.js";
import { checkPositiveInteger, unitRows } from "./vectors.js";

export interface SemanticSearchOptions {
  /** Hits per query (default 10; fewer when the corpus is smaller). */
  topK?: number;
  /** Query rows per matrix product, at most (default 100). */
  queryChunkSize?: number;
  /** Corpus rows scored at once (default 500,000). */
  corpusChunkSize?: number;
  backend?: ScoringOptions["backend"];
  threads?: number;
  onProgress?: ProgressCallback;
  logger?: Logger;
}

export interface SearchHit {
  corpusId: number;
  score: number;
}

export const SEARCH_DEFAULTS = { topK: 10, queryChunkSize: 100, corpusChunkSize: 500000 } as const;

export async function semanticSearch(
  queries: Matrix,
  corpus: Matrix,
  options: SemanticSearchOptions = {},
): Promise<SearchHit[][]> {
  const topK = options.topK ?? SEARCH_DEFAULTS.topK;
  const queryChunk = options.queryChunkSize ?? SEARCH_DEFAULTS.queryChunkSize;
  const corpusChunk = options.corpusChunkSize ?? SEARCH_DEFAULTS.corpusChunkSize;
  checkPositiveInteger(topK, "topK");
  checkPositiveInteger(queryChunk, "queryChunkSize");
  checkPositiveInteger(corpusChunk, "corpusChunkSize");
  if (queries.cols !== corpus.cols) {
    throw new UserError(
      `queries have ${queries.cols} dimensions but the corpus embeddings have ${corpus.cols}; embed both with the same model`,
    );
  }
  const q = unitRows(queries, "queries");
  const c = unitRows(corpus, "corpus embeddings");
  const n = c.rows;
  const chunks = Math.max(1, Math.ceil(n / corpusChunk));
  if (chunks === 1) {
    const k = Math.min(topK, n);
    const top = await topScores(c, q, k, {
      backend: options.backend,
      threads: options.threads,
      logger: options.logger,
      blockRows: blockRows(n, queryChunk),
      onProgress: options.onProgress,
    });
    return Array.from({ length: q.rows }, (_, i) => hitsOf(top.indices, top.scores, i * k, k, 0));
  }
  // several chunks: merge each chunk's top k into a running top k per query
  const running = Array.from({ length: q.rows }, () => new TopK(topK));
  for (let start = 0; start < n; start += corpusChunk) {
    const end = Math.min(n, start + corpusChunk);
    const chunk = { ...c, data: c.data.subarray(start * c.dim, end * c.dim), rows: end - start };
    const k = Math.min(topK, end - start);
    const top = await topScores(chunk, q, k, {
      backend: options.backend,
      threads: options.threads,
      logger: options.logger,
      blockRows: blockRows(end - start, queryChunk),
    });
    for (let i = 0; i < q.rows; i++) {
      for (let t = 0; t < k; t++) {
        const score = -top.scores[i * k + t];
        if (score <= running[i].worst) running[i].push(score, start + top.indices[i * k + t]);
      }
    }
    options.onProgress?.(end, n);
  }
  return running.map((top) =>
    Array.from({ length: top.size }, (_, r) => ({ corpusId: top.indices[r], score: -top.scores[r] })),
  );
}

function hitsOf(
  indices: Int32Array,
  scores: Float32Array,
  offset: number,
  k: number,
  base: number,
): SearchHit[] {
  const hits: SearchHit[] = [];
  for (let t = 0; t < k; t++) {
    const id = indices[offset + t];
    if (id < 0) break;
    hits.push({ corpusId: base + id, score: scores[offset + t] });
  }
  return hits;
}
