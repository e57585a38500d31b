/**
 * Training pairs from a JSONL file: two texts and a class label (softmax), a similarity score
 * (cosent) or nothing (mnrl: each row is an anchor and its positive). Field names are settable; a row
 * that lacks a needed field, or has a label outside the known ones, stops the run with one line naming
 * the file and line.
 */
import { readFileSync } from "node:fs";
import { UserError } from "../util/errors.js";

export interface PairFields {
  sentence1: string;
  sentence2: string;
  label: string;
  score: string;
}

export const DEFAULT_PAIR_FIELDS: PairFields = {
  sentence1: "sentence1",
  sentence2: "sentence2",
  label: "label",
  score: "score",
};

export interface PairSet {
  source: string;
  sentence1: string[];
  sentence2: string[];
  /** Index into `labelNames` per pair (when labels were read). */
  labels?: Int32Array;
  labelNames?: string[];
  /** Similarity per pair (when scores were read). */
  scores?: Float32Array;
  /** 1-based line of each pair in the file, for messages. */
  lines: Int32Array;
}

export interface ReadPairsOptions {
  fields?: Partial<PairFields>;
  /** Read the label field of every row. */
  needLabel?: boolean;
  /** Read the score field of every row. */
  needScore?: boolean;
  /** The known labels, in class order; a row with another label is an error. Default: every label seen (sorted). */
  labelNames?: readonly string[];
  /** Keep only rows with this label (mnrl on NLI-style data: the entailment pairs are the positives). */
  keepLabel?: string;
}

export function readPairs(path: string, options: ReadPairsOptions = {}): PairSet {
  const fields = { ...DEFAULT_PAIR_FIELDS, ...options.fields };
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UserError(
      `cannot read pairs file ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const sentence1: string[] = [];
  const sentence2: string[] = [];
  const rawLabels: string[] = [];
  const scores: number[] = [];
  const lines: number[] = [];
  const needLabel = options.needLabel === true || options.keepLabel !== undefined;
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim().length === 0) return;
    let row: unknown;
    try {
      row = JSON.parse(raw);
    } catch {
      throw new UserError(`${path}:${line}: not valid JSON; a pairs file has one JSON object per line`);
    }
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      throw new UserError(
        `${path}:${line}: expected a JSON object with ${fields.sentence1} and ${fields.sentence2}`,
      );
    }
    const record = row as Record<string, unknown>;
    const textOf = (field: string): string => {
      const value = record[field];
      if (typeof value !== "string") {
        throw new UserError(
          `${path}:${line}: ${value === undefined ? "missing" : "non-text"} field '${field}' (set the field name with --${field === fields.sentence1 ? "sentence1" : "sentence2"}-field)`,
        );
      }
      return value;
    };
    const a = textOf(fields.sentence1);
    const b = textOf(fields.sentence2);
    let label: string | undefined;
    if (needLabel) {
      const value = record[fields.label];
      if (typeof value !== "string" && typeof value !== "number") {
        throw new UserError(
          `${path}:${line}: ${value === undefined ? "missing" : "non-scalar"} field '${fields.label}' (set the field name with --label-field)`,
        );
      }
      label = String(value);
      if (options.keepLabel !== undefined && label !== options.keepLabel) return;
    }
    let score: number | undefined;
    if (options.needScore) {
      const value = record[fields.score];
      score = typeof value === "string" && value.trim() !== "" ? Number(value) : (value as number);
      if (typeof score !== "number" || !Number.isFinite(score)) {
        throw new UserError(
          `${path}:${line}: ${value === undefined ? "missing" : "non-numeric"} field '${fields.score}' (set the field name with --score-field)`,
        );
      }
    }
    sentence1.push(a);
    sentence2.push(b);
    if (label !== undefined) rawLabels.push(label);
    if (score !== undefined) scores.push(score);
    lines.push(line);
  });
  if (sentence1.length === 0) {
    throw new UserError(
      options.keepLabel !== undefined
        ? `${path} has no pairs with ${fields.label} '${options.keepLabel}'`
        : `${path} has no pairs; expected JSON lines with ${fields.sentence1} and ${fields.sentence2}`,
    );
  }
  const set: PairSet = { source: path, sentence1, sentence2, lines: Int32Array.from(lines) };
  if (options.needLabel) {
    const names = options.labelNames ? [...options.labelNames] : [...new Set(rawLabels)].sort();
    const index = new Map(names.map((name, i) => [name, i]));
    set.labelNames = names;
    set.labels = Int32Array.from(rawLabels, (label, i) => {
      const k = index.get(label);
      if (k === undefined) {
        throw new UserError(
          `${path}:${lines[i]}: unknown label '${label}'; the labels are ${names.join(", ")} (set them with --labels)`,
        );
      }
      return k;
    });
  }
  if (options.needScore) set.scores = Float32Array.from(scores);
  return set;
}

/** The pairs at `indices`, in that order. */
export function subsetPairs(set: PairSet, indices: ArrayLike<number>): PairSet {
  const pick = <T>(values: readonly T[]) => Array.from(indices, (i) => values[i]);
  return {
    source: set.source,
    sentence1: pick(set.sentence1),
    sentence2: pick(set.sentence2),
    labels: set.labels ? Int32Array.from(indices, (i) => set.labels![i]) : undefined,
    labelNames: set.labelNames,
    scores: set.scores ? Float32Array.from(indices, (i) => set.scores![i]) : undefined,
    lines: Int32Array.from(indices, (i) => set.lines[i]),
  };
}
