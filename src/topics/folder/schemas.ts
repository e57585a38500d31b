/**
 * The schema of each JSON file of a model folder, checked by format.ts when the folder is loaded: a
 * hand-edited or damaged file fails in one line naming the file and the field, never later as an
 * internal error. Fields that folders of release 0.1 lack are optional; what is present must have
 * the type the code reads. Cross-file checks (a document's topic must exist) live in format.ts.
 */
import { CLUSTER_METRICS, CLUSTER_SELECTIONS, CLUSTERER_METHODS } from "../../cluster/methods.js";
import { ONNX_DTYPES, POOLING_MODES } from "../../embed/methods.js";
import {
  any,
  array,
  boolean,
  literal,
  nullable,
  number,
  object,
  oneOf,
  record,
  refine,
  type Schema,
  string,
} from "../../io/schema.js";
import { REDUCER_METHODS } from "../../reduce/methods.js";
import { REDUCER_METRICS } from "../../reduce/types.js";
import { REPRESENTATION_MODELS } from "../../represent/methods.js";

const integer = (min = Number.MIN_SAFE_INTEGER) => number({ integer: true, min });

const parameters = object({
  "seed?": integer(),
  "embedding?": object({
    "model?": string,
    "dtype?": oneOf(ONNX_DTYPES),
    "pooling?": oneOf(POOLING_MODES),
    "maxTokens?": integer(1),
    "cacheDir?": string,
    "batchSize?": integer(1),
  }),
  "reduce?": object({
    "method?": oneOf(REDUCER_METHODS),
    "nComponents?": integer(1),
    "nNeighbors?": integer(1),
    "minDist?": number({ min: 0 }),
    "metric?": oneOf(REDUCER_METRICS),
    "nEpochs?": integer(1),
  }),
  "cluster?": object({
    "method?": oneOf(CLUSTERER_METHODS),
    "minClusterSize?": integer(1),
    "minSamples?": nullable(integer(1)),
    "selection?": oneOf(CLUSTER_SELECTIONS),
    "epsilon?": number({ min: 0 }),
    "metric?": oneOf(CLUSTER_METRICS),
    "nClusters?": nullable(integer(1)),
    "eps?": nullable(number({ min: 0 })),
    "maxClusterSize?": integer(0),
  }),
  "represent?": object({
    "ngramRange?": array(integer(1), { length: 2 }),
    "minDf?": number({ min: 0 }),
    "topN?": integer(0),
    // a list name, a language code (--stop-words zh) or the words themselves (--stop-words <file>)
    "stopWords?": (v: unknown, p: string) => (typeof v === "string" ? undefined : array(string)(v, p)),
    "dropNumbers?": boolean,
    "bm25Weighting?": boolean,
    "reduceFrequentWords?": boolean,
  }),
  "representativeDocs?": integer(0),
  "representation?": object({
    model: oneOf(REPRESENTATION_MODELS),
    diversity: number({ min: 0, max: 1 }),
    "candidates?": integer(1),
  }),
  "seedTopics?": array(array(string)),
  "zeroShotTopics?": array(string),
  "zeroShotMinSimilarity?": number(),
  "supervised?": boolean,
  // fit --sample: the documents the pipeline was fitted on
  "sample?": integer(1),
});

/** model.json (format and version are checked first, with their own messages). */
export const MANIFEST_SCHEMA: Schema = object({
  format: string,
  formatVersion: number(),
  "version?": string,
  "createdAt?": string,
  "parameters?": parameters,
  "embedder?": object({ id: string, dimension: integer(0) }),
  "corpus?": object({ documents: integer(0), "emptyDocuments?": integer(0), "source?": string }),
  "timings?": array(object({ stage: string, seconds: number() })),
  "peakRssBytes?": number(),
});

const topic = object({
  id: integer(-1),
  size: integer(0),
  label: string,
  "customLabel?": string,
  "zeroShotName?": string,
  words: array(object({ word: string, score: number() })),
  representativeDocs: array(integer(0)),
});

/** topics.json: one entry per topic, ids unique. */
export const TOPICS_SCHEMA: Schema = refine(array(topic), (topics: { id: number }[]) => {
  const seen = new Set<number>();
  for (let i = 0; i < topics.length; i++) {
    if (seen.has(topics[i].id)) return `[${i}].id: topic ${topics[i].id} appears twice`;
    seen.add(topics[i].id);
  }
  return undefined;
});

/** One line of documents.jsonl. */
export const DOCUMENT_SCHEMA: Schema = object({
  id: string,
  text: string,
  topic: integer(-1),
  probability: number(),
  "label?": string,
  "timestamp?": string,
});

export const TOPIC_STATE_SCHEMA: Schema = object({
  format: string,
  version: number(),
  topicIds: array(integer(-1)),
  clusterTopic: array(array(integer(-2), { length: 2 })),
  history: array(
    object({
      operation: string,
      "parameters?": record(any),
      "at?": string,
      "topicsBefore?": integer(0),
      "topicsAfter?": integer(0),
    }),
  ),
});

/** A stage array file sits next to stages.json: a plain file name, never a path elsewhere. */
const arrayFile: Schema = (v, p) =>
  typeof v === "string" && /^[\w.-]+\.npy$/.test(v) && !v.startsWith(".")
    ? undefined
    : `${p}: expected a .npy file name in the model folder, got ${JSON.stringify(v)}`;

const stage = object({ method: string, options: record(any), "arrays?": record(arrayFile) });

export const STAGES_SCHEMA: Schema = object({
  format: string,
  version: number(),
  reducer: stage,
  clusterer: stage,
});

/** What the CSR shapes of a representation must agree on (its arrays inline or read from files). */
export function representationShapeProblem(json: {
  topicIds: number[];
  vectorizer: { vocabulary: string[] };
  ctfidf: { idf: ArrayLike<number> };
  matrix: { indptr: ArrayLike<number>; indices: ArrayLike<number>; data: ArrayLike<number> };
}): string | undefined {
  const { indptr, indices, data } = json.matrix;
  const vocabulary = json.vectorizer.vocabulary.length;
  if (indptr.length !== json.topicIds.length + 1)
    return `matrix.indptr: expected ${json.topicIds.length + 1} entries (topics + 1), got ${indptr.length}`;
  if (indptr[0] !== 0) return `matrix.indptr[0]: expected 0, got ${indptr[0]}`;
  for (let i = 1; i < indptr.length; i++)
    if (indptr[i] < indptr[i - 1]) return `matrix.indptr[${i}]: decreases`;
  if (indptr[indptr.length - 1] !== indices.length || indices.length !== data.length)
    return `matrix: indptr ends at ${indptr[indptr.length - 1]} but there are ${indices.length} indices and ${data.length} values`;
  for (let k = 0; k < indices.length; k++) {
    if (indices[k] < 0 || indices[k] >= vocabulary)
      return `matrix.indices[${k}]: ${indices[k]} is outside the vocabulary (${vocabulary} terms)`;
  }
  if (json.ctfidf.idf.length !== vocabulary)
    return `ctfidf.idf: expected ${vocabulary} values (one per vocabulary term), got ${json.ctfidf.idf.length}`;
  return undefined;
}

/** The fields of representation.json whichever way its arrays are stored. */
const representationFields = {
  format: literal("topicscope-ctfidf"),
  version: literal(1),
  topN: integer(0),
  topicIds: array(integer(-1)),
  vectorizer: object({ options: record(any), vocabulary: array(string) }),
};

/**
 * representation.json of the current c-TF-IDF format with its arrays inline, as folders written
 * before 2026-11-30 have it (older formats are refitted, build.ts): the CSR rows must agree with the
 * topics and the vocabulary they index.
 */
export const REPRESENTATION_SCHEMA: Schema = refine(
  object({
    ...representationFields,
    ctfidf: object({ options: record(any), idf: array(number()), averageWords: number() }),
    matrix: object({ indptr: array(integer(0)), indices: array(integer(0)), data: array(number()) }),
  }),
  representationShapeProblem,
);

/**
 * representation.json as a model folder writes it since 2026-11-30: the same object with its four
 * numeric arrays in .npy files beside it (`arrays`: idf, indptr, indices, data → file name); the
 * shapes are checked once the arrays are read (format.ts).
 */
export const REPRESENTATION_FILES_SCHEMA: Schema = object({
  ...representationFields,
  ctfidf: object({ options: record(any), averageWords: number() }),
  arrays: object({ idf: arrayFile, indptr: arrayFile, indices: arrayFile, data: arrayFile }),
});

const words = array(object({ word: string, score: number() }));

/** The saved views the report draws (written by the hierarchy / over-time / per-class verbs). */
export const VIEW_SCHEMAS: Record<"hierarchy" | "overTime" | "perClass", Schema> = {
  hierarchy: object({
    leaves: array(object({ topic: integer(-1), label: string })),
    merges: array(array(number(), { length: 4 })),
  }),
  overTime: object({
    entries: array(
      object({ topic: integer(-1), bin: integer(0), timestamp: string, frequency: number(), words }),
    ),
  }),
  perClass: object({
    entries: array(object({ topic: integer(-1), className: string, frequency: number(), words })),
  }),
};

const countTable = object({ terms: array(string), classes: array(integer(-1)) });

/** term-counts.json (topics/lifecycle/term-counts.ts): the arrays' shapes are checked when they are used. */
export const TERM_COUNTS_SCHEMA: Schema = object({
  format: string,
  version: number(),
  method: string,
  options: object({ key: string, words: countTable, junk: countTable }),
  arrays: record(string),
});
