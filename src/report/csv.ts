/**
 * topics.csv and documents.csv (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold
 * a comma, quote, CR or LF, quotes doubled). Fields that a spreadsheet would run as a formula
 * (leading = + - @ or a tab/CR) get a leading apostrophe, the OWASP advice against CSV injection;
 * plain negative numbers such as topic -1 are left alone.
 */
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic.js";
import { writeLinesAtomic } from "../io/streaming.js";
import { OUTPUT_FILES } from "../topics/folder/format.js";
import type { DocumentRecord, Topic } from "../topics/types.js";

export type CsvValue = string | number | boolean | null | undefined;

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}

function topicLabel(topic: Topic | undefined): string {
  if (!topic) return "";
  return topic.customLabel ?? topic.label;
}

export function topicsCsv(topics: readonly Topic[], documents: readonly DocumentRecord[]): string {
  const total = documents.length;
  return toCsv(
    ["topic", "label", "size", "share", "words", "representative_documents"],
    [...topics]
      .sort((a, b) => a.id - b.id)
      .map((t) => [
        t.id,
        topicLabel(t),
        t.size,
        total > 0 ? Number((t.size / total).toFixed(6)) : 0,
        t.words.map((w) => w.word).join(" "),
        t.representativeDocs
          .map((i) => documents[i]?.id)
          .filter((id) => id !== undefined)
          .join(" "),
      ]),
  );
}

/** documents.csv as a header and one row per document, built on demand (a million rows need not be one string). */
function documentsCsvRows(
  documents: readonly DocumentRecord[],
  topics: readonly Topic[],
): { header: string[]; row: (i: number) => CsvValue[] } {
  const byId = new Map(topics.map((t) => [t.id, t]));
  const hasClass = documents.some((d) => d.label !== undefined);
  const hasTime = documents.some((d) => d.timestamp !== undefined);
  const header = ["id", "topic", "label", "probability", "text"];
  if (hasClass) header.push("class");
  if (hasTime) header.push("timestamp");
  return {
    header,
    row: (i) => {
      const d = documents[i];
      const row: CsvValue[] = [
        d.id,
        d.topic,
        topicLabel(byId.get(d.topic)),
        Number.isFinite(d.probability) ? Number(d.probability.toFixed(6)) : "",
        d.text,
      ];
      if (hasClass) row.push(d.label);
      if (hasTime) row.push(d.timestamp);
      return row;
    },
  };
}

/** id, topic, label (the topic's), probability, text; plus class / timestamp when the corpus had them. */
export function documentsCsv(documents: readonly DocumentRecord[], topics: readonly Topic[]): string {
  const { header, row } = documentsCsvRows(documents, topics);
  return toCsv(
    header,
    documents.map((_, i) => row(i)),
  );
}

/** Writes topics.csv and documents.csv into `dir` (atomically) and returns their paths. */
export function writeCsvExports(
  dir: string,
  topics: readonly Topic[],
  documents: readonly DocumentRecord[],
): string[] {
  const paths = [join(dir, OUTPUT_FILES.topicsCsv), join(dir, OUTPUT_FILES.documentsCsv)];
  writeFileAtomic(paths[0], topicsCsv(topics, documents));
  const { header, row } = documentsCsvRows(documents, topics);
  writeLinesAtomic(
    paths[1],
    documents.length + 1,
    (i) => (i === 0 ? header : row(i - 1)).map(csvField).join(","),
    "\r\n",
  );
  return paths;
}
