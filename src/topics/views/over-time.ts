/**
 * BERTopic's topics_over_time: documents are grouped by timestamp (or into `bins` equal-width bins,
 * as pandas.cut), and in each group every topic gets its frequency and its words from the group's
 * c-TF-IDF, averaged with the topic's global c-TF-IDF (global tuning). Evolution tuning (average with
 * the previous bin) is off by default: in BERTopic's code the averaged rows are written into a
 * temporary copy, so BERTopic's output is that of global tuning alone.
 */
import type { TopicRepresentation } from "../../represent/index.js";
import { UserError } from "../../util/errors.js";
import type { TopicTerm } from "../types.js";
import {
  averageRows,
  GlobalRows,
  GroupCounts,
  sliceCtfidf,
  topTerms,
  type WeightRow,
} from "./local-ctfidf.js";

export type TimeKind = "date" | "number";

export interface ParsedTimestamps {
  kind: TimeKind;
  /** Milliseconds since the epoch (dates) or the numbers themselves. */
  values: Float64Array;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Numbers when every value is a number (years, epochs, ordinal steps), else dates (anything
 * `Date.parse` reads; ISO 8601 is safest). A missing or unreadable value names its row.
 */
export function parseTimestamps(
  values: readonly (string | number | undefined)[],
  ids?: readonly string[],
): ParsedTimestamps {
  const where = (i: number) => `document ${i + 1}${ids ? ` (id ${ids[i]})` : ""}`;
  values.forEach((v, i) => {
    if (v === undefined || v === null || String(v).trim() === "") {
      throw new UserError(`${where(i)} has no timestamp; give every document one (the --time-field at fit)`);
    }
  });
  const strings = values.map((v) => String(v).trim());
  if (strings.every((s) => NUMBER.test(s)))
    return { kind: "number", values: Float64Array.from(strings, Number) };
  const parsed = new Float64Array(strings.length);
  strings.forEach((s, i) => {
    const ms = NUMBER.test(s) ? Number.NaN : Date.parse(s);
    if (!Number.isFinite(ms)) {
      throw new UserError(
        `${where(i)} has timestamp '${s}', which is not a date; use ISO 8601 (2024-03-01 or 2024-03-01T12:00:00Z) or numbers for every document`,
      );
    }
    parsed[i] = ms;
  });
  return { kind: "date", values: parsed };
}

export interface TimeBin {
  /** Bin start (ms since epoch or number). */
  start: number;
  end: number;
  /** ISO date/time (dates) or the number, of the bin start. */
  label: string;
  documents: number;
}

export interface TopicTimeEntry {
  topic: number;
  /** Index into `bins`. */
  bin: number;
  /** The bin's label (its start). */
  timestamp: string;
  frequency: number;
  words: TopicTerm[];
}

export interface TopicsOverTime {
  kind: TimeKind;
  bins: TimeBin[];
  /** One entry per (bin, topic present in that bin), bins in time order, topics ascending. */
  entries: TopicTimeEntry[];
}

export interface OverTimeOptions {
  /** Equal-width bins over the time range; default: one bin per distinct timestamp. */
  bins?: number;
  globalTuning?: boolean;
  evolutionTuning?: boolean;
  topN?: number;
  /** Counts of the texts' groups (default: the joined texts tokenised; local-ctfidf.ts). */
  counts?: GroupCounts;
}

function formatTime(kind: TimeKind, value: number, allMidnight: boolean): string {
  if (kind === "number") return String(Number(value.toPrecision(12)));
  const iso = new Date(value).toISOString();
  return allMidnight ? iso.slice(0, 10) : iso;
}

export function topicsOverTime(
  representation: TopicRepresentation,
  texts: readonly string[],
  labels: Int32Array,
  time: ParsedTimestamps,
  options: OverTimeOptions = {},
): TopicsOverTime {
  const n = texts.length;
  if (time.values.length !== n) throw new RangeError(`${time.values.length} timestamps for ${n} documents`);
  const topN = options.topN ?? 10;
  const globalTuning = options.globalTuning ?? true;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of time.values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const allMidnight = time.kind === "date" && [...time.values].every((v) => v % 86_400_000 === 0);
  const binOf = new Int32Array(n);
  let bins: TimeBin[];
  if (options.bins !== undefined) {
    const count = options.bins;
    if (!Number.isInteger(count) || count < 1)
      throw new UserError(`--bins must be an integer ≥ 1, got ${count}`);
    const width = (max - min) / count;
    bins = Array.from({ length: count }, (_, b) => {
      const start = min + b * width;
      return {
        start,
        end: b === count - 1 ? max : min + (b + 1) * width,
        label: formatTime(time.kind, start, allMidnight && width % 86_400_000 === 0),
        documents: 0,
      };
    });
    // Right-closed intervals (a, b] as pandas.cut, the first one including the minimum.
    time.values.forEach((v, i) => {
      binOf[i] = width === 0 ? 0 : Math.min(count - 1, Math.max(0, Math.ceil((v - min) / width) - 1));
    });
  } else {
    const distinct = [...new Set(time.values)].sort((a, b) => a - b);
    const index = new Map(distinct.map((v, b) => [v, b]));
    bins = distinct.map((v) => ({
      start: v,
      end: v,
      label: formatTime(time.kind, v, allMidnight),
      documents: 0,
    }));
    time.values.forEach((v, i) => {
      binOf[i] = index.get(v)!;
    });
  }
  const members: number[][] = bins.map(() => []);
  for (let i = 0; i < n; i++) members[binOf[i]].push(i);
  const entries: TopicTimeEntry[] = [];
  let previous = new Map<number, WeightRow>();
  const global = globalTuning ? new GlobalRows(representation) : undefined;
  const counts = options.counts ?? new GroupCounts(representation, texts, undefined, undefined);
  bins.forEach((bin, b) => {
    bin.documents = members[b].length;
    if (members[b].length === 0) return;
    const slice = sliceCtfidf(counts, labels, members[b], undefined);
    const current = new Map<number, WeightRow>();
    slice.topicIds.forEach((topic, t) => {
      let weights = slice.weights[t];
      if (options.evolutionTuning && previous.has(topic))
        weights = averageRows(weights, previous.get(topic)!);
      const globalRow = global?.get(topic);
      if (globalRow) weights = averageRows(weights, globalRow);
      current.set(topic, weights);
      entries.push({
        topic,
        bin: b,
        timestamp: bin.label,
        frequency: slice.frequencies[t],
        words: topTerms(weights, representation.vectorizer.vocabulary, topN),
      });
    });
    previous = current;
  });
  return { kind: time.kind, bins, entries };
}
