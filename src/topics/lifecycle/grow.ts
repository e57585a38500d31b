/**
 * Growing a fitted model without refitting it — BERTopic's partial_fit / merge_models idea:
 *
 * - `addDocuments`: new documents are assigned to the existing topics by the fitted reducer and
 *   clusterer (the transform); those that fit none stay outliers, and once `minNewTopic` of the
 *   *added* outliers cluster together (HDBSCAN on their reduced coordinates, the fitted reducer's
 *   space) they become a new topic — or join the existing topic whose embedding is at least
 *   `minSimilarity` similar to their cluster's (merge_models' test).
 * - `mergeModels`: each topic of the other model joins the most similar topic of this one when the
 *   cosine of their topic embeddings reaches `minSimilarity`, else is appended (merge_models).
 *
 * In both, a document that has a topic keeps it and topic ids never change: new topics get the ids
 * after the largest one. The fitted stages stay as they are: the added documents get cluster label -2
 * ("not clustered"), so the restored pipeline is the one of the fit.
 */
import { fitHdbscan } from "../../cluster/hdbscan/index.js";
import type { CorpusDocument, Matrix } from "../../types.js";
import { cosineSimilarity, rowArgmax } from "../../util/cosine.js";
import { UserError } from "../../util/errors.js";
import type { TopicOperation } from "../folder/format.js";

/** merge_models' default. */
export const DEFAULT_MIN_SIMILARITY = 0.7;

export const GROW_OPERATIONS = ["add-documents", "merge-models"] as const;

export interface AddDocumentsOptions {
  /** Precomputed embeddings of the new documents (one row each; skips embedding). */
  embeddings?: Matrix;
  /** Added outliers that must cluster together to form a new topic (default: the fit's min cluster size). */
  minNewTopic?: number;
  /** A new cluster at least this similar (cosine of embeddings) to an existing topic joins it (default 0.7). */
  minSimilarity?: number;
}

export interface AddDocumentsResult {
  added: number;
  /** New documents the transform put in an existing topic. */
  assigned: number;
  /** Ids of the topics created. */
  newTopics: number[];
  /** Added outliers that joined an existing topic through their cluster. */
  joined: number;
  /** New documents still outliers (blank ones included). */
  outliers: number;
  /** Where the time went: embedding the new documents, the fitted pipeline, looking for new topics, rebuilding words. */
  seconds: { embed: number; transform: number; newTopics: number; rebuild: number };
}

export interface MergeModelsResult {
  /** Documents taken over from the other model. */
  added: number;
  /** The other model's topic → its id here. */
  mapping: Map<number, number>;
  newTopics: number[];
}

/** Documents given as texts get ids continuing the model's row numbers. */
export function asDocuments(input: readonly (string | CorpusDocument)[], offset: number): CorpusDocument[] {
  return input.map((d, i) => (typeof d === "string" ? { id: String(offset + i), text: d } : { ...d }));
}

/** How many documents came in after the fit (the history records each growth). */
export function addedSinceFit(history: readonly TopicOperation[]): number {
  let added = 0;
  for (const op of history) {
    if ((GROW_OPERATIONS as readonly string[]).includes(op.operation))
      added += Number(op.parameters.added ?? 0);
  }
  return added;
}

export function appendRows(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.cols) throw new UserError(`cannot append ${b.cols}-d rows to ${a.cols}-d rows`);
  const data = new Float32Array((a.rows + b.rows) * a.cols);
  data.set(a.data.subarray(0, a.rows * a.cols));
  data.set(b.data.subarray(0, b.rows * b.cols), a.rows * a.cols);
  return { data, rows: a.rows + b.rows, cols: a.cols };
}

export function nanRows(rows: number, cols: number): Matrix {
  return { data: new Float32Array(rows * cols).fill(Number.NaN), rows, cols };
}

export function concatInt(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export function concatFloat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export interface PoolInput {
  /** Reduced coordinates of the pooled outliers (one row each). */
  reduced: Matrix;
  /** Their embeddings. */
  embeddings: Matrix;
  /** Existing real topics (ids ≥ 0) and their embeddings, one row each. */
  topicIds: readonly number[];
  topicVectors: Matrix;
  minClusterSize: number;
  minSimilarity: number;
  /** The id the first new topic gets. */
  nextTopicId: number;
}

export interface PoolClustering {
  /** Per pooled row: the topic it now has (existing or new), or -1. */
  labels: Int32Array;
  probabilities: Float32Array;
  /** New topic ids, largest cluster first. */
  newTopics: number[];
  /** Pooled rows that joined an existing topic. */
  joined: number;
}

/** Clusters pooled outliers with HDBSCAN and sends each cluster to a similar topic or a new one. */
export function clusterOutlierPool(input: PoolInput): PoolClustering {
  const n = input.reduced.rows;
  const labels = new Int32Array(n).fill(-1);
  const probabilities = new Float32Array(n);
  const result: PoolClustering = { labels, probabilities, newTopics: [], joined: 0 };
  if (n < Math.max(2, input.minClusterSize)) return result;
  // the pool may well be one new topic: HDBSCAN alone never selects its root cluster
  const model = fitHdbscan(input.reduced, { minClusterSize: input.minClusterSize, allowSingleCluster: true });
  const members = new Map<number, number[]>();
  model.labels.forEach((c, i) => {
    if (c >= 0) members.set(c, [...(members.get(c) ?? []), i]);
  });
  const order = [...members.keys()].sort((a, b) => members.get(b)!.length - members.get(a)!.length || a - b);
  const { cols } = input.embeddings;
  let next = input.nextTopicId;
  for (const c of order) {
    const rows = members.get(c)!;
    const mean = new Float32Array(cols);
    for (const i of rows)
      for (let j = 0; j < cols; j++) mean[j] += input.embeddings.data[i * cols + j] / rows.length;
    let target = -1;
    if (input.topicIds.length > 0) {
      const best = rowArgmax(cosineSimilarity({ data: mean, rows: 1, cols }, input.topicVectors), 0);
      if (best.value >= input.minSimilarity) target = input.topicIds[best.index];
    }
    if (target >= 0) result.joined += rows.length;
    else {
      target = next++;
      result.newTopics.push(target);
    }
    for (const i of rows) {
      labels[i] = target;
      probabilities[i] = model.probabilities[i];
    }
  }
  return result;
}

/**
 * BERTopic's merge_models for one pair. `aIds`/`bIds` are the topic-embedding rows of the two models
 * (ascending, -1 first when a model has outliers, as BERTopic's topic_embeddings_). Each real topic
 * of b maps to its most similar row of a (which can be a's -1, as in BERTopic) when the cosine
 * reaches `minSimilarity`, else to a new id after a's largest, in b's id order; b's -1 maps to -1.
 */
export function mergeTopicMapping(
  aIds: readonly number[],
  aVectors: Matrix,
  bIds: readonly number[],
  bVectors: Matrix,
  minSimilarity: number,
): { mapping: Map<number, number>; newTopics: number[] } {
  const sims = cosineSimilarity(bVectors, aVectors);
  let next = Math.max(-1, ...aIds) + 1;
  const mapping = new Map<number, number>([[-1, -1]]);
  const newTopics: number[] = [];
  bIds.forEach((id, r) => {
    if (id === -1) return;
    const best = sims.cols > 0 ? rowArgmax(sims, r) : { index: -1, value: Number.NEGATIVE_INFINITY };
    if (best.value >= minSimilarity) mapping.set(id, aIds[best.index]);
    else {
      mapping.set(id, next);
      newTopics.push(next++);
    }
  });
  return { mapping, newTopics };
}
