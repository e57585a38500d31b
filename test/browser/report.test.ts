/**
 * Opens report.html in headless Chromium from disk with every non-file request blocked, and checks
 * that the charts render, nothing logs an error, and planted hostile documents show as text without
 * running. Saves a screenshot to output/report-screenshot.png (a CI artefact).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium } from "playwright-core";
import { writeHtmlReport } from "../../src/report/html.js";
import { modelChartInputs } from "../../src/report/outputs.js";
import { loadModelFolder } from "../../src/topics/folder/format.js";
import { buildChartData } from "../../src/viz/data.js";
import type { TopicHierarchy } from "../../src/viz/types.js";
import { PLANTED_IMG, PLANTED_SCRIPT, writeSyntheticModel } from "../report/model-fixture.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let work: string;
let context: BrowserContext;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: the browser test needs Debian's chromium (apt-get install -y chromium)`,
    );
  }
  work = mkdtempSync(join(tmpdir(), "topicscope-browser-"));
  context = await chromium.launchPersistentContext(join(work, "profile"), {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
});

after(async () => {
  await context?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("report.html renders every chart offline, and hostile documents stay text", async () => {
  const dir = join(work, "model");
  writeSyntheticModel(dir);
  const model = loadModelFolder(dir);
  const hierarchy: TopicHierarchy = {
    leaves: model.topics.filter((t) => t.id >= 0).map((t) => ({ topic: t.id, label: t.label })),
    merges: [
      [0, 1, 0.4, 2],
      [2, 3, 0.9, 3],
    ],
  };
  const data = await buildChartData(model, { ...modelChartInputs(dir, model), modelDir: dir, hierarchy });
  const path = writeHtmlReport(dir, model, data);
  const expectedCharts = 10;

  const page = await context.newPage();
  const problems: string[] = [];
  const blocked: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:")) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(path).href);
  // page-side code as strings: the project compiles without DOM types
  await page.waitForFunction(
    `document.querySelectorAll("figure.chart[data-rendered=true]").length === ${expectedCharts}`,
    null,
    {
      timeout: 15000,
    },
  );

  const charts = await page.$$eval("figure.chart", (figures) =>
    figures.map((f) => ({ id: f.id, drawn: f.querySelector(".vega svg, .vega canvas") !== null })),
  );
  assert.equal(charts.length, expectedCharts, JSON.stringify(charts));
  for (const chart of charts) assert.ok(chart.drawn, `${chart.id} has no svg/canvas`);
  assert.deepEqual(await page.$$eval("#missing-charts li", (items) => items.length), 0);

  // the planted markup did not run and shows as text
  assert.equal(await page.evaluate("window.__pwned"), undefined);
  assert.equal(
    await page.$$eval("img", (images) => images.length),
    0,
    "no <img> element was created from data",
  );
  assert.equal(await page.$$eval("a[href^='javascript']", (links) => links.length), 0);
  const quoteTexts = await page.$$eval("blockquote", (quotes) => quotes.map((q) => q.textContent ?? ""));
  assert.ok(
    quoteTexts.some((t) => t.includes(PLANTED_IMG) && t.includes(PLANTED_SCRIPT)),
    "planted document shown as text",
  );
  const tableText = await page.$eval("#topic-table", (table) => table.textContent ?? "");
  assert.ok(tableText.includes(PLANTED_IMG), "planted label shown as text in the topic table");
  assert.ok(tableText.includes(PLANTED_SCRIPT), "planted word shown as text in the topic table");

  // the SVG charts carry the hostile label as text too (vega escapes it)
  const svgText = await page.$eval("#chart-topic-sizes svg", (svg) => svg.textContent ?? "");
  assert.ok(svgText.includes("<img src=x"), "label drawn as text in the chart");

  // search filters the table; sorting by size puts the largest topic first
  await page.fill("#topic-search", "film");
  assert.equal(await page.$$eval("#topic-table tbody tr", (rows) => rows.length), 1);
  await page.fill("#topic-search", "");
  await page.click("#topic-table thead button[data-key=size]");
  await page.click("#topic-table thead button[data-key=size]");
  const firstSize = await page.$eval("#topic-table tbody tr td:nth-child(3)", (td) => Number(td.textContent));
  assert.equal(firstSize, 20);

  // a tooltip built from a hostile label is text
  const box = await page.$eval("#chart-topic-sizes svg", (svg) => {
    const bar = svg.querySelector("path[aria-roledescription=bar], .mark-rect path");
    const r = (bar ?? svg).getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  await page.mouse.move(box.x, box.y);
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate("window.__pwned"), undefined);

  // a legend click isolates one topic: the other topics' lines fade
  const lineOpacities = () =>
    page.$$eval("#chart-term-rank .mark-line path", (paths) =>
      paths.map((p) => Number(p.getAttribute("opacity") ?? "1")),
    );
  assert.ok(
    (await lineOpacities()).every((o) => o > 0.5),
    "all lines visible before",
  );
  await page.click("#chart-term-rank .role-legend-symbol path >> nth=1");
  await page.waitForTimeout(200);
  const after = await lineOpacities();
  assert.equal(after.filter((o) => o > 0.5).length, 1, `one line stays: ${after}`);
  assert.equal(after.filter((o) => o < 0.2).length, after.length - 1);

  mkdirSync("output", { recursive: true });
  await page.screenshot({ path: join("output", "report-screenshot.png"), fullPage: true });
  assert.deepEqual(problems, [], problems.join("\n"));
  assert.deepEqual(blocked, [], "the report made no network requests");
  await page.close();
});
