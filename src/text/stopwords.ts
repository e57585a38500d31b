/**
 * Stop word lists by language, from the stopwords-iso package (58 languages, ISO 639-1 codes), and
 * the option that names one: "english" (scikit-learn's English list), "none", a language code ("zh",
 * "de", "en" = stopwords-iso's English list, …) or the words themselves.
 */
import { createRequire } from "node:module";
import { SKLEARN_ENGLISH_STOP_WORDS } from "./stop-words-english.js";

export type StopWordsOption = string | readonly string[];

let lists: Record<string, string[]> | undefined;
const sets = new Map<string, ReadonlySet<string>>();

function isoLists(): Record<string, string[]> {
  if (lists === undefined) {
    const require = createRequire(import.meta.url);
    lists = require("stopwords-iso") as Record<string, string[]>;
  }
  return lists;
}

/** Language codes with a stop word list (ISO 639-1, as stopwords-iso names them). */
export function stopWordLanguages(): string[] {
  return Object.keys(isoLists()).sort();
}

export function hasStopWords(language: string): boolean {
  return Object.hasOwn(isoLists(), language);
}

/** The stopwords-iso list of a language (lower-case), or undefined when it has none. */
export function stopWordsFor(language: string): ReadonlySet<string> | undefined {
  if (!hasStopWords(language)) return undefined;
  let set = sets.get(language);
  if (set === undefined) {
    set = new Set(isoLists()[language].map((word) => word.toLowerCase()));
    sets.set(language, set);
  }
  return set;
}

let englishCache: ReadonlySet<string> | undefined;

/**
 * "english": scikit-learn's list (318 words). Chosen over stopwords-iso's 1,298 on the quality table
 * (docs/quality.md): higher NPMI on every corpus at a diversity cost within the seeds' spread; the
 * larger list also removes content words ("state", "world", "system", "computer", "information").
 */
export function englishStopWords(): ReadonlySet<string> {
  englishCache ??= new Set(SKLEARN_ENGLISH_STOP_WORDS);
  return englishCache;
}

/** The English list of the stopwords-iso package (1,298 entries; "english" before issue 17). */
export function stopwordsIsoEnglish(): ReadonlySet<string> {
  return stopWordsFor("en")!;
}

/** The set an option names; a string that is neither "english", "none" nor a known language is an error. */
export function resolveStopWords(option: StopWordsOption): ReadonlySet<string> {
  if (typeof option !== "string") return new Set(option.map((word) => word.toLowerCase()));
  if (option === "english") return englishStopWords();
  if (option === "none") return new Set();
  const list = stopWordsFor(option);
  if (list === undefined) {
    throw new RangeError(
      `no stop word list for '${option}': use english, none, a file of words, or one of ${stopWordLanguages().join(", ")}`,
    );
  }
  return list;
}

/** The stop words used for a corpus language: "english" for English (and when unknown), its stopwords-iso list, else none. */
export function stopWordsForLanguage(language: string): string {
  if (language === "en" || language === "und") return "english";
  return hasStopWords(language) ? language : "none";
}
