/** Chart data derived from a model: dendrogram layout, MDS, frequency tables, topic embeddings. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DocumentRecord } from "../../src/topics/types.js";
import {
  buildChartData,
  topicEmbeddings,
  topicsOverTimeFromDocuments,
  topicsPerClassFromDocuments,
} from "../../src/viz/data.js";
import { layoutDendrogram } from "../../src/viz/hierarchy.js";
import { classicalMds2d } from "../../src/viz/mds.js";
import type { TopicSummary } from "../../src/viz/types.js";
import { syntheticModel } from "../report/model-fixture.js";

const topics: TopicSummary[] = [
  { id: 0, label: "0_a", size: 3, words: [{ word: "a", score: 1 }] },
  { id: 1, label: "1_b", size: 2, words: [{ word: "b", score: 1 }] },
];

function doc(id: string, topic: number, extra: Partial<DocumentRecord> = {}): DocumentRecord {
  return { id, text: id, topic, probability: 1, ...extra };
}

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

describe("frequency tables from documents", () => {
  test("topics over time: counts per topic and timestamp, outliers excluded", () => {
    const docs = [
      doc("a", 0, { timestamp: "2024-01-01" }),
      doc("b", 0, { timestamp: "2024-01-01" }),
      doc("c", 0, { timestamp: "2024-02-01" }),
      doc("d", 1, { timestamp: "2024-02-01" }),
      doc("e", -1, { timestamp: "2024-02-01" }),
      doc("f", 1),
    ];
    assert.deepEqual(topicsOverTimeFromDocuments(docs, topics, 20), [
      { topic: 0, timestamp: "2024-01-01T00:00:00.000Z", frequency: 2, words: "a" },
      { topic: 0, timestamp: "2024-02-01T00:00:00.000Z", frequency: 1, words: "a" },
      { topic: 1, timestamp: "2024-02-01T00:00:00.000Z", frequency: 1, words: "b" },
    ]);
  });

  test("topics over time: many timestamps fall into equal-width bins", () => {
    const docs = Array.from({ length: 10 }, (_, i) =>
      doc(`d${i}`, 0, { timestamp: new Date(Date.UTC(2024, 0, 1 + i)).toISOString() }),
    );
    const rows = topicsOverTimeFromDocuments(docs, topics, 2)!;
    assert.deepEqual(
      rows.map((r) => [r.timestamp.slice(0, 10), r.frequency]),
      [
        ["2024-01-01", 5],
        ["2024-01-05", 5],
      ],
    );
  });

  test("no timestamps / no labels: undefined (the chart says why)", () => {
    assert.equal(topicsOverTimeFromDocuments([doc("a", 0), doc("b", 1)], topics, 20), undefined);
    assert.equal(topicsPerClassFromDocuments([doc("a", 0)], topics), undefined);
  });

  test("topics per class: counts per topic and class", () => {
    const docs = [
      doc("a", 0, { label: "x" }),
      doc("b", 0, { label: "x" }),
      doc("c", 0, { label: "y" }),
      doc("d", 1, { label: "x" }),
    ];
    assert.deepEqual(topicsPerClassFromDocuments(docs, topics), [
      { topic: 0, className: "x", frequency: 2, words: "a" },
      { topic: 0, className: "y", frequency: 1, words: "a" },
      { topic: 1, className: "x", frequency: 1, words: "b" },
    ]);
  });
});

describe("topic embeddings and chart data", () => {
  test("topic embedding = normalised mean of normalised document rows; zero rows ignored", () => {
    const embeddings = { data: Float32Array.from([2, 0, 0, 3, 0, 0, 1, 1]), rows: 4, cols: 2 };
    const docs = [doc("a", 0), doc("b", 0), doc("c", 0), doc("d", 1)];
    const vectors = topicEmbeddings(embeddings, docs, topics);
    const t0 = [...vectors.get(0)!];
    assert.ok(Math.abs(t0[0] - Math.SQRT1_2) < 1e-6 && Math.abs(t0[1] - Math.SQRT1_2) < 1e-6, String(t0));
    assert.ok(Math.abs(vectors.get(1)![0] - Math.SQRT1_2) < 1e-6);
  });

  test("buildChartData on a synthetic model: similarities, frequency tables, reasons for what is missing", async () => {
    const model = syntheticModel();
    const data = await buildChartData(model, { skipLayout: true });
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
