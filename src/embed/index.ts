/**
 * The embedding stage's public face: pick a backend by name (`createEmbedder`) and embed a corpus
 * through the on-disk cache (`embedDocuments`), so that a text is only ever run through a model once.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Matrix, ProgressCallback } from "../types.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/log.js";
import { defaultCacheDir, EmbeddingCache, textKey } from "./cache.js";
import { DEFAULT_MODEL, type EmbeddingSpec, type UseLiteEngine } from "./methods.js";
import type { PoolingMode } from "./pooling.js";
import { createPrecomputedEmbedder } from "./precomputed.js";
import { createSbertEmbedder, EXPECTED_LAYOUT } from "./sbert.js";
import { createTfidfEmbedder } from "./tfidf.js";
import type { Embedder } from "./types.js";
import { createUseLiteEmbedder } from "./use-lite.js";

export { cacheInfo, clearCache, defaultCacheDir } from "./cache.js";
export {
  DEFAULT_MODEL,
  type EmbeddingSpec,
  ONNX_DTYPES,
  type OnnxDtype,
  POOLING_MODES,
  USE_LITE_ENGINES,
  type UseLiteEngine,
} from "./methods.js";
export { loadPrecomputedEmbeddings } from "./precomputed.js";
export type { Embedder, EmbedOptions } from "./types.js";

export type Pooling = PoolingMode;

export interface EmbedderSpec {
  /** "use-lite" (default) | "tfidf" | "precomputed:<file.npy>" | a local sentence-transformers folder | a hub id. */
  model: string;
  /** Weights of an ONNX model: "fp32" (onnx/model.onnx) or "q8" (onnx/model_quantized.onnx). */
  dtype?: string;
  pooling?: Pooling;
  normalize?: boolean;
  maxTokens?: number;
  /** Output dimension of `tfidf` (LSA components). */
  dimension?: number;
  /** Where hub ids are looked up (`<cacheDir>/models/<org>/<name>`); default `defaultCacheDir()`. */
  cacheDir?: string;
  /** use-lite engine: "onnx" (default, onnxruntime on all cores) or "tfjs" (the package's TF.js graph). */
  engine?: UseLiteEngine;
  /** use-lite worker threads, one model each (default 0: one session using the idle cores, see src/onnx/runtime.ts). */
  workers?: number;
  logger?: Logger;
}

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

export async function createEmbedder(spec: EmbedderSpec): Promise<Embedder> {
  const model = spec.model.trim() || DEFAULT_MODEL;
  if (model === "use-lite")
    return createUseLiteEmbedder({ maxTokens: spec.maxTokens, engine: spec.engine, workers: spec.workers });
  if (model === "tfidf") return createTfidfEmbedder({ dimension: spec.dimension });
  if (model.startsWith("precomputed:") || model.endsWith(".npy")) {
    const path = model.startsWith("precomputed:") ? model.slice("precomputed:".length) : model;
    return createPrecomputedEmbedder(path, { normalize: spec.normalize });
  }
  const sbertOptions = {
    dtype: spec.dtype,
    pooling: spec.pooling,
    normalize: spec.normalize,
    maxTokens: spec.maxTokens,
  };
  if (existsSync(model)) return createSbertEmbedder(model, sbertOptions);
  if (HUB_ID.test(model)) {
    // a hub id: served from <cache>/models/<org>/<name> when the user put it there
    const local = join(spec.cacheDir ?? defaultCacheDir(), "models", model);
    if (existsSync(local)) return createSbertEmbedder(local, sbertOptions);
    throw new UserError(
      `model '${model}' is not on disk and topicscope does not download from the Hugging Face hub (no network access here): ` +
        `download its ONNX export elsewhere into a folder with ${EXPECTED_LAYOUT}, then pass --model <folder> ` +
        `(or place it at ${local}); or use --model use-lite, the bundled default`,
    );
  }
  throw new UserError(
    `unknown embedding model '${model}': expected use-lite (the bundled default), tfidf, precomputed:<file.npy>, ` +
      "a sentence-transformers ONNX folder, or a hub id (org/name)",
  );
}

export interface EmbedDocumentsOptions extends Partial<EmbeddingSpec> {
  normalize?: boolean;
  engine?: UseLiteEngine;
  workers?: number;
  /** false = no cache; a string = cache folder; true/undefined = `defaultCacheDir()`. */
  cache?: boolean | string;
  onProgress?: ProgressCallback;
  logger?: Logger;
}

export interface EmbedDocumentsResult {
  /** texts.length rows, input order; blank texts are zero rows. */
  matrix: Matrix;
  embedderId: string;
  /** Rows read from the cache. */
  cached: number;
  /** Rows computed by the model in this call (cached + computed = texts.length). */
  computed: number;
}

/** Texts per `embed` call (progress and memory granularity; each call's rows are saved at its end). */
export const CACHE_CHUNK_DOCUMENTS = 2048;
/**
 * Within a call, finished rows are saved at least this often (backends that report rows as batches
 * finish: use-lite, sentence-transformers folders), so a killed run loses at most a few seconds of
 * embedding, however slow the machine — 2,048 texts can take minutes under load.
 */
export const CACHE_FLUSH_SECONDS = 3;

/**
 * Embeds `texts` (exactly texts.length rows, input order), reading known vectors from the cache and
 * writing new ones to it in chunks as they are computed. Identical texts are embedded once.
 */
export async function embedDocuments(
  texts: readonly string[],
  options: EmbedDocumentsOptions = {},
): Promise<EmbedDocumentsResult> {
  const embedder = await createEmbedder({
    model: options.model ?? DEFAULT_MODEL,
    dtype: options.dtype,
    pooling: options.pooling,
    normalize: options.normalize,
    maxTokens: options.maxTokens,
    engine: options.engine,
    workers: options.workers,
    cacheDir: options.cacheDir ?? (typeof options.cache === "string" ? options.cache : undefined),
    logger: options.logger,
  });
  try {
    // the spec's cache folder holds the embedding cache too, unless the caller named another or none
    const cache =
      options.cache === undefined || options.cache === true ? (options.cacheDir ?? true) : options.cache;
    return await embedWithCache(embedder, texts, { ...options, cache });
  } finally {
    await embedder.dispose?.();
  }
}

/** `embedDocuments` for an embedder the caller already holds (and disposes). */
export async function embedWithCache(
  embedder: Embedder,
  texts: readonly string[],
  options: Pick<EmbedDocumentsOptions, "batchSize" | "cache" | "onProgress" | "logger"> & {
    chunkSize?: number;
    /** Save finished rows at least this often within a chunk (default CACHE_FLUSH_SECONDS). */
    flushSeconds?: number;
  } = {},
): Promise<EmbedDocumentsResult> {
  const dim = embedder.dimension;
  const n = texts.length;
  const useCache = options.cache !== false && embedder.cacheable !== false;
  if (!useCache) {
    const matrix = await embedder.embed(texts, {
      batchSize: options.batchSize,
      onProgress: options.onProgress,
    });
    checkShape(embedder, matrix, n);
    return { matrix, embedderId: embedder.id, cached: 0, computed: n };
  }
  const root = typeof options.cache === "string" ? options.cache : defaultCacheDir();
  let cache: EmbeddingCache | undefined;
  try {
    cache = EmbeddingCache.open(root, embedder.id, dim, options.logger);
  } catch (error) {
    // a cache we cannot use costs time, not results: embed without it
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    options.logger?.warn(`embedding cache ${root} is not usable (${code}); embedding without it`);
    return embedWithCache(embedder, texts, { ...options, cache: false });
  }

  // one slot per distinct text
  const keys = texts.map(textKey);
  const slotOf = new Map<string, number>();
  const slotText: string[] = [];
  const slots = new Int32Array(n);
  keys.forEach((key, i) => {
    let slot = slotOf.get(key);
    if (slot === undefined) {
      slot = slotText.length;
      slotOf.set(key, slot);
      slotText.push(texts[i]);
    }
    slots[i] = slot;
  });
  const slotKeys = [...slotOf.keys()];
  const slotRows = new Float32Array(slotText.length * dim);
  const found = cache.lookup(slotKeys, slotRows);

  const misses: number[] = [];
  for (let s = 0; s < slotText.length; s++) if (!found[s]) misses.push(s);
  // longest first across the whole corpus, so each chunk's batches are as uniform as they can be
  misses.sort((a, b) => slotText[b].length - slotText[a].length || a - b);
  const missing = new Uint8Array(slotText.length);
  for (const s of misses) missing[s] = 1;
  let computedRows = 0;
  for (let i = 0; i < n; i++) computedRows += missing[slots[i]];

  let doneSlots = 0;
  const report = (done: number) => {
    // progress counts documents: cached ones are done from the start
    options.onProgress?.(
      n - computedRows + Math.round((computedRows * done) / Math.max(1, misses.length)),
      n,
    );
  };
  report(0);
  const chunkSize = options.chunkSize ?? CACHE_CHUNK_DOCUMENTS;
  const flushMs = (options.flushSeconds ?? CACHE_FLUSH_SECONDS) * 1000;
  for (let start = 0; start < misses.length; start += chunkSize) {
    const chunk = misses.slice(start, start + chunkSize);
    // rows reported early (onRows) wait here and are saved every flushMs; the rest at the end
    const saved = new Uint8Array(chunk.length);
    let pending: number[] = [];
    let pendingRows: Float32Array[] = [];
    let lastFlush = performance.now();
    const flush = () => {
      if (pending.length === 0) return;
      const rows = new Float32Array(pending.length * dim);
      pendingRows.forEach((row, k) => {
        rows.set(row, k * dim);
      });
      cache?.append(
        pending.map((k) => slotKeys[chunk[k]]),
        rows,
      );
      for (const k of pending) saved[k] = 1;
      pending = [];
      pendingRows = [];
      lastFlush = performance.now();
    };
    const matrix = await embedder.embed(
      chunk.map((s) => slotText[s]),
      {
        batchSize: options.batchSize,
        onProgress: (done) => report(doneSlots + done),
        onRows: (indices, rows) => {
          indices.forEach((k, r) => {
            pending.push(k);
            pendingRows.push(rows.slice(r * dim, (r + 1) * dim));
          });
          if (performance.now() - lastFlush >= flushMs) flush();
        },
      },
    );
    checkShape(embedder, matrix, chunk.length);
    chunk.forEach((s, k) => {
      slotRows.set(matrix.data.subarray(k * dim, (k + 1) * dim), s * dim);
    });
    // what was not saved yet, from the call's own result (the authoritative rows)
    pending = [];
    pendingRows = [];
    for (let k = 0; k < chunk.length; k++) {
      if (saved[k]) continue;
      pending.push(k);
      pendingRows.push(matrix.data.subarray(k * dim, (k + 1) * dim));
    }
    flush();
    doneSlots += chunk.length;
    report(doneSlots);
  }

  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) data.set(slotRows.subarray(slots[i] * dim, (slots[i] + 1) * dim), i * dim);
  return {
    matrix: { data, rows: n, cols: dim },
    embedderId: embedder.id,
    cached: n - computedRows,
    computed: computedRows,
  };
}

function checkShape(embedder: Embedder, matrix: Matrix, rows: number): void {
  if (
    matrix.rows !== rows ||
    matrix.cols !== embedder.dimension ||
    matrix.data.length !== rows * embedder.dimension
  ) {
    throw new Error(
      `embedder ${embedder.id} returned ${matrix.rows} × ${matrix.cols} for ${rows} texts (expected ${rows} × ${embedder.dimension})`,
    );
  }
}
