/** Every reducer saves and restores itself: a restored reducer transforms exactly as the fitted one. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createReducer, REDUCER_METHODS, restoreReducer } from "../../src/reduce/index.js";
import type { Matrix } from "../../src/types.js";
import { UserError } from "../../src/util/errors.js";
import { createRng } from "../../src/util/rng.js";

/** Three Gaussian blobs in 12-d. */
function blobs(perBlob: number, seed: number): Matrix {
  const rng = createRng(seed);
  const cols = 12;
  const rows = 3 * perBlob;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++)
      data[i * cols + j] = (j % 3 === Math.floor(i / perBlob) ? 3 : 0) + rng.nextGaussian();
  return { data, rows, cols };
}

describe("reducer state", () => {
  const train = blobs(40, 1);
  const fresh = blobs(5, 2);

  for (const method of REDUCER_METHODS) {
    test(`${method}: toState → JSON → restoreReducer transforms exactly as the fitted reducer`, async () => {
      const reducer = createReducer({ method, nComponents: 3, nNeighbors: 10, seed: 7 });
      const layout = await reducer.fit(train);
      assert.equal(layout.rows, train.rows);
      // the state survives a JSON round trip (arrays travel as .npy in a model folder, kept as-is here)
      const state = reducer.toState();
      const { arrays, ...plain } = state;
      const stored = { ...JSON.parse(JSON.stringify(plain)), arrays };
      assert.equal(stored.method, method);
      const restored = await restoreReducer(stored, { input: train, output: layout });
      assert.equal(restored.name, method);
      const again = await restoreReducer(stored, { input: train, output: layout });
      const a = await restored.transform(fresh);
      const b = await again.transform(fresh);
      assert.deepEqual(
        Array.from(a.data),
        Array.from(b.data),
        "a restored reducer is a pure function of its state",
      );
      assert.equal(a.rows, fresh.rows);
      assert.equal(a.cols, method === "none" ? train.cols : 3);
      if (method === "pca" || method === "none") {
        // no layout of its own to round: the restored transform is the fitted one, bit for bit
        assert.deepEqual(Array.from(a.data), Array.from((await reducer.transform(fresh)).data));
      }
    });
  }

  test("pca without saved axes (an older folder) is refitted and gives the same projection", async () => {
    const reducer = createReducer({ method: "pca", nComponents: 2, seed: 3 });
    const layout = await reducer.fit(train);
    const restored = await restoreReducer(
      { method: "pca", options: { nComponents: 2, seed: 3 } },
      {
        input: train,
        output: layout,
      },
    );
    assert.deepEqual(
      Array.from((await restored.transform(fresh)).data),
      Array.from((await reducer.transform(fresh)).data),
    );
  });

  test("umap: the restored transform places training rows next to their own layout position", async () => {
    const reducer = createReducer({ method: "umap", nComponents: 2, nNeighbors: 10, seed: 5 });
    const layout = await reducer.fit(train);
    const restored = await restoreReducer(reducer.toState(), { input: train, output: layout });
    const placed = await restored.transform(train);
    let near = 0;
    for (let i = 0; i < train.rows; i++) {
      const d = Math.hypot(
        placed.data[2 * i] - layout.data[2 * i],
        placed.data[2 * i + 1] - layout.data[2 * i + 1],
      );
      if (d < 1) near++;
    }
    assert.ok(
      near >= 0.9 * train.rows,
      `${near} of ${train.rows} rows placed within 1 of their own position`,
    );
  });

  test("umap-js: a restore refits and refuses a layout it cannot reproduce", async () => {
    const reducer = createReducer({ method: "umap-js", nComponents: 2, nNeighbors: 10, seed: 5 });
    const layout = await reducer.fit(train);
    const tampered = { ...layout, data: layout.data.map((x, i) => (i === 0 ? x + 1 : x)) };
    await assert.rejects(
      restoreReducer(reducer.toState(), { input: train, output: tampered }),
      (e: unknown) => e instanceof UserError && /did not reproduce the saved layout/.test(e.message),
    );
  });

  test("an unknown method in a saved state is a clear error", async () => {
    await assert.rejects(
      restoreReducer({ method: "tsne", options: {} }, { input: train, output: train }),
      (e: unknown) =>
        e instanceof UserError && /unknown reducer 'tsne'; use umap, pca, none, umap-js/.test(e.message),
    );
  });
});
