/**
 * sentence-transformers' `EmbeddingSimilarityEvaluator`: how well the similarity of each pair's two
 * embeddings follows a gold score — Pearson and Spearman (ties averaged) per similarity function,
 * named `pearson_cosine`, `spearman_cosine`, …, plus `pearson_max` / `spearman_max` when several are
 * asked for.
 */
import type { Matrix } from "../../types.js";
import { UserError } from "../../util/errors.js";
import { pearson, spearman } from "../../util/stats.js";
import { checkSimilarityFunctions, pairwiseSimilarity, type SimilarityFunction } from "./pairwise.js";

export interface EmbeddingSimilarityOptions {
  /** Default ["cosine"] (a sentence-transformers model's own `similarity_fn_name`). */
  similarityFunctions?: readonly SimilarityFunction[];
}

export function evaluateEmbeddingSimilarity(
  embeddings1: Matrix,
  embeddings2: Matrix,
  gold: ArrayLike<number>,
  options: EmbeddingSimilarityOptions = {},
): Record<string, number> {
  const fns = checkSimilarityFunctions(options.similarityFunctions ?? ["cosine"]);
  if (gold.length !== embeddings1.rows) {
    throw new UserError(`${gold.length} gold scores for ${embeddings1.rows} pairs`);
  }
  const metrics: Record<string, number> = {};
  for (const fn of fns) {
    const scores = pairwiseSimilarity(embeddings1, embeddings2, fn);
    metrics[`pearson_${fn}`] = pearson(gold, scores);
    metrics[`spearman_${fn}`] = spearman(gold, scores);
  }
  if (fns.length > 1) {
    metrics.pearson_max = Math.max(...fns.map((fn) => metrics[`pearson_${fn}`]));
    metrics.spearman_max = Math.max(...fns.map((fn) => metrics[`spearman_${fn}`]));
  }
  return metrics;
}
