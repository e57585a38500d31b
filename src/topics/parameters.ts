/** The parameters of a fit: defaults (BERTopic's), and how partial options resolve against them. */
import { DEFAULT_CLUSTERER_OPTIONS } from "../cluster/index.js";
import { DEFAULT_LONG_DOCUMENTS, DEFAULT_MODEL } from "../embed/methods.js";
import { DEFAULT_REDUCER_OPTIONS } from "../reduce/index.js";
import { REPRESENTATION_MODELS } from "../represent/methods.js";
import { definedOnly } from "../util/defined.js";
import { UserError } from "../util/errors.js";
import { OUTLIER_MODES } from "./lifecycle/absorb-outliers.js";
import { validateSeedTopics } from "./lifecycle/guided.js";
import { DEFAULT_ZERO_SHOT_MIN_SIMILARITY, validateZeroShotTopics } from "./lifecycle/zero-shot.js";
import type { TopicModelParameters } from "./types.js";

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

const reduceDefaults = DEFAULT_REDUCER_OPTIONS;
const clusterDefaults = DEFAULT_CLUSTERER_OPTIONS;

/**
 * The one set of defaults: the library, every CLI flag and the docs read them from here, and the
 * stage settings come from the stages' own defaults (BERTopic's).
 */
export const DEFAULT_PARAMETERS: TopicModelParameters = {
  seed: 42,
  embedding: { model: DEFAULT_MODEL, batchSize: 64, longDocuments: DEFAULT_LONG_DOCUMENTS },
  reduce: {
    method: reduceDefaults.method,
    nComponents: reduceDefaults.nComponents,
    nNeighbors: reduceDefaults.nNeighbors,
    minDist: reduceDefaults.minDist,
    metric: reduceDefaults.metric,
  },
  cluster: {
    method: clusterDefaults.method,
    minClusterSize: clusterDefaults.minClusterSize,
    selection: clusterDefaults.selection,
    epsilon: clusterDefaults.epsilon,
    metric: clusterDefaults.metric,
  },
  represent: {
    ngramRange: [1, 1],
    minDf: 1,
    topN: 10,
    stopWords: "auto",
    dropNumbers: false,
    bm25Weighting: false,
    reduceFrequentWords: false,
  },
  representativeDocs: 3,
  representation: { model: "ctfidf", diversity: 0.1 },
  outliers: "reduce",
};

/**
 * The share of the clustered documents past which one HDBSCAN topic is split into the topics below it
 * in the cluster tree (hdbscan's max_cluster_size, as a share), unless `cluster.maxClusterSize` says
 * otherwise. When the documents form one dense mass, excess of mass can select the trunk of the tree:
 * 17,646 of 20 Newsgroups' 18,846 documents in one topic with the static embedder (seed 43), a report
 * that says nothing. Fits whose topics all stay below the share are unchanged (BBC, AG News, 20
 * Newsgroups with USE-lite at seeds 42 and 43, and the notebooks: the same topics).
 */
export const DEFAULT_MAX_TOPIC_SHARE = 0.8;

/** The max_cluster_size HDBSCAN gets when `documents` are clustered (0: no limit). */
export function maxClusterSizeFor(cluster: TopicModelParameters["cluster"], documents: number): number {
  return cluster.maxClusterSize ?? Math.floor(DEFAULT_MAX_TOPIC_SHARE * documents);
}

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
  const { maxClusterSize } = resolved.cluster;
  if (maxClusterSize !== undefined && !(Number.isInteger(maxClusterSize) && maxClusterSize >= 0))
    throw new UserError(`max cluster size must be an integer ≥ 0 (0: no limit), got ${maxClusterSize}`);
  if (!OUTLIER_MODES.includes(resolved.outliers!))
    throw new UserError(`outliers must be ${OUTLIER_MODES.join(" or ")}, got '${resolved.outliers}'`);
  if (options.seedTopics) resolved.seedTopics = validateSeedTopics(options.seedTopics);
  if (options.zeroShotTopics) {
    resolved.zeroShotTopics = validateZeroShotTopics(options.zeroShotTopics);
    resolved.zeroShotMinSimilarity = options.zeroShotMinSimilarity ?? DEFAULT_ZERO_SHOT_MIN_SIMILARITY;
  }
  if (options.supervised) resolved.supervised = true;
  const rep = resolved.representation!;
  if (!(REPRESENTATION_MODELS as readonly string[]).includes(rep.model)) {
    throw new UserError(
      `representation must be one of ${REPRESENTATION_MODELS.join(", ")}, got '${rep.model}'`,
    );
  }
  if (!(rep.diversity >= 0 && rep.diversity <= 1))
    throw new UserError(`MMR diversity must be in [0, 1], got ${rep.diversity}`);
  return resolved;
}
