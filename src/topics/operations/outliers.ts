/**
 * BERTopic's reduce_outliers: each outlier document (topic -1) moves to its best-scoring topic when
 * that score reaches the threshold; every other document keeps its topic. The strategies differ only
 * in the score (the model computes it): c-TF-IDF similarity, embedding similarity to topic
 * embeddings, approximate topic distribution, or HDBSCAN soft-cluster membership.
 */
import type { Matrix } from "../../types.js";
import { UserError } from "../../util/errors.js";

export const OUTLIER_STRATEGIES = ["c-tf-idf", "embeddings", "distributions", "probabilities"] as const;
export type OutlierStrategy = (typeof OUTLIER_STRATEGIES)[number];

export interface OutlierScores {
  /** Corpus indices of the scored outlier documents (row order of `scores`). */
  documents: number[];
  /** Column order of `scores` (real topics only). */
  topicIds: number[];
  scores: Matrix;
}

export interface OutlierAssignment {
  labels: Int32Array;
  probabilities: Float32Array;
  /** Outliers that received a topic. */
  reassigned: number;
}

/**
 * Scores below `threshold` count as 0; a document takes the argmax of what remains, or stays -1 when
 * nothing remains (BERTopic: `similarity[similarity < threshold] = 0`, argmax if the row sum > 0).
 */
export function assignOutliers(
  labels: Int32Array,
  probabilities: Float32Array,
  { documents, topicIds, scores }: OutlierScores,
  threshold: number,
): OutlierAssignment {
  if (!Number.isFinite(threshold))
    throw new UserError(`outlier threshold must be a number, got ${threshold}`);
  const next = labels.slice();
  const nextProbabilities = probabilities.slice();
  const k = topicIds.length;
  let reassigned = 0;
  documents.forEach((doc, r) => {
    if (labels[doc] !== -1) throw new Error(`assignOutliers: document ${doc} is not an outlier`);
    let best = -1;
    let bestScore = 0;
    for (let t = 0; t < k; t++) {
      const s = scores.data[r * k + t];
      if (s >= threshold && s > bestScore) {
        bestScore = s;
        best = t;
      }
    }
    if (best >= 0) {
      next[doc] = topicIds[best];
      nextProbabilities[doc] = Math.min(1, bestScore);
      reassigned++;
    }
  });
  return { labels: next, probabilities: nextProbabilities, reassigned };
}
