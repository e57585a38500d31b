/**
 * report.html: one self-contained file that opens from disk without a network. Vega is inlined, the
 * charts are precompiled to Vega specs here (so Vega-Lite need not ship), and every byte of model data
 * travels in one `<script type="application/json">` block that the page's fixed script turns into DOM
 * with textContent. A Content-Security-Policy allows only the page's own scripts (by hash), no eval,
 * no network, so even a bug in our escaping could not run a document's markup.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic.js";
import type { ModelFolder } from "../topics/folder/format.js";
import { OUTPUT_FILES } from "../topics/folder/format.js";
import { visibleBidiControls } from "../util/escape.js";
import { buildChart, CHART_NAMES, type ChartName } from "../viz/charts.js";
import type { ChartData } from "../viz/data.js";
import { compileToVega } from "../viz/render.js";
import { truncate } from "../viz/theme.js";
import { reportScripts } from "./assets.js";
import { REPORT_CLIENT_SCRIPT } from "./html-client.js";

/** The model parts the report reads (a loaded model folder satisfies it; embeddings are not needed). */
export type ReportModel = Pick<ModelFolder, "manifest" | "topics" | "documents">;

export interface HtmlReportOptions {
  /** Output file (default `<modelDir>/report.html`). */
  outPath?: string;
  /** Title (default: the corpus source or the model folder's name). */
  title?: string;
  /** Charts to include (default: all the data allows). */
  charts?: readonly ChartName[];
  /** Characters of each representative document shown (default 600). */
  snippetLength?: number;
}

interface ReportPayload {
  title: string;
  summary: string;
  topics: {
    id: number;
    label: string;
    size: number;
    share: number;
    words: string;
    representative: string[];
  }[];
  parameters: [string, string][];
  timings: [string, string][];
  charts: { name: ChartName; renderer: "svg" | "canvas"; vega: unknown }[];
  missing: string[];
}

/** JSON that is safe inside a <script> element: no '<', '>' or '&' (so no '</script>' or '<!--'). */
export function scriptSafeJson(value: unknown): string {
  // one pass over the JSON (a 20 Newsgroups report's is 6 MB) instead of one per character
  return JSON.stringify(value).replace(SCRIPT_UNSAFE, (char) => SCRIPT_ESCAPES[char]);
}

const SCRIPT_UNSAFE = /[<>&\u2028\u2029]/g;
const SCRIPT_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

function flatten(prefix: string, value: unknown, out: [string, string][]): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out);
  } else {
    out.push([prefix, typeof value === "string" ? value : JSON.stringify(value)]);
  }
}

export function reportPayload(
  model: ReportModel,
  data: ChartData,
  options: HtmlReportOptions = {},
): ReportPayload {
  const { manifest } = model;
  const total = model.documents.length;
  const snippet = options.snippetLength ?? 600;
  const byId = new Map(data.topics.map((t) => [t.id, t]));
  const topics = [...model.topics]
    .sort((a, b) => a.id - b.id)
    .map((t) => ({
      id: t.id,
      label: visibleBidiControls(t.id < 0 ? "Outliers" : (byId.get(t.id)?.label ?? t.label)),
      size: t.size,
      share: total > 0 ? t.size / total : 0,
      words: t.words
        .slice(0, 10)
        .map((w) => w.word)
        .join(", "),
      representative: t.representativeDocs
        .filter((i) => i >= 0 && i < total)
        .map((i) => visibleBidiControls(truncate(model.documents[i].text, snippet))),
    }));
  const parameters: [string, string][] = [
    ["created", manifest.createdAt],
    ["topicscope version", manifest.version],
    ["embedder", `${manifest.embedder?.id ?? "?"} (${manifest.embedder?.dimension ?? "?"}-d)`],
    ["documents", `${manifest.corpus?.documents ?? total} (${manifest.corpus?.emptyDocuments ?? 0} empty)`],
  ];
  if (manifest.corpus?.source) parameters.push(["corpus", manifest.corpus.source]);
  flatten("", manifest.parameters ?? {}, parameters);
  for (const row of parameters) row[1] = visibleBidiControls(row[1]);
  const timings: [string, string][] = (manifest.timings ?? []).map((t) => [
    t.stage,
    `${t.seconds.toFixed(2)} s`,
  ]);
  const totalSeconds = (manifest.timings ?? []).reduce((s, t) => s + t.seconds, 0);
  if (timings.length > 0) timings.push(["total", `${totalSeconds.toFixed(2)} s`]);
  if (manifest.peakRssBytes)
    timings.push(["peak memory (RSS)", `${(manifest.peakRssBytes / 2 ** 20).toFixed(0)} MiB`]);

  const charts: ReportPayload["charts"] = [];
  const missing: string[] = [];
  for (const name of options.charts ?? CHART_NAMES) {
    const built = buildChart(name, data, "html");
    if ("missing" in built) {
      missing.push(built.missing);
      continue;
    }
    // a canvas keeps 100k-point maps responsive; SVG elsewhere keeps text crisp and selectable
    charts.push({
      name,
      renderer: name === "documents" ? "canvas" : "svg",
      vega: compileToVega(built.spec).spec,
    });
  }
  const nTopics = model.topics.filter((t) => t.id >= 0).length;
  const outliers = model.topics.find((t) => t.id < 0)?.size ?? 0;
  return {
    title: visibleBidiControls(options.title ?? manifest.corpus?.source ?? "topic model"),
    summary: `${total} documents, ${nTopics} topics, ${outliers} outliers (${total > 0 ? ((100 * outliers) / total).toFixed(1) : "0.0"}%). Built ${manifest.createdAt} by topicscope ${manifest.version}.`,
    topics,
    parameters,
    timings,
    charts,
    missing,
  };
}

function sha256(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

const STYLE = `
:root { color-scheme: light; }
body { font: 15px/1.45 "DejaVu Sans", "Liberation Sans", Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1200px; padding: 16px 24px 48px; color: #1a1a1a; }
h1 { font-size: 26px; margin: 8px 0 4px; word-break: break-word; }
h2 { font-size: 20px; margin-top: 36px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eee; vertical-align: top; word-break: break-word; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th button { font: inherit; font-weight: bold; background: none; border: 0; padding: 0; cursor: pointer; }
thead th button[aria-sort="ascending"]::after { content: " ▲"; }
thead th button[aria-sort="descending"]::after { content: " ▼"; }
#topic-search { font: inherit; padding: 4px 8px; width: 320px; max-width: 100%; margin: 4px 12px 8px 0; }
.chart { margin: 24px 0; overflow-x: auto; }
.chart-actions button { font-size: 12px; margin-right: 6px; }
details { margin: 6px 0; }
summary { cursor: pointer; font-weight: bold; }
/* corpus text never changes the direction of the page's own words around it */
td, blockquote, bdi, #title { unicode-bidi: isolate; }
blockquote { margin: 6px 0 6px 16px; padding: 4px 10px; border-left: 3px solid #ccc; white-space: pre-wrap; word-break: break-word; color: #333; }
#tooltip { position: fixed; z-index: 10; max-width: 420px; background: #fff; border: 1px solid #999; border-radius: 4px; padding: 6px 8px; font-size: 12px; box-shadow: 0 2px 6px rgba(0,0,0,.2); pointer-events: none; white-space: pre-wrap; word-break: break-word; }
.error { color: #b00020; }
.params th { width: 30%; font-weight: normal; color: #555; }
`;

/** The complete report page as a string. */
export function renderHtmlReport(
  model: ReportModel,
  data: ChartData,
  options: HtmlReportOptions = {},
): string {
  const payload = reportPayload(model, data, options);
  const scripts = reportScripts();
  const executable = [scripts.vega, scripts.interpreter, REPORT_CLIENT_SCRIPT];
  const csp = [
    "default-src 'none'",
    `script-src ${executable.map(sha256).join(" ")}`,
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>topicscope report</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1 id="title"></h1><p id="summary"></p></header>
<nav><a href="#topics">Topics</a> · <a href="#charts-section">Charts</a> · <a href="#documents">Representative documents</a> · <a href="#run">Run</a></nav>
<section id="topics"><h2>Topics</h2>
<label>Search topics <input id="topic-search" type="search" placeholder="label or word" autocomplete="off"></label><span id="topic-count"></span>
<table id="topic-table"></table>
</section>
<section id="charts-section"><h2>Charts</h2><p>Hover for details; click a legend entry to isolate a topic (shift-click adds more, click empty space to reset).</p>
<ul id="missing-charts"></ul>
<div id="charts"></div>
</section>
<section id="documents"><h2>Representative documents</h2><div id="representatives"></div></section>
<section id="run"><h2>Run</h2>
<h3>Parameters</h3><table id="parameters" class="params"></table>
<h3>Timings</h3><table id="timings" class="params"></table>
</section>
<script type="application/json" id="report-data">${scriptSafeJson(payload)}</script>
${executable.map((code) => `<script>${code}</script>`).join("\n")}
</body>
</html>
`;
}

/** Writes report.html for a model (atomically) and returns its path. */
export function writeHtmlReport(
  modelDir: string,
  model: ReportModel,
  data: ChartData,
  options: HtmlReportOptions = {},
): string {
  const path = options.outPath ?? join(modelDir, OUTPUT_FILES.html);
  writeFileAtomic(path, renderHtmlReport(model, data, options));
  return path;
}
