/**
 * Every chart builder: the spec validates against Vega-Lite's JSON schema, compiles without warnings,
 * renders to SVG with the expected number of marks for a known small model, and keeps hostile text
 * as text.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import { Ajv } from "ajv";
import type { TopLevelSpec } from "vega-lite";
import { UserError } from "../../src/util/errors.js";
import { documentsMapSpec } from "../../src/viz/documents-map.js";
import { hierarchySpec } from "../../src/viz/hierarchy.js";
import { intertopicMapSpec } from "../../src/viz/intertopic-map.js";
import { compileToVega, renderSvg, svgToPng } from "../../src/viz/render.js";
import { similarityHeatmapSpec } from "../../src/viz/similarity-heatmap.js";
import { termRankSpec } from "../../src/viz/term-rank.js";
import { topicDistributionSpec } from "../../src/viz/topic-distribution.js";
import { topicSizesSpec } from "../../src/viz/topic-sizes.js";
import { topicWordsSpec } from "../../src/viz/topic-words.js";
import { topicsOverTimeSpec } from "../../src/viz/topics-over-time.js";
import { topicsPerClassSpec } from "../../src/viz/topics-per-class.js";
import { countGroups, countItems } from "./svg-marks.js";
import { syntheticCharts } from "./synthetic.js";

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve("vega-lite/vega-lite-schema.json"), "utf8"));
const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
const validate = ajv.compile(schema);

const K = 5;
const PER_TOPIC = 12;
const OUTLIERS = 9;
const s = syntheticCharts(K, PER_TOPIC, OUTLIERS);
const distribution = {
  documentId: "doc <b>1</b>",
  snippet: "<script>alert(1)</script> a document",
  method: "test",
  probabilities: s.topics
    .filter((t) => t.id >= 0)
    .map((t, i) => ({ topic: t.id, probability: [0.5, 0.3, 0.1, 0.09, 0.01][i] })),
};

interface Case {
  name: string;
  spec: TopLevelSpec;
  /** [mark type, element, expected count] or [mark type, "group", expected group count] */
  marks: [string, string, number][];
}

const totalPoints = s.documents.points.length;
const cases: Case[] = [
  {
    name: "topic sizes",
    spec: topicSizesSpec(s.topics),
    marks: [
      ["rect", "path", K + 1],
      ["text", "text", K + 1],
    ],
  },
  {
    name: "topic words",
    spec: topicWordsSpec(s.topics, { topics: 4, words: 5 }),
    marks: [["rect", "path", 4 * 5]],
  },
  {
    name: "documents map",
    spec: documentsMapSpec(s.documents),
    // points, and each topic's label twice (white outline + text)
    marks: [
      ["symbol", "path", totalPoints],
      ["text", "text", 2 * K],
    ],
  },
  {
    name: "intertopic map",
    spec: intertopicMapSpec(s.intertopic),
    marks: [
      ["symbol", "path", K],
      ["text", "text", K],
    ],
  },
  // 3 segments per merge; one dot and one label per leaf
  {
    name: "hierarchy",
    spec: hierarchySpec(s.hierarchy),
    marks: [
      ["rule", "line", 3 * (K - 1)],
      ["symbol", "path", K],
      ["text", "text", K],
    ],
  },
  {
    name: "similarity heatmap",
    spec: similarityHeatmapSpec(s.similarity, s.hierarchy),
    marks: [["rect", "path", K * K]],
  },
  {
    name: "term rank",
    spec: termRankSpec(s.topics),
    marks: [
      ["line", "group", K],
      ["symbol", "path", K * 10],
    ],
  },
  {
    name: "term rank (log)",
    spec: termRankSpec(s.topics, { logScale: true }),
    marks: [["line", "group", K]],
  },
  {
    name: "topics over time",
    spec: topicsOverTimeSpec(s.time, s.topics),
    marks: [
      ["line", "group", K],
      ["symbol", "path", K * 6],
    ],
  },
  {
    name: "topics over time (normalised)",
    spec: topicsOverTimeSpec(s.time, s.topics, { normalize: true }),
    marks: [["line", "group", K]],
  },
  {
    name: "topics over time (numeric time)",
    spec: topicsOverTimeSpec(
      s.time.map((r) => ({ ...r, timestamp: String(1990 + Number(r.timestamp.slice(5, 7))) })),
      s.topics,
    ),
    marks: [
      ["line", "group", K],
      ["symbol", "path", K * 6],
    ],
  },
  {
    name: "topics per class",
    spec: topicsPerClassSpec(s.classes, s.topics),
    marks: [["rect", "path", K * 3]],
  },
  // p ≥ 0.015 keeps 4 of 5 topics
  {
    name: "topic distribution",
    spec: topicDistributionSpec(distribution, s.topics),
    marks: [["rect", "path", 4]],
  },
];

describe("chart specs", () => {
  for (const c of cases) {
    test(`${c.name}: valid Vega-Lite, compiles cleanly, draws the expected marks`, async () => {
      const valid = validate(c.spec);
      assert.ok(valid, `schema errors: ${ajv.errorsText(validate.errors)}`);
      assert.deepEqual(compileToVega(c.spec).warnings, []);
      const svg = await renderSvg(c.spec);
      for (const [mark, element, expected] of c.marks) {
        const got = element === "group" ? countGroups(svg, mark) : countItems(svg, mark, element);
        assert.equal(got, expected, `${mark} ${element}`);
      }
      // hostile labels and words are escaped text in the SVG, never markup
      assert.ok(!/<(script|img)\b/i.test(svg), "no raw <script>/<img> in the SVG");
    });
  }

  test("the schema check is real: a broken spec fails", () => {
    const broken = { ...topicSizesSpec(s.topics), mark: { type: "bars" } } as unknown as TopLevelSpec;
    assert.equal(validate(broken), false);
  });

  test("hostile text is escaped in SVG labels", async () => {
    const svg = await renderSvg(topicSizesSpec(s.topics));
    assert.ok(
      svg.includes("0_&lt;img src=x onerror=window.__pwned=1&gt;") || svg.includes("0_&lt;img src=x"),
      "label escaped",
    );
  });

  test("PNG: a real PNG at twice the SVG size", async () => {
    const svg = await renderSvg(topicSizesSpec(s.topics));
    const width = Number(/<svg[^>]*\swidth="(\d+(?:\.\d+)?)"/.exec(svg)![1]);
    const height = Number(/<svg[^>]*\sheight="(\d+(?:\.\d+)?)"/.exec(svg)![1]);
    const png = svgToPng(svg, 2);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    assert.equal(view.getUint32(16), Math.ceil(width * 2));
    assert.equal(view.getUint32(20), Math.ceil(height * 2));
  });

  test("marks of over 1,000 items drop per-item ARIA labels; smaller ones and the axes keep theirs", async () => {
    const cellLabels = (svg: string) => svg.split('aria-roledescription="rect mark"').length - 1;
    const small = await renderSvg(similarityHeatmapSpec(s.similarity));
    assert.equal(cellLabels(small), K * K);
    const big = syntheticCharts(40, 2, 0, 4); // 40 × 40 = 1,600 cells
    const svg = await renderSvg(similarityHeatmapSpec(big.similarity));
    assert.equal(countItems(svg, "rect"), 40 * 40);
    assert.equal(cellLabels(svg), 0);
    assert.ok(svg.includes('aria-roledescription="axis"'), "axes keep their ARIA");
  });

  test("large documents maps are sampled for static output, every topic kept", async () => {
    const big = syntheticCharts(K, 2000, 500, 3);
    const spec = documentsMapSpec(big.documents, { maxPoints: 1000, seed: 5 }) as {
      layer: { data: { values: { topic: number }[] } }[];
    };
    const values = spec.layer[0].data.values;
    assert.ok(values.length <= 1000 + K + 1 && values.length >= 900, `${values.length} points`);
    assert.deepEqual(
      [...new Set(values.map((v) => v.topic))].sort((a, b) => a - b),
      [-1, 0, 1, 2, 3, 4],
    );
    const again = documentsMapSpec(big.documents, { maxPoints: 1000, seed: 5 }) as typeof spec;
    assert.deepEqual(again.layer[0].data.values, values, "seeded: the same sample every time");
    const all = documentsMapSpec(big.documents) as typeof spec;
    assert.equal(all.layer[0].data.values.length, big.documents.points.length, "HTML keeps every point");
  });

  test("topics over time / per class without data: a clear UserError, not an empty chart", () => {
    assert.throws(
      () => topicsOverTimeSpec([], s.topics),
      (e: Error) => e instanceof UserError && /timestamp/.test(e.message),
    );
    assert.throws(
      () => topicsPerClassSpec([], s.topics),
      (e: Error) => e instanceof UserError && /label/.test(e.message),
    );
  });

  test("30 topics get 30 different colour/shape pairs", () => {
    const many = syntheticCharts(30, 3, 0, 2);
    const spec = documentsMapSpec(many.documents) as {
      layer: { encoding: { color: { scale: { range: string[] } }; shape: { scale: { range: string[] } } } }[];
    };
    const { color, shape } = spec.layer[0].encoding;
    const pairs = color.scale.range.map((c, i) => `${c}|${shape.scale.range[i]}`);
    assert.equal(new Set(pairs).size, pairs.length);
    assert.equal(color.scale.range.length, 31, "30 topics and the outliers");
    assert.equal(new Set(color.scale.range.slice(1)).size, 30, "30 distinct topic colours");
  });
});
