/**
 * Training adapters on frozen embeddings with sentence-transformers' objectives (SoftmaxLoss,
 * MultipleNegativesRankingLoss, CoSENTLoss). The adapter format and its application live in
 * src/embed/adapter.ts, so every verb that embeds can use one.
 */
export { type DenseParameters, denseBackward, denseForward } from "./dense.js";
export {
  type Classifier,
  classifierLogits,
  cosentLoss,
  createClassifier,
  DEFAULT_SCALE,
  mnrlLoss,
  softmaxLoss,
} from "./losses.js";
export { AdamW } from "./optimizer.js";
export { DEFAULT_PAIR_FIELDS, type PairFields, type PairSet, readPairs, subsetPairs } from "./pairs.js";
export {
  DEFAULT_VALIDATION_SPLIT,
  type TrainFromFilesOptions,
  type TrainFromFilesResult,
  trainFromFiles,
} from "./train-pairs.js";
export {
  adaptVectors,
  classifierAccuracy,
  type EpochRecord,
  LOSSES,
  type LossName,
  preservationLoss,
  SELECT_BY,
  type SelectBy,
  TRAIN_DEFAULTS,
  type TrainingPairs,
  type TrainOptions,
  type TrainProgress,
  type TrainResult,
  trainAdapter,
} from "./trainer.js";
