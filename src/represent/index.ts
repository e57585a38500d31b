/**
 * Topic representations: each topic's documents are joined into one text, counted with a
 * CountVectorizer, and weighted with BERTopic's class-based TF-IDF. The outlier topic (-1) takes part
 * in the fit like any other class, as in BERTopic, so its frequent words lower everyone's idf.
 */

import type { StopWordsOption } from "../text/stopwords.js";
import type { Matrix } from "../types.js";
import { type ClassTfidfJSON, ClassTfidfTransformer } from "./ctfidf.js";
import type { SparseMatrix } from "./sparse.js";
import type { TopicTerm } from "./types.js";
import { CountVectorizer, type VectorizerJSON } from "./vocabulary.js";

export { englishStopWords } from "../text/stopwords.js";
export { createTokenizer, type StopWordsOption, type Tokenizer } from "../text/tokenizer.js";
export { type ClassTfidfJSON, type ClassTfidfOptions, ClassTfidfTransformer } from "./ctfidf.js";
export { type KeyBertOptions, keyBertInspired } from "./keybert.js";
export { type LanguageOptions, resolveLanguageOptions } from "./language.js";
export { type MmrOptions, maximalMarginalRelevance, mmr } from "./mmr.js";
export {
  columnSums,
  rowSums,
  type SparseMatrix,
  selectSparseRows,
  sparseGet,
  sparseRowFromMap,
} from "./sparse.js";
export { CountVectorizer, type VectorizerJSON, type VectorizerOptions } from "./vocabulary.js";

export interface RepresentOptions {
  ngramRange: [number, number];
  /** Minimum number of topics a term must occur in (the vectorizer sees one joined text per topic). */
  minDf: number;
  topN: number;
  /** "english", "none", a language code with a stopwords-iso list ("zh", "de", …), or the words. */
  stopWords: StopWordsOption;
  /** The corpus language: the word segmenter's locale for scripts written without spaces. */
  language?: string;
  /** Leave tokens made only of digits out of topic words (default false, as BERTopic's default vectorizer). */
  dropNumbers?: boolean;
  bm25Weighting: boolean;
  reduceFrequentWords: boolean;
}

export interface FittedCtfidf {
  transformer: ClassTfidfTransformer;
  /** One row per entry of `topicIds` (same order): the topic's c-TF-IDF weights over the vocabulary. */
  matrix: SparseMatrix;
}

export interface RepresentationJSON {
  format: "topicscope-ctfidf";
  version: 1;
  topN: number;
  topicIds: number[];
  vectorizer: VectorizerJSON;
  ctfidf: ClassTfidfJSON;
  /** The c-TF-IDF rows in CSR form (plain arrays from toJSON; typed arrays as a model folder reads them). */
  matrix: { indptr: ArrayLike<number>; indices: ArrayLike<number>; data: ArrayLike<number> };
}

export interface TopicRepresentation {
  /** Sorted ascending; includes -1 when outliers exist. */
  topicIds: number[];
  /** Top-N words per topic, best first, words with score ≤ 0 dropped. */
  words: Map<number, TopicTerm[]>;
  vectorizer: CountVectorizer;
  ctfidf: FittedCtfidf;
  toJSON(): RepresentationJSON;
}

export function representTopics(
  texts: readonly string[],
  labels: Int32Array,
  options: RepresentOptions,
): TopicRepresentation {
  if (texts.length !== labels.length) {
    throw new RangeError(`representTopics: ${texts.length} texts but ${labels.length} labels`);
  }
  const topicIds = [...new Set(labels)].sort((a, b) => a - b);
  const rowOf = new Map(topicIds.map((id, row) => [id, row]));
  const parts: string[][] = topicIds.map(() => []);
  for (let i = 0; i < texts.length; i++) parts[rowOf.get(labels[i])!].push(texts[i]);
  const joined = parts.map((p) => p.join(" "));

  const vectorizer = new CountVectorizer({
    ngramRange: options.ngramRange,
    minDf: options.minDf,
    stopWords: options.stopWords,
    dropNumbers: options.dropNumbers,
    language: options.language,
  });
  const counts = vectorizer.fitTransform(joined);
  const transformer = new ClassTfidfTransformer(options).fit(counts);
  const matrix = transformer.transform(counts);
  return assembleRepresentation(topicIds, vectorizer, { transformer, matrix }, options.topN);
}

/** A representation from its fitted parts (words are the top terms of each c-TF-IDF row). */
export function assembleRepresentation(
  topicIds: number[],
  vectorizer: CountVectorizer,
  ctfidf: FittedCtfidf,
  topN: number,
): TopicRepresentation {
  const words = new Map<number, TopicTerm[]>();
  topicIds.forEach((id, row) => {
    words.set(id, rowTopTerms(ctfidf.matrix, row, vectorizer.vocabulary, topN));
  });
  return {
    topicIds,
    words,
    vectorizer,
    ctfidf,
    toJSON: () => ({
      format: "topicscope-ctfidf",
      version: 1,
      topN,
      topicIds,
      vectorizer: vectorizer.toJSON(),
      ctfidf: ctfidf.transformer.toJSON(),
      matrix: {
        indptr: Array.from(ctfidf.matrix.indptr),
        indices: Array.from(ctfidf.matrix.indices),
        data: Array.from(ctfidf.matrix.data),
      },
    }),
  };
}

/** Rebuilds a representation saved with `toJSON()` (no refitting). */
export function representationFromJSON(json: RepresentationJSON): TopicRepresentation {
  if (json.format !== "topicscope-ctfidf" || json.version !== 1) {
    throw new Error(`unsupported c-TF-IDF format ${String(json.format)} v${String(json.version)}`);
  }
  const vectorizer = CountVectorizer.fromJSON(json.vectorizer);
  const transformer = ClassTfidfTransformer.fromJSON(json.ctfidf);
  const matrix: SparseMatrix = {
    rows: json.topicIds.length,
    cols: vectorizer.size,
    indptr: Int32Array.from(json.matrix.indptr),
    indices: Int32Array.from(json.matrix.indices),
    data: Float64Array.from(json.matrix.data),
  };
  return assembleRepresentation([...json.topicIds], vectorizer, { transformer, matrix }, json.topN);
}

/**
 * The `n` best terms of one c-TF-IDF row, best first. Ties go to the term earlier in the vocabulary
 * (alphabetical) — numpy's argsort leaves tie order unspecified, we make it deterministic. Terms with
 * score ≤ 0 are dropped (BERTopic pads with ("", 0.00001) instead).
 */
export function rowTopTerms(
  matrix: SparseMatrix,
  row: number,
  vocabulary: readonly string[],
  n: number,
): TopicTerm[] {
  const { data, indices } = matrix;
  // Better = higher score, then lower column. A bounded insertion list: a row has up to a million
  // entries but only the first few beat the current n-th best.
  const better = (a: number, b: number): boolean =>
    data[a] > data[b] || (data[a] === data[b] && indices[a] < indices[b]);
  const best: number[] = [];
  if (n <= 0) return [];
  for (let k = matrix.indptr[row]; k < matrix.indptr[row + 1]; k++) {
    if (!(data[k] > 0)) continue;
    if (best.length === n && !better(k, best[n - 1])) continue;
    let i = best.length < n ? best.length : n - 1;
    best[i] = k;
    while (i > 0 && better(k, best[i - 1])) {
      best[i] = best[i - 1];
      best[i - 1] = k;
      i--;
    }
  }
  return best.map((k) => ({ word: vocabulary[indices[k]], score: data[k] }));
}

/** Candidate terms for re-ranking (KeyBERT-inspired, MMR): the `n` best c-TF-IDF terms of a topic. */
export function topicCandidates(
  representation: TopicRepresentation,
  topicId: number,
  n: number,
): TopicTerm[] {
  const row = representation.topicIds.indexOf(topicId);
  if (row === -1) return [];
  return rowTopTerms(representation.ctfidf.matrix, row, representation.vectorizer.vocabulary, n);
}

/** BERTopic's default topic name: "<id>_<w1>_<w2>_<w3>_<w4>" (just "<id>" without words). */
export function topicLabel(id: number, words: readonly TopicTerm[], nWords = 4): string {
  return [String(id), ...words.slice(0, nWords).map((w) => w.word)].join("_");
}

/** c-TF-IDF rows of new texts, weighted with the fitted idf (BERTopic: ctfidf_model.transform(vectorizer.transform(docs))). */
export function documentCtfidf(representation: TopicRepresentation, texts: readonly string[]): SparseMatrix {
  return representation.ctfidf.transformer.transform(representation.vectorizer.transform(texts));
}

export interface CtfidfSimilarity {
  /** Column order of `scores`. */
  topicIds: number[];
  /** texts × topics cosine similarities (0 for texts without known terms). */
  scores: Matrix;
}

/**
 * Cosine similarity of each text's c-TF-IDF vector with each topic's c-TF-IDF row — what BERTopic's
 * outlier reduction ("c-tf-idf" strategy) and approximate_distribution compare. The outlier topic is
 * left out unless `includeOutlierTopic`.
 */
export function ctfidfSimilarity(
  representation: TopicRepresentation,
  texts: readonly string[],
  options: { includeOutlierTopic?: boolean } = {},
): CtfidfSimilarity {
  const topics = representation.ctfidf.matrix;
  const rows: number[] = [];
  representation.topicIds.forEach((id, row) => {
    if (id !== -1 || options.includeOutlierTopic) rows.push(row);
  });
  const k = rows.length;
  // Column-wise view of the topic rows: for each term, the (topic column, weight) pairs.
  const columnCount = new Int32Array(topics.cols + 1);
  for (const row of rows) {
    for (let p = topics.indptr[row]; p < topics.indptr[row + 1]; p++) columnCount[topics.indices[p] + 1]++;
  }
  for (let j = 0; j < topics.cols; j++) columnCount[j + 1] += columnCount[j];
  const fill = columnCount.slice(0, topics.cols);
  const topicOf = new Int32Array(columnCount[topics.cols]);
  const weightOf = new Float64Array(columnCount[topics.cols]);
  const topicNorm = new Float64Array(k);
  rows.forEach((row, t) => {
    let norm = 0;
    for (let p = topics.indptr[row]; p < topics.indptr[row + 1]; p++) {
      const slot = fill[topics.indices[p]]++;
      topicOf[slot] = t;
      weightOf[slot] = topics.data[p];
      norm += topics.data[p] * topics.data[p];
    }
    topicNorm[t] = Math.sqrt(norm);
  });

  const docs = documentCtfidf(representation, texts);
  const scores = new Float32Array(texts.length * k);
  const dots = new Float64Array(k);
  for (let d = 0; d < docs.rows; d++) {
    dots.fill(0);
    let norm = 0;
    for (let p = docs.indptr[d]; p < docs.indptr[d + 1]; p++) {
      const value = docs.data[p];
      norm += value * value;
      const term = docs.indices[p];
      for (let q = columnCount[term]; q < columnCount[term + 1]; q++) dots[topicOf[q]] += value * weightOf[q];
    }
    if (norm === 0) continue;
    const docNorm = Math.sqrt(norm);
    for (let t = 0; t < k; t++) {
      if (topicNorm[t] > 0) scores[d * k + t] = dots[t] / (docNorm * topicNorm[t]);
    }
  }
  return {
    topicIds: rows.map((row) => representation.topicIds[row]),
    scores: { data: scores, rows: texts.length, cols: k },
  };
}

export type { TopicTerm } from "./types.js";
export type { StopWordsOption as RepresentStopWords };
