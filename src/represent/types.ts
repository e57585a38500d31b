/** What the represent stage produces per topic. */

/** One topic word with its c-TF-IDF (or representation model) score. */
export interface TopicTerm {
  word: string;
  score: number;
}
