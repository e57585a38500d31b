/**
 * Sentence-pair files: JSON Lines with two texts and a gold `score` and/or `label` per line (the shape
 * of sentence-transformers' pair datasets and of ../shared/corpora/sick-*.jsonl). Field names are
 * settable. Every problem names the file and line.
 */
import { readFileSync } from "node:fs";
import { decodeLines } from "../corpus/decode.js";
import { UserError } from "../util/errors.js";

export interface PairFieldNames {
  sentence1: string;
  sentence2: string;
  score: string;
  label: string;
}

export const DEFAULT_PAIR_FIELDS: PairFieldNames = {
  sentence1: "sentence1",
  sentence2: "sentence2",
  score: "score",
  label: "label",
};

export type PairLabel = string | number | boolean;

export interface PairRecord {
  /** 1-based line in the file. */
  line: number;
  sentence1: string;
  sentence2: string;
  score?: number;
  label?: PairLabel;
}

export interface PairsFile {
  source: string;
  pairs: PairRecord[];
  /** Every pair has a score (the score field is in the file). */
  hasScore: boolean;
  /** Every pair has a label (the label field is in the file). */
  hasLabel: boolean;
}

/**
 * Reads a pairs file. A score or label field that appears on any line must appear on every line
 * (as a finite number, or a string / number / boolean label); the two text fields always must.
 */
export function readPairsFile(path: string, fields: Partial<PairFieldNames> = {}): PairsFile {
  const names = { ...DEFAULT_PAIR_FIELDS, ...fields };
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const rows: { line: number; values: Record<string, unknown> }[] = [];
  decodeLines(bytes).forEach(({ text }, i) => {
    if (text.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new UserError(`${path} line ${i + 1}: invalid JSON (${(error as Error).message})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new UserError(`${path} line ${i + 1}: expected a JSON object with the two sentences`);
    }
    rows.push({ line: i + 1, values: value as Record<string, unknown> });
  });
  if (rows.length === 0) throw new UserError(`${path} has no pairs`);
  const hasScore = rows.some((r) => names.score in r.values);
  const hasLabel = rows.some((r) => names.label in r.values);
  const pairs = rows.map(({ line, values }): PairRecord => {
    const where = `${path} line ${line}`;
    const text = (field: string, option: string): string => {
      const v = values[field];
      if (typeof v !== "string") {
        throw new UserError(
          v === undefined
            ? `${where}: no field '${field}'; name the field with ${option}`
            : `${where}: field '${field}' is not a string`,
        );
      }
      return v;
    };
    const record: PairRecord = {
      line,
      sentence1: text(names.sentence1, "--sentence1-field"),
      sentence2: text(names.sentence2, "--sentence2-field"),
    };
    if (hasScore) {
      const v = values[names.score];
      const score = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
      if (typeof score !== "number" || !Number.isFinite(score)) {
        throw new UserError(
          v === undefined
            ? `${where}: no field '${names.score}' (other lines have it); every pair needs a score`
            : `${where}: score '${String(v)}' is not a number`,
        );
      }
      record.score = score;
    }
    if (hasLabel) {
      const v = values[names.label];
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
        throw new UserError(
          v === undefined
            ? `${where}: no field '${names.label}' (other lines have it); every pair needs a label`
            : `${where}: label ${JSON.stringify(v)} is not a string, number or boolean`,
        );
      }
      record.label = v;
    }
    return record;
  });
  return { source: path, pairs, hasScore, hasLabel };
}

/**
 * Labels as 0/1. With `positive`, a label equal to it (compared as text) is 1 and any other 0.
 * Without, labels must already be binary (0/1, true/false, "0"/"1"): the first one that is not is
 * returned as `unknown` (with its line) instead.
 */
export function binaryLabels(
  file: PairsFile,
  positive?: string,
): { labels: Int8Array } | { unknown: { line: number; label: PairLabel } } {
  const labels = new Int8Array(file.pairs.length);
  for (let i = 0; i < file.pairs.length; i++) {
    const { label, line } = file.pairs[i];
    if (label === undefined) return { unknown: { line, label: "" } };
    if (positive !== undefined) {
      labels[i] = String(label) === positive ? 1 : 0;
      continue;
    }
    if (label === 1 || label === true || label === "1" || label === "true") labels[i] = 1;
    else if (label === 0 || label === false || label === "0" || label === "false") labels[i] = 0;
    else return { unknown: { line, label } };
  }
  return { labels };
}
