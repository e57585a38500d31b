/** Bad and degenerate input: clear UserErrors, and defined answers (no crash, no hang) for duplicates. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitHdbscan } from "../../src/cluster/hdbscan/index.js";
import { approximatePredict } from "../../src/cluster/hdbscan/predict.js";
import { membershipVectors } from "../../src/cluster/hdbscan/soft.js";
import { createClusterer } from "../../src/cluster/index.js";
import { UserError } from "../../src/util/errors.js";
import { createRng } from "../../src/util/rng.js";
import { matrix1d, matrixFromRows } from "./helpers.js";

const userError = (pattern: RegExp) => (error: unknown) =>
  error instanceof UserError && pattern.test(error.message);

describe("bad input", () => {
  it("names the row holding NaN or Infinity", () => {
    assert.throws(
      () =>
        fitHdbscan(
          matrixFromRows([
            [0, 1],
            [2, Number.NaN],
            [3, 4],
          ]),
        ),
      userError(/row 1 .*NaN/),
    );
    assert.throws(
      () =>
        fitHdbscan(
          matrixFromRows([
            [0, 1],
            [2, 3],
            [3, Number.POSITIVE_INFINITY],
          ]),
          { minClusterSize: 2 },
        ),
      userError(/row 2 .*Infinity/),
    );
  });

  it("rejects an empty matrix", () => {
    assert.throws(() => fitHdbscan({ data: new Float32Array(0), rows: 0, cols: 5 }), userError(/empty/));
  });

  it("rejects fewer points than min_samples", () => {
    assert.throws(
      () => fitHdbscan(matrix1d([1, 2, 3]), { minClusterSize: 5 }),
      userError(/at least min_samples = 5/),
    );
  });

  it("rejects min_cluster_size < 2 and bad min_samples / epsilon", () => {
    assert.throws(
      () => fitHdbscan(matrix1d([1, 2, 3]), { minClusterSize: 1 }),
      userError(/min_cluster_size .*≥ 2/),
    );
    assert.throws(
      () => fitHdbscan(matrix1d([1, 2, 3]), { minClusterSize: 2.5 }),
      userError(/min_cluster_size/),
    );
    assert.throws(
      () => fitHdbscan(matrix1d([1, 2, 3]), { minClusterSize: 2, minSamples: 0 }),
      userError(/min_samples/),
    );
    assert.throws(
      () => fitHdbscan(matrix1d([1, 2, 3]), { minClusterSize: 2, epsilon: -1 }),
      userError(/epsilon/),
    );
  });

  it("rejects all-zero rows under cosine", () => {
    assert.throws(
      () =>
        fitHdbscan(
          matrixFromRows([
            [1, 0],
            [0, 0],
            [0, 1],
          ]),
          { minClusterSize: 2, metric: "cosine" },
        ),
      userError(/row 1 is all zeros/),
    );
  });

  it("rejects prediction input of another width", () => {
    const model = fitHdbscan(matrix1d([0, 1, 2, 10, 11, 12]), { minClusterSize: 3, minSamples: 1 });
    assert.throws(
      () => approximatePredict(model, matrixFromRows([[1, 2]])),
      userError(/2 columns .* fitted on 1/),
    );
  });
});

describe("degenerate input has defined answers", () => {
  it("all points identical: everything is noise, or one cluster with allow_single_cluster", () => {
    const points = matrixFromRows(Array.from({ length: 500 }, () => [1.5, -2, 3]));
    for (const mstAlgorithm of ["boruvka", "prim"] as const) {
      const m = fitHdbscan(points, { minClusterSize: 5, mstAlgorithm });
      assert.ok(m.labels.every((l) => l === -1));
      assert.ok(m.outlierScores.every((s) => s === 0));
      const single = fitHdbscan(points, { minClusterSize: 5, mstAlgorithm, allowSingleCluster: true });
      assert.ok(single.labels.every((l) => l === 0));
      assert.ok(single.probabilities.every((p) => p === 1));
    }
  });

  it("a large block of duplicates next to real clusters is fast and stays one cluster", () => {
    const rng = createRng(3);
    const rows: number[][] = [];
    for (let i = 0; i < 20000; i++) rows.push([5, 5]);
    for (let i = 0; i < 2000; i++) rows.push([rng.nextGaussian(), rng.nextGaussian()]);
    const start = performance.now();
    const m = fitHdbscan(matrixFromRows(rows), { minClusterSize: 10 });
    assert.ok(performance.now() - start < 5000, "took too long");
    const duplicateLabel = m.labels[0];
    assert.ok(duplicateLabel >= 0);
    for (let i = 0; i < 20000; i++) assert.equal(m.labels[i], duplicateLabel);
    assert.ok(Array.from(m.probabilities).every(Number.isFinite));
    assert.ok(Array.from(m.outlierScores).every((s) => s >= 0 && s <= 1));
  });

  it("duplicates give finite membership vectors", () => {
    const rows = [
      ...Array.from({ length: 6 }, () => [0, 0]),
      [0.1, 0],
      [0, 0.1],
      ...Array.from({ length: 6 }, () => [9, 9]),
    ];
    const m = fitHdbscan(matrixFromRows(rows), { minClusterSize: 3 });
    const v = membershipVectors(m);
    assert.ok(v.cols >= 1);
    assert.ok(Array.from(v.data).every((x) => Number.isFinite(x) && x >= 0 && x <= 1 + 1e-6));
  });

  it("min_samples equal to n is clamped to n − 1 (as the Python package)", () => {
    const m = fitHdbscan(matrix1d([0, 1, 3, 6]), { minClusterSize: 2, minSamples: 4 });
    assert.equal(m.effectiveMinSamples, 3);
    assert.deepEqual(Array.from(m.coreDistances), [3, 2, 3, 5]);
  });

  it("is deterministic", () => {
    const rng = createRng(11);
    const rows = Array.from({ length: 3000 }, (_, i) => [
      rng.nextGaussian() + (i % 3) * 3,
      rng.nextGaussian(),
    ]);
    const a = createClusterer({ minClusterSize: 15 }).fit(matrixFromRows(rows));
    const b = createClusterer({ minClusterSize: 15 }).fit(matrixFromRows(rows));
    assert.deepEqual(a.labels, b.labels);
    assert.deepEqual(a.probabilities, b.probabilities);
    assert.deepEqual(a.outlierScores, b.outlierScores);
  });
});
