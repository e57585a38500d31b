/**
 * Topics of new documents: the pipeline path (reducer transform → clusterer predict, pipeline.ts) or,
 * where the model has no usable clusterer, cosine similarity to the topic embeddings.
 */
import { type Matrix, selectRows } from "../../types.js";
import { cosineSimilarity, rowArgmax } from "../../util/cosine.js";
import { UserError } from "../../util/errors.js";
import { isBlank } from "../../util/text.js";
import type { TopicModelParameters } from "../types.js";
import { type FittedPipeline, pipelineUnavailable } from "./pipeline.js";
import type { TopicEmbeddingTable } from "./topic-vectors.js";

export const TRANSFORM_METHODS = ["auto", "pipeline", "similarity"] as const;
export type TransformMethod = (typeof TRANSFORM_METHODS)[number];

export interface TransformOptions {
  /** Precomputed embeddings of the new documents (skips embedding). */
  embeddings?: Matrix;
  /**
   * "pipeline": reducer transform → clusterer predict (BERTopic's transform; HDBSCAN's approximate
   * predict), rebuilt from the saved stages so a loaded model predicts exactly what the fitted one did
   * (pipeline.ts). "similarity": cosine to the topic embeddings (BERTopic's transform without
   * UMAP/HDBSCAN). "auto" (default): pipeline where the model allows it (not zero-shot or guided),
   * else similarity. See docs/topic-operations.md.
   */
  method?: TransformMethod;
}

export interface TransformResult {
  topics: Int32Array;
  probabilities: Float32Array;
}

export interface TransformInput {
  docs: readonly string[];
  /** One row per document. */
  embeddings: Matrix;
  method: TransformOptions["method"];
  parameters: TopicModelParameters;
  clusterLabels: Int32Array | null;
  clusterTopic: ReadonlyMap<number, number>;
  /** Asked only on the similarity path. */
  topicEmbeddings: () => TopicEmbeddingTable;
  /** Asked only on the pipeline path (building it restores the reducer and clusterer). */
  pipeline: () => Promise<FittedPipeline>;
}

/** Empty documents get -1 and probability 0. */
export async function transformDocuments(input: TransformInput): Promise<TransformResult> {
  const { docs, embeddings } = input;
  if (embeddings.rows !== docs.length) {
    throw new UserError(
      `precomputed embeddings have ${embeddings.rows} rows but there are ${docs.length} documents`,
    );
  }
  const included = Uint8Array.from(docs, (d) => (isBlank(d) ? 0 : 1));
  const method = input.method ?? "auto";
  const unavailable = pipelineUnavailable(input.parameters, input.clusterLabels);
  if (method === "similarity" || (method === "auto" && unavailable))
    return similarityToTopics(embeddings, included, input.topicEmbeddings());
  if (unavailable)
    throw new UserError(
      `transform method 'pipeline' is not available: ${unavailable}; use method 'similarity'`,
    );
  const pipeline = await input.pipeline();
  const rows = [...included.keys()].filter((i) => included[i]);
  const topics = new Int32Array(docs.length).fill(-1);
  const probabilities = new Float32Array(docs.length);
  if (rows.length === 0) return { topics, probabilities };
  const predicted = await pipeline.predict(selectRows(embeddings, rows));
  rows.forEach((doc, r) => {
    const cluster = predicted.labels[r];
    topics[doc] = cluster >= 0 ? (input.clusterTopic.get(cluster) ?? -1) : -1;
    probabilities[doc] = topics[doc] >= 0 ? predicted.probabilities[r] : 0;
  });
  return { topics, probabilities };
}

/** BERTopic's transform without reducer/clusterer: argmax cosine to the topic embeddings (-1 included when it exists). */
export function similarityToTopics(
  embeddings: Matrix,
  included: Uint8Array,
  { topicIds, matrix }: TopicEmbeddingTable,
): TransformResult {
  const topics = new Int32Array(embeddings.rows).fill(-1);
  const probabilities = new Float32Array(embeddings.rows);
  if (topicIds.length === 0) return { topics, probabilities };
  const sims = cosineSimilarity(embeddings, matrix);
  for (let i = 0; i < embeddings.rows; i++) {
    if (!included[i]) continue;
    const { index, value } = rowArgmax(sims, i);
    topics[i] = topicIds[index];
    probabilities[i] = Math.max(0, value);
  }
  return { topics, probabilities };
}
