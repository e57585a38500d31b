import assert from "node:assert/strict";
import { test } from "node:test";
import { createReducer } from "../../src/reduce/index.js";
import { trustworthiness } from "../../src/reduce/trustworthiness.js";
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

test("parallel UMAP layout (2 threads): the trustworthiness of the sequential layout, within 0.01", async () => {
  // 8,000 rows give ~170,000 edges: enough for two workers (50,000 edges each at least)
  const m = blobs(8000, 20, 12, 3);
  const sequential = await createReducer({ seed: 1, nEpochs: 100, init: "random" }).fit(m);
  const parallel = await createReducer({ seed: 1, nEpochs: 100, init: "random", layoutThreads: 2 }).fit(m);
  assert.equal(parallel.rows, m.rows);
  assert.equal(parallel.cols, 5);
  assert.ok(parallel.data.every(Number.isFinite));
  assert.notDeepEqual(parallel.data, sequential.data, "the parallel path really ran");
  const tSeq = trustworthiness(sample(m, 4), sample(sequential, 4), 15);
  const tPar = trustworthiness(sample(m, 4), sample(parallel, 4), 15);
  assert.ok(Math.abs(tPar - tSeq) <= 0.01, `trustworthiness sequential ${tSeq}, parallel ${tPar}`);
  assert.ok(tSeq > 0.9);
});
