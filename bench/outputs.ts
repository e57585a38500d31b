/**
 * What a fit's outputs cost, piece by piece, on a saved model folder (default: a 20 Newsgroups fit
 * from cached embeddings, made first when absent): the model files, the views, the chart data (with
 * and without the documents map's 2-D layout), each chart format, report.html, the CSVs, report.md.
 *
 *   npm run bench:outputs                          # fits 20 Newsgroups into ../cache/outputs/20newsgroups
 *   npm run bench:outputs -- --model <dir>         # any model folder
 */

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeCsvExports } from "../src/report/csv.js";
import { writeHtmlReport } from "../src/report/html.js";
import { modelChartInputs, writeModelOutputs } from "../src/report/outputs.js";
import { loadModelFolder, writeModelFiles } from "../src/topics/folder/format.js";
import { buildChart, CHART_NAMES } from "../src/viz/charts.js";
import { buildChartData, documentLayout2d } from "../src/viz/data.js";
import { renderSvg, svgToPng } from "../src/viz/render.js";
import { benchCacheDir, benchEmbeddingsDir, corpusPath } from "./common.js";

const { values } = parseArgs({
  options: { model: { type: "string" }, refit: { type: "boolean", default: false } },
});

let modelDir = values.model;
if (!modelDir) {
  modelDir = join(benchCacheDir, "outputs", "20newsgroups");
  if (values.refit || !existsSync(join(modelDir, "model.json"))) {
    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      [
        "bin/topicscope.js",
        "fit",
        corpusPath("20newsgroups"),
        "--embeddings",
        join(benchEmbeddingsDir, "20newsgroups.npy"),
        "-o",
        modelDir,
        "--force",
        "--quiet",
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    if (run.status !== 0) throw new Error(`fit failed (${run.status})`);
    console.log(`fit (whole, outputs included): ${((performance.now() - started) / 1000).toFixed(1)} s wall`);
  }
}

/** [what, wall s, CPU s of this process (all threads)]: under load CPU time is the steadier figure. */
const rows: [string, number, number][] = [];
async function time<T>(what: string, run: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const out = await run();
  const used = process.cpuUsage(cpu);
  rows.push([what, (performance.now() - start) / 1000, (used.user + used.system) / 1e6]);
  return out;
}

const folder = await time("load model folder", () => loadModelFolder(modelDir));
const scratch = mkdtempSync(join(tmpdir(), "topicscope-outputs-"));
try {
  await time("model files (writeModelFiles)", () => writeModelFiles(scratch, folder));
  await time("views (over time, per class, distribution)", () => modelChartInputs(modelDir, folder));
  await time("chart data without the documents map", () => buildChartData(folder, { skipLayout: true }));
  const seed = folder.manifest.parameters.seed;
  const layout = await time("documents map layout (2-D, uncached)", () =>
    documentLayout2d(folder, undefined, seed),
  );
  const data = await time("chart data with a given layout", () =>
    buildChartData(folder, { layout2d: layout }),
  );
  for (const name of CHART_NAMES) {
    const built = buildChart(name, data, "static");
    if ("missing" in built) continue;
    const svg = await time(`  ${name}: svg`, () => renderSvg(built.spec));
    await time(`  ${name}: png`, () => svgToPng(svg, 2));
  }
  await time("report.html", () => writeHtmlReport(scratch, folder, data));
  await time("topics.csv + documents.csv", () => writeCsvExports(scratch, folder.topics, folder.documents));
  rmSync(scratch, { recursive: true, force: true });
  await time("writeModelOutputs, a render worker (layout uncached)", () =>
    writeModelOutputs(scratch, folder, { renderThreads: 1 }),
  );
  rmSync(scratch, { recursive: true, force: true });
  await time("writeModelOutputs, one thread (layout uncached)", () =>
    writeModelOutputs(scratch, folder, { renderThreads: 0 }),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const width = Math.max(...rows.map(([what]) => what.length));
console.log(
  `\nload average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} on ${availableParallelism()} cores`,
);
console.log(`| ${"what".padEnd(width)} | wall s | CPU s |`);
console.log(`|${"-".repeat(width + 2)}|-------:|------:|`);
for (const [what, wall, cpu] of rows)
  console.log(`| ${what.padEnd(width)} | ${wall.toFixed(2).padStart(6)} | ${cpu.toFixed(2).padStart(5)} |`);
