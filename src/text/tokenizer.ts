/**
 * Word tokenising for topic words, the TF-IDF fallback encoder and coherence, shared by the stages
 * that need words (represent, embed, evaluate).
 *
 * Spaced scripts are tokenised exactly as scikit-learn's CountVectorizer does by default, so topic
 * words match what BERTopic users see: lower-case, tokens are maximal runs of Unicode word characters
 * (letters, numbers, underscore) of at least two characters — the same as the token pattern
 * `(?u)\b\w\w+\b` — stop words are removed, and n-grams are built from the remaining tokens (so an
 * n-gram can span a removed stop word, exactly as in scikit-learn). With `dropNumbers`, tokens made
 * only of digits are removed the same way — what BERTopic users get from a CountVectorizer whose
 * token_pattern skips numbers.
 *
 * Scripts written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Burmese) would come out of that
 * pattern as whole phrases or sentences. With `segmentWords` (the default) a run of word characters
 * holding such a script is cut into words by `Intl.Segmenter` (ICU's dictionary word breaks), and its
 * words count whatever their length (猫 is a word). `segmentWords: false` is scikit-learn's pattern
 * everywhere (and what representations saved before this option load as).
 */
import { NO_SPACE_CHARACTER } from "./scripts.js";
import { resolveStopWords, type StopWordsOption, stopWordsForLanguage } from "./stopwords.js";

// the stop-word lists, from where the tokenizer always offered them
export {
  englishStopWords,
  resolveStopWords,
  type StopWordsOption,
  stopwordsIsoEnglish,
} from "./stopwords.js";

export interface TokenizerOptions {
  ngramRange: [number, number];
  /** "english", "none", a language code, the words, or "auto" (the list of `language`, else English). */
  stopWords: StopWordsOption;
  /**
   * Drop tokens made only of Unicode digits ("00", "1993", "٣٤") like stop words, before n-grams are
   * built; tokens mixing letters and digits ("mp3", "g9v") stay. Default false (scikit-learn's default).
   */
  dropNumbers?: boolean;
  /** Find words with Intl.Segmenter in scripts written without spaces (default true). */
  segmentWords?: boolean;
  /** Locale for Intl.Segmenter (a BCP 47 code such as "zh" or "ja"); default: chosen by script. */
  language?: string;
}

export interface Tokenizer {
  readonly ngramRange: [number, number];
  readonly stopWords: ReadonlySet<string>;
  readonly dropNumbers: boolean;
  readonly segmentWords: boolean;
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
// A run that may hold a word of a script without spaces: Thai and Khmer write vowels as combining marks.
const RUN = /[\p{L}\p{N}\p{M}_]+/gu;
const DIGITS_ONLY = /^\p{N}+$/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const SCRIPT_LOCALES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\p{Script=Thai}/u, "th"],
  [/\p{Script=Lao}/u, "lo"],
  [/\p{Script=Khmer}/u, "km"],
  [/\p{Script=Myanmar}/u, "my"],
];

const segmenters = new Map<string, Intl.Segmenter>();

function wordSegmenter(locale: string): Intl.Segmenter {
  let segmenter = segmenters.get(locale);
  if (segmenter === undefined) {
    segmenter = new Intl.Segmenter(locale, { granularity: "word" });
    segmenters.set(locale, segmenter);
  }
  return segmenter;
}

/** The segmenter locale for a run when the caller gave none: Japanese when kana occur, else by script. */
function localeOf(run: string): string {
  if (KANA.test(run)) return "ja";
  for (const [pattern, locale] of SCRIPT_LOCALES) if (pattern.test(run)) return locale;
  return "zh";
}

/** Emits the raw (lower-cased, unfiltered) tokens of a lower-cased text. */
function scikitTokens(lower: string, emit: (token: string) => void): void {
  const pattern = new RegExp(TOKEN.source, "gu");
  for (let match = pattern.exec(lower); match !== null; match = pattern.exec(lower)) emit(match[0]);
}

/**
 * Tokens of a lower-cased text that holds a script without spaces: runs without such characters are
 * tokenised as scikit-learn does; runs with them are cut into words by Intl.Segmenter, whose word-like
 * segments are kept at any length when they are in such a script, else by the ≥ 2 rule.
 */
function segmentedTokens(lower: string, language: string | undefined, emit: (token: string) => void): void {
  const runs = new RegExp(RUN.source, "gu");
  for (let match = runs.exec(lower); match !== null; match = runs.exec(lower)) {
    const run = match[0];
    if (!NO_SPACE_CHARACTER.test(run)) {
      scikitTokens(run, emit);
      continue;
    }
    for (const segment of wordSegmenter(language ?? localeOf(run)).segment(run)) {
      if (!segment.isWordLike) continue;
      if (NO_SPACE_CHARACTER.test(segment.segment)) emit(segment.segment);
      else scikitTokens(segment.segment, emit);
    }
  }
}

export function createTokenizer(options: TokenizerOptions): Tokenizer {
  const [minN, maxN] = options.ngramRange;
  if (!Number.isInteger(minN) || !Number.isInteger(maxN) || minN < 1 || maxN < minN) {
    throw new RangeError(`ngramRange must be [min, max] with 1 ≤ min ≤ max, got [${minN}, ${maxN}]`);
  }
  // "auto": the list of the tokenizer's language (English when it is not known)
  const stopWords = resolveStopWords(
    options.stopWords === "auto" ? stopWordsForLanguage(options.language ?? "und") : options.stopWords,
  );
  const dropNumbers = options.dropNumbers === true;
  const segmentWords = options.segmentWords !== false;
  const language = options.language;
  const keep = dropNumbers
    ? (token: string): boolean => !stopWords.has(token) && !DIGITS_ONLY.test(token)
    : (token: string): boolean => !stopWords.has(token);
  const unigramsOnly = minN === 1 && maxN === 1;
  const tokens: string[] = [];

  const forEachToken = (text: string, emit: (token: string) => void): void => {
    const lower = text.toLowerCase();
    if (segmentWords && NO_SPACE_CHARACTER.test(lower)) {
      segmentedTokens(lower, language, (token) => {
        if (keep(token)) emit(token);
      });
      return;
    }
    // the hot path for spaced scripts: one shared regex, no closures per token
    TOKEN.lastIndex = 0;
    for (let match = TOKEN.exec(lower); match !== null; match = TOKEN.exec(lower)) {
      const token = match[0];
      if (keep(token)) emit(token);
    }
  };

  // The straightforward string version; the vectorizer builds n-grams from token ids instead.
  const forEachTerm = (text: string, emit: (term: string) => void): void => {
    if (unigramsOnly) {
      forEachToken(text, emit);
      return;
    }
    tokens.length = 0;
    forEachToken(text, (token) => tokens.push(token));
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
    segmentWords,
    forEachToken,
    forEachTerm,
    terms: (text) => {
      const out: string[] = [];
      forEachTerm(text, (term) => out.push(term));
      return out;
    },
  };
}
