/**
 * Training pairs: two texts and a class label (softmax), a similarity score (cosent) or nothing (mnrl:
 * each row is an anchor and its positive), read with the similarity verbs' pairs-file reader (field
 * names settable). A pair that lacks a needed field, or has a label outside the known ones, stops the
 * run with one line naming the file and line.
 */
import { DEFAULT_PAIR_FIELDS, type PairFieldNames, readPairsFile } from "../similarity/pairs-file.js";
import { UserError } from "../util/errors.js";

export type PairFields = PairFieldNames;
export { DEFAULT_PAIR_FIELDS };

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
  const file = readPairsFile(path, fields);
  const needLabel = options.needLabel === true || options.keepLabel !== undefined;
  const first = file.pairs[0];
  if (needLabel && !file.hasLabel) {
    throw new UserError(
      `${path} line ${first.line}: no field '${fields.label}'; ${options.keepLabel !== undefined ? "--positive-label" : "softmax"} needs a label on every pair (name the field with --label-field)`,
    );
  }
  if (options.needScore && !file.hasScore) {
    throw new UserError(
      `${path} line ${first.line}: no field '${fields.score}'; cosent needs a similarity score on every pair (name the field with --score-field)`,
    );
  }
  const pairs =
    options.keepLabel !== undefined
      ? file.pairs.filter((p) => String(p.label) === options.keepLabel)
      : file.pairs;
  if (pairs.length === 0) {
    throw new UserError(`${path} has no pairs with ${fields.label} '${options.keepLabel}'`);
  }
  const set: PairSet = {
    source: path,
    sentence1: pairs.map((p) => p.sentence1),
    sentence2: pairs.map((p) => p.sentence2),
    lines: Int32Array.from(pairs, (p) => p.line),
  };
  if (options.needLabel) {
    const raw = pairs.map((p) => String(p.label));
    const names = options.labelNames ? [...options.labelNames] : [...new Set(raw)].sort();
    const index = new Map(names.map((name, i) => [name, i]));
    set.labelNames = names;
    set.labels = Int32Array.from(raw, (label, i) => {
      const k = index.get(label);
      if (k === undefined) {
        throw new UserError(
          `${path} line ${pairs[i].line}: unknown label '${label}'; the labels are ${names.join(", ")} (set them with --labels)`,
        );
      }
      return k;
    });
  }
  if (options.needScore) set.scores = Float32Array.from(pairs, (p) => p.score!);
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
