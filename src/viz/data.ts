/**
 * Everything the charts and the HTML report draw, derived from a model folder: topic summaries, topic
 * embeddings (mean of their documents' embeddings), similarities, the intertopic map, a 2-D document
 * layout, and frequency tables over time / per class. Data a model lacks stays undefined with the reason
 * in `missing`, so callers can say why a chart is absent instead of drawing an empty one.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readMatrixNpy, writeMatrixNpy } from "../io/npy.js";
import { createReducer } from "../reduce/index.js";
import type { ModelFolder } from "../topics/folder/format.js";
import type { DocumentRecord, Topic } from "../topics/types.js";
import type { Matrix } from "../types.js";
import { classicalMds2d } from "./mds.js";
import { truncate } from "./theme.js";
import type {
  DocumentsMapData,
  IntertopicMapData,
  TopicClassRow,
  TopicDistributionData,
  TopicHierarchy,
  TopicSimilarityData,
  TopicSummary,
  TopicTimeRow,
} from "./types.js";

export const LAYOUT_FILE = "reduced-2d.npy";

/**
 * min_dist of the 2-D layout. BERTopic uses 0.0, which packs each topic into a dot on a 2-D page
 * (seen on BBC: 38 topics as 38 specks); umap-learn's own default 0.1 keeps clusters apart but readable.
 */
export const LAYOUT_MIN_DIST = 0.1;

export interface ChartData {
  /** All topics including the outlier topic -1 (when present), by id. */
  topics: TopicSummary[];
  documentsMap?: DocumentsMapData;
  intertopic?: IntertopicMapData;
  similarity?: TopicSimilarityData;
  hierarchy?: TopicHierarchy;
  overTime?: TopicTimeRow[];
  perClass?: TopicClassRow[];
  distribution?: TopicDistributionData;
  /** Why a piece is absent, by ChartData key. */
  missing: Partial<Record<Exclude<keyof ChartData, "topics" | "missing">, string>>;
}

export interface ChartDataOptions {
  /** Model folder: where the 2-D layout is cached (reduced-2d.npy). Without it the layout is not cached. */
  modelDir?: string;
  /** A precomputed 2-D layout (rows = documents); skips UMAP. */
  layout2d?: Matrix;
  /** Skip the documents map (no UMAP run). */
  skipLayout?: boolean;
  /** From the topic-operations module, when computed. */
  hierarchy?: TopicHierarchy;
  overTime?: TopicTimeRow[];
  perClass?: TopicClassRow[];
  /** One document's topic distribution (e.g. BERTopic's approximate_distribution); else an embedding-similarity fallback. */
  distribution?: TopicDistributionData;
  /** Document whose topic distribution is drawn (default: most representative document of topic 0). */
  distributionDocument?: string;
  seed?: number;
  /** Time bins when topics-over-time is derived from timestamps (BERTopic's nr_bins; default 20). */
  timeBins?: number;
  onProgress?: (message: string) => void;
}

export function topicSummaries(topics: readonly Topic[]): TopicSummary[] {
  return [...topics]
    .sort((a, b) => a.id - b.id)
    .map((t) => ({ id: t.id, label: t.customLabel ?? t.label, size: t.size, words: t.words }));
}

export async function buildChartData(model: ModelFolder, options: ChartDataOptions = {}): Promise<ChartData> {
  const topics = topicSummaries(model.topics);
  const real = topics.filter((t) => t.id >= 0);
  const data: ChartData = { topics, missing: {} };
  const seed = options.seed ?? model.manifest.parameters?.seed ?? 42;

  const topicVectors = model.embeddings
    ? topicEmbeddings(model.embeddings, model.documents, real)
    : undefined;
  if (topicVectors) {
    const vectors = real.map((t) => topicVectors.get(t.id)!);
    data.similarity = { topics: real, matrix: vectors.map((a) => vectors.map((b) => dot(a, b))) };
    const coords = classicalMds2d(vectors, seed);
    data.intertopic = { topics: real.map((t, i) => ({ ...t, x: coords[i][0], y: coords[i][1] })) };
  } else {
    const why = "the model folder has no embeddings.npy";
    data.missing.similarity = why;
    data.missing.intertopic = why;
  }
  if (real.length === 0) {
    data.missing.similarity = "the model has no topics (every document is an outlier)";
    data.similarity = undefined;
  }

  if (options.skipLayout) {
    data.missing.documentsMap = "skipped";
  } else {
    const layout =
      options.layout2d ??
      (model.embeddings
        ? await documentLayout2d(model.embeddings, options.modelDir, seed, options.onProgress)
        : undefined);
    if (layout && layout.rows === model.documents.length) {
      data.documentsMap = { topics, points: documentPoints(layout, model.documents) };
    } else {
      data.missing.documentsMap = layout
        ? "the 2-D layout has a different number of rows than documents.jsonl"
        : "the model folder has no embeddings.npy to lay documents out";
    }
  }

  if (options.hierarchy) data.hierarchy = options.hierarchy;
  else
    data.missing.hierarchy =
      "no hierarchy.json in the model folder (run 'topicscope hierarchy <model dir>' first)";

  data.overTime =
    options.overTime ?? topicsOverTimeFromDocuments(model.documents, topics, options.timeBins ?? 20);
  if (!data.overTime) {
    data.missing.overTime =
      "the documents have no timestamps (add a timestamp field to the corpus and refit)";
  }
  data.perClass = options.perClass ?? topicsPerClassFromDocuments(model.documents, topics);
  if (!data.perClass)
    data.missing.perClass = "the documents have no class labels (add a label field to the corpus and refit)";

  if (options.distribution) {
    data.distribution = options.distribution;
  } else if (topicVectors && model.embeddings && real.length > 0) {
    data.distribution = distributionOf(model, real, topicVectors, options.distributionDocument);
  }
  if (!data.distribution) data.missing.distribution = "needs embeddings and at least one topic";
  return data;
}

/** Mean of each topic's (non-empty) document embeddings, L2-normalised. */
export function topicEmbeddings(
  embeddings: Matrix,
  documents: readonly DocumentRecord[],
  topics: readonly TopicSummary[],
): Map<number, Float32Array> {
  const { cols } = embeddings;
  const sums = new Map<number, Float64Array>();
  for (const t of topics) sums.set(t.id, new Float64Array(cols));
  documents.forEach((doc, i) => {
    const sum = sums.get(doc.topic);
    if (!sum) return;
    const row = embeddings.data.subarray(i * cols, (i + 1) * cols);
    let norm = 0;
    for (let j = 0; j < cols; j++) norm += row[j] * row[j];
    if (norm === 0 || !Number.isFinite(norm)) return;
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < cols; j++) sum[j] += row[j] * inv;
  });
  const out = new Map<number, Float32Array>();
  for (const [id, sum] of sums) {
    const norm = Math.hypot(...sum) || 1;
    out.set(
      id,
      Float32Array.from(sum, (x) => x / norm),
    );
  }
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

/**
 * A 2-D UMAP of the embeddings (n_neighbors 10 and cosine as BERTopic's visualize_documents; min_dist
 * LAYOUT_MIN_DIST), cached as reduced-2d.npy in the model folder. Empty documents (zero rows) get NaN and are not drawn.
 */
export async function documentLayout2d(
  embeddings: Matrix,
  modelDir: string | undefined,
  seed: number,
  onProgress?: (message: string) => void,
): Promise<Matrix | undefined> {
  const cache = modelDir ? join(modelDir, LAYOUT_FILE) : undefined;
  if (cache && existsSync(cache)) {
    const cached = readMatrixNpy(cache);
    if (cached.rows === embeddings.rows && cached.cols === 2) return cached;
  }
  const { cols } = embeddings;
  const keep: number[] = [];
  for (let i = 0; i < embeddings.rows; i++) {
    const row = embeddings.data.subarray(i * cols, (i + 1) * cols);
    if (row.some((x) => x !== 0) && row.every(Number.isFinite)) keep.push(i);
  }
  if (keep.length < 3) return undefined;
  const subset = new Float32Array(keep.length * cols);
  keep.forEach((row, i) => {
    subset.set(embeddings.data.subarray(row * cols, (row + 1) * cols), i * cols);
  });
  onProgress?.(`laying out ${keep.length} documents in 2-D (UMAP)…`);
  const reducer = createReducer({
    method: "umap",
    nComponents: 2,
    nNeighbors: 10,
    minDist: LAYOUT_MIN_DIST,
    metric: "cosine",
    seed,
  });
  const reduced = await reducer.fit({ data: subset, rows: keep.length, cols });
  const layout = new Float32Array(embeddings.rows * 2).fill(Number.NaN);
  keep.forEach((row, i) => {
    layout[row * 2] = reduced.data[i * 2];
    layout[row * 2 + 1] = reduced.data[i * 2 + 1];
  });
  const matrix = { data: layout, rows: embeddings.rows, cols: 2 };
  if (cache) writeMatrixNpy(cache, matrix);
  return matrix;
}

function documentPoints(layout: Matrix, documents: readonly DocumentRecord[]): DocumentsMapData["points"] {
  const points: DocumentsMapData["points"] = [];
  documents.forEach((doc, i) => {
    const x = layout.data[i * layout.cols];
    const y = layout.data[i * layout.cols + 1];
    if (Number.isFinite(x) && Number.isFinite(y))
      points.push({ x, y, topic: doc.topic, snippet: truncate(doc.text, 140) });
  });
  return points;
}

function topWords(topic: TopicSummary | undefined, n = 5): string {
  return (topic?.words ?? [])
    .slice(0, n)
    .map((w) => w.word)
    .join(", ");
}

/**
 * Documents per topic and time bin (outliers excluded). Up to `bins` distinct timestamps are used as
 * they are; more are grouped into `bins` equal-width bins (BERTopic's nr_bins). Words are the topics'
 * global words (BERTopic recomputes c-TF-IDF per bin; the topic-operations module can supply that).
 * Undefined when fewer than two documents have a parseable timestamp.
 */
export function topicsOverTimeFromDocuments(
  documents: readonly DocumentRecord[],
  topics: readonly TopicSummary[],
  bins: number,
): TopicTimeRow[] | undefined {
  const stamped = documents
    .filter((d) => d.topic >= 0 && typeof d.timestamp === "string" && d.timestamp.length > 0)
    .map((d) => ({ topic: d.topic, time: Date.parse(d.timestamp!) }))
    .filter((d) => Number.isFinite(d.time));
  if (stamped.length < 2) return undefined;
  const distinct = [...new Set(stamped.map((d) => d.time))].sort((a, b) => a - b);
  let binOf: (time: number) => number;
  if (distinct.length <= bins) {
    binOf = (time) => time;
  } else {
    const min = distinct[0];
    const width = (distinct[distinct.length - 1] - min) / bins;
    binOf = (time) => min + Math.min(bins - 1, Math.floor((time - min) / width)) * width;
  }
  const counts = new Map<string, number>();
  for (const d of stamped) {
    const key = `${d.topic}|${binOf(d.time)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const byId = new Map(topics.map((t) => [t.id, t]));
  return [...counts]
    .map(([key, frequency]) => {
      const [topic, time] = key.split("|").map(Number);
      return { topic, timestamp: new Date(time).toISOString(), frequency, words: topWords(byId.get(topic)) };
    })
    .sort((a, b) => a.topic - b.topic || a.timestamp.localeCompare(b.timestamp));
}

/** Documents per topic and class label (outliers excluded); undefined when no document has a label. */
export function topicsPerClassFromDocuments(
  documents: readonly DocumentRecord[],
  topics: readonly TopicSummary[],
): TopicClassRow[] | undefined {
  const counts = new Map<number, Map<string, number>>();
  for (const d of documents) {
    if (d.topic < 0 || typeof d.label !== "string" || d.label.length === 0) continue;
    const perTopic = counts.get(d.topic) ?? new Map<string, number>();
    perTopic.set(d.label, (perTopic.get(d.label) ?? 0) + 1);
    counts.set(d.topic, perTopic);
  }
  if (counts.size === 0) return undefined;
  const byId = new Map(topics.map((t) => [t.id, t]));
  return [...counts]
    .sort((a, b) => a[0] - b[0])
    .flatMap(([topic, perClass]) =>
      [...perClass].map(([className, frequency]) => ({
        topic,
        className,
        frequency,
        words: topWords(byId.get(topic)),
      })),
    );
}

/** Cosine similarity of one document to every topic embedding, clipped at 0 and normalised to sum 1. */
function distributionOf(
  model: ModelFolder,
  topics: readonly TopicSummary[],
  vectors: Map<number, Float32Array>,
  documentId: string | undefined,
): TopicDistributionData | undefined {
  const embeddings = model.embeddings!;
  let index: number;
  if (documentId !== undefined) {
    index = model.documents.findIndex((d) => d.id === documentId);
    if (index < 0) return undefined;
  } else {
    const first = model.topics.find((t) => t.id === topics[0].id);
    index = first?.representativeDocs[0] ?? model.documents.findIndex((d) => d.topic >= 0);
    if (index === undefined || index < 0) return undefined;
  }
  const row = embeddings.data.subarray(index * embeddings.cols, (index + 1) * embeddings.cols);
  const norm = Math.hypot(...row) || 1;
  const raw = topics.map((t) => Math.max(0, dot(vectors.get(t.id)!, row) / norm));
  const total = raw.reduce((a, b) => a + b, 0) || 1;
  const doc = model.documents[index];
  return {
    documentId: doc.id,
    snippet: doc.text,
    method: "cosine similarity to topic embeddings, normalised",
    probabilities: topics.map((t, i) => ({ topic: t.id, probability: raw[i] / total })),
  };
}
