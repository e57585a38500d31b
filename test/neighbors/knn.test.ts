import assert from "node:assert/strict";
import { test } from "node:test";
import { knn, knnQuery } from "../../src/neighbors/index.js";
import type { Matrix } from "../../src/types.js";
import { UserError } from "../../src/util/errors.js";
import { createSilentLogger } from "../../src/util/log.js";
import { createRng } from "../../src/util/rng.js";

function randomMatrix(rows: number, cols: number, seed: number, clusters = 0): Matrix {
  const rng = createRng(seed);
  const centres = Array.from({ length: clusters }, () =>
    Array.from({ length: cols }, () => rng.nextGaussian() * 3),
  );
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++)
      data[i * cols + j] = rng.nextGaussian() + (clusters > 0 ? centres[i % clusters][j] : 0);
  }
  return { data, rows, cols };
}

/** Brute force in float64: for every row, distances to all other rows. */
function bruteForce(m: Matrix, metric: "cosine" | "euclidean"): Float64Array[] {
  const { data, rows, cols } = m;
  const out: Float64Array[] = [];
  for (let i = 0; i < rows; i++) {
    const d = new Float64Array(rows);
    for (let j = 0; j < rows; j++) {
      let dot = 0;
      let ni = 0;
      let nj = 0;
      let sq = 0;
      for (let c = 0; c < cols; c++) {
        const a = data[i * cols + c];
        const b = data[j * cols + c];
        dot += a * b;
        ni += a * a;
        nj += b * b;
        sq += (a - b) * (a - b);
      }
      d[j] = metric === "cosine" ? 1 - dot / Math.sqrt(ni * nj) : Math.sqrt(sq);
    }
    out.push(d);
  }
  return out;
}

for (const metric of ["cosine", "euclidean"] as const) {
  for (const backend of ["ort", "js"] as const) {
    test(`exact kNN (${metric}, ${backend}) equals brute force up to ties`, async () => {
      const m = randomMatrix(300, 24, 11);
      const k = 10;
      // small blocks so that several blocks (and the self-join's column candidates) are exercised
      const result = await knn(m, k, { metric, method: "exact", backend, blockRows: 37 });
      const reference = bruteForce(m, metric);
      for (let i = 0; i < m.rows; i++) {
        assert.equal(result.indices[i * k], i, "row is its own first neighbour");
        assert.equal(result.distances[i * k], 0);
        const others = Array.from(reference[i].keys())
          .filter((j) => j !== i)
          .sort((a, b) => reference[i][a] - reference[i][b]);
        const kth = reference[i][others[k - 2]];
        for (let t = 1; t < k; t++) {
          const j = result.indices[i * k + t];
          assert.notEqual(j, i);
          // a returned neighbour is never farther than the true (k−1)-th other row, beyond float32 noise
          assert.ok(reference[i][j] <= kth + 1e-5, `row ${i}: neighbour ${j} at ${reference[i][j]} > ${kth}`);
          assert.ok(Math.abs(result.distances[i * k + t] - reference[i][j]) < 1e-4, "distance value");
          if (t > 1) assert.ok(result.distances[i * k + t] >= result.distances[i * k + t - 1], "sorted");
        }
        const expected = new Set(others.slice(0, k - 1).filter((j) => reference[i][j] < kth - 1e-5));
        const got = new Set(result.indices.subarray(i * k + 1, (i + 1) * k));
        for (const j of expected) assert.ok(got.has(j), `row ${i}: missing neighbour ${j}`);
      }
    });
  }
}

test("knnQuery finds an indexed row as its own nearest neighbour", async () => {
  const m = randomMatrix(200, 16, 5);
  const queries = { data: m.data.slice(16 * 10, 16 * 13), rows: 3, cols: 16 };
  const result = await knnQuery(m, queries, 4, { metric: "cosine" });
  assert.deepEqual(Array.from(result.indices.filter((_, p) => p % 4 === 0)), [10, 11, 12]);
});

test("HNSW recall@15 ≥ 0.95 against exact search on clustered data", async () => {
  const m = randomMatrix(3000, 32, 3, 20);
  const k = 15;
  const exact = await knn(m, k, { method: "exact" });
  const approx = await knn(m, k, { method: "hnsw", seed: 1 });
  let hits = 0;
  for (let i = 0; i < m.rows; i++) {
    const truth = new Set(exact.indices.subarray(i * k, (i + 1) * k));
    assert.equal(approx.indices[i * k], i);
    for (let t = 0; t < k; t++) if (truth.has(approx.indices[i * k + t])) hits++;
  }
  const recall = hits / (m.rows * k);
  assert.ok(recall >= 0.95, `recall ${recall}`);
  // same seed, same graph
  const again = await knn(m, k, { method: "hnsw", seed: 1 });
  assert.deepEqual(again.indices, approx.indices);
});

test("auto picks HNSW from the threshold on", async () => {
  const m = randomMatrix(120, 8, 9);
  const exact = await knn(m, 5, { hnswThreshold: 1000 });
  const hnsw = await knn(m, 5, { hnswThreshold: 100 });
  let same = 0;
  for (let p = 0; p < exact.indices.length; p++) if (exact.indices[p] === hnsw.indices[p]) same++;
  assert.ok(same / exact.indices.length > 0.9);
});

test("bad input: NaN rows are named, too few rows for k is a clear error", async () => {
  const m = randomMatrix(20, 4, 2);
  m.data[7 * 4 + 2] = Number.NaN;
  await assert.rejects(knn(m, 5), (e: unknown) => e instanceof UserError && /row 7/.test(e.message));
  const small = randomMatrix(4, 3, 2);
  await assert.rejects(
    knn(small, 5),
    (e: unknown) => e instanceof UserError && /at least 5 rows/.test(e.message),
  );
});

test("zero rows under cosine: distance 0 to each other, 1 to the rest, with a warning", async () => {
  const m = randomMatrix(30, 6, 4);
  for (const zero of [3, 17]) m.data.fill(0, zero * 6, zero * 6 + 6);
  const logger = createSilentLogger();
  const result = await knn(m, 3, { logger });
  assert.match(logger.warnings.join("\n"), /2 all-zero rows \(3, 17\)/);
  assert.equal(result.indices[3 * 3 + 1], 17);
  assert.equal(result.distances[3 * 3 + 1], 0);
  assert.ok(Math.abs(result.distances[3 * 3 + 2] - 1) < 1e-6);
  for (let i = 0; i < 30; i++)
    if (i !== 3 && i !== 17)
      assert.ok(!Array.from(result.indices.subarray(i * 3 + 1, i * 3 + 3)).includes(3));
});
