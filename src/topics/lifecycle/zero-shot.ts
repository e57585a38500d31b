/**
 * Zero-shot topics as BERTopic's _zeroshot_topic_modeling: each topic name is embedded and every
 * document whose best cosine to a name reaches `minSimilarity` (default 0.7) joins that topic; the
 * remaining documents are clustered as usual and their topics come after the zero-shot ones.
 */
import type { Matrix } from "../../types.js";
import { cosineSimilarity, rowArgmax } from "../../util/cosine.js";
import { UserError } from "../../util/errors.js";

export const DEFAULT_ZERO_SHOT_MIN_SIMILARITY = 0.7;

export interface ZeroShotAssignment {
  /** Index of the zero-shot topic per document, -1 = not assigned (left for clustering). */
  assignment: Int32Array;
  /** Best cosine to any name per document. */
  similarity: Float32Array;
}

export function validateZeroShotTopics(names: readonly string[]): string[] {
  const cleaned = names.map((n) => n.trim());
  if (cleaned.length === 0 || cleaned.some((n) => n.length === 0)) {
    throw new UserError(
      'zero-shot topics: give one or more non-empty topic names, e.g. --zero-shot "tax policy" "football"',
    );
  }
  return cleaned;
}

export function zeroShotAssign(
  embeddings: Matrix,
  included: Uint8Array,
  nameVectors: Matrix,
  minSimilarity: number,
): ZeroShotAssignment {
  if (!(minSimilarity >= -1 && minSimilarity <= 1))
    throw new UserError(`zero-shot min similarity must be in [-1, 1], got ${minSimilarity}`);
  const sims = cosineSimilarity(embeddings, nameVectors);
  const assignment = new Int32Array(embeddings.rows).fill(-1);
  const similarity = new Float32Array(embeddings.rows);
  for (let i = 0; i < embeddings.rows; i++) {
    if (!included[i]) continue;
    const { index, value } = rowArgmax(sims, i);
    similarity[i] = value;
    if (value >= minSimilarity) assignment[i] = index;
  }
  return { assignment, similarity };
}

export interface CombinedLabels {
  /** Zero-shot topics 0..z-1 (in name order), then the clusters shifted by z; -1 stays -1. */
  combined: Int32Array;
  /** z: how many zero-shot topics matched at least one document. */
  shift: number;
  /** Combined id → zero-shot topic name. */
  names: Map<number, string>;
}

/** BERTopic's _combine_zeroshot_topics: matched zero-shot topics come first, clusters after them. */
export function combineZeroShot(
  clusterLabels: Int32Array,
  assignment: Int32Array,
  names: readonly string[],
): CombinedLabels {
  const matched = [...new Set(assignment)].filter((z) => z >= 0).sort((a, b) => a - b);
  const shift = matched.length;
  const slot = new Map(matched.map((z, i) => [z, i]));
  const combined = clusterLabels.map((label, i) => {
    if (assignment[i] >= 0) return slot.get(assignment[i])!;
    return label >= 0 ? label + shift : -1;
  });
  return { combined, shift, names: new Map(matched.map((z, i) => [i, names[z]])) };
}
