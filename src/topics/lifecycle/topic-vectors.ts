/**
 * Topic embeddings (BERTopic's topic_embeddings_): the mean embedding of each topic's non-empty
 * documents, by topic id — what transform, search, reduction and outlier scoring compare with.
 */
import { type Matrix, selectRows } from "../../types.js";
import { isBlank } from "../../util/text.js";
import type { TopicVectors } from "../operations/reduce-topics.js";
import { topicEmbeddings } from "./build.js";

export interface TopicEmbeddingTable {
  /** Ascending, -1 first when there are outliers. */
  topicIds: number[];
  /** One row per id. */
  matrix: Matrix;
}

export function topicEmbeddingTable(
  embeddings: Matrix,
  labels: Int32Array,
  included: Uint8Array,
): TopicEmbeddingTable {
  const masked = labels.map((l, i) => (included[i] ? l : -2));
  const topicIds = [...new Set(masked)].filter((id) => id !== -2).sort((a, b) => a - b);
  return { topicIds, matrix: topicEmbeddings(embeddings, masked, topicIds) };
}

/** The table without the outlier row. */
export function realTopicVectors({ topicIds, matrix }: TopicEmbeddingTable): TopicVectors {
  const rows = topicIds.map((id, r) => [id, r] as const).filter(([id]) => id >= 0);
  return {
    topicIds: rows.map(([id]) => id),
    vectors: selectRows(
      matrix,
      rows.map(([, r]) => r),
    ),
  };
}

/** Marks the documents that take part in topics (the non-empty ones). */
export function includedDocuments(texts: readonly { text: string }[]): Uint8Array {
  return Uint8Array.from(texts, (d) => (isBlank(d.text) ? 0 : 1));
}
