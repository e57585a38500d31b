/**
 * Embeddings computed elsewhere (BERTopic users often embed once in Python): a float32/float64 `.npy`
 * with one row per document, in corpus order. Rows are matched by position, not by text, so this
 * backend takes the whole corpus at once and bypasses the cache.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readMatrixNpy } from "../io/npy.js";
import type { Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import { normalizeRows } from "./batching.js";
import type { Embedder } from "./types.js";

export interface PrecomputedCheck {
  /** Required row count (the corpus size). */
  rows?: number;
  /** Required dimension (e.g. the one a fitted model was built with). */
  dimension?: number;
}

/**
 * Reads and validates a user's embedding matrix: shape, expected rows/dimension, finite values.
 * Messages name the file and say what to do.
 */
export function loadPrecomputedEmbeddings(path: string, check: PrecomputedCheck = {}): Matrix {
  const matrix = readMatrixNpy(path);
  if (check.rows !== undefined && matrix.rows !== check.rows) {
    throw new UserError(
      `${path} has ${matrix.rows} rows but the corpus has ${check.rows} documents; embeddings need one row per document, in corpus order`,
    );
  }
  if (check.dimension !== undefined && matrix.cols !== check.dimension) {
    throw new UserError(
      `${path} has ${matrix.cols}-dimensional rows but ${check.dimension} are expected; embed with the same model as the fitted one`,
    );
  }
  if (matrix.cols === 0) throw new UserError(`${path} has 0 columns; expected one embedding per row`);
  for (let i = 0; i < matrix.data.length; i++) {
    if (!Number.isFinite(matrix.data[i])) {
      throw new UserError(
        `${path}: row ${Math.floor(i / matrix.cols)} contains ${matrix.data[i]}; embeddings must be finite`,
      );
    }
  }
  return matrix;
}

export function createPrecomputedEmbedder(path: string, options: { normalize?: boolean } = {}): Embedder {
  const matrix = loadPrecomputedEmbeddings(path);
  const normalize = options.normalize ?? true;
  const data = Float32Array.from(matrix.data);
  if (normalize) normalizeRows(data, matrix.cols);
  const hash = createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 12);
  return {
    id: `precomputed:${path}@${hash}${normalize ? ";normalize" : ""}`,
    dimension: matrix.cols,
    maxTokens: Number.POSITIVE_INFINITY,
    cacheable: false,
    async embed(texts, options) {
      if (texts.length !== matrix.rows) {
        throw new UserError(
          `${path} has ${matrix.rows} rows but the corpus has ${texts.length} documents; embeddings need one row per document, in corpus order`,
        );
      }
      options?.onProgress?.(texts.length, texts.length);
      return { data: Float32Array.from(data), rows: matrix.rows, cols: matrix.cols };
    },
  };
}
