/**
 * BERTopic's approximate_distribution: each document is cut into overlapping windows of `window`
 * tokens (moving `stride` tokens at a time), every window's c-TF-IDF vector is compared (cosine) with
 * every topic's, similarities below `minSimilarity` are dropped, and a document's distribution is the
 * L1-normalised sum over its windows. Works for any text, seen at fit or not.
 */
import { ctfidfSimilarity, type TopicRepresentation } from "../../represent/index.js";
import type { Matrix } from "../../types.js";

export interface DistributionOptions {
  /** Tokens per window (BERTopic default 4). */
  window?: number;
  /** Tokens between window starts (default 1). */
  stride?: number;
  /** Window–topic similarities below this count as 0 (default 0.1). */
  minSimilarity?: number;
  /** Also emit the shorter windows at the start of a document (BERTopic's `padding`). */
  padding?: boolean;
}

export interface TopicDistribution {
  /** Column order of `distributions`: the real topics (−1 is never part of a distribution). */
  topicIds: number[];
  /** documents × topics, rows sum to 1 (all zero when no window matched any topic). */
  distributions: Matrix;
}

// The vectorizer's token pattern (see represent/tokenizer.ts), without stop-word removal: windows are
// cut from the raw token sequence, as BERTopic's `build_tokenizer()` does. A model fitted with
// `dropNumbers` stands for a token_pattern that skips numbers, so its windows skip them too.
const TOKEN = /[\p{L}\p{N}_]{2,}/gu;
const DIGITS_ONLY = /^\p{N}+$/u;

export function documentWindows(
  text: string,
  window: number,
  stride: number,
  padding: boolean,
  dropNumbers = false,
): string[] {
  const matched = text.match(TOKEN) ?? [];
  const tokens = dropNumbers ? matched.filter((token) => !DIGITS_ONLY.test(token)) : matched;
  if (tokens.length < window) return tokens.length > 0 ? [tokens.join(" ")] : [];
  const sets: string[] = [];
  if (padding) {
    const t = Math.ceil(window / stride) - 1;
    for (let i = 0; i < t; i++) sets.push(tokens.slice(0, window - (t - i) * stride).join(" "));
  }
  for (let start = 0; start < tokens.length; start += stride) {
    const selected = tokens.slice(start, start + window);
    if (padding || selected.length === window) sets.push(selected.join(" "));
  }
  return sets;
}

export function approximateDistribution(
  representation: TopicRepresentation,
  texts: readonly string[],
  options: DistributionOptions = {},
): TopicDistribution {
  const window = options.window ?? 4;
  const stride = options.stride ?? 1;
  const minSimilarity = options.minSimilarity ?? 0.1;
  if (!Number.isInteger(window) || window < 1)
    throw new RangeError(`window must be an integer ≥ 1, got ${window}`);
  if (!Number.isInteger(stride) || stride < 1)
    throw new RangeError(`stride must be an integer ≥ 1, got ${stride}`);
  const windows: string[] = [];
  const start = new Int32Array(texts.length + 1);
  const dropNumbers = representation.vectorizer.options.dropNumbers === true;
  texts.forEach((text, d) => {
    for (const w of documentWindows(text, window, stride, options.padding ?? false, dropNumbers))
      windows.push(w);
    start[d + 1] = windows.length;
  });
  const similarity = ctfidfSimilarity(representation, windows);
  const k = similarity.topicIds.length;
  const out = new Float32Array(texts.length * k);
  const sums = new Float64Array(k);
  for (let d = 0; d < texts.length; d++) {
    sums.fill(0);
    for (let w = start[d]; w < start[d + 1]; w++) {
      for (let t = 0; t < k; t++) {
        const s = similarity.scores.data[w * k + t];
        if (s >= minSimilarity) sums[t] += s;
      }
    }
    let total = 0;
    for (let t = 0; t < k; t++) total += sums[t];
    if (total > 0) for (let t = 0; t < k; t++) out[d * k + t] = sums[t] / total;
  }
  return { topicIds: similarity.topicIds, distributions: { data: out, rows: texts.length, cols: k } };
}
