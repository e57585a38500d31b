import assert from "node:assert/strict";
import { test } from "node:test";
import { chooseMethod, estimatedSeconds, knn, knnQuery } from "../../src/neighbors/index.js";
import { rpTreeLeaves } from "../../src/neighbors/nndescent-core.js";
import { prepareRows } from "../../src/neighbors/prepare.js";
import { createRng } from "../../src/util/rng.js";
import { clustered, recall } from "./helpers.js";

for (const metric of ["cosine", "euclidean"] as const) {
  test(`NN-descent (${metric}): recall@15 ≥ 0.98 against exact, self first, distances ascending and exact`, async () => {
    const m = clustered(3000, 32, 5);
    const k = 15;
    const exact = await knn(m, k, { method: "exact", metric, backend: "js" });
    const approx = await knn(m, k, { method: "nndescent", metric, seed: 3, threads: 0 });
    const r = recall(exact.indices, approx.indices, m.rows, k);
    assert.ok(r >= 0.98, `recall ${r}`);
    for (let i = 0; i < m.rows; i++) {
      assert.equal(approx.indices[i * k], i);
      assert.equal(approx.distances[i * k], 0);
      for (let j = 2; j < k; j++) assert.ok(approx.distances[i * k + j] >= approx.distances[i * k + j - 1]);
    }
    // a reported distance is the true distance of that pair (row 0's neighbours against the exact kernel's)
    const exactDistance = new Map<number, number>();
    for (let j = 0; j < k; j++) exactDistance.set(exact.indices[j], exact.distances[j]);
    for (let j = 0; j < k; j++) {
      const want = exactDistance.get(approx.indices[j]);
      if (want !== undefined) assert.ok(Math.abs(want - approx.distances[j]) < 1e-4);
    }
  });
}

test("NN-descent: same seed, same graph; another seed, another (still good) graph", async () => {
  const m = clustered(2000, 16, 8);
  const a = await knn(m, 10, { method: "nndescent", seed: 1, threads: 0 });
  const b = await knn(m, 10, { method: "nndescent", seed: 1, threads: 0 });
  assert.deepEqual(b.indices, a.indices);
  assert.deepEqual(b.distances, a.distances);
  const c = await knn(m, 10, { method: "nndescent", seed: 2, threads: 0 });
  assert.notDeepEqual(c.indices, a.indices);
});

test("NN-descent on worker threads gives the graph of the calling thread, bit for bit", async () => {
  // 10,000 rows: the size from which workers are used at all (MIN_ROWS_FOR_WORKERS)
  const m = clustered(10000, 12, 4, { clusters: 40 });
  const inline = await knn(m, 15, { method: "nndescent", seed: 9, threads: 0 });
  const threaded = await knn(m, 15, { method: "nndescent", seed: 9, threads: 2 });
  assert.deepEqual(threaded.indices, inline.indices);
  assert.deepEqual(threaded.distances, inline.distances);
});

test("random projection tree: its leaves partition the rows, none larger than the leaf size", () => {
  const m = clustered(1000, 8, 2);
  const { order, bounds } = rpTreeLeaves(prepareRows(m, "cosine"), createRng(1), 15);
  assert.deepEqual(
    [...order].sort((x, y) => x - y),
    Array.from({ length: 1000 }, (_, i) => i),
  );
  let covered = 0;
  for (let b = 0; b < bounds.length; b += 2) {
    assert.ok(bounds[b + 1] - bounds[b] <= 15 && bounds[b + 1] > bounds[b]);
    covered += bounds[b + 1] - bounds[b];
  }
  assert.equal(covered, 1000);
});

test("auto decides by estimated cost (rows and dimension), never below 5,000 rows", () => {
  // the cost model (cost.ts) puts the crossover near 4,100 rows at d = 32 and 5,000 at 384–512
  // (NN-descent's distances in WebAssembly SIMD); exact below 5,000 rows whatever it says
  assert.equal(chooseMethod(4000, {}, 32), "exact");
  assert.equal(chooseMethod(4999, {}, 384), "exact");
  assert.equal(chooseMethod(5050, {}, 384), "nndescent");
  assert.equal(chooseMethod(8000, {}, 512), "nndescent");
  assert.ok(estimatedSeconds("nndescent", 8000, 32) < estimatedSeconds("nndescent", 8000, 512));
  assert.equal(chooseMethod(1_000_000, {}, 384), "nndescent");
  assert.ok(estimatedSeconds("exact", 100000, 384) > 10 * estimatedSeconds("nndescent", 100000, 384));
  // explicit choices and the legacy row threshold still win
  assert.equal(chooseMethod(1_000_000, { method: "exact" }, 384), "exact");
  assert.equal(chooseMethod(200, { hnswThreshold: 100 }, 384), "hnsw");
});

test("knnQuery's auto keeps exact search for new points against 30,000 indexed rows (no index built per call)", async () => {
  const base = clustered(30000, 4, 6);
  const queries = clustered(10, 4, 7);
  const auto = await knnQuery(base, queries, 5);
  const exact = await knnQuery(base, queries, 5, { method: "exact" });
  assert.deepEqual(auto.indices, exact.indices);
});
