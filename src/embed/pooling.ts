/**
 * Pooling of token vectors into one sentence vector, as sentence-transformers' Pooling module does:
 * `mean` averages the tokens under the attention mask, `cls` takes the first token, `max` takes the
 * element-wise maximum over the masked tokens. Rows are padded on the right, so the mask of row b is
 * "the first lengths[b] tokens".
 */
export type PoolingMode = "mean" | "cls" | "max";

/**
 * `hidden` is batch × sequence × dim (row-major); returns batch × dim.
 */
export function poolTokens(
  hidden: Float32Array,
  lengths: Int32Array,
  sequence: number,
  dim: number,
  mode: PoolingMode,
): Float32Array {
  const batch = lengths.length;
  if (hidden.length !== batch * sequence * dim) {
    throw new RangeError(
      `token output has ${hidden.length} values, expected ${batch} × ${sequence} × ${dim}`,
    );
  }
  const out = new Float32Array(batch * dim);
  const sums = new Float64Array(dim);
  for (let b = 0; b < batch; b++) {
    const base = b * sequence * dim;
    const length = lengths[b];
    const target = out.subarray(b * dim, (b + 1) * dim);
    if (length === 0) continue;
    if (mode === "cls") {
      target.set(hidden.subarray(base, base + dim));
    } else if (mode === "max") {
      target.set(hidden.subarray(base, base + dim));
      for (let t = 1; t < length; t++) {
        const row = base + t * dim;
        for (let j = 0; j < dim; j++) if (hidden[row + j] > target[j]) target[j] = hidden[row + j];
      }
    } else {
      sums.fill(0);
      for (let t = 0; t < length; t++) {
        const row = base + t * dim;
        for (let j = 0; j < dim; j++) sums[j] += hidden[row + j];
      }
      for (let j = 0; j < dim; j++) target[j] = sums[j] / length;
    }
  }
  return out;
}
