/** The evaluators, with sentence-transformers' metric names (see docs/similarity.md). */
export { type BinaryClassificationOptions, evaluateBinaryClassification } from "./binary-classification.js";
export { type EmbeddingSimilarityOptions, evaluateEmbeddingSimilarity } from "./embedding-similarity.js";
export {
  evaluateInformationRetrieval,
  type InformationRetrievalOptions,
  IR_DEFAULTS,
  retrievalMetrics,
} from "./information-retrieval.js";
export { pairwiseSimilarity, SIMILARITY_FUNCTIONS, type SimilarityFunction } from "./pairwise.js";
export { evaluateParaphraseMining, type ParaphraseMiningEvaluatorOptions } from "./paraphrase-mining.js";
