/**
 * Hand-checkable HDBSCAN cases on 1-D points with min_samples = 1 (core distance 0, so mutual
 * reachability is the plain distance and the single-linkage tree can be read off the number line).
 * The expected values are worked out in the comments.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitHdbscan } from "../../src/cluster/hdbscan/index.js";
import { approximatePredict } from "../../src/cluster/hdbscan/predict.js";
import { membershipVectors } from "../../src/cluster/hdbscan/soft.js";
import { assertClose, matrix1d } from "./helpers.js";

describe("two clusters and noise: [0, 1] [10, 11] and 30, min_cluster_size 2", () => {
  // Merges: 0–1 and 10–11 at 1, the pairs at 9, then 30 at 19. Condensed: 30 leaves the root at
  // λ = 1/19; the root splits into {0,1} and {10,11} at λ = 1/9; each pair's points leave at λ = 1.
  // Stabilities: pairs (1 − 1/9)·2 = 16/9 each, root excluded → both pairs selected.
  const model = fitHdbscan(matrix1d([0, 1, 10, 11, 30]), { minClusterSize: 2, minSamples: 1 });

  it("labels", () => {
    assert.deepEqual(Array.from(model.labels), [0, 0, 1, 1, -1]);
  });

  it("condensed tree", () => {
    const t = model.condensedTree;
    assert.equal(t.clusterCount, 3);
    const rows = Array.from(t.parent, (p, i) => [p, t.child[i], t.lambda[i], t.childSize[i]]);
    assert.deepEqual(
      rows.map((r) => r.join(" ")),
      [`5 4 ${1 / 19} 1`, `5 6 ${1 / 9} 2`, `5 7 ${1 / 9} 2`, "6 0 1 1", "6 1 1 1", "7 2 1 1", "7 3 1 1"],
    );
    assertClose(model.hierarchy.stability[1], 16 / 9, 1e-12, "stability of {0,1}");
  });

  it("single-linkage tree in scipy format", () => {
    const s = model.singleLinkageTree;
    assert.deepEqual(Array.from(s.distance), [1, 1, 9, 19]);
    assert.deepEqual(Array.from(s.size), [2, 2, 4, 5]);
  });

  it("probabilities and GLOSH", () => {
    assert.deepEqual(Array.from(model.probabilities), [1, 1, 1, 1, 0]);
    // 30 leaves the root at 1/19; the densest level below the root is λ = 1 → (1 − 1/19) / 1.
    assertClose(model.outlierScores[4], 18 / 19, 1e-6, "outlier score of 30");
    assert.deepEqual(Array.from(model.outlierScores.subarray(0, 4)), [0, 0, 0, 0]);
  });

  it("approximatePredict returns the training label for points in dense cores", () => {
    const p = approximatePredict(model, matrix1d([0, 1, 10.5, 11, 200]));
    assert.deepEqual(Array.from(p.labels), [0, 0, 1, 1, -1]);
    assert.equal(p.probabilities[4], 0);
  });

  it("membership vectors: rows sum to ≤ 1, argmax is the label", () => {
    const v = membershipVectors(model);
    assert.equal(v.cols, 2);
    for (let i = 0; i < 4; i++) {
      const row = Array.from(v.data.subarray(i * 2, i * 2 + 2));
      assert.ok(row[0] + row[1] <= 1 + 1e-6);
      assert.equal(row.indexOf(Math.max(...row)), model.labels[i]);
    }
  });
});

describe("nested clusters: A1 = {0,1,2}, A2 = {3.5,4.5,5.5}, B = {100..103}, min_cluster_size 3", () => {
  // Root splits into A and B at d = 94.5 (λr = 1/94.5). A splits into A1, A2 at 1.5 (λ = 2/3); all
  // their points leave at λ = 1. Stabilities: A = 6(2/3 − λr) ≈ 3.937; A1 = A2 = 3(1 − 2/3) = 1;
  // B = 4(1 − λr) ≈ 3.958. eom keeps A (3.937 > 1 + 1), leaf takes A1, A2, B.
  const points = matrix1d([0, 1, 2, 3.5, 4.5, 5.5, 100, 101, 102, 103]);
  // Labels renumbered by first appearance (cluster numbering follows the condensed tree's ids).
  const partition = (labels: Int32Array) => {
    const seen = new Map<number, number>();
    return Array.from(labels, (l) => {
      if (l < 0) return l;
      if (!seen.has(l)) seen.set(l, seen.size);
      return seen.get(l);
    }).join(",");
  };

  it("eom selects A and B", () => {
    const m = fitHdbscan(points, { minClusterSize: 3, minSamples: 1 });
    assert.equal(partition(m.labels), "0,0,0,0,0,0,1,1,1,1");
    // Points of A1 leave A's sub-cluster at λ = 1; A's own rows reach λ = 2/3 → clipped to 1.
    assert.deepEqual(Array.from(m.probabilities), Array(10).fill(1));
  });

  it("leaf selects A1, A2 and B", () => {
    const m = fitHdbscan(points, { minClusterSize: 3, minSamples: 1, selection: "leaf" });
    assert.equal(partition(m.labels), "0,0,0,1,1,1,2,2,2,2");
  });

  it("cluster_selection_epsilon merges clusters split below it", () => {
    // A1 and A2 were born at distance 1.5: with epsilon 2 the leaf method climbs to A.
    const merged = fitHdbscan(points, { minClusterSize: 3, minSamples: 1, selection: "leaf", epsilon: 2 });
    assert.equal(partition(merged.labels), "0,0,0,0,0,0,1,1,1,1");
    const kept = fitHdbscan(points, { minClusterSize: 3, minSamples: 1, selection: "leaf", epsilon: 1 });
    assert.equal(partition(kept.labels), "0,0,0,1,1,1,2,2,2,2");
  });

  it("max_cluster_size makes eom split clusters that are too large", () => {
    const m = fitHdbscan(points, { minClusterSize: 3, minSamples: 1, maxClusterSize: 5 });
    assert.equal(partition(m.labels), "0,0,0,1,1,1,2,2,2,2");
  });
});

describe("allow_single_cluster", () => {
  // A1 = {0,1,2}, A2 = {3.5,4.5,5.5}: the root (stability 6 · 2/3 = 4) beats A1 + A2 (1 + 1).
  const points = matrix1d([0, 1, 2, 3.5, 4.5, 5.5]);

  it("without it the root cannot be chosen", () => {
    const m = fitHdbscan(points, { minClusterSize: 3, minSamples: 1 });
    assert.equal(Array.from(m.labels).join(","), "0,0,0,1,1,1");
  });

  it("with it the whole set is one cluster", () => {
    const m = fitHdbscan(points, { minClusterSize: 3, minSamples: 1, allowSingleCluster: true });
    assert.equal(Array.from(m.labels).join(","), "0,0,0,0,0,0");
    assert.deepEqual(Array.from(m.selectedClusters), [6]);
  });

  it("a single cluster keeps only points as dense as its densest split", () => {
    // 20 is far: it leaves the root at λ = 1/14.5 < 2/3 (the root's largest own lambda) → noise.
    const m = fitHdbscan(matrix1d([0, 1, 2, 3.5, 4.5, 5.5, 20]), {
      minClusterSize: 3,
      minSamples: 1,
      allowSingleCluster: true,
    });
    assert.equal(Array.from(m.labels).join(","), "0,0,0,0,0,0,-1");
  });
});

describe("core distances count the point itself (min_samples as in the Python package and R's minPts)", () => {
  it("min_samples 2 is the distance to the nearest other point", () => {
    const points = matrix1d([0, 1, 3, 6, 10, 15]);
    for (const mstAlgorithm of ["boruvka", "prim"] as const) {
      const m = fitHdbscan(points, { minClusterSize: 2, minSamples: 2, mstAlgorithm });
      assert.deepEqual(Array.from(m.coreDistances), [1, 1, 2, 3, 4, 5]);
      const m3 = fitHdbscan(points, { minClusterSize: 2, minSamples: 3, mstAlgorithm });
      assert.deepEqual(Array.from(m3.coreDistances), [3, 2, 3, 4, 5, 9]);
    }
  });

  it("the mutual-reachability tree uses max(core a, core b, distance)", () => {
    // Points 0, 1, 3 with min_samples 2: cores 1, 1, 2. Edges: 0–1 = max(1,1,1) = 1; 1–3 = max(1,2,2) = 2.
    const m = fitHdbscan(matrix1d([0, 1, 3]), { minClusterSize: 2, minSamples: 2 });
    assert.deepEqual(Array.from(m.singleLinkageTree.distance), [1, 2]);
  });
});

describe("metrics", () => {
  it("manhattan distances", () => {
    const m = fitHdbscan(
      { data: Float32Array.from([0, 0, 1, 1, 0, 3]), rows: 3, cols: 2 },
      { minClusterSize: 2, minSamples: 1, metric: "manhattan" },
    );
    // |0−1| + |0−1| = 2 and |1−0| + |1−3| = 3 (0 to 3 is also 3).
    assert.deepEqual(Array.from(m.singleLinkageTree.distance), [2, 3]);
  });

  it("cosine distances equal 1 − cos", () => {
    // Unit vectors at 0°, 60° and 180°: cosine distances 0.5 (0°–60°) and 1.5 (60°–180°).
    const c = Math.cos(Math.PI / 3);
    const s = Math.sin(Math.PI / 3);
    const m = fitHdbscan(
      { data: Float32Array.from([2, 0, c, s, -3, 0]), rows: 3, cols: 2 },
      { minClusterSize: 2, minSamples: 1, metric: "cosine" },
    );
    const d = Array.from(m.singleLinkageTree.distance);
    assertClose(d[0], 0.5, 1e-6, "0°–60°");
    assertClose(d[1], 1.5, 1e-6, "60°–180°");
  });
});
