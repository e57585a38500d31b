/**
 * Pooled-BERT backend: any sentence-transformers model exported to ONNX, from a local folder.
 *
 * The tokenizer comes from the folder through transformers.js (`AutoTokenizer`, so WordPiece,
 * SentencePiece and BPE models all work); the graph runs on onnxruntime-node directly, and pooling
 * and normalisation happen here in typed arrays. Running the session ourselves (rather than a
 * transformers.js pipeline) lets us pad each length-sorted batch only to its own longest text, give
 * the graph exactly the inputs it declares, and truncate as sentence-transformers does: the text is
 * cut to `max_seq_length - specials` tokens and the special tokens ([CLS] … [SEP]) are kept —
 * transformers.js' own truncation cuts after adding them and loses the final [SEP].
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { checkOnnxFolder, readJsonObject as readJson } from "../onnx/folder.js";
import { createSession } from "../onnx/runtime.js";
import type { Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import { isBlank } from "../util/text.js";
import { lengthSortedBatches, normalizeRows } from "./batching.js";
import type { OnnxDtype } from "./methods.js";
import { type PoolingMode, poolTokens } from "./pooling.js";
import type { Embedder, EmbedOptions } from "./types.js";

export const SBERT_DEFAULT_BATCH_SIZE = 32;
/** sentence-transformers' max_seq_length for MiniLM-style models when the folder does not say. */
export const SBERT_DEFAULT_MAX_TOKENS = 256;

export const EXPECTED_LAYOUT =
  "config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx (or onnx/model_quantized.onnx for --dtype q8), optional modules.json + 1_Pooling/config.json and sentence_bert_config.json";

export interface SbertOptions {
  dtype?: string;
  pooling?: PoolingMode;
  normalize?: boolean;
  maxTokens?: number;
  /** onnxruntime intra-op threads; default: `defaultThreads()` (src/onnx/runtime.ts). */
  threads?: number;
}

interface TokenizerLike {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  unk_token_id?: number | null;
}

interface OrtTensor {
  data: unknown;
  dims: readonly number[];
}

/** The folder's files as sentence-transformers reads them. */
export interface SbertFolder {
  folder: string;
  onnxFile: string;
  dtype: OnnxDtype;
  pooling: PoolingMode;
  maxTokens: number;
}

/** Pooling mode from modules.json → <Pooling module>/config.json, else 1_Pooling/config.json, else undefined. */
export function readPoolingConfig(folder: string): PoolingMode | undefined {
  let poolingDir = join(folder, "1_Pooling");
  const modulesPath = join(folder, "modules.json");
  if (existsSync(modulesPath)) {
    const modules = JSON.parse(readFileSync(modulesPath, "utf8")) as Array<{ path?: string; type?: string }>;
    const pooling = modules.find((m) => m.type?.endsWith(".Pooling"));
    if (pooling?.path !== undefined) poolingDir = join(folder, pooling.path);
  }
  const configPath = join(poolingDir, "config.json");
  if (!existsSync(configPath)) return undefined;
  const config = readJson(configPath);
  if (config.pooling_mode_cls_token === true) return "cls";
  if (config.pooling_mode_max_tokens === true) return "max";
  if (config.pooling_mode_mean_tokens === true) return "mean";
  if (typeof config.pooling_mode === "string" && ["mean", "cls", "max"].includes(config.pooling_mode)) {
    return config.pooling_mode as PoolingMode;
  }
  return undefined;
}

/** Checks the folder layout and settles dtype, pooling and token budget (naming every missing file). */
export function inspectSbertFolder(folder: string, options: SbertOptions = {}): SbertFolder {
  const { dir, dtype, onnxFile } = checkOnnxFolder(folder, options.dtype, {
    what: "model folder",
    layout: EXPECTED_LAYOUT,
    hint: " (or use --model use-lite)",
  });
  const pooling = options.pooling ?? readPoolingConfig(dir) ?? "mean";
  let maxTokens = options.maxTokens;
  if (maxTokens === undefined) {
    const sbertConfig = join(dir, "sentence_bert_config.json");
    const fromSbert = existsSync(sbertConfig) ? readJson(sbertConfig).max_seq_length : undefined;
    const positions = readJson(join(dir, "config.json")).max_position_embeddings;
    maxTokens = typeof fromSbert === "number" ? fromSbert : SBERT_DEFAULT_MAX_TOKENS;
    if (typeof positions === "number") maxTokens = Math.min(maxTokens, positions);
  }
  if (!Number.isInteger(maxTokens) || maxTokens < 3) {
    throw new UserError(`max tokens must be an integer ≥ 3, got ${maxTokens}`);
  }
  return { folder: dir, onnxFile, dtype, pooling, maxTokens };
}

function fileHash(paths: string[]): string {
  const hash = createHash("sha256");
  for (const path of paths) hash.update(readFileSync(path));
  return hash.digest("hex").slice(0, 12);
}

/** Special tokens around a single sequence ([CLS] … [SEP] for BERT), found by encoding a probe text. */
function specialTokens(tokenizer: TokenizerLike): { prefix: number[]; suffix: number[] } {
  const probe = "hello world";
  const withSpecials = tokenizer.encode(probe);
  const bare = tokenizer.encode(probe, { add_special_tokens: false });
  for (let start = 0; start + bare.length <= withSpecials.length; start++) {
    if (bare.every((id, k) => withSpecials[start + k] === id)) {
      return { prefix: withSpecials.slice(0, start), suffix: withSpecials.slice(start + bare.length) };
    }
  }
  return { prefix: [], suffix: [] };
}

/** An ONNX sentence encoder; `tokenize` shows the ids (with special tokens, truncated) the model sees. */
export interface SbertEmbedder extends Embedder {
  readonly pooling: PoolingMode;
  readonly dtype: OnnxDtype;
  readonly normalize: boolean;
  tokenize(text: string): number[];
}

export async function createSbertEmbedder(
  folder: string,
  options: SbertOptions = {},
): Promise<SbertEmbedder> {
  const info = inspectSbertFolder(folder, options);
  const normalize = options.normalize ?? true;
  const transformers = await import("@huggingface/transformers");
  // nothing may reach for the network by accident: the folder is the whole model. An absolute path
  // is not a hub id to transformers.js, so it reads the files from there (any folder name works).
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  let tokenizer: TokenizerLike;
  try {
    tokenizer = (await transformers.AutoTokenizer.from_pretrained(info.folder, {
      local_files_only: true,
    })) as unknown as TokenizerLike;
  } catch (error) {
    throw new UserError(
      `cannot load the tokenizer of ${folder}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const { ort, session } = await createSession(info.onnxFile, { threads: options.threads });
  const outputName = session.outputNames.includes("last_hidden_state")
    ? "last_hidden_state"
    : session.outputNames.includes("token_embeddings")
      ? "token_embeddings"
      : session.outputNames[0];
  const { prefix, suffix } = specialTokens(tokenizer);
  const budget = info.maxTokens - prefix.length - suffix.length;
  const config = readJson(join(info.folder, "config.json"));
  const dimension = config.hidden_size;
  if (typeof dimension !== "number" || !Number.isInteger(dimension) || dimension < 1) {
    throw new UserError(
      `${join(info.folder, "config.json")} has no integer hidden_size; it is needed for the vector size`,
    );
  }
  const id = `onnx:${basename(info.folder)}@${fileHash([info.onnxFile, join(info.folder, "tokenizer.json")])};${info.dtype};pooling=${info.pooling};max_tokens=${info.maxTokens}${normalize ? ";normalize" : ""}`;

  // the content tokens of a prefix long enough for `limit` tokens (cut at whitespace, grown when it was
  // not enough), so that a 1 MB text costs as much as a short one
  const contentTokens = (text: string, limit: number): number[] => {
    let chars = Math.max(256, limit * 8);
    for (;;) {
      let piece = text;
      if (text.length > chars) {
        const space = text.lastIndexOf(" ", chars);
        piece = text.slice(0, space > chars / 2 ? space : chars);
      }
      const ids = tokenizer.encode(piece, { add_special_tokens: false });
      if (ids.length >= limit || piece.length === text.length) return ids.slice(0, limit);
      chars *= 4;
    }
  };
  const tokenize = (text: string): number[] => [...prefix, ...contentTokens(text, budget), ...suffix];
  const unknownId = typeof tokenizer.unk_token_id === "number" ? tokenizer.unk_token_id : undefined;
  const read = (text: string) => {
    const ids = contentTokens(text, budget + 1);
    let unknown = 0;
    if (unknownId !== undefined)
      for (let t = 0; t < Math.min(ids.length, budget); t++) if (ids[t] === unknownId) unknown++;
    return {
      tokens: ids.length,
      unknownShare: ids.length === 0 ? 0 : unknown / Math.min(ids.length, budget),
    };
  };

  const run = async (
    sequences: number[][],
  ): Promise<{ hidden: Float32Array; sequence: number; dim: number }> => {
    const batch = sequences.length;
    const sequence = Math.max(...sequences.map((s) => s.length));
    const ids = new BigInt64Array(batch * sequence);
    const mask = new BigInt64Array(batch * sequence);
    sequences.forEach((s, b) => {
      for (let t = 0; t < s.length; t++) {
        ids[b * sequence + t] = BigInt(s[t]);
        mask[b * sequence + t] = 1n;
      }
    });
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
    for (const name of session.inputNames) {
      if (name === "input_ids") feeds[name] = new ort.Tensor("int64", ids, [batch, sequence]);
      else if (name === "attention_mask") feeds[name] = new ort.Tensor("int64", mask, [batch, sequence]);
      else if (name === "token_type_ids") {
        feeds[name] = new ort.Tensor("int64", new BigInt64Array(batch * sequence), [batch, sequence]);
      } else throw new UserError(`${info.onnxFile}: unexpected model input '${name}'`);
    }
    const results = await session.run(feeds, [outputName]);
    const output = results[outputName] as OrtTensor;
    if (output.dims.length !== 3 || output.dims[0] !== batch || output.dims[1] !== sequence) {
      throw new Error(
        `${info.onnxFile}: output ${outputName} has shape [${output.dims.join(", ")}], expected [${batch}, ${sequence}, d]`,
      );
    }
    return { hidden: output.data as Float32Array, sequence, dim: output.dims[2] };
  };

  return {
    id,
    dimension,
    maxTokens: info.maxTokens,
    tokenBudget: budget,
    read,
    pooling: info.pooling,
    dtype: info.dtype,
    normalize,
    tokenize,
    embed: (texts, embedOptions) =>
      embedWithSession(texts, tokenize, run, info.pooling, normalize, dimension, embedOptions),
    dispose: async () => {
      await session.release();
    },
  };
}

async function embedWithSession(
  texts: readonly string[],
  tokenize: (text: string) => number[],
  run: (sequences: number[][]) => Promise<{ hidden: Float32Array; sequence: number; dim: number }>,
  pooling: PoolingMode,
  normalize: boolean,
  dimension: number,
  options: EmbedOptions = {},
): Promise<Matrix> {
  const sequences = texts.map((text) => (isBlank(text) ? [] : tokenize(text)));
  const out = new Float32Array(texts.length * dimension);
  const batches = lengthSortedBatches(
    sequences.map((s) => s.length),
    options.batchSize ?? SBERT_DEFAULT_BATCH_SIZE,
  );
  let done = texts.length - batches.reduce((sum, b) => sum + b.indices.length, 0);
  options.onProgress?.(done, texts.length);
  // one batch at a time: onnxruntime already spreads each run over all cores
  for (const batch of batches) {
    const batchSequences = Array.from(batch.indices, (i) => sequences[i]);
    const { hidden, sequence, dim } = await run(batchSequences);
    if (dim !== dimension)
      throw new Error(`model returned ${dim}-d token vectors, config.json says ${dimension}`);
    const lengths = Int32Array.from(batchSequences, (s) => s.length);
    const pooled = poolTokens(hidden, lengths, sequence, dim, pooling);
    if (normalize) normalizeRows(pooled, dim);
    batch.indices.forEach((i, k) => {
      out.set(pooled.subarray(k * dim, (k + 1) * dim), i * dim);
    });
    options.onRows?.(batch.indices, pooled);
    done += batch.indices.length;
    options.onProgress?.(done, texts.length);
  }
  return { data: out, rows: texts.length, cols: dimension };
}
