/** Chart data derived from a model: dendrogram layout, MDS, frequency tables, topic embeddings. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { modelChartInputs } from "../../src/report/outputs.js";
import { buildChartData } from "../../src/viz/data.js";
import { layoutDendrogram } from "../../src/viz/hierarchy.js";
import { classicalMds2d } from "../../src/viz/mds.js";
import { syntheticModel } from "../report/model-fixture.js";

describe("dendrogram layout", () => {
  test("scipy-style linkage → leaf order and segments (hand-computed)", () => {
    // leaves 0,1,2; merge 0: (0, 2) at 0.5 → node 3; merge 1: (1, 3) at 1.0 → node 4
    const layout = layoutDendrogram({
      leaves: [
        { topic: 10, label: "a" },
        { topic: 11, label: "b" },
        { topic: 12, label: "c" },
      ],
      merges: [
        [0, 2, 0.5, 2],
        [1, 3, 1.0, 3],
      ],
    });
    assert.deepEqual(layout.order, [1, 0, 2]);
    assert.deepEqual(
      layout.leaves.map((l) => l.topic),
      [11, 10, 12],
    );
    assert.deepEqual(layout.segments, [
      { x: 0, x2: 0.5, y: 1, y2: 1 },
      { x: 0, x2: 0.5, y: 2, y2: 2 },
      { x: 0.5, x2: 0.5, y: 1, y2: 2 },
      { x: 0, x2: 1, y: 0, y2: 0 },
      { x: 0.5, x2: 1, y: 1.5, y2: 1.5 },
      { x: 1, x2: 1, y: 0, y2: 1.5 },
    ]);
  });

  test("a linkage with the wrong number of merges is a UserError", () => {
    assert.throws(
      () =>
        layoutDendrogram({
          leaves: [
            { topic: 0, label: "a" },
            { topic: 1, label: "b" },
          ],
          merges: [],
        }),
      /expected 1/,
    );
  });
});

describe("classical MDS", () => {
  test("points on a plane in 5-D keep their pairwise distances", () => {
    const plane = [
      [0, 0],
      [3, 0],
      [0, 4],
      [3, 4],
      [1, 2],
    ];
    // embed in 5-D with an orthonormal pair of directions plus an offset
    const u = [0.6, 0.8, 0, 0, 0];
    const v = [0, 0, 0, 1, 0];
    const vectors = plane.map(([a, b]) => Float32Array.from(u.map((ui, j) => a * ui + b * v[j] + 7)));
    const coords = classicalMds2d(vectors);
    for (let i = 0; i < plane.length; i++) {
      for (let j = 0; j < plane.length; j++) {
        const expected = Math.hypot(plane[i][0] - plane[j][0], plane[i][1] - plane[j][1]);
        const got = Math.hypot(coords[i][0] - coords[j][0], coords[i][1] - coords[j][1]);
        assert.ok(Math.abs(got - expected) < 1e-3, `d(${i},${j}) = ${got}, expected ${expected}`);
      }
    }
  });

  test("one or two topics work", () => {
    assert.deepEqual(classicalMds2d([Float32Array.from([1, 0])]), [[0, 0]]);
    const two = classicalMds2d([Float32Array.from([1, 0]), Float32Array.from([0, 1])]);
    assert.ok(Math.abs(Math.hypot(two[0][0] - two[1][0], two[0][1] - two[1][1]) - Math.SQRT2) < 1e-6);
  });
});

describe("chart data", () => {
  test("buildChartData on a synthetic model: similarities, frequency tables, reasons for what is missing", async () => {
    const model = syntheticModel();
    const data = await buildChartData(model, { skipLayout: true, ...modelChartInputs(undefined, model) });
    assert.equal(data.similarity!.matrix.length, 3);
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(data.similarity!.matrix[i][i] - 1) < 1e-5);
    // the clusters are orthogonal directions: off-diagonal similarity is small
    assert.ok(Math.abs(data.similarity!.matrix[0][1]) < 0.3);
    assert.equal(data.intertopic!.topics.length, 3);
    assert.ok(data.overTime && data.overTime.length > 0);
    assert.ok(data.perClass && data.perClass.length > 0);
    assert.match(data.missing.hierarchy!, /hierarchy/);
    assert.equal(data.missing.documentsMap, "skipped");
    const p = data.distribution!.probabilities;
    assert.ok(Math.abs(p.reduce((a, b) => a + b.probability, 0) - 1) < 1e-9);
    // the distribution's document is topic 0's top representative: topic 0 wins
    assert.equal(p.reduce((best, x) => (x.probability > best.probability ? x : best)).topic, 0);
  });
});
