import assert from "node:assert/strict";
import { test } from "node:test";
import { createReducer } from "../../src/reduce/index.js";
import { trustworthiness } from "../../src/reduce/trustworthiness.js";
import { defaultEpochs, umapLearnEpochs } from "../../src/reduce/umap/fit.js";
import { type LayoutProblem, optimizeLayout } from "../../src/reduce/umap/optimize.js";
import {
  blockedLayoutState,
  blockPasses,
  defaultLayoutBlocks,
  optimizeLayoutBlocked,
  planBlocks,
  workOnPhase,
} from "../../src/reduce/umap/optimize-blocks.js";
import type { Matrix } from "../../src/types.js";
import { createRng } from "../../src/util/rng.js";

function blobs(rows: number, cols: number, clusters: number, seed: number): Matrix {
  const rng = createRng(seed);
  const centres = Array.from({ length: clusters }, () =>
    Array.from({ length: cols }, () => rng.nextGaussian() * 2),
  );
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) data[i * cols + j] = centres[i % clusters][j] + rng.nextGaussian() * 0.6;
  return { data, rows, cols };
}

function sample(m: Matrix, every: number): Matrix {
  const rows = Math.ceil(m.rows / every);
  const out = new Float32Array(rows * m.cols);
  for (let r = 0; r < rows; r++)
    out.set(m.data.subarray(r * every * m.cols, (r * every + 1) * m.cols), r * m.cols);
  return { data: out, rows, cols: m.cols };
}

test("blocked UMAP layout: the same layout on one thread and on two, and the sequential layout's trustworthiness", async () => {
  // 8,000 rows give ~170,000 edges
  const m = blobs(8000, 20, 12, 3);
  const options = { seed: 1, nEpochs: 100 };
  const sequential = await createReducer({ ...options, layoutBlocks: 1 }).fit(m);
  const oneThread = await createReducer({ ...options, layoutBlocks: 2, layoutThreads: 1 }).fit(m);
  const twoThreads = await createReducer({ ...options, layoutBlocks: 2, layoutThreads: 2 }).fit(m);
  assert.equal(twoThreads.rows, m.rows);
  assert.equal(twoThreads.cols, 5);
  assert.ok(twoThreads.data.every(Number.isFinite));
  assert.deepEqual(twoThreads.data, oneThread.data, "the threads do not change the layout");
  assert.notDeepEqual(twoThreads.data, sequential.data, "the blocked path really ran");
  const tSeq = trustworthiness(sample(m, 4), sample(sequential, 4), 15);
  const tBlocked = trustworthiness(sample(m, 4), sample(twoThreads, 4), 15);
  assert.ok(Math.abs(tBlocked - tSeq) <= 0.01, `trustworthiness sequential ${tSeq}, blocked ${tBlocked}`);
  assert.ok(tSeq > 0.9);
});

test("one layout block is the sequential layout, bit for bit", () => {
  const problem = smallProblem();
  const sequential = { ...problem, headEmbedding: problem.headEmbedding.slice() };
  sequential.tailEmbedding = sequential.headEmbedding;
  optimizeLayout(sequential, createRng(5));
  optimizeLayoutBlocked(problem, createRng(5), { blocks: 1, threads: 2 });
  assert.deepEqual(problem.headEmbedding, sequential.headEmbedding);
});

test("blocks: rows cut along the first axis into equal edge shares, each block's edges in their order", () => {
  const problem = smallProblem();
  const plan = planBlocks(problem, 3);
  const counts = [0, 0, 0];
  for (let e = 0; e < problem.head.length; e++) counts[plan.rowBlock[problem.head[e]]]++;
  assert.deepEqual(Array.from(plan.edgeStart), [0, counts[0], counts[0] + counts[1], problem.head.length]);
  for (const share of counts) assert.ok(Math.abs(share - problem.head.length / 3) <= 12, `shares ${counts}`);
  // a row's block never decreases along the first coordinate
  const rows = Array.from({ length: problem.nTail }, (_, i) => i).sort(
    (p, q) => problem.headEmbedding[p * 2] - problem.headEmbedding[q * 2],
  );
  for (let i = 1; i < rows.length; i++) assert.ok(plan.rowBlock[rows[i]] >= plan.rowBlock[rows[i - 1]]);
  // every edge once, grouped by block, in the original order inside a block
  assert.deepEqual(
    Array.from(plan.edgeOrder).sort((p, q) => p - q),
    Array.from({ length: problem.head.length }, (_, e) => e),
  );
  for (let b = 0; b < 3; b++) {
    for (let i = plan.edgeStart[b]; i < plan.edgeStart[b + 1]; i++) {
      assert.equal(plan.rowBlock[problem.head[plan.edgeOrder[i]]], b);
      if (i > plan.edgeStart[b]) assert.ok(plan.edgeOrder[i] > plan.edgeOrder[i - 1]);
    }
  }
});

test("blocks: whichever thread claims a block, each runs once per phase and the layout is the same", () => {
  const expected = smallProblem();
  optimizeLayoutBlocked(expected, createRng(3), { blocks: 3, threads: 1 });
  const problem = smallProblem();
  const state = blockedLayoutState(problem, planBlocks(problem, 3), createRng(3));
  // two "threads" with their own passes over the same shared state, taking turns to come first
  const first = blockPasses(state);
  const second = blockPasses(state);
  for (let epoch = 0; epoch < problem.nEpochs; epoch++) {
    for (const phase of [2 * epoch + 1, 2 * epoch + 2]) {
      const [early, late] = epoch % 2 === 0 ? [first, second] : [second, first];
      workOnPhase(state, early, phase, epoch % 3 === 0);
      workOnPhase(state, late, phase, false);
    }
  }
  assert.equal(state.control[1], 2 * 3 * problem.nEpochs, "every block once per phase");
  assert.deepEqual(state.embedding, expected.headEmbedding);
});

test("blocks decided by the layout's size alone", () => {
  // BBC's 45,466 edges × 500 epochs: one; AG News 165,452 × 500 and 20 Newsgroups 426,900 × 100: two
  assert.equal(defaultLayoutBlocks(45466, 500), 1);
  assert.equal(defaultLayoutBlocks(165452, 500), 2);
  assert.equal(defaultLayoutBlocks(426900, 100), 2);
  assert.equal(defaultLayoutBlocks(299999, 100), 1);
  assert.equal(defaultLayoutBlocks(300000, 100), 2);
});

test("default epochs: umap-learn's 500 up to 10,000 rows, 100 above from the spectral start; 500 / 200 from a random one", () => {
  assert.equal(defaultEpochs(10000), 500);
  assert.equal(defaultEpochs(10001), 100);
  assert.equal(defaultEpochs(10000, "random"), 500);
  assert.equal(defaultEpochs(10001, "random"), 200);
  assert.equal(umapLearnEpochs(2225), 500);
});

/** 60 rows on a ring in 2-d, each joined to its 4 nearest ring neighbours both ways (edges sorted by head). */
function smallProblem(): LayoutProblem {
  const n = 60;
  const rng = createRng(9);
  const embedding = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    embedding[i * 2] = Math.cos((2 * Math.PI * i) / n) * 5 + rng.next();
    embedding[i * 2 + 1] = Math.sin((2 * Math.PI * i) / n) * 5 + rng.next();
  }
  const head: number[] = [];
  const tail: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const step of [-2, -1, 1, 2]) {
      head.push(i);
      tail.push((i + step + n) % n);
      weights.push(Math.abs(step) === 1 ? 1 : 0.4);
    }
  }
  return {
    head: Int32Array.from(head),
    tail: Int32Array.from(tail),
    weights: Float64Array.from(weights),
    headEmbedding: embedding,
    tailEmbedding: embedding,
    nTail: n,
    dim: 2,
    nEpochs: 30,
    a: 1.58,
    b: 0.9,
    moveOther: true,
  };
}
