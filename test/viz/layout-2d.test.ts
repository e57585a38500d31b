/**
 * The documents map's layout (src/viz/layout-2d.ts): a 2-D UMAP of a stratified sample, the other
 * drawn documents placed among their nearest fitted neighbours, at most a fixed number drawn.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createReducer } from "../../src/reduce/index.js";
import type { ModelManifest } from "../../src/topics/types.js";
import { type Matrix, selectRows } from "../../src/types.js";
import { createRng } from "../../src/util/rng.js";
import {
  documentLayout2d,
  MIN_BACKGROUND_MAP_DOCUMENTS,
  startDocumentsMapLayout,
} from "../../src/viz/data.js";
import { documentsMapLayout, LAYOUT_EPOCHS, stratifiedSample } from "../../src/viz/layout-2d.js";

/**
 * `k` well-separated groups of `size` documents: unit 16-d embeddings around orthogonal directions,
 * and a "model reduction" in 3-d where group g sits around (10g, 0, 0).
 */
function groups(k: number, size: number): { embeddings: Matrix; reduced: Matrix; topics: Int32Array } {
  const rng = createRng(3);
  const n = k * size;
  const dim = 16;
  const embeddings = new Float32Array(n * dim);
  const reduced = new Float32Array(n * 3);
  const topics = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // interleaved, so that the samples have to find each group's members
    const g = i % k;
    topics[i] = g;
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const v = (j === g ? 1 : 0) + 0.15 * rng.nextGaussian();
      embeddings[i * dim + j] = v;
      norm += v * v;
    }
    for (let j = 0; j < dim; j++) embeddings[i * dim + j] /= Math.sqrt(norm);
    reduced[i * 3] = 10 * g + rng.nextGaussian();
    reduced[i * 3 + 1] = rng.nextGaussian();
    reduced[i * 3 + 2] = rng.nextGaussian();
  }
  return {
    embeddings: { data: embeddings, rows: n, cols: dim },
    reduced: { data: reduced, rows: n, cols: 3 },
    topics,
  };
}

function finiteRows(layout: Matrix): number[] {
  const rows: number[] = [];
  for (let i = 0; i < layout.rows; i++) if (Number.isFinite(layout.data[2 * i])) rows.push(i);
  return rows;
}

describe("stratifiedSample", () => {
  test("keeps min(size, floor) of every group, the rest in proportion, seeded and sorted", () => {
    const candidates = Array.from({ length: 1000 }, (_, i) => i);
    // group 0: 900 rows, group 1: 95, group 2: 5
    const groupOf = (row: number) => (row < 900 ? 0 : row < 995 ? 1 : 2);
    const sample = stratifiedSample(candidates, groupOf, 100, 10, createRng(1));
    const counts = [0, 0, 0];
    for (const row of sample) counts[groupOf(row)]++;
    assert.deepEqual(counts, [90, 10, 5]);
    assert.deepEqual(
      sample,
      [...sample].sort((a, b) => a - b),
    );
    assert.deepEqual(stratifiedSample(candidates, groupOf, 100, 10, createRng(1)), sample);
    assert.notDeepEqual(stratifiedSample(candidates, groupOf, 100, 10, createRng(2)), sample);
    assert.equal(stratifiedSample(candidates, groupOf, 5000, 10, createRng(1)).length, 1000);
  });
});

describe("documentsMapLayout", () => {
  test("few documents: exactly the 2-D UMAP of the drawable ones (empty ones not drawn)", async () => {
    const { embeddings, topics } = groups(3, 20);
    const drawable = new Uint8Array(60).fill(1);
    drawable[7] = 0;
    const layout = await documentsMapLayout({
      documents: 60,
      topics,
      drawable,
      embeddingRows: (rows) => selectRows(embeddings, rows),
      seed: 5,
    });
    assert.ok(layout);
    const rows = finiteRows(layout);
    assert.equal(rows.length, 59);
    assert.ok(!rows.includes(7));
    const umap = createReducer({
      method: "umap",
      nComponents: 2,
      nNeighbors: 10,
      minDist: 0.1,
      metric: "cosine",
      seed: 5,
      nEpochs: LAYOUT_EPOCHS,
    });
    const expected = await umap.fit(selectRows(embeddings, rows));
    rows.forEach((row, i) => {
      assert.equal(layout.data[2 * row], expected.data[2 * i]);
      assert.equal(layout.data[2 * row + 1], expected.data[2 * i + 1]);
    });
  });

  for (const space of ["the model's reduction", "the embeddings (no usable reduction)"]) {
    test(`documents beyond the fitted sample land among their own group's fitted documents (neighbours in ${space})`, async () => {
      const { embeddings, reduced, topics } = groups(4, 150);
      const read: number[][] = [];
      const layout = await documentsMapLayout({
        documents: 600,
        topics,
        drawable: new Uint8Array(600).fill(1),
        embeddingRows: (rows) => {
          read.push([...rows]);
          return selectRows(embeddings, rows);
        },
        reduced: space.startsWith("the model") ? reduced : undefined,
        seed: 1,
        limits: { fitPoints: 80 },
      });
      assert.ok(layout);
      assert.equal(finiteRows(layout).length, 600, "every document is drawn");
      const fitted = read[0];
      assert.equal(fitted.length, 80);
      // only the fitted rows' embeddings were read when the reduction places the rest
      if (space.startsWith("the model")) assert.equal(read.length, 1);
      // every document lands nearest its own group's fitted documents (their centre in the map): a
      // placed document is a weighted mean of its 10 nearest fitted documents, and one of them may be
      // another group's, so "inside the own group's bounding box" depends on the layout's luck
      const centres: [number, number][] = [];
      for (let g = 0; g < 4; g++) {
        const own = fitted.filter((row) => topics[row] === g);
        assert.ok(own.length >= 10, "every group is in the fitted sample");
        const mean = (offset: number) =>
          own.reduce((sum, row) => sum + layout.data[2 * row + offset], 0) / own.length;
        centres.push([mean(0), mean(1)]);
      }
      for (let row = 0; row < 600; row++) {
        const x: number = layout.data[2 * row];
        const y: number = layout.data[2 * row + 1];
        const distances: number[] = centres.map(([cx, cy]) => Math.hypot(x - cx, y - cy));
        const nearest: number = distances.indexOf(Math.min(...distances));
        assert.equal(
          nearest,
          topics[row],
          `row ${row} at (${x}, ${y}); group centres ${JSON.stringify(centres)}`,
        );
      }
    });
  }

  test("above the map's size a stratified sample is drawn: every group kept, the rest NaN", async () => {
    const { embeddings, reduced, topics } = groups(4, 150);
    const layout = await documentsMapLayout({
      documents: 600,
      topics,
      drawable: new Uint8Array(600).fill(1),
      embeddingRows: (rows) => selectRows(embeddings, rows),
      reduced,
      seed: 1,
      limits: { mapPoints: 200, fitPoints: 60 },
    });
    assert.ok(layout);
    const drawn = finiteRows(layout);
    assert.equal(drawn.length, 200);
    for (let g = 0; g < 4; g++) assert.equal(drawn.filter((row) => topics[row] === g).length, 50);
  });
});

describe("the documents map laid out on a worker (startDocumentsMapLayout)", () => {
  // a model folder's shape: 5,000 documents in 5 groups, a 3-d "UMAP" reduction
  const { embeddings, reduced, topics } = groups(5, 1000);
  const folder = {
    manifest: { parameters: { reduce: { method: "umap" } } } as unknown as ModelManifest,
    documents: Array.from(topics, (topic, i) => ({
      id: String(i),
      text: `document ${i}`,
      topic,
      probability: 1,
    })),
    embeddings,
    reduced,
  };

  test("gives exactly the layout computed in place, and is not started for small or 2-d models", async () => {
    assert.equal(MIN_BACKGROUND_MAP_DOCUMENTS, 5000);
    const background = startDocumentsMapLayout(folder, 7);
    assert.ok(background, "a worker for 5,000 documents");
    const fromWorker = await documentLayout2d(folder, undefined, 7, undefined, undefined, background);
    const inPlace = await documentLayout2d(folder, undefined, 7);
    assert.ok(fromWorker && inPlace);
    assert.deepEqual(fromWorker.data, inPlace.data);
    assert.equal(
      startDocumentsMapLayout({ ...folder, documents: folder.documents.slice(0, 4999) }, 7),
      undefined,
    );
    assert.equal(
      startDocumentsMapLayout(
        { ...folder, reduced: { data: new Float32Array(10000), rows: 5000, cols: 2 } },
        7,
      ),
      undefined,
    );
  });

  test("a cancelled worker leaves the layout to this thread", async () => {
    const background = startDocumentsMapLayout(folder, 7);
    assert.ok(background);
    background.cancel();
    assert.equal(await background.result, undefined);
    const layout = await documentLayout2d(folder, undefined, 7, undefined, undefined, background);
    assert.deepEqual(layout?.data, (await documentLayout2d(folder, undefined, 7))?.data);
  });
});
