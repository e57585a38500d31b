/** report.html as text: data only inside the escaped JSON block, scripts allowed by CSP hash, no network. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { renderHtmlReport, reportPayload, scriptSafeJson, writeHtmlReport } from "../../src/report/html.js";
import { modelChartInputs } from "../../src/report/outputs.js";
import { buildChartData, type ChartData } from "../../src/viz/data.js";
import { PLANTED_IMG, PLANTED_SCRIPT, PLANTED_TEXT, syntheticModel } from "./model-fixture.js";

const model = syntheticModel();
let data: ChartData;
let html: string;
let dir: string;

before(async () => {
  // a fixed 2-D layout keeps UMAP out of this test
  const layout = {
    data: new Float32Array(model.documents.length * 2).map((_, i) => i % 7),
    rows: model.documents.length,
    cols: 2,
  };
  data = await buildChartData(model, { layout2d: layout, ...modelChartInputs(undefined, model) });
  html = renderHtmlReport(model, data);
  dir = mkdtempSync(join(tmpdir(), "topicscope-html-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("report.html", () => {
  test("scriptSafeJson has no characters that can end a script element, and parses back", () => {
    const value = { text: PLANTED_TEXT, more: "</SCRIPT><!-- & \u2028 \u2029" };
    const json = scriptSafeJson(value);
    assert.ok(!/[<>&\u2028\u2029]/.test(json));
    assert.deepEqual(JSON.parse(json), value);
  });

  test("hostile text appears nowhere outside the JSON block, and there once, escaped", () => {
    const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1];
    const outside = html.replace(json, "");
    for (const planted of [PLANTED_IMG, PLANTED_SCRIPT, "javascript:window", "{{constructor"]) {
      assert.ok(!outside.includes(planted), `${planted} outside the data block`);
    }
    assert.ok(!json.includes("<"));
    const payload = JSON.parse(json);
    assert.equal(
      payload.topics.find((t: { id: number }) => t.id === 0).representative[0],
      PLANTED_TEXT.replace(/\s+/g, " "),
    );
  });

  test("exactly the inlined scripts run, each allowed by its CSP hash; no eval, no network", () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1];
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    assert.equal(scripts.length, 3, "vega, vega-interpreter, the page script");
    for (const code of scripts) {
      const hash = `'sha256-${createHash("sha256").update(code, "utf8").digest("base64")}'`;
      assert.ok(csp.includes(hash), "script hash listed in the CSP");
    }
    // no external resources; URLs inside the vega library (its loader) never run without a data URL
    let page = html;
    for (const code of scripts) page = page.replace(code, "");
    assert.ok(!/<script[^>]+src=|<link[^>]+href=|<img|<iframe/i.test(page), "no external resources");
    assert.ok(!/https?:\/\/(?!vega\.github\.io\/schema)/i.test(page), "no URLs outside the libraries");
    assert.doesNotMatch(scripts[2], /innerHTML|insertAdjacentHTML|outerHTML|document\.write|\son[a-z]+=/);
  });

  test("payload: topics, charts (precompiled Vega), reasons for missing charts, parameters and timings", () => {
    const payload = reportPayload(model, data);
    assert.deepEqual(
      payload.topics.map((t) => [t.id, t.size]),
      [
        [-1, 7],
        [0, 20],
        [1, 20],
        [2, 20],
      ],
    );
    assert.deepEqual(
      payload.charts.map((c) => c.name),
      [
        "topic-sizes",
        "topic-words",
        "documents",
        "intertopic",
        "similarity",
        "term-rank",
        "topics-over-time",
        "topics-per-class",
        "topic-distribution",
      ],
    );
    assert.equal(payload.charts.find((c) => c.name === "documents")!.renderer, "canvas");
    assert.ok((payload.charts[0].vega as { $schema: string }).$schema.includes("/vega/"), "compiled to Vega");
    assert.equal(payload.missing.length, 1);
    assert.match(payload.missing[0], /hierarchy/);
    assert.ok(payload.parameters.some(([k, v]) => k === "cluster.minClusterSize" && v === "10"));
    assert.deepEqual(payload.timings.slice(-2), [
      ["total", "1.75 s"],
      ["peak memory (RSS)", "200 MiB"],
    ]);
  });

  test("writeHtmlReport writes atomically (no temporary file left)", () => {
    const path = writeHtmlReport(dir, model, data);
    assert.equal(readFileSync(path, "utf8"), html);
    assert.deepEqual(readdirSync(dir), ["report.html"]);
  });
});
