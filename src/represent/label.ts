/**
 * Topic labels a reader takes in at a glance: "3: tax, budget, deficit" instead of BERTopic's
 * "3_tax_budget_deficit_taxes". The id stays in front (charts show the label alone, and two topics
 * can share words); then the first `n` of the topic's ranked words that say something new:
 *
 * - a word that is a prefix-variant of a word already taken ("armenians" after "armenian", "israeli"
 *   after "israel"; the shorter one of at least 4 characters) adds nothing and is skipped;
 * - tokens made only of digits ("00", "1993") come last: taken only when too few words remain.
 *
 * No word list and no language rule: only the ranking the representation gave and the words' shapes.
 */
import type { TopicTerm } from "./types.js";

const DIGITS_ONLY = /^\p{N}+$/u;

function sameStem(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return [...short].length >= 4 && long.startsWith(short);
}

/** The label's words, in rank order (numbers after the other words). */
export function labelWords(words: readonly TopicTerm[], n = 3): string[] {
  const picked: string[] = [];
  const pass = (numbers: boolean) => {
    for (const { word } of words) {
      if (picked.length >= n) return;
      if (DIGITS_ONLY.test(word) !== numbers) continue;
      if (picked.some((p) => p === word || sameStem(p, word))) continue;
      picked.push(word);
    }
  };
  pass(false);
  pass(true);
  return picked;
}

/** "<id>: w1, w2, w3" (just the id for a topic without words). */
export function readableLabel(id: number, words: readonly TopicTerm[], n = 3): string {
  const picked = labelWords(words, n);
  return picked.length > 0 ? `${id}: ${picked.join(", ")}` : String(id);
}
