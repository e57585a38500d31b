/** Every clusterer saves and restores itself: a restored clusterer predicts exactly as the fitted one. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CLUSTERER_METHODS, createClusterer, restoreClusterer } from "../../src/cluster/index.js";
import type { Matrix } from "../../src/types.js";
import { UserError } from "../../src/util/errors.js";
import { createRng } from "../../src/util/rng.js";

function blobs(perBlob: number, seed: number): Matrix {
  const rng = createRng(seed);
  const centres = [
    [0, 0],
    [6, 0],
    [0, 6],
  ];
  const rows = 3 * perBlob;
  const data = new Float32Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    const c = centres[Math.floor(i / perBlob)];
    data[2 * i] = c[0] + 0.5 * rng.nextGaussian();
    data[2 * i + 1] = c[1] + 0.5 * rng.nextGaussian();
  }
  return { data, rows, cols: 2 };
}

describe("clusterer state", () => {
  const points = blobs(30, 1);
  const fresh = blobs(4, 2);

  for (const method of CLUSTERER_METHODS) {
    test(`${method}: toState → JSON → restoreClusterer predicts exactly as the fitted clusterer`, () => {
      const clusterer = createClusterer({ method, minClusterSize: 5, nClusters: 3, eps: 1.5, seed: 3 });
      const { labels } = clusterer.fit(points);
      assert.equal(
        new Set(Array.from(labels).filter((l) => l >= 0)).size,
        3,
        `${method} finds the three blobs`,
      );
      const { arrays, ...plain } = clusterer.toState();
      const state = { ...JSON.parse(JSON.stringify(plain)), arrays };
      const restored = restoreClusterer(state, { points, labels });
      assert.equal(restored.name, method);
      assert.deepEqual(restored.predict(fresh), clusterer.predict(fresh));
    });
  }

  test("hdbscan: soft membership comes through the interface; a restore that cannot reproduce the labels says so", () => {
    const clusterer = createClusterer({ method: "hdbscan", minClusterSize: 5 });
    const { labels } = clusterer.fit(points);
    const membership = clusterer.membership!();
    assert.equal(membership.rows, points.rows);
    assert.equal(membership.cols, 3);
    const wrong = Int32Array.from(labels, (l) => (l === 0 ? 1 : l === 1 ? 0 : l));
    assert.throws(
      () => restoreClusterer(clusterer.toState(), { points, labels: wrong }),
      (e: unknown) => e instanceof UserError && /did not reproduce the saved clusters/.test(e.message),
    );
    assert.equal(createClusterer({ method: "kmeans", nClusters: 3 }).membership, undefined);
  });
});
