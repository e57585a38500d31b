/**
 * Cosine similarity between rows of dense matrices — the one measure every topic operation compares
 * documents, queries and topics with (as BERTopic's `cosine_similarity`: a zero vector has similarity
 * 0 to everything).
 */
import type { Matrix } from "../types.js";

/** L2 norm of each row (0 for a zero row). */
export function rowNorms(matrix: Matrix): Float64Array {
  const { rows, cols, data } = matrix;
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += data[r * cols + j] * data[r * cols + j];
    norms[r] = Math.sqrt(s);
  }
  return norms;
}

/** a.rows × b.rows cosine similarities. */
export function cosineSimilarity(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.cols) throw new RangeError(`cosine similarity of ${a.cols}-d and ${b.cols}-d vectors`);
  const { cols } = a;
  const na = rowNorms(a);
  const nb = rowNorms(b);
  const out = new Float32Array(a.rows * b.rows);
  for (let i = 0; i < a.rows; i++) {
    if (na[i] === 0) continue;
    const ai = i * cols;
    for (let k = 0; k < b.rows; k++) {
      if (nb[k] === 0) continue;
      const bk = k * cols;
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += a.data[ai + j] * b.data[bk + j];
      out[i * b.rows + k] = dot / (na[i] * nb[k]);
    }
  }
  return { data: out, rows: a.rows, cols: b.rows };
}

/** Index and value of the largest entry of row `r` (first one on ties, as numpy's argmax). */
export function rowArgmax(matrix: Matrix, r: number): { index: number; value: number } {
  let index = 0;
  let value = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < matrix.cols; j++) {
    const v = matrix.data[r * matrix.cols + j];
    if (v > value) {
      value = v;
      index = j;
    }
  }
  return { index, value };
}

/** The `k` largest entries of a vector, largest first (ties: lower index first). */
export function topK(values: ArrayLike<number>, k: number): { index: number; value: number }[] {
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => values[b] - values[a] || a - b);
  return order.slice(0, Math.max(0, k)).map((index) => ({ index, value: values[index] }));
}
