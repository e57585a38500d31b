/**
 * Issue 18, point 6: bidi controls in corpus text (labels, classes, documents) cannot reorder the
 * page: report.html, report.md and the charts show every explicit embedding/override/isolate as
 * "[U+202E]", and the page isolates corpus text (<bdi>, unicode-bidi: isolate). test/browser/bidi.test.ts
 * checks the rendered order in Chromium.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderHtmlReport, reportPayload } from "../../src/report/html.js";
import { escapeMarkdown, renderMarkdownReport } from "../../src/report/markdown.js";
import { visibleBidiControls } from "../../src/util/escape.js";
import { buildChartData } from "../../src/viz/data.js";
import { renderSvg } from "../../src/viz/render.js";
import { topicSizesSpec } from "../../src/viz/topic-sizes.js";
import { syntheticModel } from "./model-fixture.js";

const RLO = "\u202E";
// every explicit bidi formatting character; the marks (U+200E/F, U+061C) are harmless and allowed
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;

function hostileModel() {
  const model = syntheticModel(5, 2);
  model.topics[1].label = `${RLO}gnp.exe`;
  model.topics[2].customLabel = `label ${RLO}with override`;
  model.documents[0].text = `${RLO}this document reverses everything after it \u2066 and isolates \u2069`;
  model.documents[1].label = `${RLO}gnp.exe`;
  model.manifest.corpus.source = `corpus${RLO}lsnoj.exe`;
  return model;
}

describe("bidi controls from the corpus", () => {
  test("visibleBidiControls names each control and keeps everything else", () => {
    assert.equal(visibleBidiControls(`${RLO}gnp.exe`), "[U+202E]gnp.exe");
    assert.equal(visibleBidiControls("a\u202Ab\u202Cc\u2066d\u2069"), "a[U+202A]b[U+202C]c[U+2066]d[U+2069]");
    const rtl = "שלום \u200F مرحبا \u061C";
    assert.equal(visibleBidiControls(rtl), rtl, "right-to-left text and marks stay");
  });

  test("report.html carries no bidi control, shows them named, and isolates corpus text", async () => {
    const model = hostileModel();
    const data = await buildChartData(model, { skipLayout: true });
    const html = renderHtmlReport(model, data);
    assert.doesNotMatch(html, BIDI_CONTROLS);
    const payload = reportPayload(model, data);
    assert.equal(payload.topics.find((t) => t.id === 0)?.label, "[U+202E]gnp.exe");
    assert.ok(payload.title.includes("corpus[U+202E]lsnoj.exe"));
    assert.ok(
      payload.topics.some((t) => t.representative.some((r) => r.startsWith("[U+202E]this document"))),
    );
    // the page: corpus text isolated from the page's own words
    assert.match(html, /td, blockquote, bdi, #title \{ unicode-bidi: isolate; \}/);
    assert.match(html, /summary\.appendChild\(el\("bdi", null, t\.label\)\)/);
  });

  test("charts (SVG) and report.md show the controls named", async () => {
    const model = hostileModel();
    const data = await buildChartData(model, { skipLayout: true });
    const svg = await renderSvg(topicSizesSpec(data.topics));
    assert.doesNotMatch(svg, BIDI_CONTROLS);
    assert.ok(svg.includes("[U+202E]gnp.exe"));
    const markdown = renderMarkdownReport(model);
    assert.doesNotMatch(markdown, BIDI_CONTROLS);
    // "[U+202E]" once rendered: Markdown escapes the brackets and the plus
    assert.equal(escapeMarkdown(`${RLO}x`), "\\[U\\+202E\\]x");
  });
});
