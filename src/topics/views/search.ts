/**
 * Semantic search over what the model already holds: a query is embedded once and compared (cosine)
 * with the topic embeddings (BERTopic's find_topics) or with every stored document embedding — the
 * corpus is never embedded again.
 */
import type { Matrix } from "../../types.js";
import { cosineSimilarity, topK } from "../../util/cosine.js";
import { UserError } from "../../util/errors.js";

export interface TopicMatch {
  topic: number;
  similarity: number;
}

export interface DocumentMatch {
  /** Corpus index. */
  index: number;
  similarity: number;
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new UserError(`k must be an integer ≥ 1, got ${k}`);
}

/** The k real topics closest to the query (the outlier topic is never a match). */
export function findTopics(
  query: Matrix,
  topicIds: readonly number[],
  topicVectors: Matrix,
  k: number,
): TopicMatch[] {
  checkK(k);
  const sims = cosineSimilarity(query, topicVectors).data;
  const candidates = topicIds
    .map((topic, i) => ({ topic, similarity: sims[i] }))
    .filter((m) => m.topic !== -1);
  return topK(
    candidates.map((c) => c.similarity),
    k,
  ).map(({ index }) => candidates[index]);
}

/** The k documents closest to the query; `exclude` marks rows to skip (empty documents). */
export function searchDocuments(
  query: Matrix,
  embeddings: Matrix,
  k: number,
  exclude?: Uint8Array,
): DocumentMatch[] {
  checkK(k);
  const sims = cosineSimilarity(query, embeddings).data;
  const masked = Float64Array.from(sims, (s, i) => (exclude?.[i] ? Number.NEGATIVE_INFINITY : s));
  return topK(masked, k)
    .filter((m) => m.value !== Number.NEGATIVE_INFINITY)
    .map(({ index, value }) => ({ index, similarity: value }));
}
