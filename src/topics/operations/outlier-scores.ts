/**
 * The scores behind reduceOutliers, one per strategy (BERTopic's four): c-TF-IDF similarity of the
 * outliers' texts, cosine similarity of their embeddings to the topic embeddings, their approximate
 * topic distribution, or HDBSCAN soft-cluster membership. outliers.ts turns scores into topics.
 */
import { ctfidfSimilarity, type TopicRepresentation } from "../../represent/index.js";
import { type CorpusDocument, type Matrix, selectRows } from "../../types.js";
import { cosineSimilarity } from "../../util/cosine.js";
import { UserError } from "../../util/errors.js";
import { approximateDistribution, type DistributionOptions } from "../views/distribution.js";
import { OUTLIER_STRATEGIES, type OutlierScores, type OutlierStrategy } from "./outliers.js";
import type { TopicVectors } from "./reduce-topics.js";
import { type SoftClusterInput, softClusterScores } from "./soft-clusters.js";

export interface ReduceOutliersOptions {
  /** Minimum score (similarity, or probability for "probabilities") an outlier needs to move (default 0). */
  threshold?: number;
  /** approximate_distribution options for the "distributions" strategy. */
  distribution?: Omit<DistributionOptions, "minSimilarity">;
}

export interface OutlierScoreInput {
  documents: readonly CorpusDocument[];
  labels: Int32Array;
  included: Uint8Array;
  embeddings: Matrix;
  representation: TopicRepresentation;
  /** Real topic ids, ascending. */
  realTopicIds: number[];
  /** Asked only by the "embeddings" strategy. */
  realTopicVectors: () => TopicVectors;
  /** For the "probabilities" strategy. */
  soft: Omit<SoftClusterInput, "outliers" | "topicIds">;
}

export interface ScoredOutliers {
  /** Corpus indices of the outliers (non-empty documents with topic -1). */
  outliers: number[];
  scores: OutlierScores;
  /** The threshold assignOutliers applies (0 where the strategy applied it already). */
  threshold: number;
}

export async function scoreOutliers(
  strategy: OutlierStrategy,
  options: ReduceOutliersOptions,
  input: OutlierScoreInput,
): Promise<ScoredOutliers> {
  if (!OUTLIER_STRATEGIES.includes(strategy)) {
    throw new UserError(
      `unknown outlier strategy '${String(strategy)}'; use ${OUTLIER_STRATEGIES.join(", ")}`,
    );
  }
  const threshold = options.threshold ?? 0;
  const { labels, included } = input;
  const outliers = [...labels.keys()].filter((i) => labels[i] === -1 && included[i]);
  if (outliers.length === 0) throw new UserError("the model has no outliers to reduce");
  if (input.realTopicIds.length === 0) throw new UserError("the model has no topics to move outliers into");
  const texts = outliers.map((i) => input.documents[i].text);
  switch (strategy) {
    case "c-tf-idf": {
      const s = ctfidfSimilarity(input.representation, texts);
      return { outliers, scores: { documents: outliers, topicIds: s.topicIds, scores: s.scores }, threshold };
    }
    case "embeddings": {
      const { topicIds, vectors } = input.realTopicVectors();
      const scores = cosineSimilarity(selectRows(input.embeddings, outliers), vectors);
      return { outliers, scores: { documents: outliers, topicIds, scores }, threshold };
    }
    case "distributions": {
      // BERTopic passes the threshold to approximate_distribution as its min_similarity.
      const d = approximateDistribution(input.representation, texts, {
        ...options.distribution,
        minSimilarity: threshold,
      });
      return {
        outliers,
        scores: { documents: outliers, topicIds: d.topicIds, scores: d.distributions },
        threshold: 0,
      };
    }
    case "probabilities": {
      const scores = await softClusterScores({ ...input.soft, outliers, topicIds: input.realTopicIds });
      return { outliers, scores, threshold };
    }
  }
}
