/**
 * Seeded benchmark data for HDBSCAN: Gaussian blobs of different spreads plus uniform background
 * noise, in any dimension. The same seed always gives the same points.
 */
import type { Matrix } from "../src/types.js";
import { createRng } from "../src/util/rng.js";

export interface BlobOptions {
  n: number;
  dimensions: number;
  /** Number of blobs (default 12). */
  blobs?: number;
  /** Fraction of points drawn uniformly over the bounding box (default 0.1). */
  noiseFraction?: number;
  seed?: number;
}

export function makeBlobs(options: BlobOptions): Matrix {
  const { n, dimensions: d } = options;
  const blobs = options.blobs ?? 12;
  const noise = options.noiseFraction ?? 0.1;
  const rng = createRng(options.seed ?? 42);
  const centres = new Float64Array(blobs * d);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.next() * 40 - 20;
  const spreads = Float64Array.from({ length: blobs }, () => 0.5 + rng.next() * 1.5);
  const weights = Float64Array.from({ length: blobs }, () => 0.5 + rng.next());
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    if (rng.next() < noise) {
      for (let j = 0; j < d; j++) data[i * d + j] = rng.next() * 50 - 25;
      continue;
    }
    let pick = rng.next() * totalWeight;
    let b = 0;
    while (b < blobs - 1 && pick >= weights[b]) pick -= weights[b++];
    for (let j = 0; j < d; j++) data[i * d + j] = centres[b * d + j] + rng.nextGaussian() * spreads[b];
  }
  return { data, rows: n, cols: d };
}
