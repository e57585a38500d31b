/** The printed form of ModelMetrics: one "name  value" line per metric, aligned. */
import type { ModelMetrics } from "./evaluate-model.js";

const fixed = (value: number | null | undefined, digits = 4): string =>
  value === null || value === undefined ? "–" : value.toFixed(digits);

export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes <= 0) return "–";
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

export function formatMetricsTable(metrics: ModelMetrics): string {
  const rows: [string, string][] = [
    ["documents", String(metrics.documents)],
    ["topics", String(metrics.topics)],
    ["outliers", `${metrics.outliers} (${(100 * metrics.outlierShare).toFixed(1)}%)`],
  ];
  const c = metrics.coherence;
  if (c) {
    rows.push([`NPMI (top ${metrics.topN}, window ${c.npmiWindow})`, fixed(c.npmi)]);
    rows.push([`C_V (top ${metrics.topN}, window ${c.cvWindow})`, fixed(c.cv)]);
  } else {
    rows.push(["NPMI / C_V", "– (no reference corpus)"]);
  }
  rows.push([`diversity (top ${metrics.topN})`, fixed(metrics.diversity)]);
  const l = metrics.labels;
  if (l) {
    const pair = (all: number, kept: number | undefined) => `${fixed(all)}  ${fixed(kept)}`;
    rows.push([`labels (${l.classes} classes, ${l.documents} docs)`, "all     non-outliers"]);
    rows.push(["  NMI", pair(l.all.nmi, l.nonOutliers?.nmi)]);
    rows.push(["  ARI", pair(l.all.ari, l.nonOutliers?.ari)]);
    rows.push(["  V-measure", pair(l.all.vMeasure, l.nonOutliers?.vMeasure)]);
    rows.push(["  homogeneity", pair(l.all.homogeneity, l.nonOutliers?.homogeneity)]);
    rows.push(["  completeness", pair(l.all.completeness, l.nonOutliers?.completeness)]);
  }
  for (const timing of metrics.timings)
    rows.push([`time: ${timing.stage}`, `${timing.seconds.toFixed(1)} s`]);
  if (metrics.peakRssBytes !== null) rows.push(["peak memory (fit)", formatBytes(metrics.peakRssBytes)]);
  const width = Math.max(...rows.map(([name]) => name.length));
  return `${rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join("\n")}\n`;
}
