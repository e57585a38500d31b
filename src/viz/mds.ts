/**
 * Classical (Torgerson) MDS of points given as vectors, into 2-D. For Euclidean distances this is the
 * PCA of the centred points, so we work on the k×k Gram matrix (k = topics, small) and take its top
 * two eigenvectors by power iteration. Deterministic for a given seed; works for any k ≥ 1 (UMAP on a
 * handful of topic vectors, BERTopic's choice, is unstable below ~15 points).
 */
import { createRng } from "../util/rng.js";

export function classicalMds2d(vectors: readonly Float32Array[], seed = 42): [number, number][] {
  const k = vectors.length;
  if (k === 0) return [];
  const d = vectors[0].length;
  const mean = new Float64Array(d);
  for (const v of vectors) for (let j = 0; j < d; j++) mean[j] += v[j] / k;
  const gram = Array.from({ length: k }, () => new Float64Array(k));
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (vectors[a][j] - mean[j]) * (vectors[b][j] - mean[j]);
      gram[a][b] = s;
      gram[b][a] = s;
    }
  }
  const rng = createRng(seed);
  const components: { vector: Float64Array; value: number }[] = [];
  for (let c = 0; c < 2; c++) {
    let v = Float64Array.from({ length: k }, () => rng.next() - 0.5);
    let value = 0;
    for (let iter = 0; iter < 300; iter++) {
      const w = new Float64Array(k);
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let b = 0; b < k; b++) s += gram[a][b] * v[b];
        w[a] = s;
      }
      for (const prev of components) {
        const dot = w.reduce((acc, x, i) => acc + x * prev.vector[i], 0);
        for (let i = 0; i < k; i++) w[i] -= dot * prev.vector[i];
      }
      const norm = Math.hypot(...w);
      if (norm < 1e-12) {
        value = 0;
        break;
      }
      const next = w.map((x) => x / norm);
      const change = next.reduce((acc, x, i) => acc + Math.abs(x - v[i]), 0);
      v = next;
      value = norm;
      if (change < 1e-9) break;
    }
    components.push({ vector: v, value });
  }
  // `+ 0` turns -0 into 0 so coordinates print and compare cleanly
  return Array.from({ length: k }, (_, i) => [
    components[0].vector[i] * Math.sqrt(components[0].value) + 0,
    components[1].vector[i] * Math.sqrt(components[1].value) + 0,
  ]);
}
