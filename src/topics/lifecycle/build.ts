/**
 * Turns cluster labels into topics: ids ordered by size, words from c-TF-IDF, labels, representative
 * documents, topic embeddings. Shared by `fit` and by every operation that changes the assignment
 * (merge, reduce, outlier reduction), so topics are always rebuilt the same way.
 */

import { type ClassTermCounts, representFromCounts } from "../../represent/class-counts.js";
import {
  ClassTfidfTransformer,
  CountVectorizer,
  type RepresentationJSON,
  type RepresentOptions,
  representationFromJSON,
  representTopics,
  type TopicRepresentation,
} from "../../represent/index.js";
import { readableLabel } from "../../represent/label.js";
import type { Matrix } from "../../types.js";
import { isBlank } from "../../util/text.js";
import type { Topic } from "../types.js";

/**
 * Renumbers labels so that topic 0 is the largest, 1 the next, … (BERTopic's order); -1 stays -1.
 * Ties keep the order of the old ids, so the result is deterministic. Also returns the old id → new
 * id mapping (-1 → -1 included when present).
 */
export function renumberWithMapping(labels: Int32Array): {
  labels: Int32Array;
  mapping: Map<number, number>;
} {
  const sizes = new Map<number, number>();
  for (const label of labels) if (label >= 0) sizes.set(label, (sizes.get(label) ?? 0) + 1);
  const order = [...sizes.keys()].sort((a, b) => sizes.get(b)! - sizes.get(a)! || a - b);
  const mapping = new Map(order.map((old, i) => [old, i]));
  if (labels.includes(-1)) mapping.set(-1, -1);
  return { labels: labels.map((label) => (label >= 0 ? mapping.get(label)! : -1)), mapping };
}

/** Mean embedding of each topic's documents, one row per id in `topicIds` (zero row for an empty topic). */
export function topicEmbeddings(embeddings: Matrix, labels: Int32Array, topicIds: readonly number[]): Matrix {
  const { cols } = embeddings;
  // local typed arrays in the loops: a property read per element kept V8 from optimising them (3–4× slower)
  const source = embeddings.data;
  const rowOf = topicRows(labels, topicIds);
  const data = new Float32Array(topicIds.length * cols);
  const counts = new Float64Array(topicIds.length);
  const sums = new Float64Array(topicIds.length * cols);
  for (let i = 0; i < labels.length; i++) {
    const r = rowOf[i];
    if (r < 0) continue;
    counts[r]++;
    const from = i * cols;
    const to = r * cols;
    for (let j = 0; j < cols; j++) sums[to + j] += source[from + j];
  }
  for (let r = 0; r < topicIds.length; r++) {
    if (counts[r] === 0) continue;
    const n = counts[r];
    for (let j = r * cols; j < (r + 1) * cols; j++) data[j] = sums[j] / n;
  }
  return { data, rows: topicIds.length, cols };
}

/** Each document's row in `topicIds` (-1 when its label is not there). */
function topicRows(labels: Int32Array, topicIds: readonly number[]): Int32Array {
  const row = new Map(topicIds.map((id, i) => [id, i]));
  return labels.map((label) => row.get(label) ?? -1);
}

/**
 * The `count` documents of each topic closest (cosine) to the topic's mean embedding — typical
 * rather than extreme members. BERTopic ranks a sample by c-TF-IDF similarity instead; the embedding
 * centroid is cheaper and uses the same vectors that formed the clusters.
 */
export function representativeDocuments(
  embeddings: Matrix,
  labels: Int32Array,
  topicIds: readonly number[],
  count: number,
): Map<number, number[]> {
  const centroids = topicEmbeddings(embeddings, labels, topicIds).data;
  const { cols } = embeddings;
  const source = embeddings.data;
  const norms = new Float64Array(topicIds.length);
  for (let r = 0; r < topicIds.length; r++) {
    let s = 0;
    for (let j = r * cols; j < (r + 1) * cols; j++) s += centroids[j] * centroids[j];
    norms[r] = Math.sqrt(s) || 1;
  }
  const rowOf = topicRows(labels, topicIds);
  const scored: { doc: number; score: number }[][] = topicIds.map(() => []);
  for (let i = 0; i < labels.length; i++) {
    const r = rowOf[i];
    if (r < 0) continue;
    let dot = 0;
    let norm = 0;
    const from = i * cols;
    const centre = r * cols;
    for (let j = 0; j < cols; j++) {
      const v = source[from + j];
      dot += v * centroids[centre + j];
      norm += v * v;
    }
    scored[r].push({ doc: i, score: dot / ((Math.sqrt(norm) || 1) * norms[r]) });
  }
  const result = new Map<number, number[]>();
  topicIds.forEach((id, r) => {
    const list = scored[r];
    list.sort((a, b) => b.score - a.score || a.doc - b.doc);
    result.set(
      id,
      list.slice(0, count).map((s) => s.doc),
    );
  });
  return result;
}

export interface BuildTopicsInput {
  texts: readonly string[];
  /** One label per document (-1 = outlier; empty documents must be -1). */
  labels: Int32Array;
  /** Marks documents that take part in c-TF-IDF (non-empty ones); all when omitted. */
  included?: Uint8Array;
  /** The documents' embeddings; not needed when `representative` is given (a corpus too big to hold). */
  embeddings?: Matrix;
  /** Representative documents by topic id, already chosen (a streaming fit ranks them as it goes). */
  representative?: ReadonlyMap<number, number[]>;
  represent: RepresentOptions;
  representativeDocs: number;
  /** Guided topics: these words get BERTopic's seed boost (idf × 1.2) in c-TF-IDF. */
  seedWords?: readonly string[];
  /**
   * The raw per-topic counts of the included documents under `labels` (class-counts.ts): c-TF-IDF
   * comes from them instead of tokenising every text again — the same result.
   */
  counts?: ClassTermCounts;
}

export interface BuiltTopics {
  topics: Topic[];
  representation: TopicRepresentation;
}

export function buildTopics(input: BuildTopicsInput): BuiltTopics {
  const { texts, labels, included } = input;
  const rows: number[] = [];
  for (let i = 0; i < texts.length; i++) if (!included || included[i]) rows.push(i);
  const representation = input.counts
    ? representFromCounts(
        input.counts,
        [...new Set(rows.map((i) => labels[i]))].sort((a, b) => a - b),
        input.represent,
        { words: input.seedWords ?? [], multiplier: SEED_WORD_MULTIPLIER },
      )
    : (input.seedWords?.length ? representWithSeedWords : representTopicsPlain)(
        rows.map((i) => texts[i]),
        Int32Array.from(rows, (i) => labels[i]),
        input.represent,
        input.seedWords ?? [],
      );
  const sizes = new Map<number, number>();
  for (const label of labels) sizes.set(label, (sizes.get(label) ?? 0) + 1);
  const topicIds = [...sizes.keys()].sort((a, b) => a - b);
  const representative =
    input.representative ??
    representativeDocuments(requireEmbeddings(input.embeddings), labels, topicIds, input.representativeDocs);
  const topics = topicIds.map((id): Topic => {
    const words = representation.words.get(id) ?? [];
    return {
      id,
      size: sizes.get(id)!,
      label: readableLabel(id, words),
      words,
      representativeDocs: representative.get(id) ?? [],
    };
  });
  return { topics, representation };
}

function requireEmbeddings(embeddings: Matrix | undefined): Matrix {
  if (!embeddings) throw new Error("buildTopics: give the embeddings or the representative documents");
  return embeddings;
}

function representTopicsPlain(
  texts: readonly string[],
  labels: Int32Array,
  options: RepresentOptions,
): TopicRepresentation {
  return representTopics(texts, labels, options);
}

/** BERTopic multiplies the idf of seed-topic words by 1.2 so that guided topics keep their words. */
export const SEED_WORD_MULTIPLIER = 1.2;

/**
 * `representTopics` with BERTopic's seed-word idf boost. represent/ has no multiplier option, so the
 * fit is done here with its public parts and assembled through `representationFromJSON`.
 */
export function representWithSeedWords(
  texts: readonly string[],
  labels: Int32Array,
  options: RepresentOptions,
  seedWords: readonly string[],
): TopicRepresentation {
  const topicIds = [...new Set(labels)].sort((a, b) => a - b);
  const rowOf = new Map(topicIds.map((id, row) => [id, row]));
  const parts: string[][] = topicIds.map(() => []);
  for (let i = 0; i < texts.length; i++) parts[rowOf.get(labels[i])!].push(texts[i]);
  const vectorizer = new CountVectorizer({
    ngramRange: options.ngramRange,
    minDf: options.minDf,
    stopWords: options.stopWords,
    dropNumbers: options.dropNumbers,
    language: options.language,
  });
  const counts = vectorizer.fitTransform(parts.map((p) => p.join(" ")));
  const seeds = new Set(seedWords.map((w) => w.toLowerCase()));
  const multiplier = Float64Array.from(vectorizer.vocabulary, (term) =>
    seeds.has(term) ? SEED_WORD_MULTIPLIER : 1,
  );
  const transformer = new ClassTfidfTransformer(options).fit(counts, multiplier);
  const matrix = transformer.transform(counts);
  return representationFromJSON({
    format: "topicscope-ctfidf",
    version: 1,
    topN: options.topN,
    topicIds,
    vectorizer: vectorizer.toJSON(),
    ctfidf: transformer.toJSON(),
    matrix: {
      indptr: Array.from(matrix.indptr),
      indices: Array.from(matrix.indices),
      data: Array.from(matrix.data),
    },
  });
}

/**
 * The fitted c-TF-IDF of a saved model: representation.json when it matches the documents' topics,
 * else refitted from the documents (deterministic, so the same as at fit).
 */
export function restoreRepresentation(
  json: unknown,
  texts: readonly string[],
  labels: Int32Array,
  represent: RepresentOptions,
  seedWords?: readonly string[],
): TopicRepresentation {
  const rows: number[] = [];
  for (let i = 0; i < texts.length; i++) if (!isBlank(texts[i])) rows.push(i);
  const subsetLabels = Int32Array.from(rows, (i) => labels[i]);
  const expected = [...new Set(subsetLabels)].sort((a, b) => a - b);
  if (json && typeof json === "object") {
    try {
      const representation = representationFromJSON(json as RepresentationJSON);
      const ids = representation.topicIds;
      if (ids.length === expected.length && ids.every((id, i) => id === expected[i])) return representation;
    } catch {
      // unreadable or from another version: refit below
    }
  }
  const subsetTexts = rows.map((i) => texts[i]);
  return seedWords?.length
    ? representWithSeedWords(subsetTexts, subsetLabels, represent, seedWords)
    : representTopics(subsetTexts, subsetLabels, represent);
}
