/**
 * UMAP's layout optimisation (umap-learn's optimize_layout_euclidean, single-threaded, as it runs when a
 * seed is set): every epoch each edge whose turn has come pulls its two ends together, followed by
 * negative samples that push the head away from random vertices. Edges are sampled in proportion to
 * their membership (epochs_per_sample), the learning rate decays linearly to zero.
 */
import { type Rng, UNIT_32, xorshift32 } from "../../util/rng.js";
import { makePow } from "./fast-pow.js";

export interface LayoutProblem {
  /** Vertex being moved, per edge. */
  head: Int32Array;
  /** Its partner, per edge (an index into `tail` embedding). */
  tail: Int32Array;
  weights: Float64Array;
  /** Rows being laid out, row-major n×dim; updated in place. */
  headEmbedding: Float64Array;
  /** Rows pulled towards; the same array as headEmbedding when fitting. */
  tailEmbedding: Float64Array;
  nTail: number;
  dim: number;
  nEpochs: number;
  a: number;
  b: number;
  /** Also move the tail end of an edge (fit: true; transform: false). */
  moveOther: boolean;
  initialAlpha?: number;
  gamma?: number;
  negativeSampleRate?: number;
}

/** Epochs between two samples of each edge: n_epochs / (n_epochs · w / w_max); −1 for zero weights. */
export function epochsPerSample(weights: Float64Array, nEpochs: number): Float64Array {
  let max = 0;
  for (let i = 0; i < weights.length; i++) max = Math.max(max, weights[i]);
  const out = new Float64Array(weights.length).fill(-1);
  for (let i = 0; i < weights.length; i++) {
    const samples = (nEpochs * weights[i]) / max;
    if (samples > 0) out[i] = nEpochs / samples;
  }
  return out;
}

const clip = (v: number): number => (v > 4 ? 4 : Math.max(v, -4));

/** Everything one pass over a range of edges needs; shared by the sequential and the parallel layout. */
export interface EdgePass {
  head: Int32Array;
  tail: Int32Array;
  /** Rows being laid out (written), and the rows pulled towards (the same array when fitting). */
  y: Float64Array;
  t: Float64Array;
  /** Whether y and t are the same rows (a sample of the point itself is skipped). */
  sameRows: boolean;
  nTail: number;
  dim: number;
  a: number;
  b: number;
  moveOther: boolean;
  gamma: number;
  eps: Float64Array;
  epsNeg: Float64Array;
  nextSample: Float64Array;
  nextNeg: Float64Array;
  powB: (x: number) => number;
  delta: Float64Array;
}

export function createEdgePass(problem: LayoutProblem, lo = 0, hi = problem.head.length): EdgePass {
  const negativeRate = problem.negativeSampleRate ?? 5;
  const eps = epochsPerSample(problem.weights, problem.nEpochs).slice(lo, hi);
  const epsNeg = new Float64Array(eps.length);
  for (let e = 0; e < eps.length; e++) epsNeg[e] = eps[e] / negativeRate;
  return {
    head: problem.head.subarray(lo, hi),
    tail: problem.tail.subarray(lo, hi),
    y: problem.headEmbedding,
    t: problem.tailEmbedding,
    sameRows: problem.headEmbedding === problem.tailEmbedding,
    nTail: problem.nTail,
    dim: problem.dim,
    a: problem.a,
    b: problem.b,
    moveOther: problem.moveOther,
    gamma: problem.gamma ?? 1,
    eps,
    epsNeg,
    nextSample: eps.slice(),
    nextNeg: epsNeg.slice(),
    powB: makePow(problem.b),
    delta: new Float64Array(problem.dim),
  };
}

/** The first xorshift32 state of the negative samples, drawn from the caller's seeded Rng. */
export function initialSampleState(rng: Rng): number {
  return (rng.next() * 4294967296) >>> 0 || 0x9e3779b9;
}

export function optimizeLayout(
  problem: LayoutProblem,
  rng: Rng,
  onEpoch?: (epoch: number, total: number) => void,
): void {
  const initialAlpha = problem.initialAlpha ?? 1;
  const nEpochs = problem.nEpochs;
  const pass = createEdgePass(problem);
  // negative samples draw from a xorshift32 stream seeded by the caller's Rng: the same seed gives the
  // same layout, and the hot loop avoids a closure call per draw
  let state = initialSampleState(rng);
  let alpha = initialAlpha;
  for (let n = 0; n < nEpochs; n++) {
    state = runEdges(pass, n, alpha, state);
    alpha = initialAlpha * (1 - n / nEpochs);
    onEpoch?.(n + 1, nEpochs);
  }
}

/** One epoch over the pass's edges; returns the sample stream's state for the next epoch. */
export function runEdges(pass: EdgePass, n: number, alpha: number, startState: number): number {
  const { head, tail, y, t, nTail, dim, a, moveOther, eps, epsNeg, nextSample, nextNeg, powB, delta } = pass;
  const twoAB = 2 * a * pass.b;
  const repulse = 2 * pass.gamma * pass.b;
  const edges = head.length;
  let state = startState;
  for (let e = 0; e < edges; e++) {
    if (nextSample[e] > n || eps[e] < 0) continue;
    const j = head[e] * dim;
    const k = tail[e] * dim;
    if (dim === 5) {
      // the same operations as the loop below, in locals (the attraction of BERTopic's 5-d layout)
      const d0 = y[j] - t[k];
      const d1 = y[j + 1] - t[k + 1];
      const d2 = y[j + 2] - t[k + 2];
      const d3 = y[j + 3] - t[k + 3];
      const d4 = y[j + 4] - t[k + 4];
      const dist2 = d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3 + d4 * d4;
      if (dist2 > 0) {
        const pb = powB(dist2);
        const gradCoeff = (-twoAB * pb) / dist2 / (a * pb + 1);
        const g0 = clip(gradCoeff * d0) * alpha;
        y[j] += g0;
        if (moveOther) t[k] -= g0;
        const g1 = clip(gradCoeff * d1) * alpha;
        y[j + 1] += g1;
        if (moveOther) t[k + 1] -= g1;
        const g2 = clip(gradCoeff * d2) * alpha;
        y[j + 2] += g2;
        if (moveOther) t[k + 2] -= g2;
        const g3 = clip(gradCoeff * d3) * alpha;
        y[j + 3] += g3;
        if (moveOther) t[k + 3] -= g3;
        const g4 = clip(gradCoeff * d4) * alpha;
        y[j + 4] += g4;
        if (moveOther) t[k + 4] -= g4;
      }
    } else {
      let dist2 = 0;
      for (let d = 0; d < dim; d++) {
        const diff = y[j + d] - t[k + d];
        delta[d] = diff;
        dist2 += diff * diff;
      }
      if (dist2 > 0) {
        const pb = powB(dist2);
        const gradCoeff = (-twoAB * pb) / dist2 / (a * pb + 1);
        for (let d = 0; d < dim; d++) {
          const grad = clip(gradCoeff * delta[d]) * alpha;
          y[j + d] += grad;
          if (moveOther) t[k + d] -= grad;
        }
      }
    }
    nextSample[e] += eps[e];
    const nNeg = Math.trunc((n - nextNeg[e]) / epsNeg[e]);
    if (dim === 5) {
      // BERTopic's default dimension: the head's coordinates stay in locals during its negative
      // samples (measured 55 → 43 ns per sampled pair on AG News)
      let y0 = y[j];
      let y1 = y[j + 1];
      let y2 = y[j + 2];
      let y3 = y[j + 3];
      let y4 = y[j + 4];
      const selfRow = pass.sameRows ? j : -1;
      for (let p = 0; p < nNeg; p++) {
        state = xorshift32(state);
        const o = ((state * nTail * UNIT_32) | 0) * 5;
        // umap-learn skips a sample of the point itself (its distance to itself is 0)
        if (o === selfRow) continue;
        const d0 = y0 - t[o];
        const d1 = y1 - t[o + 1];
        const dd2 = y2 - t[o + 2];
        const d3 = y3 - t[o + 3];
        const d4 = y4 - t[o + 4];
        const d2 = d0 * d0 + d1 * d1 + dd2 * dd2 + d3 * d3 + d4 * d4;
        if (d2 > 0) {
          const g = repulse / ((0.001 + d2) * (a * powB(d2) + 1));
          y0 += clip(g * d0) * alpha;
          y1 += clip(g * d1) * alpha;
          y2 += clip(g * dd2) * alpha;
          y3 += clip(g * d3) * alpha;
          y4 += clip(g * d4) * alpha;
        }
      }
      y[j] = y0;
      y[j + 1] = y1;
      y[j + 2] = y2;
      y[j + 3] = y3;
      y[j + 4] = y4;
    } else if (dim === 2) {
      // the documents map's 2-d layout, as the 5-d case
      let y0 = y[j];
      let y1 = y[j + 1];
      const selfRow = pass.sameRows ? j : -1;
      for (let p = 0; p < nNeg; p++) {
        state = xorshift32(state);
        const o = ((state * nTail * UNIT_32) | 0) * 2;
        if (o === selfRow) continue;
        const d0 = y0 - t[o];
        const d1 = y1 - t[o + 1];
        const d2 = d0 * d0 + d1 * d1;
        if (d2 > 0) {
          const g = repulse / ((0.001 + d2) * (a * powB(d2) + 1));
          y0 += clip(g * d0) * alpha;
          y1 += clip(g * d1) * alpha;
        }
      }
      y[j] = y0;
      y[j + 1] = y1;
    } else {
      for (let p = 0; p < nNeg; p++) {
        state = xorshift32(state);
        const other = (state * nTail * UNIT_32) | 0;
        const o = other * dim;
        let d2 = 0;
        for (let d = 0; d < dim; d++) {
          const diff = y[j + d] - t[o + d];
          delta[d] = diff;
          d2 += diff * diff;
        }
        if (d2 > 0) {
          const gradCoeff = repulse / ((0.001 + d2) * (a * powB(d2) + 1));
          for (let d = 0; d < dim; d++) y[j + d] += clip(gradCoeff * delta[d]) * alpha;
        }
      }
    }
    if (nNeg > 0) nextNeg[e] += nNeg * epsNeg[e];
  }
  return state;
}
