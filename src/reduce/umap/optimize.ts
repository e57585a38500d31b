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
  /**
   * Rows being laid out, row-major n×dim; updated in place. Float32 as umap-learn's: half the bytes
   * for the random reads of negative samples (a 100,000-row 5-d layout fits a core's L2), and the
   * layout a saved model keeps is the one its reducer used.
   */
  headEmbedding: Float32Array;
  /** Rows pulled towards; the same array as headEmbedding when fitting. */
  tailEmbedding: Float32Array;
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
  y: Float32Array;
  t: Float32Array;
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
  /**
   * The blocked layout (optimize-blocks.ts): rows whose `rowBlock` is `ownBlock` are this pass's own,
   * read and written live; other rows' moves are posted to `outbox`, and they are read from
   * `snapshot`, as are all negative samples. An unblocked pass (rowBlock null) owns every row, and its
   * snapshot is `t` itself.
   */
  rowBlock: Uint8Array | null;
  ownBlock: number;
  snapshot: Float32Array;
  outbox: Outbox | null;
}

/** Moves of rows another block owns, posted in edge order and applied by that block at the barrier. */
export interface Outbox {
  /** Per target block: where its segment of rows / deltas starts, and how many entries it holds. */
  segmentStart: Int32Array;
  fill: Int32Array;
  rows: Int32Array;
  /** dim values per entry, to subtract from the row. */
  deltas: Float64Array;
}

/** Each edge's sampling schedule and where it stands: the pass's own, or shared between threads. */
export interface EdgeSchedule {
  eps: Float64Array;
  epsNeg: Float64Array;
  nextSample: Float64Array;
  nextNeg: Float64Array;
}

/** Epochs between two rounds of negative samples of each edge: its epochs per sample / the rate. */
export function epochsPerNegativeSample(
  eps: Float64Array,
  negativeRate: number,
  into = new Float64Array(eps.length),
): Float64Array {
  for (let e = 0; e < eps.length; e++) into[e] = eps[e] / negativeRate;
  return into;
}

/** The learning rate of epoch n: the initial rate, then decaying linearly (umap-learn's schedule). */
export function learningRate(initialAlpha: number, epoch: number, nEpochs: number): number {
  return epoch === 0 ? initialAlpha : initialAlpha * (1 - (epoch - 1) / nEpochs);
}

/** What the blocked layout (optimize-blocks.ts) sets on each of its passes. */
export type BlockedPart = Pick<EdgePass, "rowBlock" | "ownBlock" | "snapshot" | "outbox">;

export function createEdgePass(
  problem: LayoutProblem,
  lo = 0,
  hi = problem.head.length,
  shared?: { schedule: EdgeSchedule; block: BlockedPart },
): EdgePass {
  const schedule = shared?.schedule;
  const eps = schedule?.eps ?? epochsPerSample(problem.weights, problem.nEpochs).slice(lo, hi);
  const epsNeg = schedule?.epsNeg ?? epochsPerNegativeSample(eps, problem.negativeSampleRate ?? 5);
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
    nextSample: schedule?.nextSample ?? eps.slice(),
    nextNeg: schedule?.nextNeg ?? epsNeg.slice(),
    powB: makePow(problem.b),
    delta: new Float64Array(problem.dim),
    rowBlock: null,
    ownBlock: 0,
    snapshot: problem.tailEmbedding,
    outbox: null,
    ...shared?.block,
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
  for (let n = 0; n < nEpochs; n++) {
    state = runEdges(pass, n, learningRate(initialAlpha, n, nEpochs), state);
    onEpoch?.(n + 1, nEpochs);
  }
}

/** One epoch over the pass's edges; returns the sample stream's state for the next epoch. */
export function runEdges(pass: EdgePass, n: number, alpha: number, startState: number): number {
  const { head, tail, y, t, nTail, dim, a, moveOther, eps, epsNeg, nextSample, nextNeg, powB, delta } = pass;
  const { rowBlock, ownBlock, snapshot, outbox } = pass;
  const twoAB = 2 * a * pass.b;
  const repulse = 2 * pass.gamma * pass.b;
  const edges = head.length;
  let state = startState;
  for (let e = 0; e < edges; e++) {
    if (nextSample[e] > n || eps[e] < 0) continue;
    const j = head[e] * dim;
    const other = tail[e];
    const k = other * dim;
    const owner = rowBlock === null ? ownBlock : rowBlock[other];
    const ownTail = owner === ownBlock;
    const u = ownTail ? t : snapshot;
    if (dim === 5) {
      // the same operations as the loop below, in locals (the attraction of BERTopic's 5-d layout)
      const d0 = y[j] - u[k];
      const d1 = y[j + 1] - u[k + 1];
      const d2 = y[j + 2] - u[k + 2];
      const d3 = y[j + 3] - u[k + 3];
      const d4 = y[j + 4] - u[k + 4];
      const dist2 = d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3 + d4 * d4;
      if (dist2 > 0) {
        const pb = powB(dist2);
        const gradCoeff = (-twoAB * pb) / dist2 / (a * pb + 1);
        const g0 = clip(gradCoeff * d0) * alpha;
        const g1 = clip(gradCoeff * d1) * alpha;
        const g2 = clip(gradCoeff * d2) * alpha;
        const g3 = clip(gradCoeff * d3) * alpha;
        const g4 = clip(gradCoeff * d4) * alpha;
        y[j] += g0;
        y[j + 1] += g1;
        y[j + 2] += g2;
        y[j + 3] += g3;
        y[j + 4] += g4;
        if (moveOther) {
          if (ownTail) {
            t[k] -= g0;
            t[k + 1] -= g1;
            t[k + 2] -= g2;
            t[k + 3] -= g3;
            t[k + 4] -= g4;
          } else if (outbox !== null) {
            const at = post(outbox, owner, other) * 5;
            const out = outbox.deltas;
            out[at] = g0;
            out[at + 1] = g1;
            out[at + 2] = g2;
            out[at + 3] = g3;
            out[at + 4] = g4;
          }
        }
      }
    } else {
      let dist2 = 0;
      for (let d = 0; d < dim; d++) {
        const diff = y[j + d] - u[k + d];
        delta[d] = diff;
        dist2 += diff * diff;
      }
      if (dist2 > 0) {
        const pb = powB(dist2);
        const gradCoeff = (-twoAB * pb) / dist2 / (a * pb + 1);
        const at = moveOther && !ownTail && outbox !== null ? post(outbox, owner, other) * dim : -1;
        for (let d = 0; d < dim; d++) {
          const grad = clip(gradCoeff * delta[d]) * alpha;
          y[j + d] += grad;
          if (!moveOther) continue;
          if (ownTail) t[k + d] -= grad;
          else if (at >= 0) (outbox as Outbox).deltas[at + d] = grad;
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
        const sampled = (state * nTail * UNIT_32) | 0;
        const o = sampled * 5;
        // umap-learn skips a sample of the point itself (its distance to itself is 0)
        if (o === selfRow) continue;
        const d0 = y0 - snapshot[o];
        const d1 = y1 - snapshot[o + 1];
        const dd2 = y2 - snapshot[o + 2];
        const d3 = y3 - snapshot[o + 3];
        const d4 = y4 - snapshot[o + 4];
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
        const sampled = (state * nTail * UNIT_32) | 0;
        const o = sampled * 2;
        if (o === selfRow) continue;
        const d0 = y0 - snapshot[o];
        const d1 = y1 - snapshot[o + 1];
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
        const sampled = (state * nTail * UNIT_32) | 0;
        const o = sampled * dim;
        let d2 = 0;
        for (let d = 0; d < dim; d++) {
          const diff = y[j + d] - snapshot[o + d];
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

/** Reserves the next entry of `row`'s owner's segment in the outbox; returns the entry's index. */
function post(outbox: Outbox, target: number, row: number): number {
  const at = outbox.segmentStart[target] + outbox.fill[target];
  outbox.fill[target]++;
  outbox.rows[at] = row;
  return at;
}
