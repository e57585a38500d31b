/**
 * BERTopic's KeyBERTInspired re-ranking: a topic's candidate words (its best c-TF-IDF terms) are
 * re-scored by the cosine between each word's embedding and the topic embedding, the mean of the
 * embeddings of the topic's representative documents. The embedder is passed in, so any backend works.
 */

import type { Matrix } from "../types.js";
import type { TopicTerm } from "./types.js";

export interface KeyBertOptions {
  /** Words kept per topic. */
  topN: number;
}

export interface KeyBertInput {
  /** Candidate words per topic, best c-TF-IDF first (e.g. topicCandidates(rep, id, 30)). */
  candidates: ReadonlyMap<number, readonly TopicTerm[]>;
  /** Representative documents per topic; their mean embedding is the topic embedding. */
  representativeDocs?: ReadonlyMap<number, readonly string[]>;
  /** Topic embeddings to use instead of embedding representative documents. */
  topicEmbeddings?: ReadonlyMap<number, Float32Array>;
  embed: (texts: readonly string[]) => Promise<Matrix>;
}

function cosine(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, n: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[aOffset + i];
    const y = b[bOffset + i];
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * Re-ranked words per topic: score = cosine(word, topic), best first; ties keep the c-TF-IDF order.
 * A topic without a topic embedding (no representative documents given) keeps its c-TF-IDF words.
 */
export async function keyBertInspired(
  input: KeyBertInput,
  options: KeyBertOptions,
): Promise<Map<number, TopicTerm[]>> {
  const ids = [...input.candidates.keys()];
  const topicVectors = new Map<number, Float32Array>(input.topicEmbeddings ?? []);
  const docTexts: string[] = [];
  const docOwners: number[] = [];
  for (const id of ids) {
    if (topicVectors.has(id)) continue;
    for (const text of input.representativeDocs?.get(id) ?? []) {
      docTexts.push(text);
      docOwners.push(id);
    }
  }
  if (docTexts.length > 0) {
    const docVectors = await input.embed(docTexts);
    if (docVectors.rows !== docTexts.length) {
      throw new Error(`embed returned ${docVectors.rows} vectors for ${docTexts.length} documents`);
    }
    const { cols } = docVectors;
    const sums = new Map<number, { sum: Float64Array; n: number }>();
    docOwners.forEach((id, i) => {
      let entry = sums.get(id);
      if (!entry) {
        entry = { sum: new Float64Array(cols), n: 0 };
        sums.set(id, entry);
      }
      for (let c = 0; c < cols; c++) entry.sum[c] += docVectors.data[i * cols + c];
      entry.n++;
    });
    for (const [id, { sum, n }] of sums)
      topicVectors.set(
        id,
        Float32Array.from(sum, (v) => v / n),
      );
  }

  const vocabulary = [...new Set(ids.flatMap((id) => input.candidates.get(id)!.map((t) => t.word)))];
  const position = new Map(vocabulary.map((word, i) => [word, i]));
  let wordVectors: Matrix = { data: new Float32Array(0), rows: 0, cols: 0 };
  if (vocabulary.length > 0) {
    wordVectors = await input.embed(vocabulary);
    if (wordVectors.rows !== vocabulary.length) {
      throw new Error(`embed returned ${wordVectors.rows} vectors for ${vocabulary.length} words`);
    }
  }
  const result = new Map<number, TopicTerm[]>();
  for (const id of ids) {
    const terms = input.candidates.get(id)!;
    const topic = topicVectors.get(id);
    if (!topic) {
      result.set(id, terms.slice(0, options.topN));
      continue;
    }
    if (topic.length !== wordVectors.cols && terms.length > 0) {
      throw new RangeError(`topic embedding has ${topic.length} dims, word embeddings ${wordVectors.cols}`);
    }
    const scored = terms.map((term, rank) => ({
      word: term.word,
      score: cosine(wordVectors.data, position.get(term.word)! * wordVectors.cols, topic, 0, topic.length),
      rank,
    }));
    scored.sort((a, b) => b.score - a.score || a.rank - b.rank);
    result.set(
      id,
      scored.slice(0, options.topN).map(({ word, score }) => ({ word, score })),
    );
  }
  return result;
}
