import assert from "node:assert/strict";
import { test } from "node:test";
import { documentsMapSpec } from "../../src/viz/documents-map.js";
import { renderSvg, svgToPng } from "../../src/viz/render.js";
import { topicWordsSpec } from "../../src/viz/topic-words.js";
import { syntheticCharts } from "./synthetic.js";

// Raw corpora hold control characters (20 Newsgroups has U+0002); XML forbids them even escaped, so an
// SVG that copies them from a document is unreadable to resvg and to browsers.
test("control characters in document text and topic words do not break SVG or PNG rendering", async () => {
  const data = syntheticCharts(3, 5, 2);
  data.documents.points[0].snippet = "before\u0002after \u0000 \uFFFF \uD800 end";
  data.documents.topics[1].label = "0_ctrl\u0007word";
  data.topics[2].words[0].word = "bell\u0007";
  for (const spec of [
    documentsMapSpec(data.documents),
    topicWordsSpec(data.topics, { topics: 3, words: 5 }),
  ]) {
    const svg = await renderSvg(spec);
    assert.doesNotMatch(
      svg,
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFF]/,
      "no XML-invalid characters left",
    );
    assert.ok(svgToPng(svg).length > 1000, "resvg parses the SVG and rasterises it");
  }
});
