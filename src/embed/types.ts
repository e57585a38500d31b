import type { Matrix, ProgressCallback } from "../types.js";

export interface EmbedOptions {
  batchSize?: number;
  onProgress?: ProgressCallback;
  /**
   * Rows of finished texts as each batch completes — `indices` into this call's texts, `rows` their
   * final vectors (as `embed` returns them), row-major — so the cache can save work before the call
   * ends (a kill then loses seconds, not the call). Backends that cannot report early do not call it.
   */
  onRows?: (indices: Int32Array, rows: Float32Array) => void;
}

/**
 * A sentence encoder. `embed` returns one row per input text, in input order, always exactly
 * `texts.length` rows, L2-normalised unless the backend was asked not to normalise. Blank texts
 * (empty or whitespace only) get the zero vector in every backend, without running the model; the
 * pipeline gives them topic -1.
 */
export interface Embedder {
  /** Stable identifier of model + weights (+ pooling), used as the cache key and stored in model.json. */
  readonly id: string;
  readonly dimension: number;
  /** Texts are truncated to this many model tokens before encoding. */
  readonly maxTokens: number;
  /**
   * False when a text's vector depends on more than the text (the corpus for `tfidf`, the row
   * position for `precomputed`): such embedders always get the whole corpus and bypass the cache.
   */
  readonly cacheable?: boolean;
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Matrix>;
  /** Release native resources (worker threads, sessions). */
  dispose?(): Promise<void>;
}
