/**
 * Plain data that the chart builders draw. Each builder takes one of these and returns a Vega-Lite
 * spec, so charts are testable without a fitted model; src/viz/data.ts derives them from a model folder.
 */

/** The part of a topic every chart needs. `label` is what people read (custom label if set). */
export interface TopicSummary {
  /** Topic id; -1 = outliers. */
  id: number;
  label: string;
  size: number;
  /** Top words, best first, with their c-TF-IDF (or representation) scores. */
  words: { word: string; score: number }[];
}

/** One document placed on the 2-D map. */
export interface DocumentPoint {
  x: number;
  y: number;
  topic: number;
  /** Short text shown in the tooltip (already truncated). */
  snippet: string;
}

export interface DocumentsMapData {
  topics: TopicSummary[];
  points: DocumentPoint[];
  /** Documents the map stands for, when `points` is a sample of them (default: points.length). */
  total?: number;
}

/** Topics in 2-D (e.g. MDS of topic-embedding distances). */
export interface IntertopicMapData {
  topics: (TopicSummary & { x: number; y: number })[];
}

/**
 * A linkage tree over topics in scipy's `linkage` layout: leaf i is `leaves[i]`; merge j creates node
 * `leaves.length + j` from nodes `left` and `right` at height `distance`, holding `count` leaves.
 */
export interface TopicHierarchy {
  leaves: { topic: number; label: string }[];
  merges: [left: number, right: number, distance: number, count: number][];
}

/** Cosine similarity between topic embeddings; `matrix[i][j]` for `topics[i]`, `topics[j]`. */
export interface TopicSimilarityData {
  topics: TopicSummary[];
  matrix: number[][];
}

/** One row of a topics-over-time frequency table (BERTopic's `topics_over_time` output). */
export interface TopicTimeRow {
  topic: number;
  /** ISO-8601 date or date-time of the bin start. */
  timestamp: string;
  frequency: number;
  /** Top words of the topic within this bin (may be the topic's global words). */
  words: string;
}

/** One row of a topics-per-class frequency table (BERTopic's `topics_per_class` output). */
export interface TopicClassRow {
  topic: number;
  className: string;
  frequency: number;
  words: string;
}

/** One document's probability per topic. */
export interface TopicDistributionData {
  documentId: string;
  snippet: string;
  /** How the probabilities were obtained, shown in the subtitle. */
  method: string;
  probabilities: { topic: number; probability: number }[];
}
