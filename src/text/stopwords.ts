/**
 * Stop word lists by language, from the stopwords-iso package (58 languages, ISO 639-1 codes), and
 * the option that names one: "english" (the historical name of the English list), "none", a
 * language code ("zh", "de", …) or the words themselves.
 */
import { createRequire } from "node:module";

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

/** The English list of the stopwords-iso package (1,298 entries). */
export function englishStopWords(): ReadonlySet<string> {
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
