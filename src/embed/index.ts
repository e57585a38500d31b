/**
 * The embedding stage's public face: pick a backend by name (`createEmbedder`) and embed a corpus
 * through the on-disk cache (`embedDocuments`), so that a text is only ever run through a model once.
 */
import { existsSync } from "node:fs";
import type { Matrix, ProgressCallback } from "../types.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/log.js";
import type { Progress } from "../util/progress.js";
import { applyAdapter, isAdaptedEmbedder, loadAdapter, withAdapter } from "./adapter.js";
import { defaultCacheDir, EmbeddingCache, textKey } from "./cache.js";
import { type CorpusCheckOptions, checkCorpus } from "./coverage.js";
import { ensureHubModel } from "./hub.js";
import { withLongDocuments } from "./long-documents.js";
import {
  DEFAULT_LONG_DOCUMENTS,
  DEFAULT_MODEL,
  type EmbeddingSpec,
  type LongDocumentMode,
  type UseLiteEngine,
} from "./methods.js";
import type { PoolingMode } from "./pooling.js";
import { createPrecomputedEmbedder } from "./precomputed.js";
import { ReadingStore } from "./readings.js";
import { createSbertEmbedder } from "./sbert.js";
import { createTfidfEmbedder } from "./tfidf.js";
import type { Embedder, EmbedderState, EmbedOptions } from "./types.js";
import { createUseLiteEmbedder } from "./use-lite.js";
import { createUseLiteStaticEmbedder } from "./use-lite-static.js";

export {
  type Adapter,
  type AdapterActivation,
  adapterHash,
  applyAdapter,
  identityAdapter,
  loadAdapter,
  saveAdapter,
  withAdapter,
} from "./adapter.js";
export { cacheInfo, clearCache, defaultCacheDir } from "./cache.js";
export {
  type CorpusCheckOptions,
  type CorpusReading,
  checkCorpus,
  MULTILINGUAL_MODEL,
  readCorpusWith,
  UNREADABLE_SHARE,
} from "./coverage.js";
export {
  type CachedHubModel,
  ensureHubModel,
  hubEndpoint,
  hubModelFolder,
  isOfflineEnv,
  listHubModels,
} from "./hub.js";
export { chunkText, poolWindows, withLongDocuments } from "./long-documents.js";
export {
  DEFAULT_LONG_DOCUMENTS,
  DEFAULT_MODEL,
  type EmbeddingSpec,
  LONG_DOCUMENT_MODES,
  type LongDocumentMode,
  ONNX_DTYPES,
  type OnnxDtype,
  POOLING_MODES,
  USE_LITE_ENGINES,
  type UseLiteEngine,
} from "./methods.js";
export { loadPrecomputedEmbeddings } from "./precomputed.js";
export type { Embedder, EmbedderState, EmbedOptions, TextReading } from "./types.js";

export type Pooling = PoolingMode;

export interface EmbedderSpec {
  /** "use-lite" (default) | "use-lite-static" (distilled, docs/embeddings.md) | "tfidf" | "precomputed:<file.npy>" | a local sentence-transformers folder | a hub id. */
  model: string;
  /** Weights of an ONNX model: "fp32" (onnx/model.onnx) or "q8" (onnx/model_quantized.onnx). */
  dtype?: string;
  pooling?: Pooling;
  normalize?: boolean;
  maxTokens?: number;
  /** Output dimension of `tfidf` (LSA components). */
  dimension?: number;
  /** Where hub ids are downloaded to and loaded from (`<cacheDir>/models/<org>/<name>`); default `defaultCacheDir()`. */
  cacheDir?: string;
  /** Hub ids: branch, tag or commit (default "main"). */
  revision?: string;
  /** Hub ids: never touch the network, only the cache (default: HF_HUB_OFFLINE=1). */
  offline?: boolean;
  /** Documents over the token budget: cut ("truncate", default) or embed as pooled windows ("chunk"). */
  longDocuments?: LongDocumentMode;
  /** `tfidf`: the corpus language (stop words, word segmentation); default detected. */
  language?: string;
  /** A fitted state saved with a model (`tfidf`): the embedder embeds into that space. */
  state?: EmbedderState;
  /** Shows hub downloads (bytes). */
  progress?: Progress;
  /** use-lite engine: "onnx" (default, onnxruntime on all cores) or "tfjs" (the package's TF.js graph). */
  engine?: UseLiteEngine;
  /** use-lite worker threads, one model each (default 0: one session using the idle cores, see src/onnx/runtime.ts). */
  workers?: number;
  /** An adapter folder written by `topicscope train`, applied to the model's vectors. */
  adapter?: string;
  logger?: Logger;
}

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

export async function createEmbedder(spec: EmbedderSpec): Promise<Embedder> {
  if (spec.adapter !== undefined) {
    // read first: a broken adapter folder fails before a model is loaded
    const adapter = loadAdapter(spec.adapter);
    const base = await createEmbedder({ ...spec, adapter: undefined });
    try {
      return withAdapter(base, adapter, `adapter ${spec.adapter}`);
    } catch (error) {
      await base.dispose?.();
      throw error;
    }
  }
  return withLongDocuments(await createBaseEmbedder(spec), spec.longDocuments ?? DEFAULT_LONG_DOCUMENTS);
}

async function createBaseEmbedder(spec: EmbedderSpec): Promise<Embedder> {
  const model = spec.model.trim() || DEFAULT_MODEL;
  if (model === "use-lite")
    return createUseLiteEmbedder({ maxTokens: spec.maxTokens, engine: spec.engine, workers: spec.workers });
  if (model === "use-lite-static")
    return createUseLiteStaticEmbedder({
      maxTokens: spec.maxTokens,
      cacheDir: spec.cacheDir,
      progress: spec.progress,
    });
  if (model === "tfidf") {
    return createTfidfEmbedder({ dimension: spec.dimension, language: spec.language }, spec.state);
  }
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
    const folder = await ensureHubModel(model, {
      cacheDir: spec.cacheDir ?? defaultCacheDir(),
      revision: spec.revision,
      dtype: spec.dtype === "fp32" || spec.dtype === "q8" ? spec.dtype : undefined,
      offline: spec.offline,
      ...downloadProgress(spec.progress),
    });
    return createSbertEmbedder(folder, sbertOptions);
  }
  throw new UserError(
    `unknown embedding model '${model}': expected use-lite (the bundled default), use-lite-static, tfidf, precomputed:<file.npy>, ` +
      "a sentence-transformers ONNX folder, or a hub id (org/name)",
  );
}

/** A byte progress bar per downloaded file (the ONNX weights are the one that takes time). */
function downloadProgress(progress: Progress | undefined): {
  onDownload?: (id: string, endpoint: string) => void;
  onProgress?: (p: { file: string; loaded: number; total: number }) => void;
} {
  if (progress === undefined) return {};
  let stage: ReturnType<Progress["stage"]> | undefined;
  let current = "";
  let name = "";
  const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
  return {
    onDownload: (id, endpoint) => {
      name = `${id} from ${endpoint}`;
    },
    onProgress: ({ file, loaded, total }) => {
      if (file !== current) {
        stage?.end();
        current = file;
        stage = progress.stage(`download ${name}: ${file}`, "MB");
      }
      stage?.update(mb(loaded), mb(Math.max(total, loaded)));
      if (total > 0 && loaded >= total) {
        stage?.end();
        stage = undefined;
      }
    },
  };
}

export interface EmbedDocumentsOptions extends Partial<EmbeddingSpec> {
  normalize?: boolean;
  engine?: UseLiteEngine;
  workers?: number;
  /** Check the corpus before embedding: stop when the model cannot read most of it, report long documents. */
  check?: Omit<CorpusCheckOptions, "longDocuments" | "allowUnknownText">;
  progress?: Progress;
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
    adapter: options.adapter,
    cacheDir: options.cacheDir ?? (typeof options.cache === "string" ? options.cache : undefined),
    revision: options.revision,
    offline: options.offline,
    longDocuments: options.longDocuments,
    language: options.language,
    progress: options.progress,
    logger: options.logger,
  });
  try {
    // the spec's cache folder holds the embedding cache too, unless the caller named another or none
    const cache =
      options.cache === undefined || options.cache === true ? (options.cacheDir ?? true) : options.cache;
    const check = options.check && {
      ...options.check,
      allowUnknownText: options.allowUnknownText,
      longDocuments: options.longDocuments,
    };
    return await embedWithCache(embedder, texts, { ...options, cache, check });
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
    /**
     * Check the texts first (coverage.ts): stop when the model cannot read most of them, warn about
     * unreadable and long ones. Every verb that embeds user text passes it (a topic model's own
     * embedding of new documents does not: they were checked as a corpus when it was fitted).
     */
    check?: CorpusCheckOptions;
  } = {},
): Promise<EmbedDocumentsResult> {
  const dim = embedder.dimension;
  const n = texts.length;
  const useCache = options.cache !== false && embedder.cacheable !== false;
  const root = typeof options.cache === "string" ? options.cache : defaultCacheDir();
  // readings stored by earlier runs spare tokenising the texts again for the check and the cache keys
  const readings = useCache ? ReadingStore.open(root, embedder) : undefined;
  const unread = readings?.prime(texts);
  if (options.check) checkCorpus(embedder, texts, options.check);
  if (!useCache) {
    const matrix = await embedder.embed(texts, {
      batchSize: options.batchSize,
      onProgress: options.onProgress,
    });
    checkShape(embedder, matrix, n);
    return { matrix, embedderId: embedder.id, cached: 0, computed: n };
  }
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
  const keyOf = embedder.cacheKey ?? textKey;
  const keys = texts.map((text) => keyOf(text));
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
  if (readings && unread) readings.save(unread);
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
  // an adapted embedder's misses take their base vectors from the cache too (the adapter is cheap);
  // the base call saves its own rows as it goes, so onRows is for plain embedders only
  const embedChunk = isAdaptedEmbedder(embedder)
    ? async (chunkTexts: string[], embedOptions: EmbedOptions) =>
        applyAdapter(
          embedder.adapter,
          (
            await embedWithCache(embedder.base, chunkTexts, {
              ...options,
              onProgress: embedOptions.onProgress,
            })
          ).matrix,
        )
    : (chunkTexts: string[], embedOptions: EmbedOptions) => embedder.embed(chunkTexts, embedOptions);
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
    const matrix = await embedChunk(
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
