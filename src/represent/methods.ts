/** The represent stage's names, from which the model's types and the CLI's choices are derived. */

/** Fine-tuning of the c-TF-IDF words (BERTopic's representation_model). */
export const REPRESENTATION_MODELS = ["ctfidf", "mmr", "keybert"] as const;
export type RepresentationModel = (typeof REPRESENTATION_MODELS)[number];

/** Built-in stop-word lists (a list of words is accepted by the library too). */
export const STOP_WORD_LISTS = ["english", "none"] as const;
export type StopWordList = (typeof STOP_WORD_LISTS)[number];
