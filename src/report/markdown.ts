/**
 * report.md: the topic table a reader looks at first (id, size, label, top words, one example), then
 * each topic's representative documents. Document text is untrusted: it is escaped so that neither
 * Markdown nor HTML in it can change the page.
 */

import type { ModelFolder } from "../topics/folder/format.js";
import type { Topic } from "../topics/types.js";
import { visibleBidiControls } from "../util/escape.js";

export interface MarkdownReportOptions {
  /** Characters of each example document shown in the table. */
  snippetLength?: number;
  /** Links to chart files (relative to the report) to embed below the table. */
  charts?: { title: string; path: string }[];
}

/**
 * Escapes text for a Markdown table cell or paragraph: no HTML, no emphasis, no table breaks, no bidi
 * override reordering the line (util/escape.ts).
 */
export function escapeMarkdown(text: string): string {
  return visibleBidiControls(text)
    .replace(/\s+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_{}[\]()#+!|~])/g, "\\$1")
    .trim();
}

export function snippet(text: string, length: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1).trimEnd()}…`;
}

function topicName(topic: Topic): string {
  return topic.customLabel ?? topic.label;
}

export function renderMarkdownReport(model: ModelFolder, options: MarkdownReportOptions = {}): string {
  const { manifest, topics, documents } = model;
  const length = options.snippetLength ?? 160;
  const n = documents.length;
  const real = topics.filter((t) => t.id >= 0);
  const outliers = topics.find((t) => t.id === -1)?.size ?? 0;
  const lines: string[] = [];
  lines.push(`# Topics${manifest.corpus.source ? ` in ${escapeMarkdown(manifest.corpus.source)}` : ""}`, "");
  lines.push(
    `${n} documents → **${real.length} topics**, ${outliers} outliers (${((100 * outliers) / Math.max(n, 1)).toFixed(1)}%)` +
      (manifest.corpus.emptyDocuments > 0
        ? `, ${manifest.corpus.emptyDocuments} empty documents (topic -1)`
        : "") +
      ".",
    "",
  );
  const p = manifest.parameters;
  lines.push(
    `Embeddings \`${manifest.embedder.id}\` (${manifest.embedder.dimension}-d) → ${p.reduce.method} ` +
      `(${p.reduce.nComponents}-d, ${p.reduce.nNeighbors} neighbours, min_dist ${p.reduce.minDist}, ${p.reduce.metric}) → ` +
      `${p.cluster.method} (min_cluster_size ${p.cluster.minClusterSize}, ${p.cluster.selection}) → c-TF-IDF; seed ${p.seed}. ` +
      `topicscope ${manifest.version}.`,
    "",
  );
  if (manifest.timings.length > 0) {
    const total = manifest.timings.reduce((s, t) => s + t.seconds, 0);
    lines.push(
      `Timings: ${manifest.timings.map((t) => `${t.stage} ${t.seconds.toFixed(1)} s`).join(", ")} (total ${total.toFixed(1)} s); ` +
        `peak memory ${(manifest.peakRssBytes / 2 ** 20).toFixed(0)} MiB.`,
      "",
    );
  }
  lines.push("| Topic | Size | Label | Top words | Example |", "|---:|---:|---|---|---|");
  for (const topic of topics) {
    const example = topic.representativeDocs[0];
    const text = example !== undefined ? (documents[example]?.text ?? "") : "";
    lines.push(
      `| ${topic.id} | ${topic.size} | ${escapeMarkdown(topicName(topic))}${topic.junk ? ` ⚠ ${escapeMarkdown(topic.junk)}` : ""} | ` +
        `${escapeMarkdown(topic.words.map((w) => w.word).join(", "))} | ${escapeMarkdown(snippet(text, length))} |`,
    );
  }
  lines.push("");
  for (const chart of options.charts ?? [])
    lines.push(`![${escapeMarkdown(chart.title)}](${encodeURI(chart.path)})`, "");
  lines.push("## Topics", "");
  for (const topic of real) {
    lines.push(`### ${topic.id}. ${escapeMarkdown(topicName(topic))} (${topic.size} documents)`, "");
    lines.push(
      `Words: ${topic.words.map((w) => `${escapeMarkdown(w.word)} (${w.score.toFixed(3)})`).join(", ")}`,
      "",
    );
    for (const doc of topic.representativeDocs) {
      const record = documents[doc];
      if (record)
        lines.push(`> ${escapeMarkdown(snippet(record.text, 400))} — *${escapeMarkdown(record.id)}*`, ">");
    }
    if (lines[lines.length - 1] === ">") lines.pop();
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}
