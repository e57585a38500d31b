/** The embed stage's option names, from which the model's types and the CLI's choices are derived. */
import type { PoolingMode } from "./pooling.js";

/** The bundled default encoder. */
export const DEFAULT_MODEL = "use-lite";

export const POOLING_MODES = ["mean", "cls", "max"] as const satisfies readonly PoolingMode[];

/** ONNX weights of a sentence-transformers folder: onnx/model.onnx or onnx/model_quantized.onnx. */
export const ONNX_DTYPES = ["fp32", "q8"] as const;
export type OnnxDtype = (typeof ONNX_DTYPES)[number];

export const USE_LITE_ENGINES = ["onnx", "tfjs"] as const;
export type UseLiteEngine = (typeof USE_LITE_ENGINES)[number];

/** Documents over the encoder's token budget: embed the first tokens, or pooled windows (long-documents.ts). */
export const LONG_DOCUMENT_MODES = ["truncate", "chunk"] as const;
export type LongDocumentMode = (typeof LONG_DOCUMENT_MODES)[number];
/** Measured on 20 Newsgroups' long posts (docs/embeddings.md, bench/long-documents.ts). */
export const DEFAULT_LONG_DOCUMENTS: LongDocumentMode = "chunk";

/**
 * Everything that decides which vectors a text gets — what `fit` records in model.json so that new
 * texts (transform, search) are embedded the same way.
 */
export interface EmbeddingSpec {
  /** "use-lite" (default) | "use-lite-static" | "tfidf" | "precomputed:<file.npy>" | a local sentence-transformers folder | a hub id. */
  model: string;
  /** Documents per model call. */
  batchSize: number;
  /** ONNX folders: which weights. */
  dtype?: OnnxDtype;
  /** ONNX folders: token pooling (default: the folder's 1_Pooling config, else mean). */
  pooling?: PoolingMode;
  /** Truncate texts to this many model tokens (default: the model's own). */
  maxTokens?: number;
  /** Where hub models (and, unless told otherwise, the embedding cache) live; default $XDG_CACHE_HOME/topicscope. */
  cacheDir?: string;
  /** Hub models: the branch, tag or commit (default main). */
  revision?: string;
  /** Hub models: never touch the network, only the cache (also HF_HUB_OFFLINE=1). */
  offline?: boolean;
  /** Documents over the token budget (default "truncate"). */
  longDocuments?: LongDocumentMode;
  /** Embed even when the encoder cannot read most documents (default: stop with an error). */
  allowUnknownText?: boolean;
  /** `tfidf`: the corpus language (stop words, word segmentation); default detected. */
  language?: string;
  /** An adapter folder written by `topicscope train`, applied to the model's vectors (src/embed/adapter.ts). */
  adapter?: string;
}
