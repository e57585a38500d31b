import assert from "node:assert/strict";
import { test } from "node:test";
import { createReducer } from "../../src/reduce/index.js";
import type { Matrix } from "../../src/types.js";
import { UserError } from "../../src/util/errors.js";
import { createSilentLogger } from "../../src/util/log.js";
import { createRng } from "../../src/util/rng.js";

function blobs(
  rows: number,
  cols: number,
  clusters: number,
  seed: number,
  spread = 4,
): { matrix: Matrix; labels: Int32Array } {
  const rng = createRng(seed);
  const centres = Array.from({ length: clusters }, () =>
    Array.from({ length: cols }, () => rng.nextGaussian() * spread),
  );
  const data = new Float32Array(rows * cols);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    labels[i] = i % clusters;
    for (let j = 0; j < cols; j++) data[i * cols + j] = centres[i % clusters][j] + rng.nextGaussian();
  }
  return { matrix: { data, rows, cols }, labels };
}

function nearestRow(embedding: Matrix, point: Float32Array): number {
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let i = 0; i < embedding.rows; i++) {
    let s = 0;
    for (let c = 0; c < embedding.cols; c++) s += (embedding.data[i * embedding.cols + c] - point[c]) ** 2;
    if (s < bestDistance) {
      bestDistance = s;
      best = i;
    }
  }
  return best;
}

/** Share of each point's 5 nearest embedded neighbours that carry its label. */
function labelPurity(embedding: Matrix, labels: Int32Array): number {
  let same = 0;
  const n = embedding.rows;
  for (let i = 0; i < n; i++) {
    const d = Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let c = 0; c < embedding.cols; c++)
        s += (embedding.data[i * embedding.cols + c] - embedding.data[j * embedding.cols + c]) ** 2;
      return s;
    });
    const order = Array.from(d.keys())
      .sort((a, b) => d[a] - d[b])
      .slice(1, 6);
    for (const j of order) if (labels[j] === labels[i]) same++;
  }
  return same / (5 * n);
}

test("UMAP: same seed gives identical output bit for bit, another seed does not", async () => {
  const { matrix } = blobs(240, 12, 4, 1);
  const a = await createReducer({ seed: 7 }).fit(matrix);
  const b = await createReducer({ seed: 7 }).fit(matrix);
  const c = await createReducer({ seed: 8 }).fit(matrix);
  assert.equal(a.rows, 240);
  assert.equal(a.cols, 5);
  assert.deepEqual(Buffer.from(a.data.buffer), Buffer.from(b.data.buffer));
  assert.notDeepEqual(Buffer.from(a.data.buffer), Buffer.from(c.data.buffer));
});

test("UMAP keeps separated blobs apart", async () => {
  const { matrix, labels } = blobs(300, 10, 3, 2);
  const embedding = await createReducer({ nComponents: 2, metric: "euclidean" }).fit(matrix);
  assert.ok(labelPurity(embedding, labels) > 0.98);
});

test("transform puts a training row next to itself", async () => {
  // points along a smooth curve in 8-D: neighbourhoods are well defined and UMAP keeps them
  const rows = 300;
  const cols = 8;
  const rng = createRng(5);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const t = (6 * i) / rows;
    const point = [
      Math.cos(t),
      Math.sin(t),
      Math.cos(2 * t) / 2,
      Math.sin(2 * t) / 2,
      t / 3,
      Math.cos(3 * t) / 3,
      0,
      0,
    ];
    for (let c = 0; c < cols; c++) data[i * cols + c] = point[c] + rng.nextGaussian() * 0.01;
  }
  const matrix = { data, rows, cols };
  const reducer = createReducer({ nComponents: 2, metric: "euclidean" });
  const embedding = await reducer.fit(matrix);
  const probes = [10, 150, 290];
  const queries = {
    data: new Float32Array(probes.flatMap((r) => Array.from(data.subarray(r * cols, (r + 1) * cols)))),
    rows: 3,
    cols,
  };
  const placed = await reducer.transform(queries);
  probes.forEach((r, q) => {
    const nearest = nearestRow(embedding, placed.data.subarray(q * 2, q * 2 + 2));
    // the nearest embedded training point is the row itself or one of its near neighbours along the curve
    assert.ok(Math.abs(nearest - r) <= 7, `row ${r}: nearest embedded point is row ${nearest}`);
  });
});

test("supervised UMAP uses labels: overlapping classes separate", async () => {
  const { matrix, labels } = blobs(240, 8, 3, 3, 0.6);
  const unsupervised = await createReducer({ nComponents: 2, metric: "euclidean" }).fit(matrix);
  const supervised = await createReducer({ nComponents: 2, metric: "euclidean" }).fit(matrix, { labels });
  const before = labelPurity(unsupervised, labels);
  const after = labelPurity(supervised, labels);
  assert.ok(after > before + 0.1 && after > 0.9, `purity ${before} → ${after}`);
});

test("PCA: hand-computable axes and projections", async () => {
  // centred already; variance along x = 2/3, along y = 0.5/3 (divisor n − 1 = 3)
  const data = { data: Float32Array.from([1, 0, -1, 0, 0, 0.5, 0, -0.5]), rows: 4, cols: 2 };
  const out = await createReducer({ method: "pca", nComponents: 2 }).fit(data);
  const expected = [1, 0, -1, 0, 0, 0.5, 0, -0.5];
  out.data.forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]) < 1e-6, `${i}: ${v}`);
  });
  // a shifted copy projects to the same coordinates (the mean is removed)
  const shifted = { data: data.data.map((v, i) => v + (i % 2 === 0 ? 10 : -3)), rows: 4, cols: 2 };
  const reducer = createReducer({ method: "pca", nComponents: 1 });
  const fitted = await reducer.fit(shifted);
  assert.deepEqual(
    Array.from(fitted.data, (v) => Math.round(v * 1e6) / 1e6 + 0),
    [1, -1, 0, 0],
  );
  const moved = await reducer.transform({ data: Float32Array.from([12, -3]), rows: 1, cols: 2 });
  assert.ok(Math.abs(moved.data[0] - 2) < 1e-6);
});

test("none returns a copy of the input", async () => {
  const data = { data: Float32Array.from([1, 2, 3, 4]), rows: 2, cols: 2 };
  const out = await createReducer({ method: "none" }).fit(data);
  assert.deepEqual(out.data, data.data);
  assert.notEqual(out.data, data.data);
});

test("bad input: NaN rows named, too few documents, fewer documents than neighbours", async () => {
  const { matrix } = blobs(40, 6, 2, 4);
  const broken = { ...matrix, data: matrix.data.slice() };
  broken.data[13 * 6] = Number.NaN;
  await assert.rejects(
    createReducer().fit(broken),
    (e: unknown) => e instanceof UserError && /row 13/.test(e.message),
  );
  const tiny = { data: matrix.data.slice(0, 4 * 6), rows: 4, cols: 6 };
  await assert.rejects(
    createReducer().fit(tiny),
    (e: unknown) => e instanceof UserError && /at least 7 documents/.test(e.message),
  );
  const logger = createSilentLogger();
  const few = { data: matrix.data.slice(0, 12 * 6), rows: 12, cols: 6 };
  const out = await createReducer({ logger }).fit(few);
  assert.equal(out.rows, 12);
  assert.match(logger.warnings[0], /only 12 documents for 15 neighbours: using 11/);
  assert.throws(() => createReducer({ nComponents: 0 }), UserError);
});
