/** Test data and scores shared by the approximate-neighbour tests. */
import type { Matrix } from "../../src/types.js";
import { createRng } from "../../src/util/rng.js";

/**
 * Clusters with a low intrinsic dimension (4 directions each) plus a little noise, like embeddings.
 * `pick`: row i's cluster is i mod clusters ("cycle") or drawn from the seeded stream ("random").
 */
export function clustered(
  rows: number,
  cols: number,
  seed: number,
  options: { clusters?: number; pick?: "cycle" | "random" } = {},
): Matrix {
  const clusters = options.clusters ?? 20;
  const rng = createRng(seed);
  const centres = Array.from({ length: clusters }, () =>
    Array.from({ length: cols }, () => rng.nextGaussian()),
  );
  const directions = Array.from({ length: clusters }, () =>
    Array.from({ length: 4 }, () => Array.from({ length: cols }, () => rng.nextGaussian() * 0.4)),
  );
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const c = options.pick === "random" ? rng.nextInt(clusters) : i % clusters;
    const w = directions[c].map(() => rng.nextGaussian());
    for (let j = 0; j < cols; j++) {
      let v = centres[c][j] + 0.05 * rng.nextGaussian();
      for (let t = 0; t < 4; t++) v += w[t] * directions[c][t][j];
      data[i * cols + j] = v;
    }
  }
  return { data, rows, cols };
}

/** Share of the true k nearest (rows × k) found among the k returned. */
export function recall(truth: Int32Array, got: Int32Array, rows: number, k: number): number {
  let hits = 0;
  for (let i = 0; i < rows; i++) {
    const want = new Set(truth.subarray(i * k, (i + 1) * k));
    for (let j = 0; j < k; j++) if (want.has(got[i * k + j])) hits++;
  }
  return hits / (rows * k);
}
