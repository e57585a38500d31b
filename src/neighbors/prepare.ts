/**
 * Turns a matrix into the form the searches work on. Cosine becomes a dot product on unit rows;
 * zero rows (empty documents) get an extra coordinate so that two zero rows are at distance 0 and a
 * zero row is at distance 1 from everything else (pynndescent's convention), without special cases
 * in the kernels.
 */
import type { Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import type { NeighborMetric } from "./types.js";

export interface PreparedRows {
  metric: NeighborMetric;
  /** rows × dim, row-major; unit rows for cosine. */
  data: Float32Array;
  rows: number;
  dim: number;
  /** Squared norm of every row (euclidean only; ones for cosine). */
  sqNorms: Float32Array;
  /** Rows that were all zero (cosine only). */
  zeroRows: number[];
}

export function assertFinite(matrix: Matrix, what: string): void {
  const { data, rows, cols } = matrix;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      if (!Number.isFinite(data[base + j])) {
        let count = 0;
        for (let r = i; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            if (!Number.isFinite(data[r * cols + c])) {
              count++;
              break;
            }
          }
        }
        const more = count > 1 ? ` (${count} such rows)` : "";
        throw new UserError(
          `${what}: row ${i} contains NaN or infinite values${more}; fix or drop those rows`,
        );
      }
    }
  }
}

/**
 * @param withZeroColumn cosine only: add the extra coordinate for zero rows (pass the same value for
 * the indexed rows and their queries so both have the same width).
 */
export function prepareRows(matrix: Matrix, metric: NeighborMetric, withZeroColumn?: boolean): PreparedRows {
  const { rows, cols } = matrix;
  const src = matrix.data;
  if (metric === "euclidean") {
    const sqNorms = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += src[i * cols + j] * src[i * cols + j];
      sqNorms[i] = s;
    }
    return { metric, data: src, rows, dim: cols, sqNorms, zeroRows: [] };
  }
  const norms = new Float64Array(rows);
  const zeroRows: number[] = [];
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let s = 0;
    for (let j = base; j < base + cols; j++) s += src[j] * src[j];
    norms[i] = Math.sqrt(s);
    if (s === 0) zeroRows.push(i);
  }
  const extra = withZeroColumn ?? zeroRows.length > 0;
  const dim = cols + (extra ? 1 : 0);
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    const n = norms[i];
    const out = i * dim;
    if (n === 0) {
      if (extra) data[out + cols] = 1;
      continue;
    }
    const inv = 1 / n;
    const base = i * cols;
    for (let j = 0; j < cols; j++) data[out + j] = src[base + j] * inv;
  }
  return { metric, data, rows, dim, sqNorms: new Float32Array(rows).fill(1), zeroRows };
}
