/**
 * Row-by-row similarity of two matrices, as sentence-transformers' `pairwise_cos_sim`,
 * `pairwise_dot_score`, `pairwise_manhattan_sim` and `pairwise_euclidean_sim` (the last two are
 * negative distances). Theirs run in float32; ours sum in float64 and round the result to float32.
 */
import type { Matrix } from "../../types.js";
import { UserError } from "../../util/errors.js";

export const SIMILARITY_FUNCTIONS = ["cosine", "manhattan", "euclidean", "dot"] as const;
export type SimilarityFunction = (typeof SIMILARITY_FUNCTIONS)[number];

export function checkPairedMatrices(a: Matrix, b: Matrix, what: string): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new UserError(`${what}: ${a.rows} × ${a.cols} embeddings against ${b.rows} × ${b.cols}`);
  }
}

export function pairwiseSimilarity(a: Matrix, b: Matrix, fn: SimilarityFunction): Float64Array {
  checkPairedMatrices(a, b, "pairwise similarity");
  const { rows, cols } = a;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let value = 0;
    if (fn === "cosine") {
      let dot = 0;
      let na = 0;
      let nb = 0;
      for (let j = 0; j < cols; j++) {
        dot += a.data[o + j] * b.data[o + j];
        na += a.data[o + j] ** 2;
        nb += b.data[o + j] ** 2;
      }
      // their normalize divides by max(‖x‖, 1e-12)
      value = dot / (Math.max(Math.sqrt(na), 1e-12) * Math.max(Math.sqrt(nb), 1e-12));
    } else if (fn === "dot") {
      for (let j = 0; j < cols; j++) value += a.data[o + j] * b.data[o + j];
    } else if (fn === "manhattan") {
      for (let j = 0; j < cols; j++) value -= Math.abs(a.data[o + j] - b.data[o + j]);
    } else {
      for (let j = 0; j < cols; j++) value += (a.data[o + j] - b.data[o + j]) ** 2;
      value = -Math.sqrt(value);
    }
    out[i] = Math.fround(value);
  }
  return out;
}

export function checkSimilarityFunctions(names: readonly string[]): SimilarityFunction[] {
  if (names.length === 0) throw new UserError("name at least one similarity function");
  for (const name of names) {
    if (!(SIMILARITY_FUNCTIONS as readonly string[]).includes(name)) {
      throw new UserError(`unknown similarity function '${name}'; use ${SIMILARITY_FUNCTIONS.join(", ")}`);
    }
  }
  return names as SimilarityFunction[];
}
