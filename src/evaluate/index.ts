/** Evaluation: coherence, diversity and clustering scores of a topic model (see docs/evaluation.md). */
export {
  adjustedRandIndex,
  type ClusteringScores,
  clusteringScores,
  encodeLabels,
  normalizedMutualInfo,
  scoreTopicsAgainstLabels,
  type TopicLabelScores,
} from "./clustering.js";
export {
  type CoherenceOptions,
  type CoherenceResult,
  cvCoherence,
  cvFromCounts,
  NPMI_EPSILON,
  npmiCoherence,
  npmiFromCounts,
  pairNpmi,
} from "./coherence.js";
export { topicDiversity } from "./diversity.js";
export {
  type CoherenceMetrics,
  type EvaluationInput,
  type EvaluationOptions,
  evaluateTopicModel,
  type LabelMetrics,
  type ModelMetrics,
  type TopicCoherence,
} from "./evaluate-model.js";
export {
  createReferenceCorpusBuilder,
  documentCount,
  type ReferenceCorpus,
  referenceCorpusFromTexts,
  referenceCorpusFromTokens,
} from "./reference-corpus.js";
export { countSlidingWindows, type SlidingWindowCounts, type WindowCounting } from "./sliding-window.js";
export { formatBytes, formatMetricsTable } from "./table.js";
