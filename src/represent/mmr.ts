/**
 * Maximal marginal relevance (KeyBERT / BERTopic's `MaximalMarginalRelevance`): pick words one at a
 * time, each maximising (1 − diversity)·sim(word, topic) − diversity·max sim(word, already picked).
 * diversity 0 is the plain ranking by similarity to the topic; 1 picks the least redundant words.
 */

import type { Matrix } from "../types.js";
import type { TopicTerm } from "./types.js";

export interface MmrOptions {
  diversity: number;
  topN: number;
}

function norm(data: Float32Array, offset: number, length: number): number {
  let s = 0;
  for (let i = 0; i < length; i++) s += data[offset + i] * data[offset + i];
  return Math.sqrt(s);
}

/** Cosine similarities of every row with `vector` (0 where either norm is 0, as scikit-learn). */
function similaritiesTo(matrix: Matrix, vector: Float32Array): Float64Array {
  const { rows, cols, data } = matrix;
  const out = new Float64Array(rows);
  const vectorNorm = norm(vector, 0, cols);
  for (let r = 0; r < rows; r++) {
    const rowNorm = norm(data, r * cols, cols);
    if (rowNorm === 0 || vectorNorm === 0) continue;
    let dot = 0;
    for (let c = 0; c < cols; c++) dot += data[r * cols + c] * vector[c];
    out[r] = dot / (rowNorm * vectorNorm);
  }
  return out;
}

/**
 * Indices of the selected rows of `wordEmbeddings`, in selection order (at most `topN`). The first
 * pick is the word closest to the topic; ties go to the earlier word (numpy's argmax).
 */
export function mmr(topicEmbedding: Float32Array, wordEmbeddings: Matrix, options: MmrOptions): number[] {
  const { diversity } = options;
  if (!(diversity >= 0 && diversity <= 1))
    throw new RangeError(`diversity must be in [0, 1], got ${diversity}`);
  if (wordEmbeddings.rows > 0 && topicEmbedding.length !== wordEmbeddings.cols) {
    throw new RangeError(
      `topic embedding has ${topicEmbedding.length} dims, word embeddings ${wordEmbeddings.cols}`,
    );
  }
  const n = wordEmbeddings.rows;
  const count = Math.min(options.topN, n);
  if (count <= 0) return [];
  const toTopic = similaritiesTo(wordEmbeddings, topicEmbedding);
  const { cols, data } = wordEmbeddings;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) norms[i] = norm(data, i * cols, cols);
  const pairSimilarity = (a: number, b: number): number => {
    if (norms[a] === 0 || norms[b] === 0) return 0;
    let dot = 0;
    for (let c = 0; c < cols; c++) dot += data[a * cols + c] * data[b * cols + c];
    return dot / (norms[a] * norms[b]);
  };

  let first = 0;
  for (let i = 1; i < n; i++) if (toTopic[i] > toTopic[first]) first = i;
  const selected = [first];
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (i !== first) candidates.push(i);
  // Highest similarity of each candidate to any selected word, updated as words are picked.
  const redundancy = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  for (const i of candidates) redundancy[i] = pairSimilarity(i, first);
  while (selected.length < count) {
    let bestPosition = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let p = 0; p < candidates.length; p++) {
      const i = candidates[p];
      const score = (1 - diversity) * toTopic[i] - diversity * redundancy[i];
      if (score > bestScore) {
        bestScore = score;
        bestPosition = p;
      }
    }
    const pick = candidates[bestPosition];
    candidates.splice(bestPosition, 1);
    selected.push(pick);
    for (const i of candidates) redundancy[i] = Math.max(redundancy[i], pairSimilarity(i, pick));
  }
  return selected;
}

function checkRows(matrix: Matrix, expected: number, what: string): void {
  if (matrix.rows !== expected) {
    throw new Error(`embed returned ${matrix.rows} vectors for ${expected} ${what}`);
  }
}

/**
 * BERTopic's MaximalMarginalRelevance over each topic's candidate words: the topic is embedded as
 * its candidate words joined by spaces; the selected words keep their c-TF-IDF scores and order.
 */
export async function maximalMarginalRelevance(
  candidates: ReadonlyMap<number, readonly TopicTerm[]>,
  embed: (texts: readonly string[]) => Promise<Matrix>,
  options: MmrOptions,
): Promise<Map<number, TopicTerm[]>> {
  // Topics without candidates are not embedded (some embedders mishandle empty strings).
  const ids = [...candidates.keys()].filter((id) => candidates.get(id)!.length > 0);
  const vocabulary = [...new Set(ids.flatMap((id) => candidates.get(id)!.map((t) => t.word)))];
  const position = new Map(vocabulary.map((word, i) => [word, i]));
  const result = new Map<number, TopicTerm[]>();
  for (const id of candidates.keys()) result.set(id, []);
  if (ids.length === 0) return result;
  const wordVectors = await embed(vocabulary);
  checkRows(wordVectors, vocabulary.length, "words");
  const topicVectors = await embed(
    ids.map((id) =>
      candidates
        .get(id)!
        .map((t) => t.word)
        .join(" "),
    ),
  );
  checkRows(topicVectors, ids.length, "topics");
  const { cols } = topicVectors;
  ids.forEach((id, t) => {
    const terms = candidates.get(id)!;
    const rows = new Float32Array(terms.length * cols);
    terms.forEach((term, i) => {
      const p = position.get(term.word)!;
      rows.set(wordVectors.data.subarray(p * cols, (p + 1) * cols), i * cols);
    });
    const picked = new Set(
      mmr(
        topicVectors.data.subarray(t * cols, (t + 1) * cols),
        { data: rows, rows: terms.length, cols },
        options,
      ),
    );
    result.set(
      id,
      terms.filter((_, i) => picked.has(i)),
    );
  });
  return result;
}
