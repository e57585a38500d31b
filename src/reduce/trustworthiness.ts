/**
 * Trustworthiness of an embedding (Venna & Kaski), exactly as sklearn.manifold.trustworthiness defines
 * it: T(k) = 1 − 2/(n·k·(2n − 3k − 1)) · Σ_i Σ_{j ∈ N_k^emb(i)} max(0, r(i, j) − k), where r(i, j) is the
 * rank of j among i's neighbours in the original space (1 = nearest). Euclidean in both spaces
 * (on unit rows this ranks like cosine). O(n²) time, O(n) memory: use a sample for large n.
 */
import type { Matrix } from "../types.js";

function sqDistances(m: Matrix, i: number, out: Float64Array): void {
  const { data, rows, cols } = m;
  for (let j = 0; j < rows; j++) {
    let s = 0;
    for (let c = 0; c < cols; c++) {
      const d = data[i * cols + c] - data[j * cols + c];
      s += d * d;
    }
    out[j] = s;
  }
}

export function trustworthiness(original: Matrix, embedded: Matrix, k = 15): number {
  const n = original.rows;
  if (embedded.rows !== n) throw new RangeError(`row counts differ: ${n} vs ${embedded.rows}`);
  if (k >= n / 2) throw new RangeError(`k must be < n/2 (k=${k}, n=${n})`);
  const distOriginal = new Float64Array(n);
  const distEmbedded = new Float64Array(n);
  const order = new Int32Array(n);
  const rank = new Int32Array(n);
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    sqDistances(original, i, distOriginal);
    // the point itself ranks 0 (sklearn sets its distance to +inf and then drops it; same ranks)
    distOriginal[i] = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) order[j] = j;
    order.sort((x, y) => distOriginal[x] - distOriginal[y] || x - y);
    for (let r = 0; r < n; r++) rank[order[r]] = r;
    sqDistances(embedded, i, distEmbedded);
    distEmbedded[i] = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) order[j] = j;
    order.sort((x, y) => distEmbedded[x] - distEmbedded[y] || x - y);
    for (let r = 1; r <= k; r++) penalty += Math.max(0, rank[order[r]] - k);
  }
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty;
}
