/**
 * Turns parsed rows (a JSON object per line, or a CSV record keyed by its header) into corpus
 * documents: picks the text/id/label/time fields, converts scalar values to strings, and collects
 * the problems worth a warning instead of failing on them.
 */
import type { CorpusDocument } from "../types.js";
import { UserError } from "../util/errors.js";

export interface FieldNames {
  text: string;
  id?: string;
  label?: string;
  time?: string;
}

export interface RawRow {
  values: Record<string, unknown>;
  /** 1-based line (or record) number in the source, for messages. */
  line: number;
}

export interface RowsResult {
  documents: CorpusDocument[];
  warnings: string[];
}

/** What a row is called in messages: "line" for JSONL, "record" for CSV. */
export type RowNoun = "line" | "record";

export function documentsFromRows(
  rows: readonly RawRow[],
  fields: FieldNames,
  source: string,
  noun: RowNoun,
): RowsResult {
  const documents: CorpusDocument[] = new Array(rows.length);
  const warnings: string[] = [];
  const missing = { id: 0, label: 0, time: 0 };
  let scalarTexts = 0;
  let firstScalar = "";
  for (let i = 0; i < rows.length; i++) {
    const { values, line } = rows[i];
    const where = `${source} ${noun} ${line}`;
    if (!Object.hasOwn(values, fields.text)) {
      throw new UserError(
        `${where}: no field '${fields.text}' (fields: ${listFields(values)}); choose the text field with --text-field`,
      );
    }
    const raw = values[fields.text];
    const document: CorpusDocument = { id: String(i), text: textValue(raw, where, fields.text) };
    if (typeof raw === "number" || typeof raw === "boolean") {
      if (scalarTexts++ === 0) firstScalar = `${noun} ${line}: ${document.text}`;
    }
    if (fields.id !== undefined) {
      const id = scalarValue(values[fields.id], where, fields.id);
      if (id === undefined) missing.id++;
      else document.id = id;
    }
    if (fields.label !== undefined) {
      const label = scalarValue(values[fields.label], where, fields.label);
      if (label === undefined) missing.label++;
      else document.label = label;
    }
    if (fields.time !== undefined) {
      const time = scalarValue(values[fields.time], where, fields.time);
      if (time === undefined) missing.time++;
      else document.timestamp = time;
    }
    documents[i] = document;
  }
  const total = rows.length;
  const firstKeys = total > 0 ? listFields(rows[0].values) : "";
  for (const [kind, flag] of [
    ["id", "--id-field"],
    ["label", "--label-field"],
    ["time", "--time-field"],
  ] as const) {
    const name = fields[kind];
    const count = missing[kind];
    if (name === undefined || count === 0) continue;
    if (count === total) {
      throw new UserError(
        `${source}: no ${noun} has the ${kind} field '${name}' (fields of ${noun} ${rows[0].line}: ${firstKeys}); fix ${flag}`,
      );
    }
    const consequence = kind === "id" ? "they keep their row index as id" : `they get no ${kind}`;
    warnings.push(
      `${count} of ${total} documents in ${source} have no ${kind} field '${name}'; ${consequence}`,
    );
  }
  if (scalarTexts > 0) {
    warnings.push(
      `${scalarTexts} of ${total} documents in ${source} have a number or true/false as text (e.g. ${firstScalar}); each is read as written`,
    );
  }
  if (fields.id !== undefined) {
    const duplicate = firstDuplicateId(documents);
    if (duplicate !== undefined) {
      warnings.push(`${source}: ids are not unique (e.g. '${duplicate}'); exports will repeat them`);
    }
  }
  return { documents, warnings };
}

function listFields(values: Record<string, unknown>): string {
  const keys = Object.keys(values);
  return keys.length === 0 ? "none" : keys.map((key) => `'${key}'`).join(", ");
}

/**
 * The one rule for the text field: a scalar is text — a string as it is, a number or true/false as JSON
 * writes it (12345, true; CSV gives the same strings), null or missing = an empty document; an array
 * or object has no single text and is an error.
 */
function textValue(value: unknown, where: string, field: string): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new UserError(
    `${where}: field '${field}' is ${describe(value)}, expected text (a string, number or true/false); join it into one string or choose another --text-field`,
  );
}

/** Scalars become strings; null, missing and "" count as absent. */
function scalarValue(value: unknown, where: string, field: string): string | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new UserError(`${where}: field '${field}' is ${describe(value)}, expected a string or number`);
}

function describe(value: unknown): string {
  return Array.isArray(value)
    ? "an array"
    : `a${typeof value === "object" ? "n object" : ` ${typeof value}`}`;
}

function firstDuplicateId(documents: readonly CorpusDocument[]): string | undefined {
  const seen = new Set<string>();
  for (const { id } of documents) {
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return undefined;
}
