/**
 * Rows as sentence-transformers scores them: `cos_sim` divides each row by max(‖x‖, 1e-12), so a
 * zero row stays zero and scores 0 against everything, itself included. (The neighbour search gives
 * zero rows an extra coordinate instead, so that blank documents cluster together; here we follow
 * sentence-transformers so that scores match theirs.)
 */
import type { PreparedRows } from "../neighbors/index.js";
import type { Matrix } from "../types.js";
import { UserError } from "../util/errors.js";

const EPS = 1e-12;

export interface UnitRows extends PreparedRows {
  /** Rows that were all zero (they stay zero). */
  zeroRows: number[];
}

/** L2-normalised copy of the rows, as scored by cosine similarity; throws on NaN/∞ naming the row. */
export function unitRows(matrix: Matrix, what = "embeddings"): UnitRows {
  const { rows, cols, data: src } = matrix;
  const data = new Float32Array(rows * cols);
  const zeroRows: number[] = [];
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const v = src[o + j];
      if (!Number.isFinite(v)) {
        throw new UserError(`${what}: row ${i} contains ${v}; embeddings must be finite`);
      }
      s += v * v;
    }
    if (s === 0) {
      zeroRows.push(i);
      continue;
    }
    const inv = 1 / Math.max(Math.sqrt(s), EPS);
    for (let j = 0; j < cols; j++) data[o + j] = src[o + j] * inv;
  }
  return { metric: "cosine", data, rows, dim: cols, sqNorms: new Float32Array(rows).fill(1), zeroRows };
}

/** Rows scored by their plain dot product (already normalised, or a dot-product model). */
export function rawRows(matrix: Matrix): PreparedRows {
  return {
    metric: "cosine",
    data: matrix.data,
    rows: matrix.rows,
    dim: matrix.cols,
    sqNorms: new Float32Array(matrix.rows).fill(1),
    zeroRows: [],
  };
}

export function checkThreshold(threshold: number, name = "threshold"): void {
  if (!Number.isFinite(threshold) || threshold < -1 || threshold > 1) {
    throw new UserError(`${name} must be a cosine similarity in [-1, 1], got ${threshold}`);
  }
}

export function checkPositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new UserError(`${name} must be an integer ≥ 1, got ${value}`);
  }
}
