/**
 * The language of the topic words: `language` (given, or detected from the corpus) sets the word
 * segmenter's locale, and the stop words "auto" become that language's list — English as before,
 * stopwords-iso's list for the others (zh, ja, th, ko, …), none where it has no list.
 */
import { detectLanguage } from "../text/language.js";
import { type StopWordsOption, stopWordsForLanguage } from "../text/stopwords.js";
import { isBlank } from "../util/text.js";

export interface LanguageOptions {
  stopWords: StopWordsOption;
  language?: string;
}

/** Resolves "auto" stop words and a missing language against the corpus (blank texts are not looked at). */
export function resolveLanguageOptions(
  texts: readonly string[],
  options: LanguageOptions,
): { stopWords: StopWordsOption; language: string } {
  const language = options.language ?? detectLanguage(texts.filter((text) => !isBlank(text))).language;
  const stopWords = options.stopWords === "auto" ? stopWordsForLanguage(language) : options.stopWords;
  return { stopWords, language };
}
