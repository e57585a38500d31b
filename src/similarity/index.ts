/**
 * The SBERT jobs on stored vectors, with sentence-transformers' names, defaults and outputs:
 * paraphrase mining, community detection, semantic search, quantization (and quantized search with
 * rescoring), and the evaluators. Everything runs on `Matrix` rows; the CLI verbs (`pairs`,
 * `communities`, `search`, `evaluate-pairs`) embed texts first. See docs/similarity.md.
 */
export { COMMUNITY_DEFAULTS, type CommunityDetectionOptions, communityDetection } from "./communities.js";
export * from "./evaluation/index.js";
export {
  MINING_DEFAULTS,
  type ParaphraseMiningOptions,
  paraphraseMining,
  type ScoredPair,
} from "./mining.js";
export {
  binaryLabels,
  DEFAULT_PAIR_FIELDS,
  type PairFieldNames,
  type PairLabel,
  type PairRecord,
  type PairsFile,
  readPairsFile,
} from "./pairs-file.js";
export {
  calibrationRanges,
  PRECISIONS,
  type Precision,
  type QuantizedEmbeddings,
  type QuantizeOptions,
  quantizedBytes,
  quantizeEmbeddings,
} from "./quantize.js";
export {
  quantizationInfoPath,
  readQuantizedEmbeddings,
  writeQuantizedEmbeddings,
} from "./quantized-file.js";
export { type QuantizedSearchOptions, quantizedSearch } from "./quantized-search.js";
export { SEARCH_DEFAULTS, type SearchHit, type SemanticSearchOptions, semanticSearch } from "./search.js";
