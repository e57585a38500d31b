/**
 * How the documents map scales: a synthetic 100k-document model (30 topics), timed from chart data
 * to report.html, to the static SVG/PNG (sampled to 5,000 points), and to the report being drawn in
 * headless Chromium (all 100k points on a canvas). Run: npx tsx bench/report-100k.ts
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { writeHtmlReport } from "../src/report/html.js";
import type { DocumentRecord, Topic } from "../src/topics/types.js";
import { createRng } from "../src/util/rng.js";
import { buildChart } from "../src/viz/charts.js";
import { buildChartData } from "../src/viz/data.js";
import { renderSvg, svgToPng } from "../src/viz/render.js";
import { syntheticModel } from "../test/report/model-fixture.js";

const N = Number(process.argv[2] ?? 100_000);
const K = 30;
const rng = createRng(1);
const base = syntheticModel(1, 0);
const documents: DocumentRecord[] = [];
const layout = new Float32Array(N * 2);
const centers = Array.from({ length: K }, () => [rng.next() * 40, rng.next() * 40]);
for (let i = 0; i < N; i++) {
  const topic = i % 10 === 0 ? -1 : rng.nextInt(K);
  const c = topic < 0 ? [rng.next() * 40, rng.next() * 40] : centers[topic];
  layout[2 * i] = c[0] + rng.nextGaussian();
  layout[2 * i + 1] = c[1] + rng.nextGaussian();
  documents.push({
    id: `d${i}`,
    text: `document ${i} about topic ${topic} with some words to show in the tooltip`,
    topic,
    probability: 1,
  });
}
const topics: Topic[] = [-1, ...Array.from({ length: K }, (_, t) => t)].map((id) => ({
  id,
  size: documents.filter((d) => d.topic === id).length,
  label: id < 0 ? "-1_outliers" : `${id}_word${id}_other${id}_third${id}`,
  words: Array.from({ length: 10 }, (_, r) => ({ word: `w${id}_${r}`, score: 1 / (r + 1) })),
  representativeDocs: [],
}));
const model = { manifest: base.manifest, topics, documents };
const dir = mkdtempSync(join(tmpdir(), "topicscope-100k-"));
const time = async <T>(what: string, run: () => Promise<T> | T): Promise<T> => {
  const t = performance.now();
  const out = await run();
  rows.push([what, ((performance.now() - t) / 1000).toFixed(2)]);
  return out;
};
const rows: [string, string][] = [];
const data = await time("chart data", () =>
  buildChartData(model, { layout2d: { data: layout, rows: N, cols: 2 } }),
);
const path = await time("report.html (all points)", () =>
  writeHtmlReport(dir, model, data, { charts: ["documents", "topic-sizes"] }),
);
const built = buildChart("documents", data, "static");
if ("missing" in built) throw new Error(built.missing);
const svg = await time("documents.svg (5,000 sampled)", () => renderSvg(built.spec));
await time("documents.png (2×)", () => svgToPng(svg, 2));
const context = await chromium.launchPersistentContext(join(dir, "profile"), {
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  headless: true,
});
const page = await context.newPage();
await time("chromium: open + draw report", async () => {
  await page.goto(pathToFileURL(path).href);
  await page.waitForFunction(
    `document.querySelectorAll("figure.chart[data-rendered=true]").length === 2`,
    null,
    { timeout: 120000 },
  );
});
await context.close();
console.log(
  `documents: ${N}, report.html: ${(statSync(path).size / 2 ** 20).toFixed(1)} MiB, svg: ${(svg.length / 2 ** 20).toFixed(1)} MiB`,
);
console.log("| step | seconds |\n|---|---|");
for (const [what, s] of rows) console.log(`| ${what} | ${s} |`);
rmSync(dir, { recursive: true, force: true });
