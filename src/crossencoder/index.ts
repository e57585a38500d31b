/**
 * Cross-encoders: sentence-transformers CrossEncoder ONNX folders that score text pairs jointly
 * (`predict`) and re-rank documents for a query (`rank`).
 */
export {
  ACTIVATIONS,
  type Activation,
  applyActivation,
  resolveActivation,
  softmaxRows,
} from "./activation.js";
export {
  CROSS_ENCODER_BATCH_SIZE,
  CrossEncoder,
  type CrossEncoderOptions,
  type PredictOptions,
  type RankedDocument,
  type RankOptions,
  rerankHits,
  type TextPair,
} from "./cross-encoder.js";
export { CROSS_ENCODER_LAYOUT, inspectCrossEncoderFolder } from "./folder.js";
export { type EncodedPair, longestFirst } from "./pair-tokenizer.js";
