/**
 * The distance the approximate searches (NN-descent, its query index, HNSW) compare rows with:
 * 1 − a·b on unit rows (cosine), ‖a − b‖² (euclidean; its square root only for the results). Four
 * running sums, so the loop is not one long dependency chain.
 */
export function distanceAt(
  a: Float32Array,
  ao: number,
  b: Float32Array,
  bo: number,
  dim: number,
  cosine: boolean,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const tail = dim & ~3;
  if (cosine) {
    for (let d = 0; d < tail; d += 4) {
      s0 += a[ao + d] * b[bo + d];
      s1 += a[ao + d + 1] * b[bo + d + 1];
      s2 += a[ao + d + 2] * b[bo + d + 2];
      s3 += a[ao + d + 3] * b[bo + d + 3];
    }
    for (let d = tail; d < dim; d++) s0 += a[ao + d] * b[bo + d];
    return 1 - (s0 + s1 + s2 + s3);
  }
  for (let d = 0; d < tail; d += 4) {
    const e0 = a[ao + d] - b[bo + d];
    const e1 = a[ao + d + 1] - b[bo + d + 1];
    const e2 = a[ao + d + 2] - b[bo + d + 2];
    const e3 = a[ao + d + 3] - b[bo + d + 3];
    s0 += e0 * e0;
    s1 += e1 * e1;
    s2 += e2 * e2;
    s3 += e3 * e3;
  }
  for (let d = tail; d < dim; d++) {
    const e = a[ao + d] - b[bo + d];
    s0 += e * e;
  }
  return s0 + s1 + s2 + s3;
}
