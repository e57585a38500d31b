/**
 * Text handling shared by the stages (a low layer: corpus, embed, represent and evaluate import it;
 * it imports nothing of theirs): scripts, language detection, stop words, word tokenising, sentences.
 */
export {
  detectLanguage,
  evenSample,
  knownLanguages,
  type LanguageGuess,
  languageName,
  scriptName,
} from "./language.js";
export {
  countScripts,
  dominantScript,
  NO_SPACE_CHARACTER,
  NO_SPACE_SCRIPTS,
  type Script,
  scriptOf,
} from "./scripts.js";
export { splitSentences, splitWords } from "./sentences.js";
export {
  englishStopWords,
  hasStopWords,
  resolveStopWords,
  type StopWordsOption,
  stopWordLanguages,
  stopWordsFor,
} from "./stopwords.js";
export { createTokenizer, type Tokenizer, type TokenizerOptions } from "./tokenizer.js";
