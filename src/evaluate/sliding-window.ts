/**
 * Boolean sliding-window counts (Röder et al. 2015), as gensim's WordOccurrenceAccumulator makes them:
 * in how many windows of `windowSize` consecutive tokens a word occurs, and in how many two words occur
 * together. Every document of length L > s gives L - s + 1 windows; a document of 1…s tokens gives one
 * window (itself). All tokens take up window positions, whether counted or not.
 *
 * Only the words we are asked about are indexed. For each word, the windows that count it form a few
 * runs of consecutive window numbers; we store those runs, so an occurrence count is a sum of run
 * lengths and a co-occurrence count is the overlap of two sorted run lists (a linear merge). This is
 * independent of the corpus size per pair and needs no per-window work.
 */
import type { ReferenceCorpus } from "./reference-corpus.js";

/**
 * "gensim": gensim's incremental window update, which un-marks the word that slides out of the window
 * even when another copy of it is still inside (so a word repeated within a window is under-counted);
 * this is what published C_NPMI / C_V numbers (gensim, OCTIS, BERTopic's paper) were computed with.
 * "exact": a word counts in every window that contains it.
 */
export type WindowCounting = "gensim" | "exact";

export interface SlidingWindowCounts {
  readonly windowSize: number;
  /** Number of windows (gensim's `num_docs` of virtual documents). */
  readonly windows: number;
  /** Index of a word among the counted words, or -1 when the corpus never contains it. */
  indexOf(word: string): number;
  occurrences(index: number): number;
  cooccurrences(a: number, b: number): number;
}

export function countSlidingWindows(
  corpus: ReferenceCorpus,
  words: Iterable<string>,
  windowSize: number,
  counting: WindowCounting = "gensim",
): SlidingWindowCounts {
  if (!Number.isInteger(windowSize) || windowSize < 1) {
    throw new RangeError(`window size must be a positive integer, got ${windowSize}`);
  }
  const { tokens, offsets } = corpus;
  const documents = offsets.length - 1;

  // Counted words get dense indices 0..k-1; every other token maps to -1.
  const wordIndex = new Map<string, number>();
  const relevant = new Int32Array(corpus.vocabulary.length).fill(-1);
  for (const word of words) {
    const id = corpus.ids.get(word);
    if (id === undefined || relevant[id] !== -1) continue;
    relevant[id] = wordIndex.size;
    wordIndex.set(word, wordIndex.size);
  }
  const k = wordIndex.size;

  // Positions of each counted word, grouped by word (CSR), ascending within a word.
  const perWord = new Int32Array(k + 1);
  for (let t = 0; t < tokens.length; t++) {
    const r = relevant[tokens[t]];
    if (r >= 0) perWord[r + 1]++;
  }
  for (let r = 0; r < k; r++) perWord[r + 1] += perWord[r];
  const positions = new Int32Array(perWord[k]);
  const positionDocument = new Int32Array(perWord[k]);
  const fill = perWord.slice(0, k);
  for (let d = 0; d < documents; d++) {
    for (let t = offsets[d]; t < offsets[d + 1]; t++) {
      const r = relevant[tokens[t]];
      if (r >= 0) {
        positions[fill[r]] = t;
        positionDocument[fill[r]] = d;
        fill[r]++;
      }
    }
  }

  // First window number of each document. Empty documents have no windows (gensim fails on them).
  const firstWindow = new Float64Array(documents + 1);
  for (let d = 0; d < documents; d++) {
    const length = offsets[d + 1] - offsets[d];
    firstWindow[d + 1] = firstWindow[d] + (length === 0 ? 0 : Math.max(1, length - windowSize + 1));
  }
  const windows = firstWindow[documents];

  // Runs of windows per word: at most one run per occurrence.
  const runs = new Float64Array(2 * perWord[k]);
  const runStart = new Int32Array(k + 1);
  const occurrenceCounts = new Float64Array(k);
  let runCount = 0;
  const emit = (from: number, to: number) => {
    runs[2 * runCount] = from;
    runs[2 * runCount + 1] = to;
    runCount++;
  };
  for (let r = 0; r < k; r++) {
    runStart[r] = runCount;
    let i = perWord[r];
    while (i < perWord[r + 1]) {
      const d = positionDocument[i];
      let j = i;
      while (j < perWord[r + 1] && positionDocument[j] === d) j++;
      const documentStart = offsets[d];
      const last = Math.max(0, offsets[d + 1] - documentStart - windowSize);
      const base = firstWindow[d];
      if (counting === "gensim") {
        gensimRuns(positions, i, j, documentStart, windowSize, last, base, emit);
      } else {
        exactRuns(positions, i, j, documentStart, windowSize, last, base, emit);
      }
      i = j;
    }
    let total = 0;
    for (let q = runStart[r]; q < runCount; q++) total += runs[2 * q + 1] - runs[2 * q] + 1;
    occurrenceCounts[r] = total;
  }
  runStart[k] = runCount;

  const cache = new Map<number, number>();
  const overlap = (a: number, b: number): number => {
    let p = runStart[a];
    let q = runStart[b];
    const pEnd = runStart[a + 1];
    const qEnd = runStart[b + 1];
    let total = 0;
    while (p < pEnd && q < qEnd) {
      const from = Math.max(runs[2 * p], runs[2 * q]);
      const aTo = runs[2 * p + 1];
      const bTo = runs[2 * q + 1];
      const to = Math.min(aTo, bTo);
      if (from <= to) total += to - from + 1;
      if (aTo < bTo) p++;
      else q++;
    }
    return total;
  };

  return {
    windowSize,
    windows,
    indexOf: (word) => wordIndex.get(word) ?? -1,
    occurrences: (index) => occurrenceCounts[index],
    cooccurrences(a, b) {
      if (a === b) return occurrenceCounts[a];
      const key = a < b ? a * k + b : b * k + a;
      let value = cache.get(key);
      if (value === undefined) {
        value = overlap(a, b);
        cache.set(key, value);
      }
      return value;
    },
  };
}

/**
 * gensim's update when the window moves from w-1 to w: first un-mark the token that left (position
 * w-1), then mark the token that entered (position w+s-1). For one word with occurrences p_i in a
 * document, that means "on" events at max(0, p_i - s + 1), "off" events at p_i + 1, an "on" winning a
 * tie. Window numbers are local (0…last) and shifted by `base` when emitted.
 */
function gensimRuns(
  positions: Int32Array,
  from: number,
  to: number,
  documentStart: number,
  windowSize: number,
  last: number,
  base: number,
  emit: (from: number, to: number) => void,
): void {
  let i = from;
  let j = from;
  let on = false;
  let runFrom = 0;
  for (;;) {
    const enter = i < to ? Math.max(0, positions[i] - documentStart - windowSize + 1) : Infinity;
    const leave =
      j < to && positions[j] - documentStart + 1 <= last ? positions[j] - documentStart + 1 : Infinity;
    if (enter === Infinity && leave === Infinity) break;
    if (enter <= leave) {
      if (!on) {
        on = true;
        runFrom = enter;
      }
      while (i < to && Math.max(0, positions[i] - documentStart - windowSize + 1) === enter) i++;
      while (j < to && positions[j] - documentStart + 1 === enter) j++;
    } else {
      if (on) {
        emit(base + runFrom, base + leave - 1);
        on = false;
      }
      j++;
    }
  }
  if (on) emit(base + runFrom, base + last);
}

/** Occurrence p is inside windows max(0, p-s+1) … min(p, last); overlapping ranges are merged. */
function exactRuns(
  positions: Int32Array,
  from: number,
  to: number,
  documentStart: number,
  windowSize: number,
  last: number,
  base: number,
  emit: (from: number, to: number) => void,
): void {
  let runFrom = -1;
  let runTo = -2;
  for (let i = from; i < to; i++) {
    const p = positions[i] - documentStart;
    const start = Math.max(0, p - windowSize + 1);
    const end = Math.min(p, last);
    if (start > runTo + 1) {
      if (runFrom >= 0) emit(base + runFrom, base + runTo);
      runFrom = start;
    }
    runTo = Math.max(runTo, end);
  }
  if (runFrom >= 0) emit(base + runFrom, base + runTo);
}
