/**
 * A sentence-transformers CrossEncoder exported to ONNX, as a folder: what must be there and what
 * config.json says (number of labels, activation, token budget), checked before anything is loaded so
 * that a missing file is reported by name.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { checkOnnxFolder, type OnnxFolderDtype, readJsonObject as readJson } from "../onnx/folder.js";
import { UserError } from "../util/errors.js";
import { type ResolvedActivation, resolveActivation } from "./activation.js";

export type CrossEncoderDtype = OnnxFolderDtype;

export const CROSS_ENCODER_LAYOUT =
  "config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (or onnx/model_quantized.onnx for --dtype q8) with output 'logits' [batch, num_labels]";

export interface CrossEncoderFolder {
  folder: string;
  onnxFile: string;
  dtype: CrossEncoderDtype;
  /** Outputs per pair (config.json `id2label` / `num_labels`; checked against the graph at run time). */
  numLabels: number;
  /** Label names by output index (config.json `id2label`), when the config has them. */
  labels: string[];
  activation: ResolvedActivation;
  /** Tokens per pair, special tokens included. */
  maxLength: number;
  /** config.json as read. */
  config: Record<string, unknown>;
}

export interface CrossEncoderFolderOptions {
  dtype?: string;
  /** Override the token budget (sentence-transformers' `max_length`). */
  maxLength?: number;
}

/** Checks the layout (naming every missing file) and reads what the config settles. */
export function inspectCrossEncoderFolder(
  folder: string,
  options: CrossEncoderFolderOptions = {},
): CrossEncoderFolder {
  const { dir, dtype, onnxFile } = checkOnnxFolder(folder, options.dtype, {
    what: "cross-encoder folder",
    layout: CROSS_ENCODER_LAYOUT,
  });
  const configPath = join(dir, "config.json");
  const config = readJson(configPath);
  const id2label = config.id2label;
  let labels: string[] = [];
  if (id2label !== null && typeof id2label === "object") {
    const entries = Object.entries(id2label as Record<string, unknown>);
    labels = entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, name]) => String(name));
  }
  const numLabels = typeof config.num_labels === "number" ? config.num_labels : labels.length || 1;
  if (!Number.isInteger(numLabels) || numLabels < 1) {
    throw new UserError(`${configPath}: num_labels must be a positive integer, got ${numLabels}`);
  }
  const activation = resolveActivation(config, numLabels, configPath);
  const maxLength = options.maxLength ?? settleMaxLength(dir, config);
  if (!Number.isInteger(maxLength) || maxLength < 4) {
    throw new UserError(`cross-encoder max length must be an integer ≥ 4, got ${maxLength}`);
  }
  return {
    folder: dir,
    onnxFile,
    dtype,
    numLabels,
    labels,
    activation,
    maxLength,
    config,
  };
}

/**
 * sentence-transformers' rule: `sentence_bert_config.json` max_seq_length when saved with one, else the
 * tokenizer's model_max_length capped by the model's max_position_embeddings.
 */
function settleMaxLength(dir: string, config: Record<string, unknown>): number {
  const sbertConfig = join(dir, "sentence_bert_config.json");
  if (existsSync(sbertConfig)) {
    const fromSbert = readJson(sbertConfig).max_seq_length;
    if (typeof fromSbert === "number") return fromSbert;
  }
  const tokenizerConfig = readJson(join(dir, "tokenizer_config.json"));
  const fromTokenizer = tokenizerConfig.model_max_length;
  const positions = config.max_position_embeddings;
  let length =
    typeof fromTokenizer === "number" && fromTokenizer < 1e6 ? fromTokenizer : Number.POSITIVE_INFINITY;
  if (typeof positions === "number" && positions > 0) length = Math.min(length, positions);
  return Number.isFinite(length) ? length : 512;
}
