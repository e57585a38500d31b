/**
 * One reader per corpus format. Each takes the raw bytes (or a folder path) and returns documents
 * in input order plus warnings; none of them drops or renumbers a document.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import type { CorpusDocument } from "../types.js";
import { UserError } from "../util/errors.js";
import { decodeLines, decodeUtf8 } from "./decode.js";
import { documentsFromRows, type FieldNames, type RawRow } from "./records.js";

export interface FormatResult {
  documents: CorpusDocument[];
  warnings: string[];
}

function damageWarning(count: number, unit: string, source: string): string {
  return `${count} ${unit}${count === 1 ? "" : "s"} of ${source} had invalid UTF-8 bytes; they were replaced with U+FFFD`;
}

/** One JSON object per line; blank lines are skipped (they are not documents). */
export function readJsonl(bytes: Uint8Array, source: string, fields: FieldNames): FormatResult {
  const lines = decodeLines(bytes);
  const rows: RawRow[] = [];
  let damaged = 0;
  for (let i = 0; i < lines.length; i++) {
    const { text, damaged: isDamaged } = lines[i];
    if (text.trim() === "") continue;
    if (isDamaged) damaged++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UserError(
        `${source} line ${i + 1}: invalid JSON (${reason}); each line must be one JSON object`,
      );
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new UserError(
        `${source} line ${i + 1}: expected a JSON object like {"text": "..."}, got ${Array.isArray(value) ? "an array" : typeof value === "object" ? "null" : `a ${typeof value}`}`,
      );
    }
    rows.push({ values: value as Record<string, unknown>, line: i + 1 });
  }
  const result = documentsFromRows(rows, fields, source, "line");
  if (damaged > 0) result.warnings.unshift(damageWarning(damaged, "line", source));
  return result;
}

interface CsvInfoRecord {
  info: { lines: number };
  record: string[];
}

/** Comma-separated values with a header row (RFC 4180 quoting); quoted fields may span lines. */
export function readDelimited(
  bytes: Uint8Array,
  source: string,
  fields: FieldNames,
  delimiter: "," = ",",
): FormatResult {
  const { text, damaged } = decodeUtf8(bytes);
  let parsed: CsvInfoRecord[];
  try {
    parsed = parseCsv(text, {
      delimiter,
      info: true,
      skip_empty_lines: true,
      bom: true,
    }) as unknown as CsvInfoRecord[];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`${source}: cannot parse as CSV: ${reason}`);
  }
  if (parsed.length === 0) return { documents: [], warnings: [] };
  const header = parsed[0].record;
  checkHeader(header, source, fields);
  const rows: RawRow[] = [];
  let damagedRecords = 0;
  for (let r = 1; r < parsed.length; r++) {
    const { info, record } = parsed[r];
    const values: Record<string, unknown> = {};
    // The first of two same-named columns wins, as a reader of the header would expect.
    for (let c = header.length - 1; c >= 0; c--) values[header[c]] = record[c];
    if (damaged && record.some((cell) => cell.includes("\uFFFD"))) damagedRecords++;
    rows.push({ values, line: info.lines });
  }
  const result = documentsFromRows(rows, fields, source, "line");
  if (damagedRecords > 0) result.warnings.unshift(damageWarning(damagedRecords, "record", source));
  return result;
}

/**
 * Tab-separated values as IANA's text/tab-separated-values defines them: one record per line, fields
 * split at tabs, no quoting — a `"` is text (`He said "hi"` is read as written). A field therefore
 * cannot hold a tab or a line break; a record with the wrong number of fields is an error naming its
 * line. Empty lines are skipped, as in CSV.
 */
export function readTsv(bytes: Uint8Array, source: string, fields: FieldNames): FormatResult {
  const lines = decodeLines(bytes);
  let first = 0;
  while (first < lines.length && lines[first].text === "") first++;
  if (first === lines.length) return { documents: [], warnings: [] };
  const header = lines[first].text.split("\t");
  checkHeader(header, source, fields);
  const rows: RawRow[] = [];
  let damagedRecords = 0;
  for (let i = first + 1; i < lines.length; i++) {
    const { text, damaged } = lines[i];
    if (text === "") continue;
    const record = text.split("\t");
    if (record.length !== header.length) {
      throw new UserError(
        `${source} line ${i + 1}: ${record.length} field${record.length === 1 ? "" : "s"}, the header has ${header.length}; TSV has no quoting, so a field cannot hold a tab or a line break`,
      );
    }
    const values: Record<string, unknown> = {};
    for (let c = header.length - 1; c >= 0; c--) values[header[c]] = record[c];
    if (damaged) damagedRecords++;
    rows.push({ values, line: i + 1 });
  }
  const result = documentsFromRows(rows, fields, source, "line");
  if (damagedRecords > 0) result.warnings.unshift(damageWarning(damagedRecords, "line", source));
  return result;
}

/** The text column, and every column named by a flag, must be in the header. */
function checkHeader(header: readonly string[], source: string, fields: FieldNames): void {
  if (!header.includes(fields.text)) {
    throw new UserError(
      `${source}: no column '${fields.text}' in the header (columns: ${header.map((h) => `'${h}'`).join(", ")}); choose the text column with --text-field`,
    );
  }
  for (const [name, flag] of [
    [fields.id, "--id-field"],
    [fields.label, "--label-field"],
    [fields.time, "--time-field"],
  ] as const) {
    if (name !== undefined && !header.includes(name)) {
      throw new UserError(
        `${source}: no column '${name}' in the header (columns: ${header.map((h) => `'${h}'`).join(", ")}); fix ${flag}`,
      );
    }
  }
}

/** One document per line. Blank lines are kept as empty documents so ids match line numbers − 1. */
export function readLines(bytes: Uint8Array, source: string): FormatResult {
  const lines = decodeLines(bytes);
  const documents: CorpusDocument[] = new Array(lines.length);
  let damaged = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].damaged) damaged++;
    documents[i] = { id: String(i), text: lines[i].text };
  }
  return { documents, warnings: damaged > 0 ? [damageWarning(damaged, "line", source)] : [] };
}

/**
 * Every `.txt` file under the folder is one document, in sorted relative-path order. The id is the
 * relative path (with "/"), the label the first-level sub-folder (files at the top have no label).
 * Hidden files and folders (".name") are skipped.
 */
export function readTextFolder(folder: string, source: string): FormatResult {
  const files: string[] = [];
  let skipped = 0;
  const walk = (relative: string): void => {
    const entries = readdirSync(join(folder, relative), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      const isDirectory =
        entry.isDirectory() || (entry.isSymbolicLink() && statSync(join(folder, path)).isDirectory());
      if (isDirectory) walk(path);
      else if (entry.name.toLowerCase().endsWith(".txt")) files.push(path);
      else skipped++;
    }
  };
  walk("");
  // Code-unit order, not locale order, so the same folder gives the same ids on every machine.
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const documents: CorpusDocument[] = [];
  let damaged = 0;
  for (const path of files) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(folder, path));
    } catch (error) {
      throw new UserError(
        `cannot read ${join(source, path)}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
    const decoded = decodeUtf8(bytes);
    if (decoded.damaged) damaged++;
    const slash = path.indexOf("/");
    const document: CorpusDocument = { id: path, text: decoded.text };
    if (slash !== -1) document.label = path.slice(0, slash);
    documents.push(document);
  }
  const warnings: string[] = [];
  if (damaged > 0) warnings.push(damageWarning(damaged, "file", source));
  if (skipped > 0)
    warnings.push(`${source}: skipped ${skipped} file${skipped === 1 ? "" : "s"} not ending in .txt`);
  return { documents, warnings };
}

/** Stdin holds JSONL when its first non-blank line is a JSON object; otherwise one document per line. */
export function looksLikeJsonl(bytes: Uint8Array): boolean {
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const line = decodeUtf8(bytes.subarray(start, end))
      .text.replace(/^\uFEFF/u, "")
      .trim();
    start = end + 1;
    if (line === "") continue;
    if (!line.startsWith("{")) return false;
    try {
      const value: unknown = JSON.parse(line);
      return value !== null && typeof value === "object" && !Array.isArray(value);
    } catch {
      return false;
    }
  }
  return false;
}
