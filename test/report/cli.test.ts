/** `topicscope report` and `visualize` on a saved synthetic model folder: files, caching, bad input. */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { register as registerReport } from "../../src/cli/report.js";
import { register as registerVisualize } from "../../src/cli/visualize.js";
import { writeModelFiles } from "../../src/topics/folder/format.js";
import { runInProcess } from "../cli/in-process.js";
import { syntheticModel, writeSyntheticModel } from "./model-fixture.js";

async function run(...args: string[]): Promise<{ code: number; stderr: string }> {
  const { status, stderr } = await runInProcess([registerReport, registerVisualize], args);
  return { code: Number(status), stderr };
}

let work: string;
let model: string;

before(() => {
  work = mkdtempSync(join(tmpdir(), "topicscope-cli-"));
  model = join(work, "model");
  writeSyntheticModel(model);
});
after(() => rmSync(work, { recursive: true, force: true }));

describe("topicscope report / visualize", () => {
  test("report rebuilds report.html, charts/ and CSVs, caching the 2-D layout; PNG with --png", async () => {
    const first = await run("report", model);
    assert.equal(first.code, 0, first.stderr);
    for (const file of ["report.html", "topics.csv", "documents.csv", "reduced-2d.npy"]) {
      assert.ok(existsSync(join(model, file)), file);
    }
    const charts = readdirSync(join(model, "charts"));
    assert.equal(charts.filter((f) => f.endsWith(".svg")).length, 9, charts.join(" "));
    assert.equal(charts.filter((f) => f.endsWith(".png")).length, 0, "PNG only on request (--png)");
    assert.equal(charts.filter((f) => f.endsWith(".vl.json")).length, 9);
    assert.match(first.stderr, /not drawn: topic hierarchy/);
    assert.ok(!readdirSync(model).some((f) => f.startsWith(".")), "no temporary files left");

    const layoutTime = statSync(join(model, "reduced-2d.npy")).mtimeMs;
    const second = await run("report", model, "--no-csv", "--png");
    assert.equal(second.code, 0, second.stderr);
    const withPng = readdirSync(join(model, "charts"));
    assert.equal(withPng.filter((f) => f.endsWith(".png")).length, 9, withPng.join(" "));
    assert.equal(statSync(join(model, "reduced-2d.npy")).mtimeMs, layoutTime, "layout reused from the cache");
    assert.doesNotMatch(second.stderr, /UMAP/);
  });

  test("visualize: selected charts and formats into -o, nothing else", async () => {
    const out = join(work, "some-charts");
    const result = await run(
      "visualize",
      model,
      "--chart",
      "topic-sizes,intertopic",
      "--format",
      "svg",
      "-o",
      out,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readdirSync(out).sort(), ["intertopic.svg", "topic-sizes.svg"]);
    const html = await run("visualize", model, "--chart", "topic-words", "--format", "html", "-o", out);
    assert.equal(html.code, 0, html.stderr);
    assert.ok(existsSync(join(out, "topic-words.html")));
  });

  test("visualize: the hierarchy chart is drawn once hierarchy.json exists", async () => {
    const missing = await run("visualize", model, "--chart", "hierarchy", "--format", "vl");
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /topicscope: error: topic hierarchy: no hierarchy\.json in the model folder \(run 'topicscope hierarchy <model dir>' first\)/,
    );
    const tree = {
      leaves: [0, 1, 2].map((topic) => ({ topic, label: `t${topic}` })),
      merges: [
        [0, 1, 0.3, 2],
        [2, 3, 0.8, 3],
      ],
    };
    writeFileSync(join(model, "hierarchy.json"), JSON.stringify(tree));
    const drawn = await run("visualize", model, "--chart", "hierarchy", "--format", "vl");
    assert.equal(drawn.code, 0, drawn.stderr);
    assert.ok(existsSync(join(model, "charts", "hierarchy.vl.json")));
    rmSync(join(model, "hierarchy.json"));
  });

  test("visualize draws the tables the topic-operation verbs saved (topics-over-time.json)", async () => {
    const saved = {
      kind: "date",
      bins: [],
      entries: [
        { topic: 0, bin: 0, timestamp: "2020-01-01", frequency: 3, words: [{ word: "savedword", score: 1 }] },
        { topic: 0, bin: 1, timestamp: "2021-01-01", frequency: 5, words: [{ word: "savedword", score: 1 }] },
      ],
    };
    writeFileSync(join(model, "topics-over-time.json"), JSON.stringify(saved));
    const result = await run("visualize", model, "--chart", "topics-over-time", "--format", "vl");
    assert.equal(result.code, 0, result.stderr);
    const spec = JSON.parse(readFileSync(join(model, "charts", "topics-over-time.vl.json"), "utf8"));
    assert.deepEqual(
      spec.data.values.map((v: { timestamp: string; frequency: number; words: string }) => [
        v.timestamp,
        v.frequency,
        v.words,
      ]),
      [
        ["2020-01-01", 3, "savedword"],
        ["2021-01-01", 5, "savedword"],
      ],
    );
    rmSync(join(model, "topics-over-time.json"));
  });

  test("bad input: unknown chart, unknown format, a missing model file, data the model lacks", async () => {
    const chart = await run("visualize", model, "--chart", "pie");
    assert.equal(chart.code, 2);
    assert.match(chart.stderr, /--chart must be one of .*got 'pie'/);
    const format = await run("visualize", model, "--format", "gif");
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format must be one of/);

    const broken = join(work, "broken");
    writeSyntheticModel(broken);
    rmSync(join(broken, "topics.json"));
    const noTopics = await run("report", broken);
    assert.equal(noTopics.code, 2);
    assert.match(noTopics.stderr, /missing topics\.json/);

    const plain = join(work, "no-time");
    const m = syntheticModel();
    for (const d of m.documents) {
      delete d.timestamp;
      delete d.label;
    }
    writeModelFiles(plain, m);
    const time = await run("visualize", plain, "--chart", "topics-over-time");
    assert.equal(time.code, 2);
    assert.match(time.stderr, /topics over time: the documents have no timestamps/);
    assert.ok(!existsSync(join(plain, "charts", "topics-over-time.svg")), "no empty chart written");
  });
});
