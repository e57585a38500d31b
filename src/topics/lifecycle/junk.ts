/**
 * Junk topics: topics whose words are not words a reader can use — mostly numbers or codes, text
 * residue such as "____" rules, or one token repeated through the topic's documents — or whose words
 * describe only a handful of its documents (residue of signatures and quoting). The rule looks only at
 * shapes and counts, never at a word list, so it means the same on any corpus and language:
 *
 * - non-words: share of the top-10 words that contain a digit or are one character repeated;
 * - coverage: mean over the top-10 words of the share of the topic's documents that contain the word;
 * - top share: the first word's share of all the topic's tokens (stop words excluded).
 *
 * The thresholds (JUNK_RULE) and what they flag on every benchmark corpus are in docs/quality.md.
 */
import type { ClassTermCounts } from "../../represent/class-counts.js";
import { createTokenizer, type Tokenizer } from "../../text/tokenizer.js";
import type { Topic, TopicModelParameters } from "../types.js";

export interface TopicWordStats {
  nonWords: number;
  coverage: number;
  topShare: number;
}

export const JUNK_RULE = {
  /** Words inspected per topic. */
  topN: 10,
  /** Flag when at least this share of the top words are non-words. */
  nonWords: 0.5,
  /** Flag when the top words appear, on average, in less than this share of the topic's documents. */
  coverage: 0.05,
  /** Flag when one token is at least this share of all the topic's tokens. */
  topShare: 0.2,
} as const;

const HAS_DIGIT = /\p{N}/u;

/** A token that is not a word: digits inside ("1993", "g9v", "2min"), or one character repeated ("____", "xxx"). */
export function isNonWord(token: string): boolean {
  if (HAS_DIGIT.test(token)) return true;
  const chars = [...token];
  return chars.every((c) => c === chars[0]);
}

type JunkOptions = Pick<TopicModelParameters["represent"], "stopWords" | "dropNumbers">;

/** The tokens the rule counts. */
export function junkTokenizer(represent: JunkOptions): Tokenizer {
  return createTokenizer({
    ngramRange: [1, 1],
    stopWords: represent.stopWords,
    dropNumbers: represent.dropNumbers,
  });
}

/** A topic's distinct one-word terms among its top words, in rank order: the words the rule watches. */
function watchedWords(topic: Topic): string[] {
  return [
    ...new Set(
      topic.words
        .slice(0, JUNK_RULE.topN)
        .filter((w) => !w.word.includes(" "))
        .map((w) => w.word),
    ),
  ];
}

/** The rule's statistics of a topic from its watched words' counts, its size and its token total. */
function wordStats(
  topic: Topic,
  words: readonly { docs: number; count: number }[],
  size: number,
  total: number,
): TopicWordStats {
  const top = topic.words.slice(0, JUNK_RULE.topN);
  return {
    nonWords: top.length > 0 ? top.filter((w) => isNonWord(w.word)).length / top.length : 0,
    coverage: words.length > 0 && size > 0 ? words.reduce((s, w) => s + w.docs / size, 0) / words.length : 0,
    topShare: words.length > 0 && total > 0 ? words[0].count / total : 0,
  };
}

/**
 * `topicWordStats` from per-topic token counts, document frequencies and totals (class-counts.ts,
 * counted with `junkTokenizer`) instead of the texts: the same numbers, in the same order of sums.
 */
export function topicWordStatsFromCounts(
  counts: ClassTermCounts,
  labels: ArrayLike<number>,
  topics: readonly Topic[],
): Map<number, TopicWordStats> {
  const sizes = new Map<number, number>();
  for (let i = 0; i < labels.length; i++)
    if (labels[i] >= 0) sizes.set(labels[i], (sizes.get(labels[i]) ?? 0) + 1);
  const real = topics.filter((t) => t.id >= 0);
  const watched = real.map(watchedWords);
  const termOf = counts.termIndices(watched.flat());
  const stats = new Map<number, TopicWordStats>();
  real.forEach((t, k) => {
    const words = watched[k].map((word) => {
      const term = termOf.get(word);
      if (term === undefined) return { docs: 0, count: 0 };
      const found = counts.lookup(t.id, term);
      return { docs: found.documents, count: found.count };
    });
    stats.set(t.id, wordStats(t, words, sizes.get(t.id) ?? 0, counts.totals.get(t.id) ?? 0));
  });
  return stats;
}

/** Word statistics of every real topic, from the documents' tokens as c-TF-IDF saw them. */
export function topicWordStats(
  texts: readonly string[],
  labels: ArrayLike<number>,
  topics: readonly Topic[],
  represent: Pick<TopicModelParameters["represent"], "stopWords" | "dropNumbers">,
): Map<number, TopicWordStats> {
  const tokenizer = junkTokenizer(represent);
  const real = topics.filter((t) => t.id >= 0);
  const watched = new Map(
    real.map((t) => [t.id, new Map(watchedWords(t).map((word) => [word, { docs: 0, count: 0 }]))]),
  );
  const totals = new Map<number, number>();
  const sizes = new Map<number, number>();
  for (let i = 0; i < texts.length; i++) {
    const words = watched.get(labels[i]);
    if (!words) continue;
    sizes.set(labels[i], (sizes.get(labels[i]) ?? 0) + 1);
    const seen = new Set<string>();
    let total = 0;
    tokenizer.forEachToken(texts[i], (token) => {
      total++;
      const w = words.get(token);
      if (!w) return;
      w.count++;
      if (!seen.has(token)) {
        seen.add(token);
        w.docs++;
      }
    });
    totals.set(labels[i], (totals.get(labels[i]) ?? 0) + total);
  }
  const stats = new Map<number, TopicWordStats>();
  for (const t of real)
    stats.set(
      t.id,
      wordStats(t, [...watched.get(t.id)!.values()], sizes.get(t.id) ?? 0, totals.get(t.id) ?? 0),
    );
  return stats;
}

/** Why a topic is junk, or undefined when it is not. */
export function junkReason(stats: TopicWordStats): string | undefined {
  if (stats.nonWords >= JUNK_RULE.nonWords)
    return `${Math.round(stats.nonWords * JUNK_RULE.topN)} of its top ${JUNK_RULE.topN} words are numbers or codes`;
  if (stats.topShare >= JUNK_RULE.topShare)
    return `one word is ${Math.round(stats.topShare * 100)}% of its text`;
  if (stats.coverage < JUNK_RULE.coverage)
    return `its words occur in only ${(stats.coverage * 100).toFixed(1)}% of its documents on average`;
  return undefined;
}
