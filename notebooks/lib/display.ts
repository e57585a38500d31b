/**
 * Showing results in a notebook: tables and charts as Jupyter MIME bundles. Deno's kernel displays
 * an object's `[Symbol.for("Jupyter.display")]()` bundle when it is a cell's last value, and
 * `show(x)` displays one mid-cell; outside a kernel (tsx, tests) `show` prints the plain-text part.
 * Charts carry both the SVG the library renders (GitHub, nbconvert HTML, VS Code draw it) and the
 * Vega-Lite spec (JupyterLab draws it interactively, with tooltips).
 */
import { Buffer } from "node:buffer";
import type { TopLevelSpec } from "vega-lite";
import { renderSvg, svgToPng } from "../../src/index.js";

export type MimeBundle = Record<string, unknown>;

const DISPLAY = Symbol.for("Jupyter.display");

export interface Displayable {
  [DISPLAY](): MimeBundle;
}

interface DenoJupyter {
  display(value: MimeBundle, options: { raw: boolean }): Promise<void>;
}

function denoJupyter(): DenoJupyter | undefined {
  const deno = (globalThis as { Deno?: { jupyter?: DenoJupyter } }).Deno;
  return deno?.jupyter;
}

function displayable(bundle: MimeBundle): Displayable {
  return { [DISPLAY]: () => bundle };
}

/** Displays now (several things from one cell); prints the text/plain part outside a kernel. */
export async function show(value: Displayable): Promise<void> {
  const bundle = value[DISPLAY]();
  const jupyter = denoJupyter();
  if (jupyter) await jupyter.display(bundle, { raw: true });
  else console.log(String(bundle["text/plain"] ?? ""));
}

/** Vega-Lite specs bigger than this (documents maps carry every point) go out as SVG only. */
const INTERACTIVE_SPEC_LIMIT = 200_000;

export interface ChartOptions {
  /** Include the Vega-Lite spec for interactive frontends (default: when the spec is small). */
  interactive?: boolean;
  /**
   * A PNG instead of the SVG: for charts of thousands of marks (a documents map's SVG is ~0.5 KB per
   * point, a PNG a fixed ~100 KB).
   */
  png?: boolean;
}

export async function chart(spec: TopLevelSpec, options: ChartOptions = {}): Promise<Displayable> {
  const svg = await renderSvg(spec);
  const title =
    spec.title && typeof spec.title === "object" && "text" in spec.title ? spec.title.text : spec.title;
  const bundle: MimeBundle = { "text/plain": `[chart: ${String(title ?? "untitled")}]` };
  if (options.png) bundle["image/png"] = Buffer.from(svgToPng(svg, 1)).toString("base64");
  else bundle["image/svg+xml"] = svg;
  const interactive = options.interactive ?? JSON.stringify(spec).length <= INTERACTIVE_SPEC_LIMIT;
  // JupyterLab's renderer registers the v5 MIME type; our v6 specs compile and render with vega-lite 5.23.
  if (interactive) bundle["application/vnd.vegalite.v5+json"] = spec;
  return displayable(bundle);
}

export type Cell = string | number | boolean | null | undefined;

export interface TableOptions {
  /** Decimals for non-integer numbers (default 3). */
  digits?: number;
  /** Columns in this order (default: the first row's keys). */
  columns?: readonly string[];
  /** Cut longer texts with an ellipsis (default 90 characters). */
  maxText?: number;
}

function formatCell(value: Cell, digits: number, maxText: number): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    return Number.isInteger(value) ? String(value) : value.toFixed(digits);
  }
  const text = String(value);
  return text.length > maxText ? `${text.slice(0, maxText - 1)}…` : text;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A table as HTML (rendered by every frontend) and as aligned text. */
export function table(rows: readonly Record<string, Cell>[], options: TableOptions = {}): Displayable {
  const digits = options.digits ?? 3;
  const maxText = options.maxText ?? 90;
  const columns = options.columns ?? (rows.length > 0 ? Object.keys(rows[0]) : []);
  const cells = rows.map((r) => columns.map((c) => formatCell(r[c], digits, maxText)));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => typeof r[c] === "number"));
  const align = (i: number) => (numeric[i] ? ' style="text-align:right"' : ' style="text-align:left"');
  const html = [
    "<table>",
    `<thead><tr>${columns.map((c, i) => `<th${align(i)}>${escapeHtml(c)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...cells.map((r) => `<tr>${r.map((v, i) => `<td${align(i)}>${escapeHtml(v)}</td>`).join("")}</tr>`),
    "</tbody>",
    "</table>",
  ].join("\n");
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const pad = (v: string, i: number) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]));
  const text = [
    columns.map((c, i) => pad(c, i)).join("  "),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...cells.map((r) => r.map((v, i) => pad(v, i)).join("  ")),
  ]
    .map((line) => line.trimEnd())
    .join("\n");
  return displayable({ "text/html": html, "text/plain": text });
}

/** Markdown (headings, lists) computed in a cell, e.g. a topic's words and documents. */
export function markdown(text: string): Displayable {
  return displayable({ "text/markdown": text, "text/plain": text });
}

/** "12.3 s" / "850 ms": how notebooks print durations (the staleness check masks this form). */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms < 172_800_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} days`;
}

/** Milliseconds since `start` (a `performance.now()` value), formatted. */
export function since(start: number): string {
  return duration(performance.now() - start);
}
