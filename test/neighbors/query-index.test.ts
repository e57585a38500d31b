/**
 * The query index (neighbors/query-index.ts, graph-search.ts): new points searched over the indexed
 * rows' own kNN graph from random-projection-tree leaves — what `fit --sample` assigns a million
 * documents with. Checked against exact search on clustered rows like embeddings.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildQueryIndex, knnQuery, preferGraphQuery } from "../../src/neighbors/index.js";
import type { Matrix } from "../../src/types.js";
import { clustered, recall } from "./helpers.js";

/** Clustered rows (helpers.ts), split into indexed rows and queries from the same clusters. */
function clusteredSplit(
  rows: number,
  queries: number,
  cols: number,
  seed: number,
): { base: Matrix; queries: Matrix } {
  const { data } = clustered(rows + queries, cols, seed, { clusters: 25, pick: "random" });
  return {
    base: { data: data.slice(0, rows * cols), rows, cols },
    queries: { data: data.slice(rows * cols), rows: queries, cols },
  };
}

for (const metric of ["cosine", "euclidean"] as const) {
  test(`query index (${metric}): recall@10 ≥ 0.97 against exact, true distances, ascending`, async () => {
    const { base, queries } = clusteredSplit(6000, 400, 24, 11);
    const k = 10;
    const index = await buildQueryIndex(base, {
      metric,
      seed: 5,
      neighbors: { method: "nndescent", threads: 0 },
    });
    assert.equal(index.size, 6000);
    const got = index.query(queries, k);
    const exact = await knnQuery(base, queries, k, { metric, method: "exact", backend: "js" });
    const r = recall(exact.indices, got.indices, queries.rows, k);
    assert.ok(r >= 0.97, `recall ${r}`);
    for (let q = 0; q < queries.rows; q++) {
      for (let j = 1; j < k; j++) assert.ok(got.distances[q * k + j] >= got.distances[q * k + j - 1]);
    }
    // a reported distance is the distance of that pair, computed here directly
    for (const q of [0, 17, 399]) {
      for (let j = 0; j < k; j++) {
        const row = got.indices[q * k + j];
        const x = base.data.subarray(row * base.cols, (row + 1) * base.cols);
        const y = queries.data.subarray(q * queries.cols, (q + 1) * queries.cols);
        let dot = 0;
        let xx = 0;
        let yy = 0;
        let sq = 0;
        for (let d = 0; d < x.length; d++) {
          dot += x[d] * y[d];
          xx += x[d] * x[d];
          yy += y[d] * y[d];
          sq += (x[d] - y[d]) ** 2;
        }
        const want = metric === "cosine" ? 1 - dot / Math.sqrt(xx * yy) : Math.sqrt(sq);
        assert.ok(Math.abs(got.distances[q * k + j] - want) < 1e-4, `${got.distances[q * k + j]} vs ${want}`);
      }
    }
  });
}

test("query index: the answer for a point does not depend on the batch it comes in, nor on the run", async () => {
  const { base, queries } = clusteredSplit(3000, 120, 16, 3);
  const build = () => buildQueryIndex(base, { seed: 9, neighbors: { method: "nndescent", threads: 0 } });
  const index = await build();
  const whole = index.query(queries, 8);
  const again = (await build()).query(queries, 8);
  assert.deepEqual(again.indices, whole.indices);
  const half = 60 * queries.cols;
  const first = index.query({ data: queries.data.slice(0, half), rows: 60, cols: queries.cols }, 8);
  const second = index.query({ data: queries.data.slice(half), rows: 60, cols: queries.cols }, 8);
  assert.deepEqual([...first.indices, ...second.indices], [...whole.indices]);
});

test("query index: queries of another width and k beyond the rows are refused", async () => {
  const { base } = clusteredSplit(500, 0, 8, 2);
  const index = await buildQueryIndex(base, { neighbors: { method: "exact", backend: "js" } });
  assert.throws(() => index.query({ data: new Float32Array(4), rows: 1, cols: 4 }, 3), /4 dimensions/);
  assert.throws(() => index.query({ data: new Float32Array(8), rows: 1, cols: 8 }, 501), /k must be/);
});

test("preferGraphQuery: an index pays for itself only for many queries against many rows", () => {
  // a streaming assignment: 950,000 documents against a 50,000-row sample
  assert.equal(preferGraphQuery(950000, 50000, 384), true);
  // a transform of a few documents: exact search
  assert.equal(preferGraphQuery(200, 50000, 384), false);
  // a small model: exact search whatever the queries
  assert.equal(preferGraphQuery(950000, 2000, 384), false);
});

test("query index: a second thread gives query's answers bit for bit (distances included)", async () => {
  const { base, queries } = clusteredSplit(5000, 4500, 16, 4);
  const index = await buildQueryIndex(base, { seed: 3, neighbors: { method: "nndescent", threads: 0 } });
  const one = index.query(queries, 10);
  const two = await index.queryParallel(queries, 10, 2);
  assert.deepEqual(two.indices, one.indices);
  assert.deepEqual(two.distances, one.distances);
  // and again, with the index in shared memory now, on one thread
  assert.deepEqual(index.query(queries, 10).indices, one.indices);
  // few queries stay on this thread
  const few = { data: queries.data.slice(0, 16 * 50), rows: 50, cols: 16 };
  assert.deepEqual((await index.queryParallel(few, 10, 2)).indices, index.query(few, 10).indices);
});
