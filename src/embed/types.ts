import type { Matrix, ProgressCallback, StageState } from "../types.js";

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

/** How an embedder reads one text: what the language check and the token budget are measured on. */
/** Readings kept by text (embed/readings.ts). */
export interface ReadingMemo {
  get(text: string): TextReading | undefined;
  set(text: string, reading: TextReading): void;
}

export interface TextReading {
  /** Tokens the model would get (special tokens excluded), counted up to the token budget + 1. */
  tokens: number;
  /** Share (0–1) of the text's tokens that map to the model's unknown token (USE-lite: its unknown piece). */
  unknownShare: number;
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
   * Tokens of a text the model reads, special tokens excluded ([CLS]/[SEP] take 2 of a BERT's
   * `maxTokens`); a longer text is truncated, or cut into windows with `--long-documents chunk`.
   * Absent when the embedder reads texts whole (`tfidf`, `precomputed`).
   */
  readonly tokenBudget?: number;
  /** How the model reads a text (absent for embedders that read any text, such as `tfidf`). */
  read?(text: string): TextReading;
  /**
   * The readings this embedder keeps (long-documents.ts keeps each text's, for the corpus check and the
   * cache keys): the embedding cache fills it with readings stored by earlier runs and stores the new
   * ones (embed/readings.ts), so a corpus is tokenised for reading once, not on every run.
   */
  readonly readings?: ReadingMemo;
  /**
   * A lower bound on `read(text).tokens` that costs no tokenizing, where the tokenizer allows one
   * (USE-lite: every space starts a token): a text clearly over the budget is known long without it.
   */
  minTokens?(text: string): number;
  /**
   * The cache key of a text when its vector depends on more than the model and the text (chunked
   * long documents); default: the text's hash. Texts whose vectors any mode shares keep that key.
   */
  cacheKey?(text: string): string;
  /**
   * False when a text's vector depends on more than the text (the corpus for `tfidf`, the row
   * position for `precomputed`): such embedders always get the whole corpus and bypass the cache.
   */
  readonly cacheable?: boolean;
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Matrix>;
  /** Release native resources (worker threads, sessions). */
  dispose?(): Promise<void>;
  /**
   * What the embedder learnt from the corpus it was fitted on (`tfidf`: vocabulary, idf, projection),
   * once fitted: saved with a model so that new texts are embedded into the same space. Undefined for
   * pretrained encoders, whose vectors depend on the text alone.
   */
  fittedState?(): EmbedderState | undefined;
}

/**
 * A fitted embedder's state, in the shape every fitted stage describes itself with (`StageState`:
 * method, JSON options, learned arrays); the model folder stores it as embedder.json + .npy files.
 */
export type EmbedderState = StageState;
