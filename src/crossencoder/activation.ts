/**
 * The activation a cross-encoder applies to its logits, chosen as sentence-transformers'
 * `CrossEncoder.get_default_activation_fn` chooses it: the config's `sentence_transformers.activation_fn`
 * (or the pre-v4 key `sbert_ce_default_activation_function`), else a sigmoid for one label and the
 * identity for more. sentence-transformers imports any `torch.*` class path; we run the element-wise
 * and row-wise activations that exist in torch.nn and refuse others by name.
 */
import { UserError } from "../util/errors.js";

export const ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "softmax", "log-softmax"] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** torch class names (last path component) → our activation. */
const TORCH_CLASSES: Record<string, Activation> = {
  Identity: "identity",
  Sigmoid: "sigmoid",
  Tanh: "tanh",
  ReLU: "relu",
  Softmax: "softmax",
  LogSoftmax: "log-softmax",
};

export interface ResolvedActivation {
  activation: Activation;
  /** Where it came from, for messages and `describe()`. */
  source: "config" | "default";
  /** Set when the config named a path sentence-transformers would not trust (it falls back too). */
  warning?: string;
}

/**
 * The activation for a model with `numLabels` outputs whose config.json is `config`.
 * `configPath` only names the file in messages.
 */
export function resolveActivation(
  config: Record<string, unknown>,
  numLabels: number,
  configPath: string,
): ResolvedActivation {
  const fallback: Activation = numLabels === 1 ? "sigmoid" : "identity";
  const st = config.sentence_transformers;
  let path: unknown;
  let field = "sentence_transformers.activation_fn";
  if (st !== null && typeof st === "object" && "activation_fn" in st) {
    path = (st as Record<string, unknown>).activation_fn;
  } else if (config.sbert_ce_default_activation_function != null) {
    path = config.sbert_ce_default_activation_function;
    field = "sbert_ce_default_activation_function";
  }
  if (path === undefined || path === null) return { activation: fallback, source: "default" };
  if (typeof path !== "string") {
    throw new UserError(`${configPath}: ${field} must be a class path string, got ${JSON.stringify(path)}`);
  }
  if (!path.startsWith("torch.")) {
    // sentence-transformers only imports non-torch paths with trust_remote_code and otherwise warns
    // and uses the default; we never run remote code
    return {
      activation: fallback,
      source: "default",
      warning: `${configPath}: ${field} '${path}' is custom code; using the default activation (${fallback}) as sentence-transformers does without trust_remote_code`,
    };
  }
  const name = path.slice(path.lastIndexOf(".") + 1);
  const activation = TORCH_CLASSES[name];
  if (activation === undefined) {
    throw new UserError(
      `${configPath}: ${field} '${path}' is not supported; supported torch activations: ${Object.keys(TORCH_CLASSES).join(", ")}`,
    );
  }
  return { activation, source: "config" };
}

/** Applies `activation` in place to a row-major n × cols block of logits. */
export function applyActivation(activation: Activation, data: Float32Array, cols: number): void {
  switch (activation) {
    case "identity":
      return;
    case "sigmoid":
      for (let i = 0; i < data.length; i++) data[i] = 1 / (1 + Math.exp(-data[i]));
      return;
    case "tanh":
      for (let i = 0; i < data.length; i++) data[i] = Math.tanh(data[i]);
      return;
    case "relu":
      for (let i = 0; i < data.length; i++) data[i] = Math.max(0, data[i]);
      return;
    case "softmax":
      // torch.nn.Softmax() without dim picks dim 1 for 2-D input: each row
      softmaxRows(data, cols);
      return;
    case "log-softmax":
      for (let offset = 0; offset < data.length; offset += cols) {
        let max = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < cols; j++) max = Math.max(max, data[offset + j]);
        let sum = 0;
        for (let j = 0; j < cols; j++) sum += Math.exp(data[offset + j] - max);
        const log = max + Math.log(sum);
        for (let j = 0; j < cols; j++) data[offset + j] -= log;
      }
      return;
  }
}

/** Softmax of each row of a row-major block, in place (max-shifted, so large logits do not overflow). */
export function softmaxRows(data: Float32Array, cols: number): void {
  for (let offset = 0; offset < data.length; offset += cols) {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) max = Math.max(max, data[offset + j]);
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(data[offset + j] - max);
      data[offset + j] = e;
      sum += e;
    }
    for (let j = 0; j < cols; j++) data[offset + j] /= sum;
  }
}
