/**
 * Topics of new documents: the pipeline path (reducer transform → clusterer predict, pipeline.ts) or,
 * where the model has no usable clusterer, cosine similarity to the topic embeddings.
 */
import { type Matrix, selectRows } from "../../types.js";
import { cosineSimilarity, rowArgmax } from "../../util/cosine.js";
import { UserError } from "../../util/errors.js";
import { isBlank } from "../../util/text.js";
import type { TopicModelParameters } from "../types.js";
import { nearestTopics, type TopicCentres } from "./absorb-outliers.js";
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
  /**
   * Documents this call and the ones to come will transform in all (a corpus assigned in batches):
   * lets the reducer index its training rows once when that beats searching them for every batch.
   */
  expectedRows?: number;
}

export interface TransformResult {
  topics: Int32Array;
  probabilities: Float32Array;
  /** The documents' reduced coordinates on the pipeline path (NaN rows for empty documents). */
  reduced?: Matrix;
}

export interface TransformInput {
  docs: readonly string[];
  /** One row per document. */
  embeddings: Matrix;
  method: TransformOptions["method"];
  expectedRows?: number;
  parameters: TopicModelParameters;
  clusterLabels: Int32Array | null;
  clusterTopic: ReadonlyMap<number, number>;
  /** Asked only on the similarity path. */
  topicEmbeddings: () => TopicEmbeddingTable;
  /** Asked only on the pipeline path (building it restores the reducer and clusterer). */
  pipeline: () => Promise<FittedPipeline>;
  /**
   * Asked on the pipeline path when the model reduces outliers (`outliers: "reduce"`): the topics'
   * centres and joining thresholds, which new outliers are offered to as at fit.
   */
  outlierCentres?: () => TopicCentres;
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
  const { prediction: predicted, reduced: reducedRows } = await pipeline.predictReduced(
    selectRows(embeddings, rows),
    { expectedRows: input.expectedRows },
  );
  const width = reducedRows.cols;
  const reduced = {
    data: new Float32Array(docs.length * width).fill(Number.NaN),
    rows: docs.length,
    cols: width,
  };
  rows.forEach((doc, r) => {
    reduced.data.set(reducedRows.data.subarray(r * width, (r + 1) * width), doc * width);
  });
  rows.forEach((doc, r) => {
    const cluster = predicted.labels[r];
    topics[doc] = cluster >= 0 ? (input.clusterTopic.get(cluster) ?? -1) : -1;
    probabilities[doc] = topics[doc] >= 0 ? predicted.probabilities[r] : 0;
  });
  if (input.parameters.outliers === "reduce" && input.outlierCentres) {
    const outliers = rows.filter((doc) => topics[doc] === -1);
    const joined = nearestTopics(embeddings, outliers, input.outlierCentres());
    outliers.forEach((doc, k) => {
      if (joined.topics[k] < 0) return;
      topics[doc] = joined.topics[k];
      probabilities[doc] = joined.similarities[k];
    });
  }
  return { topics, probabilities, reduced };
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
