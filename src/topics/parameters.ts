/** The parameters of a fit: defaults (BERTopic's), and how partial options resolve against them. */
import { definedOnly } from "../util/defined.js";
import { UserError } from "../util/errors.js";
import { OUTLIER_MODES } from "./absorb-outliers.js";
import { validateSeedTopics } from "./guided.js";
import type { TopicModelParameters } from "./types.js";
import { DEFAULT_ZERO_SHOT_MIN_SIMILARITY, validateZeroShotTopics } from "./zero-shot.js";

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

export const DEFAULT_PARAMETERS: TopicModelParameters = {
  seed: 42,
  embedding: { model: "use-lite", batchSize: 64 },
  reduce: { method: "umap", nComponents: 5, nNeighbors: 15, minDist: 0, metric: "cosine" },
  cluster: { method: "hdbscan", minClusterSize: 10, selection: "eom", epsilon: 0, metric: "euclidean" },
  represent: {
    ngramRange: [1, 1],
    minDf: 1,
    topN: 10,
    stopWords: "english",
    dropNumbers: false,
    bm25Weighting: false,
    reduceFrequentWords: false,
  },
  representativeDocs: 3,
  representation: { model: "ctfidf", diversity: 0.1 },
  outliers: "reduce",
};

export function resolveParameters(options: DeepPartial<TopicModelParameters> = {}): TopicModelParameters {
  const d = DEFAULT_PARAMETERS;
  const resolved: TopicModelParameters = {
    seed: options.seed ?? d.seed,
    embedding: { ...d.embedding, ...definedOnly(options.embedding) },
    reduce: { ...d.reduce, ...definedOnly(options.reduce) },
    cluster: { ...d.cluster, ...definedOnly(options.cluster) },
    represent: { ...d.represent, ...definedOnly(options.represent) },
    representativeDocs: options.representativeDocs ?? d.representativeDocs,
    representation: { model: "ctfidf", diversity: 0.1, ...definedOnly(options.representation) },
    outliers: options.outliers ?? d.outliers,
  };
  if (!OUTLIER_MODES.includes(resolved.outliers!))
    throw new UserError(`outliers must be ${OUTLIER_MODES.join(" or ")}, got '${resolved.outliers}'`);
  if (options.seedTopics) resolved.seedTopics = validateSeedTopics(options.seedTopics);
  if (options.zeroShotTopics) {
    resolved.zeroShotTopics = validateZeroShotTopics(options.zeroShotTopics);
    resolved.zeroShotMinSimilarity = options.zeroShotMinSimilarity ?? DEFAULT_ZERO_SHOT_MIN_SIMILARITY;
  }
  if (options.supervised) resolved.supervised = true;
  const rep = resolved.representation!;
  if (!["ctfidf", "mmr", "keybert"].includes(rep.model)) {
    throw new UserError(`representation must be ctfidf, mmr or keybert, got '${rep.model}'`);
  }
  if (!(rep.diversity >= 0 && rep.diversity <= 1))
    throw new UserError(`MMR diversity must be in [0, 1], got ${rep.diversity}`);
  return resolved;
}
