/** The Clusterer interface: HDBSCAN, DBSCAN/OPTICS (density-clustering + our index) and seeded k-means. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import densityClustering from "density-clustering";
import { createClusterer, createHdbscanClusterer } from "../../src/cluster/index.js";
import { fitKmeans } from "../../src/cluster/kmeans.js";
import type { Matrix } from "../../src/types.js";
import { UserError } from "../../src/util/errors.js";
import { createRng } from "../../src/util/rng.js";
import { assertSamePartition, matrixFromRows } from "./helpers.js";

function threeBlobs(seed: number, perBlob = 60): { points: Matrix; truth: number[] } {
  const rng = createRng(seed);
  const rows: number[][] = [];
  const truth: number[] = [];
  const centres = [
    [0, 0],
    [6, 0],
    [0, 6],
  ];
  centres.forEach((c, label) => {
    for (let i = 0; i < perBlob; i++) {
      rows.push([c[0] + rng.nextGaussian() * 0.4, c[1] + rng.nextGaussian() * 0.4]);
      truth.push(label);
    }
  });
  rows.push([20, 20]);
  truth.push(-1);
  return { points: matrixFromRows(rows), truth };
}

describe("createClusterer", () => {
  const { points, truth } = threeBlobs(1);

  it("hdbscan (default) finds the blobs, the outlier, and predicts training points", () => {
    const clusterer = createHdbscanClusterer({ minClusterSize: 10 });
    const result = clusterer.fit(points);
    assertSamePartition(result.labels, truth);
    assert.equal(clusterer.model.selectedClusters.length, 3);
    const prediction = clusterer.predict(points);
    let agree = 0;
    for (let i = 0; i < points.rows; i++) if (prediction.labels[i] === result.labels[i]) agree++;
    assert.ok(agree >= points.rows - 2, `${agree} of ${points.rows}`);
  });

  it("dbscan equals density-clustering's own (slow) DBSCAN", () => {
    const result = createClusterer({ method: "dbscan", eps: 0.8, minSamples: 5 }).fit(points);
    const rows = Array.from({ length: points.rows }, (_, i) =>
      Array.from(points.data.subarray(i * 2, i * 2 + 2)),
    );
    const plain = new densityClustering.DBSCAN();
    const groups = plain.run(rows, 0.8, 5);
    const expected = new Array<number>(points.rows).fill(-1);
    groups.forEach((g, label) => {
      for (const p of g) expected[p] = label;
    });
    assert.deepEqual(Array.from(result.labels), expected);
    assertSamePartition(result.labels, truth);
  });

  it("optics (density-clustering) with our region queries separates the blobs", () => {
    const result = createClusterer({ method: "optics", eps: 0.8, minSamples: 5 }).fit(points);
    assertSamePartition(result.labels, truth);
  });

  it("k-means is seeded: same seed same labels, and finds the blobs without noise", () => {
    const a = createClusterer({ method: "kmeans", nClusters: 3, seed: 7 }).fit(points);
    const b = createClusterer({ method: "kmeans", nClusters: 3, seed: 7 }).fit(points);
    assert.deepEqual(a.labels, b.labels);
    assert.ok(a.labels.every((l) => l >= 0));
    const blobsOnly = Array.from(a.labels.subarray(0, 180));
    assertSamePartition(blobsOnly, truth.slice(0, 180));
  });

  it("k-means predict assigns the nearest centroid", () => {
    const clusterer = createClusterer({ method: "kmeans", nClusters: 3, seed: 1 });
    const fitted = clusterer.fit(points);
    const p = clusterer.predict(
      matrixFromRows([
        [0.1, 0.1],
        [6, 0.2],
        [0.2, 6],
      ]),
    );
    assert.deepEqual(Array.from(p.labels), [fitted.labels[0], fitted.labels[60], fitted.labels[120]]);
  });

  it("k-means inertia never increases with more clusters on this data", () => {
    const one = fitKmeans(points, { nClusters: 1, seed: 1, metric: "euclidean" });
    const three = fitKmeans(points, { nClusters: 3, seed: 1, metric: "euclidean" });
    assert.ok(three.inertia < one.inertia);
  });

  it("rejects bad options", () => {
    assert.throws(() => createClusterer({ method: "kmeans", nClusters: 0 }), UserError);
    assert.throws(() => createClusterer({ method: "dbscan", eps: -1 }), UserError);
    assert.throws(() => createClusterer({ method: "kmeans", nClusters: 500 }).fit(points), UserError);
  });
});
