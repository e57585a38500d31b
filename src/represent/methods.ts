/** The represent stage's names, from which the model's types and the CLI's choices are derived. */

/** Fine-tuning of the c-TF-IDF words (BERTopic's representation_model). */
export const REPRESENTATION_MODELS = ["ctfidf", "mmr", "keybert"] as const;
export type RepresentationModel = (typeof REPRESENTATION_MODELS)[number];

/**
 * Named stop-word lists: "auto" is the list of the corpus language (detected, or `language`), resolved
 * and stored by fit. A language code with a stopwords-iso list ("zh", "de", …) or the words themselves
 * are accepted too.
 */
export const STOP_WORD_LISTS = ["auto", "english", "none"] as const;
export type StopWordList = (typeof STOP_WORD_LISTS)[number];
export type StopWords = StopWordList | (string & {}) | string[];
