/**
 * UMAP's layout in vertex blocks: reproducible for a seed and a block count, whatever the number of
 * threads that run it.
 *
 * The rows are cut into `blocks` blocks with about as many edges each (planBlocks), and each block
 * runs the edges whose head it owns. During an epoch a block reads and writes its own rows live; it
 * reads every other row from a snapshot taken at the start of the epoch, and the pulls its edges give
 * to other blocks' rows are posted to an outbox. At the barrier each block applies the moves posted
 * to it, in block order and then edge order, and copies its rows into the snapshot. A block draws its
 * negative samples from its own stream. So what a block computes depends only on the epoch's starting state,
 * never on which thread runs it or when: the threads (the caller's and `threads − 1` workers) claim
 * blocks as they come, and a worker that starts late simply joins at a later epoch.
 *
 * One block is the sequential layout (optimize.ts), bit for bit. With more, a row sees the other
 * blocks' rows (and every negative sample) as they were at the start of the epoch, as umap-learn's
 * unseeded threads see each other's rows at some unknown point; the trustworthiness is measured in
 * docs/reduce.md.
 */

import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { siblingModule, startModuleWorker } from "../../util/module-worker.js";
import type { Rng } from "../../util/rng.js";
import { sharedArray, sharedCopy } from "../../util/shared-memory.js";
import {
  createEdgePass,
  type EdgePass,
  epochsPerNegativeSample,
  epochsPerSample,
  initialSampleState,
  type LayoutProblem,
  learningRate,
  optimizeLayout,
  runEdges,
} from "./optimize.js";

/** Edge-epochs from which a second block (and thread) pays for a worker's start-up. */
export const MIN_EDGE_EPOCHS_FOR_BLOCKS = 3e7;
/** Row ownership is a byte per row. */
const MAX_BLOCKS = 255;

/** Control words in shared memory. */
const PHASE = 0;
const DONE = 1;
const FAILED = 2;
const STOP = -1;

/** Everything the threads share; typed arrays over SharedArrayBuffers, posted to workers as they are. */
export interface BlockedLayoutState {
  blocks: number;
  dim: number;
  nTail: number;
  nEpochs: number;
  a: number;
  b: number;
  gamma: number;
  initialAlpha: number;
  moveOther: boolean;
  /** Block b holds edges [edgeStart[b], edgeStart[b + 1]) of head / tail (in block order). */
  edgeStart: Int32Array;
  head: Int32Array;
  tail: Int32Array;
  eps: Float64Array;
  epsNeg: Float64Array;
  nextSample: Float64Array;
  nextNeg: Float64Array;
  embedding: Float32Array;
  snapshot: Float32Array;
  rowBlock: Uint8Array;
  /** Outbox of block b to block c: entries [segmentStart[b·B + c], + fill[b·B + c]). */
  segmentStart: Int32Array;
  fill: Int32Array;
  outRows: Int32Array;
  outDeltas: Float64Array;
  /** Each block's negative-sample stream. */
  streams: Uint32Array;
  /** The last phase each block was claimed for. */
  claims: Int32Array;
  control: Int32Array;
}

export interface BlockPlan {
  /** The block of each row. */
  rowBlock: Uint8Array;
  /** The edges in block order (each block's in their original order), and where each block starts. */
  edgeOrder: Int32Array;
  edgeStart: Int32Array;
}

/**
 * Cuts the rows into `blocks` blocks of about equal edge counts along the initial layout's first
 * axis: neighbours start near each other there (spectral initialisation), so few edges cross a cut
 * and few reads are stale (on 20 Newsgroups' 5-d layout, measured in docs/reduce.md). Ties and equal
 * coordinates are broken by row index, so the plan depends only on its inputs.
 */
export function planBlocks(problem: LayoutProblem, blocks: number): BlockPlan {
  const { head, dim, nTail: rows } = problem;
  const start = problem.headEmbedding;
  const degree = new Int32Array(rows);
  for (let e = 0; e < head.length; e++) degree[head[e]]++;
  const byAxis = Array.from({ length: rows }, (_, i) => i).sort(
    (p, q) => start[p * dim] - start[q * dim] || p - q,
  );
  const rowBlock = new Uint8Array(rows);
  let seen = 0;
  for (const row of byAxis) {
    rowBlock[row] = Math.min(blocks - 1, Math.floor((seen * blocks) / Math.max(1, head.length)));
    seen += degree[row];
  }
  const edgeStart = new Int32Array(blocks + 1);
  for (let e = 0; e < head.length; e++) edgeStart[rowBlock[head[e]] + 1]++;
  for (let b = 0; b < blocks; b++) edgeStart[b + 1] += edgeStart[b];
  const next = edgeStart.slice(0, blocks);
  const edgeOrder = new Int32Array(head.length);
  for (let e = 0; e < head.length; e++) edgeOrder[next[rowBlock[head[e]]]++] = e;
  return { rowBlock, edgeOrder, edgeStart };
}

/**
 * Blocks for a fit of `edges` edges over `nEpochs` epochs, decided by its size alone so that the
 * layout does not depend on the machine: two blocks once the sequential layout would take about
 * two seconds (≈ 3·10⁷ edge-epochs; a worker thread starts in 30–40 ms from dist/, ~0.2 s under tsx),
 * else one.
 */
export function defaultLayoutBlocks(edges: number, nEpochs: number): number {
  return edges * nEpochs >= MIN_EDGE_EPOCHS_FOR_BLOCKS ? 2 : 1;
}

/** Lays the blocks' shared state out for a fit's `problem` (head and tail rows are the same array). */
export function blockedLayoutState(problem: LayoutProblem, plan: BlockPlan, rng: Rng): BlockedLayoutState {
  const blocks = plan.edgeStart.length - 1;
  const { dim, nTail } = problem;
  const { rowBlock, edgeOrder } = plan;
  const edges = edgeOrder.length;
  const head = sharedArray(Int32Array, edges);
  const tail = sharedArray(Int32Array, edges);
  const weights = new Float64Array(edges);
  for (let e = 0; e < edges; e++) {
    head[e] = problem.head[edgeOrder[e]];
    tail[e] = problem.tail[edgeOrder[e]];
    weights[e] = problem.weights[edgeOrder[e]];
  }
  // outbox sizes: an edge is sampled at most once per epoch, so its count of edges to each block
  const counts = new Int32Array(blocks * blocks);
  for (let b = 0; b < blocks; b++) {
    for (let e = plan.edgeStart[b]; e < plan.edgeStart[b + 1]; e++) {
      const c = rowBlock[tail[e]];
      if (c !== b) counts[b * blocks + c]++;
    }
  }
  const segmentStart = new Int32Array(blocks * blocks + 1);
  for (let s = 0; s < counts.length; s++) segmentStart[s + 1] = segmentStart[s] + counts[s];
  const total = segmentStart[blocks * blocks];
  const eps = epochsPerSample(weights, problem.nEpochs);
  const epsNeg = epochsPerNegativeSample(
    eps,
    problem.negativeSampleRate ?? 5,
    sharedArray(Float64Array, eps.length),
  );
  const streams = sharedArray(Uint32Array, blocks);
  for (let b = 0; b < blocks; b++) streams[b] = initialSampleState(rng);
  const embedding = sharedCopy(problem.headEmbedding);
  return {
    blocks,
    dim,
    nTail,
    nEpochs: problem.nEpochs,
    a: problem.a,
    b: problem.b,
    gamma: problem.gamma ?? 1,
    initialAlpha: problem.initialAlpha ?? 1,
    moveOther: problem.moveOther,
    edgeStart: sharedCopy(plan.edgeStart),
    head,
    tail,
    eps: sharedCopy(eps),
    epsNeg,
    nextSample: sharedCopy(eps),
    nextNeg: sharedCopy(epsNeg),
    embedding,
    snapshot: sharedCopy(embedding),
    rowBlock: sharedCopy(rowBlock),
    segmentStart: sharedCopy(segmentStart),
    fill: sharedArray(Int32Array, blocks * blocks),
    outRows: sharedArray(Int32Array, total),
    outDeltas: sharedArray(Float64Array, total * dim),
    streams,
    claims: sharedArray(Int32Array, blocks),
    control: sharedArray(Int32Array, 3),
  };
}

/** One thread's view of the blocks: an edge pass per block over the shared arrays. */
export function blockPasses(state: BlockedLayoutState): EdgePass[] {
  const passes: EdgePass[] = [];
  const { blocks } = state;
  for (let b = 0; b < blocks; b++) {
    const lo = state.edgeStart[b];
    const hi = state.edgeStart[b + 1];
    const pass = createEdgePass(
      {
        head: state.head,
        tail: state.tail,
        weights: new Float64Array(0),
        headEmbedding: state.embedding,
        tailEmbedding: state.embedding,
        nTail: state.nTail,
        dim: state.dim,
        nEpochs: state.nEpochs,
        a: state.a,
        b: state.b,
        moveOther: state.moveOther,
        gamma: state.gamma,
      },
      lo,
      hi,
      {
        schedule: {
          eps: state.eps.subarray(lo, hi),
          epsNeg: state.epsNeg.subarray(lo, hi),
          nextSample: state.nextSample.subarray(lo, hi),
          nextNeg: state.nextNeg.subarray(lo, hi),
        },
        block: {
          rowBlock: state.rowBlock,
          ownBlock: b,
          snapshot: state.snapshot,
          outbox: {
            segmentStart: state.segmentStart.subarray(b * blocks, (b + 1) * blocks),
            fill: state.fill.subarray(b * blocks, (b + 1) * blocks),
            rows: state.outRows,
            deltas: state.outDeltas,
          },
        },
      },
    );
    passes.push(pass);
  }
  return passes;
}

/** Applies the moves posted to block c (block order, then edge order) and refreshes its snapshot rows. */
function mergeBlock(state: BlockedLayoutState, c: number): void {
  const { blocks, dim, embedding, outRows, outDeltas } = state;
  for (let b = 0; b < blocks; b++) {
    if (b === c) continue;
    const slot = b * blocks + c;
    const start = state.segmentStart[slot];
    const end = start + state.fill[slot];
    for (let i = start; i < end; i++) {
      const row = outRows[i] * dim;
      for (let d = 0; d < dim; d++) embedding[row + d] -= outDeltas[i * dim + d];
    }
    state.fill[slot] = 0;
  }
  const { rowBlock, snapshot } = state;
  for (let row = 0; row < state.nTail; row++) {
    if (rowBlock[row] !== c) continue;
    for (let d = row * dim; d < (row + 1) * dim; d++) snapshot[d] = embedding[d];
  }
}

/**
 * Runs every block of `phase` that no thread has claimed yet (odd phases: the edges of epoch
 * (phase − 1) / 2; even: the merge after it). `fromBack` lets a worker start at the other end.
 */
export function workOnPhase(
  state: BlockedLayoutState,
  passes: EdgePass[],
  phase: number,
  fromBack: boolean,
): void {
  const { blocks, claims, control } = state;
  for (let i = 0; i < blocks; i++) {
    const b = fromBack ? blocks - 1 - i : i;
    const last = Atomics.load(claims, b);
    if (last >= phase || Atomics.compareExchange(claims, b, last, phase) !== last) continue;
    if (phase % 2 === 1) {
      const epoch = (phase - 1) / 2;
      state.streams[b] = runEdges(
        passes[b],
        epoch,
        learningRate(state.initialAlpha, epoch, state.nEpochs),
        state.streams[b],
      );
    } else {
      mergeBlock(state, b);
    }
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
  }
}

/** A worker's loop: wait for the next phase, work on it, until told to stop. */
export function serveBlocks(state: BlockedLayoutState): void {
  const passes = blockPasses(state);
  const { control } = state;
  let seen = 0;
  try {
    for (;;) {
      Atomics.wait(control, PHASE, seen);
      const phase = Atomics.load(control, PHASE);
      if (phase === STOP) return;
      seen = phase;
      workOnPhase(state, passes, phase, true);
    }
  } catch (error) {
    Atomics.store(control, FAILED, 1);
    Atomics.notify(control, DONE);
    throw error;
  }
}

export interface BlockedLayoutOptions {
  blocks: number;
  /** Threads that work on the blocks, the caller's included (default: the cores); the result does not depend on it. */
  threads?: number;
  onEpoch?: (epoch: number, total: number) => void;
}

/**
 * Lays out a fit's `problem` in blocks and writes the result into problem.headEmbedding. One block,
 * or a transform (head rows apart from the tail rows), runs the sequential layout.
 */
export function optimizeLayoutBlocked(problem: LayoutProblem, rng: Rng, options: BlockedLayoutOptions): void {
  const blocks = Math.min(MAX_BLOCKS, Math.max(1, Math.floor(options.blocks)));
  if (blocks === 1 || problem.headEmbedding !== problem.tailEmbedding) {
    optimizeLayout(problem, rng, options.onEpoch);
    return;
  }
  const plan = planBlocks(problem, blocks);
  const state = blockedLayoutState(problem, plan, rng);
  const passes = blockPasses(state);
  const workers: Worker[] = [];
  const helpers = Math.min(blocks, Math.max(1, Math.floor(options.threads ?? availableParallelism()))) - 1;
  for (let w = 0; w < helpers; w++) {
    const worker = startModuleWorker(siblingModule("optimize-worker", import.meta.url), state);
    // a worker that fails to start leaves its blocks to this thread; one that fails in a block sets
    // the FAILED word, which the loop below turns into an error: the event itself must not crash us
    worker.on("error", () => {});
    workers.push(worker);
  }
  const { control } = state;
  let finished = 0;
  try {
    for (let epoch = 0; epoch < state.nEpochs; epoch++) {
      for (const phase of [2 * epoch + 1, 2 * epoch + 2]) {
        Atomics.store(control, PHASE, phase);
        Atomics.notify(control, PHASE);
        workOnPhase(state, passes, phase, false);
        finished += blocks;
        // the caller waits for blocks a worker claimed (Atomics.wait is allowed on Node's main thread)
        for (let done = Atomics.load(control, DONE); done < finished; done = Atomics.load(control, DONE)) {
          if (Atomics.load(control, FAILED) !== 0) throw new Error("UMAP layout worker failed");
          Atomics.wait(control, DONE, done, 1000);
        }
      }
      options.onEpoch?.(epoch + 1, state.nEpochs);
    }
  } finally {
    Atomics.store(control, PHASE, STOP);
    Atomics.notify(control, PHASE);
    for (const worker of workers) void worker.terminate();
  }
  problem.headEmbedding.set(state.embedding);
}
