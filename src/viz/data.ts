/**
 * Everything the charts and the HTML report draw, derived from a model folder: topic summaries, the
 * model's topic embeddings and their similarities, the intertopic map, a 2-D document layout; the
 * views the model computes (hierarchy, over time, per class, one document's distribution) come in as
 * options (src/report computes them through the model). Data a model lacks stays undefined with the
 * reason in `missing`, so callers can say why a chart is absent instead of drawing an empty one.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { readMatrixNpy, writeMatrixNpy } from "../io/npy.js";
import { MODEL_FILES, type ModelFolder, OUTPUT_FILES } from "../topics/folder/format.js";
import { savedTopicEmbeddings } from "../topics/folder/model-folder.js";
import { includedDocuments } from "../topics/lifecycle/topic-vectors.js";
import type { DocumentRecord, Topic } from "../topics/types.js";
import { type Matrix, selectRows } from "../types.js";
import { siblingModule, startBackgroundJob } from "../util/module-worker.js";
import { isBlank } from "../util/text.js";
import { documentsMapLayout, type EmbeddingRows, type LayoutInput, type MapLayoutJob } from "./layout-2d.js";
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

export { LAYOUT_MIN_DIST } from "./layout-2d.js";

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
  /** The 2-D layout being computed on a worker (startDocumentsMapLayout), taken when it is needed. */
  backgroundLayout?: BackgroundMapLayout;
  /**
   * Reads chosen rows of the embeddings when the model folder's embeddings are not in memory (a
   * sample fit of a huge corpus): the map's layout needs only a few thousand of them.
   */
  embeddingRows?: EmbeddingRows;
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

  const topicVectors = modelTopicVectors(model);
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

  if (options.skipLayout) data.missing.documentsMap = "skipped";
  else await addDocumentsMap(data, model, options);

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
 * Lays the documents out (or takes the given / cached layout) and adds the documents map to `data`:
 * buildChartData does it unless told to skip it; writeModelOutputs does it separately, so that the
 * other charts are drawn meanwhile.
 */
export async function addDocumentsMap(
  data: ChartData,
  model: ModelFolder,
  options: ChartDataOptions = {},
): Promise<void> {
  const seed = options.seed ?? model.manifest.parameters?.seed ?? 42;
  const layout =
    options.layout2d ??
    modelReduction2d(model, options.modelDir) ??
    (await documentLayout2d(
      model,
      options.modelDir,
      seed,
      options.onProgress,
      options.embeddingRows,
      options.backgroundLayout,
    ));
  delete data.missing.documentsMap;
  if (layout && layout.rows === model.documents.length) {
    const total = model.documents.reduce((count, d) => count + (isBlank(d.text) ? 0 : 1), 0);
    data.documentsMap = { topics: data.topics, points: documentPoints(layout, model.documents), total };
  } else {
    data.missing.documentsMap = layout
      ? "the 2-D layout has a different number of rows than documents.jsonl"
      : "the model folder has no embeddings.npy to lay documents out";
  }
}

/**
 * The model's topic embeddings (topic-embeddings.npy, or recomputed the model's way when the folder
 * lacks it), L2-normalised for cosine similarity and the intertopic map.
 */
function modelTopicVectors(model: ModelFolder): Map<number, Float32Array> | undefined {
  const labels = Int32Array.from(model.documents, (d) => d.topic);
  const table = model.embeddings
    ? savedTopicEmbeddings(model, labels, model.embeddings, includedDocuments(model.documents))
    : storedTopicEmbeddings(model, labels);
  if (!table) return undefined;
  const { topicIds, matrix } = table;
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

/**
 * topic-embeddings.npy alone, when the embeddings are not in memory (a sample fit of a huge corpus
 * keeps them on disk): used when its topic ids are the documents' current topics.
 */
function storedTopicEmbeddings(
  model: ModelFolder,
  labels: Int32Array,
): { topicIds: number[]; matrix: Matrix } | undefined {
  const { topicEmbeddings, topicState } = model;
  if (!topicEmbeddings || !topicState) return undefined;
  const included = includedDocuments(model.documents);
  const current = [...new Set(labels.filter((_, i) => included[i] === 1))].sort((a, b) => a - b);
  const ids = topicState.topicIds;
  const same = ids.length === current.length && ids.every((id, i) => id === current[i]);
  return same ? { topicIds: ids, matrix: topicEmbeddings } : undefined;
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

/**
 * The documents map's layout (layout-2d.ts: a 2-D UMAP of a stratified sample, the other drawn
 * documents placed by their neighbours), cached as reduced-2d.npy in the model folder. Rows of
 * documents not drawn (empty ones, and those left out of the map's sample) are NaN.
 */
export async function documentLayout2d(
  model: Pick<ModelFolder, "manifest" | "documents" | "embeddings" | "reduced">,
  modelDir: string | undefined,
  seed: number,
  onProgress?: (message: string) => void,
  embeddingRows?: EmbeddingRows,
  background?: BackgroundMapLayout,
): Promise<Matrix | undefined> {
  const n = model.documents.length;
  const cache = modelDir ? join(modelDir, OUTPUT_FILES.layout2d) : undefined;
  if (cache && existsSync(cache)) {
    const cached = readMatrixNpy(cache);
    if (cached.rows === n && cached.cols === 2) {
      background?.cancel();
      return cached;
    }
  }
  const { embeddings } = model;
  const rowsOf =
    embeddingRows ?? (embeddings ? (rows: readonly number[]) => selectRows(embeddings, rows) : undefined);
  if (!rowsOf || (embeddings && embeddings.rows !== n)) return undefined;
  const laidOut = await background?.result;
  const matrix =
    laidOut?.rows === n
      ? laidOut
      : await documentsMapLayout({ ...mapLayoutInput(model, seed), embeddingRows: rowsOf, onProgress });
  if (matrix && cache) writeMatrixNpy(cache, matrix);
  return matrix;
}

/** The documents map's layout input but the embedding rows: which documents, their topics, the reduction. */
function mapLayoutInput(
  model: Pick<ModelFolder, "manifest" | "documents" | "embeddings" | "reduced">,
  seed: number,
): Omit<LayoutInput, "embeddingRows"> {
  const n = model.documents.length;
  const { embeddings } = model;
  // a non-zero, finite embedding row (a plain loop: `some`/`every` per row took 80 ms on 20 Newsgroups)
  const drawable = Uint8Array.from(model.documents, (doc, i) => {
    if (!embeddings) return isBlank(doc.text) ? 0 : 1;
    const { data, cols } = embeddings;
    let nonZero = false;
    for (let j = i * cols; j < (i + 1) * cols; j++) {
      const x = data[j];
      if (!Number.isFinite(x)) return 0;
      if (x !== 0) nonZero = true;
    }
    return nonZero ? 1 : 0;
  });
  // the model's reduction guides where unfitted documents go when it keeps neighbourhoods (UMAP)
  const method = model.manifest.parameters?.reduce?.method;
  const reduced =
    (method === "umap" || method === "umap-js") && model.reduced?.rows === n ? model.reduced : undefined;
  return { documents: n, topics: Int32Array.from(model.documents, (d) => d.topic), drawable, reduced, seed };
}

/** Documents from which the map is laid out on a worker while the model files are written. */
export const MIN_BACKGROUND_MAP_DOCUMENTS = 5000;
/**
 * Embeddings (bytes) up to which the worker gets its own copy of them (the layout reads a few
 * thousand rows, but which ones is decided there); beyond, the map is laid out in place.
 */
export const MAX_BACKGROUND_MAP_BYTES = 256 * 1024 * 1024;

/** The documents map being laid out on a worker (startDocumentsMapLayout). */
export interface BackgroundMapLayout {
  /** The layout, or undefined when the worker failed (it is then laid out in place). */
  readonly result: Promise<Matrix | undefined>;
  cancel(): void;
}

/**
 * Starts the documents map's layout (documentLayout2d's, the same result) on a worker at the lowest
 * priority, so that it runs while this thread writes the model files and computes the views, on the
 * core the chart worker leaves idle then (a 20 Newsgroups report: 0.9 s of the main thread). Only for
 * a model whose embeddings are in memory and that needs a layout of its own (not a 2-D reduction),
 * from MIN_BACKGROUND_MAP_DOCUMENTS documents and up to MAX_BACKGROUND_MAP_BYTES of embeddings, with a
 * second core; undefined otherwise.
 */
export function startDocumentsMapLayout(
  model: Pick<ModelFolder, "manifest" | "documents" | "embeddings" | "reduced">,
  seed: number,
): BackgroundMapLayout | undefined {
  const n = model.documents.length;
  const { embeddings } = model;
  if (!embeddings || embeddings.rows !== n || n < MIN_BACKGROUND_MAP_DOCUMENTS || availableParallelism() < 2)
    return undefined;
  if (embeddings.data.byteLength > MAX_BACKGROUND_MAP_BYTES) return undefined;
  if (model.reduced?.cols === 2) return undefined;
  const job: MapLayoutJob = { ...mapLayoutInput(model, seed), embeddings };
  const worker = startBackgroundJob<Float32Array>(siblingModule("layout-2d-worker", import.meta.url), job);
  if (!worker) return undefined;
  const result = worker.result.then((data) => (data ? { data, rows: n, cols: 2 } : undefined));
  return { result, cancel: worker.cancel };
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
