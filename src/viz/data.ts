/**
 * Everything the charts and the HTML report draw, derived from a model folder: topic summaries, the
 * model's topic embeddings and their similarities, the intertopic map, a 2-D document layout; the
 * views the model computes (hierarchy, over time, per class, one document's distribution) come in as
 * options (src/report computes them through the model). Data a model lacks stays undefined with the
 * reason in `missing`, so callers can say why a chart is absent instead of drawing an empty one.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readMatrixNpy, writeMatrixNpy } from "../io/npy.js";
import { createReducer, reducerMinimumRows } from "../reduce/index.js";
import { MODEL_FILES, type ModelFolder, OUTPUT_FILES } from "../topics/folder/format.js";
import { savedTopicEmbeddings } from "../topics/folder/model-folder.js";
import { includedDocuments } from "../topics/lifecycle/topic-vectors.js";
import type { DocumentRecord, Topic } from "../topics/types.js";
import type { Matrix } from "../types.js";
import { isBlank } from "../util/text.js";
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
  /** The model's views (src/report computes them through the model), when there are any. */
  hierarchy?: TopicHierarchy;
  overTime?: TopicTimeRow[];
  perClass?: TopicClassRow[];
  /** One document's topic distribution (the model's approximate_distribution). */
  distribution?: TopicDistributionData;
  /** Why a view given above is absent (e.g. "the documents have no timestamps"). */
  viewsMissing?: Partial<Record<"hierarchy" | "overTime" | "perClass" | "distribution", string>>;
  seed?: number;
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

  const topicVectors = model.embeddings ? modelTopicVectors(model, model.embeddings) : undefined;
  if (topicVectors && real.length > 0) {
    const vectors = real.map((t) => topicVectors.get(t.id)!);
    data.similarity = { topics: real, matrix: vectors.map((a) => vectors.map((b) => dot(a, b))) };
    const coords = classicalMds2d(vectors, seed);
    data.intertopic = { topics: real.map((t, i) => ({ ...t, x: coords[i][0], y: coords[i][1] })) };
  } else {
    const why = topicVectors
      ? "the model has no topics (every document is an outlier)"
      : "the model folder has no embeddings.npy";
    data.missing.similarity = why;
    if (!topicVectors) data.missing.intertopic = why;
  }

  if (options.skipLayout) {
    data.missing.documentsMap = "skipped";
  } else {
    const layout =
      options.layout2d ??
      modelReduction2d(model, options.modelDir) ??
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

  const views = options.viewsMissing ?? {};
  if (options.hierarchy) data.hierarchy = options.hierarchy;
  else
    data.missing.hierarchy =
      views.hierarchy ??
      "no hierarchy.json in the model folder (run 'topicscope hierarchy <model dir>' first)";
  if (options.overTime) data.overTime = options.overTime;
  else
    data.missing.overTime =
      views.overTime ?? "the documents have no timestamps (add a timestamp field to the corpus and refit)";
  if (options.perClass) data.perClass = options.perClass;
  else
    data.missing.perClass =
      views.perClass ?? "the documents have no class labels (add a label field to the corpus and refit)";
  if (options.distribution) data.distribution = options.distribution;
  else data.missing.distribution = views.distribution ?? "needs the model's representation and a topic";
  return data;
}

/**
 * The model's topic embeddings (topic-embeddings.npy, or recomputed the model's way when the folder
 * lacks it), L2-normalised for cosine similarity and the intertopic map.
 */
function modelTopicVectors(model: ModelFolder, embeddings: Matrix): Map<number, Float32Array> {
  const labels = Int32Array.from(model.documents, (d) => d.topic);
  const { topicIds, matrix } = savedTopicEmbeddings(
    model,
    labels,
    embeddings,
    includedDocuments(model.documents),
  );
  const out = new Map<number, Float32Array>();
  topicIds.forEach((id, r) => {
    const row = matrix.data.slice(r * matrix.cols, (r + 1) * matrix.cols);
    const norm = Math.hypot(...row) || 1;
    out.set(
      id,
      row.map((x) => x / norm),
    );
  });
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

/**
 * The model's own reduction when it is 2-D (e.g. `--reducer pca --n-components 2`): the map then
 * shows the very space the clusters were found in, and nothing is recomputed. Used only when it covers
 * every non-empty document (zero-shot matches skip the reducer and would be missing from the map).
 */
export function modelReduction2d(model: ModelFolder, modelDir: string | undefined): Matrix | undefined {
  const reduce = model.manifest.parameters?.reduce;
  let reduced = model.reduced;
  if (!reduced && modelDir) {
    const maybe2d = reduce?.method === "none" ? model.embeddings?.cols === 2 : reduce?.nComponents === 2;
    const path = join(modelDir, MODEL_FILES.reduced);
    if (maybe2d && existsSync(path)) reduced = readMatrixNpy(path);
  }
  if (reduced?.cols !== 2 || reduced.rows !== model.documents.length) return undefined;
  for (let i = 0; i < reduced.rows; i++) {
    const finite = Number.isFinite(reduced.data[2 * i]) && Number.isFinite(reduced.data[2 * i + 1]);
    if (!finite && !isBlank(model.documents[i].text)) return undefined;
  }
  return reduced;
}

/** The 2-D map's UMAP settings: n_neighbors 10 and cosine as BERTopic's visualize_documents. */
const LAYOUT_UMAP = {
  method: "umap",
  nComponents: 2,
  nNeighbors: 10,
  minDist: LAYOUT_MIN_DIST,
  metric: "cosine",
} as const;

/**
 * A 2-D UMAP of the embeddings (n_neighbors 10 and cosine as BERTopic's visualize_documents; min_dist
 * LAYOUT_MIN_DIST), cached as reduced-2d.npy in the model folder. Empty documents (zero rows) get NaN
 * and are not drawn. Below the documents UMAP needs (n_neighbors + 1) the layout is PCA's: a tiny
 * corpus fitted with `--reducer pca` or `none` still gets its map, and its report.
 */
export async function documentLayout2d(
  embeddings: Matrix,
  modelDir: string | undefined,
  seed: number,
  onProgress?: (message: string) => void,
): Promise<Matrix | undefined> {
  const cache = modelDir ? join(modelDir, OUTPUT_FILES.layout2d) : undefined;
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
  if (keep.length < 2) return undefined;
  const subset = new Float32Array(keep.length * cols);
  keep.forEach((row, i) => {
    subset.set(embeddings.data.subarray(row * cols, (row + 1) * cols), i * cols);
  });
  const umap = keep.length >= reducerMinimumRows(LAYOUT_UMAP);
  onProgress?.(`laying out ${keep.length} documents in 2-D (${umap ? "UMAP" : "PCA"})…`);
  const reducer = createReducer(umap ? { ...LAYOUT_UMAP, seed } : { method: "pca", nComponents: 2, seed });
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
