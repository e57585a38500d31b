/**
 * An adapter: a small learned map applied to a frozen embedder's vectors (sentence-transformers' Dense
 * module, y = act(W·x + b), followed by L2 normalisation). `topicscope train` learns one; here live its
 * folder format and its application, so that any verb that embeds can take `--adapter <dir>` through
 * `createEmbedder`. The wrapped embedder's id carries the adapter's content hash, so the embedding
 * cache never serves vectors of another adapter (or of none).
 *
 * Folder: `adapter.json` (format, version, base model id, dimensions, activation, content hash,
 * training record), `weight.npy` (out × in, float32 — torch.nn.Linear's layout), `bias.npy` (1 × out).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFolderAtomic } from "../io/atomic.js";
import { encodeNpy, readMatrixNpy } from "../io/npy.js";
import type { Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import type { Embedder } from "./types.js";

export const ADAPTER_FORMAT = "topicscope-adapter";
export const ADAPTER_FORMAT_VERSION = 1;
export const ADAPTER_ACTIVATIONS = ["identity", "tanh"] as const;
export type AdapterActivation = (typeof ADAPTER_ACTIVATIONS)[number];

export interface Adapter {
  /** Id of the embedder whose vectors it was trained on (`Embedder.id`). */
  baseModel: string;
  inputDimension: number;
  outputDimension: number;
  activation: AdapterActivation;
  /** outputDimension × inputDimension, row-major (y = W·x + b). */
  weight: Float32Array;
  bias: Float32Array;
  /** Whatever the trainer wants to keep (loss, data, metrics); not part of the content hash. */
  training?: Record<string, unknown>;
}

interface AdapterManifest {
  format: string;
  formatVersion: number;
  baseModel: string;
  inputDimension: number;
  outputDimension: number;
  activation: AdapterActivation;
  contentHash: string;
  training?: Record<string, unknown>;
}

/** Hash of what changes the vectors: activation, weights, bias (12 hex digits). */
export function adapterHash(adapter: Adapter): string {
  const hash = createHash("sha256");
  hash.update(`${adapter.activation};${adapter.inputDimension};${adapter.outputDimension};`);
  hash.update(new Uint8Array(adapter.weight.buffer, adapter.weight.byteOffset, adapter.weight.byteLength));
  hash.update(new Uint8Array(adapter.bias.buffer, adapter.bias.byteOffset, adapter.bias.byteLength));
  return hash.digest("hex").slice(0, 12);
}

/** The identity adapter of dimension d (what training starts from). */
export function identityAdapter(baseModel: string, dimension: number): Adapter {
  const weight = new Float32Array(dimension * dimension);
  for (let i = 0; i < dimension; i++) weight[i * dimension + i] = 1;
  return {
    baseModel,
    inputDimension: dimension,
    outputDimension: dimension,
    activation: "identity",
    weight,
    bias: new Float32Array(dimension),
  };
}

/**
 * Why `--force` may not replace `dir` with an adapter (undefined: it may): only an adapter folder
 * (adapter.json of ours) or an empty folder is replaced, never a folder of other files.
 */
export function replaceableAdapterFolder(dir: string): string | undefined {
  try {
    if (readdirSync(dir).length === 0) return undefined;
    const manifest = JSON.parse(readFileSync(join(dir, "adapter.json"), "utf8")) as { format?: unknown };
    if (manifest?.format === ADAPTER_FORMAT) return undefined;
  } catch {
    // no readable adapter.json: not ours
  }
  return "it is not an adapter folder written by topicscope train (no adapter.json), and replacing it would delete its files";
}

/**
 * Writes the adapter folder atomically (an existing folder is replaced only with `force`, and only
 * when it is an adapter folder or empty).
 */
export async function saveAdapter(
  dir: string,
  adapter: Adapter,
  options: { force?: boolean } = {},
): Promise<void> {
  const manifest: AdapterManifest = {
    format: ADAPTER_FORMAT,
    formatVersion: ADAPTER_FORMAT_VERSION,
    baseModel: adapter.baseModel,
    inputDimension: adapter.inputDimension,
    outputDimension: adapter.outputDimension,
    activation: adapter.activation,
    contentHash: adapterHash(adapter),
    ...(adapter.training ? { training: adapter.training } : {}),
  };
  const { writeFileSync } = await import("node:fs");
  await writeFolderAtomic(
    dir,
    (tmp) => {
      writeFileSync(join(tmp, "adapter.json"), `${JSON.stringify(manifest, null, 2)}\n`);
      writeFileSync(
        join(tmp, "weight.npy"),
        encodeNpy(adapter.weight, [adapter.outputDimension, adapter.inputDimension]),
      );
      writeFileSync(join(tmp, "bias.npy"), encodeNpy(adapter.bias, [1, adapter.outputDimension]));
    },
    { ...options, replaceable: replaceableAdapterFolder },
  );
}

/** Reads an adapter folder, checking every file, shape and the content hash. */
export function loadAdapter(dir: string): Adapter {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`adapter folder ${dir} does not exist; make one with topicscope train … -o ${dir}`);
  }
  const missing = ["adapter.json", "weight.npy", "bias.npy"].filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new UserError(
      `adapter folder ${dir} is missing ${missing.join(", ")}; it is not a topicscope adapter`,
    );
  }
  const manifestPath = join(dir, "adapter.json");
  let manifest: AdapterManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as AdapterManifest;
  } catch (error) {
    throw new UserError(
      `cannot read ${manifestPath}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (manifest.format !== ADAPTER_FORMAT) {
    throw new UserError(`${manifestPath}: format is '${manifest.format}', expected '${ADAPTER_FORMAT}'`);
  }
  if (manifest.formatVersion !== ADAPTER_FORMAT_VERSION) {
    throw new UserError(
      `${manifestPath}: adapter format version ${manifest.formatVersion} is not supported (this topicscope reads version ${ADAPTER_FORMAT_VERSION})`,
    );
  }
  if (!(ADAPTER_ACTIVATIONS as readonly string[]).includes(manifest.activation)) {
    throw new UserError(
      `${manifestPath}: activation '${manifest.activation}' is not one of ${ADAPTER_ACTIVATIONS.join(", ")}`,
    );
  }
  const weight = readMatrixNpy(join(dir, "weight.npy"));
  const bias = readMatrixNpy(join(dir, "bias.npy"));
  const { inputDimension: d, outputDimension: o } = manifest;
  if (weight.rows !== o || weight.cols !== d || bias.rows !== 1 || bias.cols !== o) {
    throw new UserError(
      `adapter ${dir}: weight.npy is ${weight.rows} × ${weight.cols} and bias.npy ${bias.rows} × ${bias.cols}, adapter.json says ${o} × ${d} and 1 × ${o}`,
    );
  }
  const adapter: Adapter = {
    baseModel: manifest.baseModel,
    inputDimension: d,
    outputDimension: o,
    activation: manifest.activation,
    weight: weight.data,
    bias: bias.data,
    training: manifest.training,
  };
  const hash = adapterHash(adapter);
  if (hash !== manifest.contentHash) {
    throw new UserError(
      `adapter ${dir}: weights do not match adapter.json's content hash (${hash} vs ${manifest.contentHash}); the folder was changed or damaged`,
    );
  }
  return adapter;
}

/**
 * y = normalise(act(W·x + b)) for every row; zero rows (blank documents) stay zero, as the embedding
 * contract wants.
 */
export function applyAdapter(adapter: Adapter, input: Matrix): Matrix {
  const { inputDimension: d, outputDimension: o, weight, bias } = adapter;
  if (input.cols !== d) {
    throw new Error(`adapter expects ${d}-d vectors, got ${input.cols}-d`);
  }
  const out = new Float32Array(input.rows * o);
  for (let r = 0; r < input.rows; r++) {
    const x = input.data.subarray(r * d, (r + 1) * d);
    let zero = true;
    for (let k = 0; k < d; k++) {
      if (x[k] !== 0) {
        zero = false;
        break;
      }
    }
    if (zero) continue;
    const y = out.subarray(r * o, (r + 1) * o);
    let norm = 0;
    for (let i = 0; i < o; i++) {
      const w = weight.subarray(i * d, (i + 1) * d);
      let sum = bias[i];
      for (let k = 0; k < d; k++) sum += w[k] * x[k];
      const value = adapter.activation === "tanh" ? Math.tanh(sum) : sum;
      y[i] = value;
      norm += value * value;
    }
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let i = 0; i < o; i++) y[i] *= scale;
    }
  }
  return { data: out, rows: input.rows, cols: o };
}

/** The id an embedder gets once this adapter is applied to it. */
export function adaptedEmbedderId(baseId: string, adapter: Adapter): string {
  return `${baseId}+adapter@${adapterHash(adapter)}`;
}

/**
 * `embedder` with `adapter` applied to its output. The adapter must have been trained on this
 * embedder's vectors: same dimension and same base model id (else one line saying both).
 */
export interface AdaptedEmbedder extends Embedder {
  readonly base: Embedder;
  readonly adapter: Adapter;
}

export function isAdaptedEmbedder(embedder: Embedder): embedder is AdaptedEmbedder {
  return "base" in embedder && "adapter" in embedder;
}

export function withAdapter(embedder: Embedder, adapter: Adapter, source = "adapter"): AdaptedEmbedder {
  if (adapter.inputDimension !== embedder.dimension || adapter.baseModel !== embedder.id) {
    throw new UserError(
      `${source} was trained on ${adapter.baseModel} (${adapter.inputDimension}-d vectors) but the embedding model is ${embedder.id} (${embedder.dimension}-d); use the adapter with --model matching its base model`,
    );
  }
  return {
    base: embedder,
    adapter,
    id: adaptedEmbedderId(embedder.id, adapter),
    dimension: adapter.outputDimension,
    maxTokens: embedder.maxTokens,
    cacheable: embedder.cacheable,
    embed: async (texts, options) => applyAdapter(adapter, await embedder.embed(texts, options)),
    dispose: embedder.dispose ? () => embedder.dispose!() : undefined,
  };
}
