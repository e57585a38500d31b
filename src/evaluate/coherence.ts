/**
 * Topic coherence on a reference corpus, as gensim's CoherenceModel computes it (Röder et al. 2015):
 *
 * - C_NPMI: boolean sliding windows of 10 tokens; NPMI of every ordered pair of a topic's top words
 *   (segmentation s_one_one); arithmetic mean over the pairs, then over the topics.
 * - C_V: windows of 110 tokens; each top word's vector of NPMIs to the topic's words is compared by
 *   cosine with the sum of all those vectors (s_one_set, indirect cosine confirmation, γ = 1); mean
 *   over the words, then over the topics.
 *
 * NPMI(a, b) = log((P(a,b) + ε) / (P(a) P(b))) / −log(P(a,b) + ε), ε = 1e-12, probabilities being
 * window counts over the number of windows (gensim's direct_confirmation_measure.log_ratio_measure).
 */
import type { ReferenceCorpus } from "./reference-corpus.js";
import { countSlidingWindows, type SlidingWindowCounts, type WindowCounting } from "./sliding-window.js";

export const NPMI_EPSILON = 1e-12;

export interface CoherenceOptions {
  /** Top words per topic that are scored (default 10); the topic lists are cut to this length first. */
  topN?: number;
  /** Sliding window length in tokens (default 10 for C_NPMI, 110 for C_V, as gensim). */
  windowSize?: number;
  /** How windows count repeated words (default "gensim", see WindowCounting). */
  windowCounting?: WindowCounting;
}

export interface CoherenceResult {
  /** Mean over the scored topics (NaN when no topic could be scored). */
  score: number;
  /** Per topic, in input order; NaN for a topic with fewer than two words found in the reference corpus. */
  perTopic: Float64Array;
  /** Per topic, the top words the reference corpus never contains (left out, as gensim does). */
  missingWords: string[][];
  /** Topics left out of the mean (fewer than two words in the reference corpus). */
  unscoredTopics: number;
  windowSize: number;
  windows: number;
}

type TopicWords = readonly string[];

/** NPMI of two counted words from sliding-window counts (gensim's arithmetic, term by term). */
export function pairNpmi(counts: SlidingWindowCounts, a: number, b: number): number {
  const n = counts.windows;
  const joint = counts.cooccurrences(a, b) / n;
  const pmi = Math.log((joint + NPMI_EPSILON) / ((counts.occurrences(a) / n) * (counts.occurrences(b) / n)));
  return pmi / -Math.log(joint + NPMI_EPSILON);
}

interface PreparedTopics {
  indices: number[][];
  missingWords: string[][];
}

/** Cuts each topic to its top n, drops words absent from the corpus, and repeated words. */
function prepareTopics(
  topics: readonly TopicWords[],
  counts: SlidingWindowCounts,
  topN: number,
): PreparedTopics {
  const indices: number[][] = [];
  const missingWords: string[][] = [];
  for (const topic of topics) {
    const found: number[] = [];
    const missing: string[] = [];
    for (const word of topic.slice(0, topN)) {
      const index = counts.indexOf(word);
      if (index < 0) missing.push(word);
      else if (!found.includes(index)) found.push(index);
    }
    indices.push(found);
    missingWords.push(missing);
  }
  return { indices, missingWords };
}

function topWordsOf(topics: readonly TopicWords[], topN: number): Set<string> {
  const words = new Set<string>();
  for (const topic of topics) for (const word of topic.slice(0, topN)) words.add(word);
  return words;
}

/**
 * Scores each topic's found words (NaN for a topic with fewer than two) and averages over the
 * scored topics.
 */
function scoreTopics(
  topics: readonly TopicWords[],
  counts: SlidingWindowCounts,
  topN: number,
  scoreTopic: (words: number[]) => number,
): CoherenceResult {
  const prepared = prepareTopics(topics, counts, topN);
  const perTopic = Float64Array.from(prepared.indices, (words) =>
    words.length < 2 ? Number.NaN : scoreTopic(words),
  );
  let sum = 0;
  let scored = 0;
  for (const value of perTopic) {
    if (Number.isNaN(value)) continue;
    sum += value;
    scored++;
  }
  return {
    score: scored > 0 ? sum / scored : Number.NaN,
    perTopic,
    missingWords: prepared.missingWords,
    unscoredTopics: perTopic.length - scored,
    windowSize: counts.windowSize,
    windows: counts.windows,
  };
}

/** C_NPMI from windows that were already counted (their words must include the topics' top words). */
export function npmiFromCounts(
  topics: readonly TopicWords[],
  counts: SlidingWindowCounts,
  topN = 10,
): CoherenceResult {
  return scoreTopics(topics, counts, topN, (words) => {
    // Ordered pairs as in s_one_one; NPMI is symmetric, so each unordered pair counts twice.
    let sum = 0;
    for (let i = 0; i < words.length; i++) {
      for (let j = i + 1; j < words.length; j++) sum += 2 * pairNpmi(counts, words[i], words[j]);
    }
    return sum / (words.length * (words.length - 1));
  });
}

/** C_V from windows that were already counted (their words must include the topics' top words). */
export function cvFromCounts(
  topics: readonly TopicWords[],
  counts: SlidingWindowCounts,
  topN = 10,
): CoherenceResult {
  return scoreTopics(topics, counts, topN, (words) => {
    const k = words.length;
    // npmi[i * k + j]: context vector of word i is row i; the topic's vector is the sum of the rows.
    const npmi = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = i; j < k; j++) {
        const value = pairNpmi(counts, words[i], words[j]);
        npmi[i * k + j] = value;
        npmi[j * k + i] = value;
      }
    }
    const topicVector = new Float64Array(k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) topicVector[j] += npmi[i * k + j];
    let topicNorm = 0;
    for (let j = 0; j < k; j++) topicNorm += topicVector[j] * topicVector[j];
    topicNorm = Math.sqrt(topicNorm);
    let sum = 0;
    for (let i = 0; i < k; i++) {
      let dot = 0;
      let norm = 0;
      for (let j = 0; j < k; j++) {
        dot += npmi[i * k + j] * topicVector[j];
        norm += npmi[i * k + j] * npmi[i * k + j];
      }
      sum += dot / (Math.sqrt(norm) * topicNorm);
    }
    return sum / k;
  });
}

/** C_NPMI of topics (lists of words, best first) on a tokenized reference corpus. */
export function npmiCoherence(
  topics: readonly TopicWords[],
  corpus: ReferenceCorpus,
  options: CoherenceOptions = {},
): CoherenceResult {
  return onReferenceCorpus(topics, corpus, options, 10, npmiFromCounts);
}

/** C_V of topics (lists of words, best first) on a tokenized reference corpus. */
export function cvCoherence(
  topics: readonly TopicWords[],
  corpus: ReferenceCorpus,
  options: CoherenceOptions = {},
): CoherenceResult {
  return onReferenceCorpus(topics, corpus, options, 110, cvFromCounts);
}

/** Counts the windows the topics' top words need, then scores them with `fromCounts`. */
function onReferenceCorpus(
  topics: readonly TopicWords[],
  corpus: ReferenceCorpus,
  options: CoherenceOptions,
  defaultWindowSize: number,
  fromCounts: (topics: readonly TopicWords[], counts: SlidingWindowCounts, topN: number) => CoherenceResult,
): CoherenceResult {
  const topN = options.topN ?? 10;
  const counts = countSlidingWindows(
    corpus,
    topWordsOf(topics, topN),
    options.windowSize ?? defaultWindowSize,
    options.windowCounting,
  );
  return fromCounts(topics, counts, topN);
}
