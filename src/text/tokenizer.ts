/**
 * Word tokenising as scikit-learn's CountVectorizer does it by default, so topic words match what
 * BERTopic users see: lower-case, tokens are maximal runs of Unicode word characters (letters,
 * numbers, underscore) of at least two characters — the same as the token pattern `(?u)\b\w\w+\b` —
 * stop words are removed, and n-grams are built from the remaining tokens (so an n-gram can span a
 * removed stop word, exactly as in scikit-learn). With `dropNumbers`, tokens made only of digits are
 * removed the same way — what BERTopic users get from a CountVectorizer whose token_pattern skips
 * numbers.
 */
import { createRequire } from "node:module";

export type StopWordsOption = "english" | "none" | readonly string[];

export interface TokenizerOptions {
  ngramRange: [number, number];
  stopWords: StopWordsOption;
  /**
   * Drop tokens made only of Unicode digits ("00", "1993", "٣٤") like stop words, before n-grams are
   * built; tokens mixing letters and digits ("mp3", "g9v") stay. Default false (scikit-learn's default).
   */
  dropNumbers?: boolean;
}

export interface Tokenizer {
  readonly ngramRange: [number, number];
  readonly stopWords: ReadonlySet<string>;
  readonly dropNumbers: boolean;
  /** Calls `emit` for every token left after stop-word (and number) removal, in text order (the n-gram base). */
  forEachToken(text: string, emit: (token: string) => void): void;
  /** Calls `emit` for every term (unigrams first, then bigrams, ...) of one text. */
  forEachTerm(text: string, emit: (term: string) => void): void;
  /** The terms of one text as an array (convenience; the hot paths use forEachTerm). */
  terms(text: string): string[];
}

// A run of ≥ 2 word characters; greedy matching makes every match a maximal run, as `\b\w\w+\b` does.
// Python's `\w` is letters, numbers and "_" (combining marks are not word characters there either).
const TOKEN = /[\p{L}\p{N}_]{2,}/gu;
const DIGITS_ONLY = /^\p{N}+$/u;

let englishCache: ReadonlySet<string> | undefined;

/** The English list of the stopwords-iso package (1,298 entries). */
export function englishStopWords(): ReadonlySet<string> {
  if (englishCache === undefined) {
    const require = createRequire(import.meta.url);
    const lists = require("stopwords-iso") as Record<string, string[]>;
    englishCache = new Set(lists.en);
  }
  return englishCache;
}

export function resolveStopWords(option: StopWordsOption): ReadonlySet<string> {
  if (option === "english") return englishStopWords();
  if (option === "none") return new Set();
  return new Set(option.map((word) => word.toLowerCase()));
}

export function createTokenizer(options: TokenizerOptions): Tokenizer {
  const [minN, maxN] = options.ngramRange;
  if (!Number.isInteger(minN) || !Number.isInteger(maxN) || minN < 1 || maxN < minN) {
    throw new RangeError(`ngramRange must be [min, max] with 1 ≤ min ≤ max, got [${minN}, ${maxN}]`);
  }
  const stopWords = resolveStopWords(options.stopWords);
  const dropNumbers = options.dropNumbers === true;
  const keep = dropNumbers
    ? (token: string): boolean => !stopWords.has(token) && !DIGITS_ONLY.test(token)
    : (token: string): boolean => !stopWords.has(token);
  const unigramsOnly = minN === 1 && maxN === 1;
  const tokens: string[] = [];

  const forEachToken = (text: string, emit: (token: string) => void): void => {
    const lower = text.toLowerCase();
    TOKEN.lastIndex = 0;
    for (let match = TOKEN.exec(lower); match !== null; match = TOKEN.exec(lower)) {
      const token = match[0];
      if (keep(token)) emit(token);
    }
  };

  // The straightforward string version; the vectorizer builds n-grams from token ids instead.
  const forEachTerm = (text: string, emit: (term: string) => void): void => {
    const lower = text.toLowerCase();
    TOKEN.lastIndex = 0;
    if (unigramsOnly) {
      for (let match = TOKEN.exec(lower); match !== null; match = TOKEN.exec(lower)) {
        const token = match[0];
        if (keep(token)) emit(token);
      }
      return;
    }
    tokens.length = 0;
    for (let match = TOKEN.exec(lower); match !== null; match = TOKEN.exec(lower)) {
      const token = match[0];
      if (keep(token)) tokens.push(token);
    }
    const count = tokens.length;
    if (minN === 1) for (let i = 0; i < count; i++) emit(tokens[i]);
    for (let n = Math.max(minN, 2); n <= Math.min(maxN, count); n++) {
      for (let i = 0; i + n <= count; i++) {
        let gram = tokens[i];
        for (let j = 1; j < n; j++) gram += ` ${tokens[i + j]}`;
        emit(gram);
      }
    }
  };

  return {
    ngramRange: [minN, maxN],
    stopWords,
    dropNumbers,
    forEachToken,
    forEachTerm,
    terms: (text) => {
      const out: string[] = [];
      forEachTerm(text, (term) => out.push(term));
      return out;
    },
  };
}
