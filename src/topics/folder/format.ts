/**
 * The model folder format, in one place: every file name, the format version, and how each file is
 * written and read (BERTopic's _save_utils.py plays this part there). Everything that reads or writes a
 * model folder — the model, the report, the CLI — goes through this module.
 *
 * The model (written by `TopicModel.save`):
 *   model.json           ModelManifest: format version, parameters, versions, timings
 *   topics.json          Topic[] (id -1 = outliers, when there are any)
 *   documents.jsonl      one DocumentRecord per corpus document, in corpus order
 *   embeddings.npy       n×d float32, corpus order (rows of empty documents are zero)
 *   reduced.npy          n×k float32, corpus order (rows of documents not clustered are NaN)
 *   representation.json (+ representation-*.npy)  fitted vocabulary + c-TF-IDF (needed to score new
 *                        documents); its idf and CSR arrays in .npy files (older folders: inline)
 *   topic-state.json     which cluster became which topic, the operations applied since fit
 *   topic-embeddings.npy one row per topic (ids in topic-state.json, -1 first when present)
 *   cluster-labels.npy   int32 per document: the clusterer's own label (-1 noise, -2 not clustered)
 *   stages.json (+ stage-*.npy)  the fitted reducer's and clusterer's own states (Reducer.toState)
 *   embedder.json (+ embedder-*.npy)  what a corpus-fitted encoder learnt (tfidf: vocabulary, idf,
 *                        projection), so new documents are embedded into the same space
 *   term-counts.json (+ term-counts-*.npy)  raw per-topic term counts before min_df and c-TF-IDF
 *                        (topics/lifecycle/term-counts.ts), so adding documents tokenises only them;
 *                        optional: without it the next rebuild counts every document again
 * Saved views (written by the hierarchy / over-time / per-class verbs, drawn by the report):
 *   hierarchy.json, topics-over-time.json, topics-per-class.json
 * Outputs (written by src/report, rebuilt from the above by `topicscope report`):
 *   report.html, report.md, charts/, topics.csv, documents.csv, reduced-2d.npy, metrics.json
 *
 * Files after model.json, topics.json and documents.jsonl are optional on load: a folder written by an
 * earlier 0.1 release lacks some of them and gets them recomputed.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type OwnedFolder, writeFileAtomic } from "../../io/atomic.js";
import { readJsonFile } from "../../io/json.js";
import { readMatrixNpy, readNpy, writeMatrixNpy, writeNpy } from "../../io/npy.js";
import { type Schema, validate } from "../../io/schema.js";
import { writeLinesAtomic } from "../../io/streaming.js";
import type { RepresentationJSON } from "../../represent/index.js";
import type { Matrix, StageState, StateArray } from "../../types.js";
import { UserError } from "../../util/errors.js";
import type { DocumentRecord, FittedStages, ModelManifest, Topic } from "../types.js";
import {
  DOCUMENT_SCHEMA,
  MANIFEST_SCHEMA,
  REPRESENTATION_FILES_SCHEMA,
  REPRESENTATION_SCHEMA,
  representationShapeProblem,
  STAGES_SCHEMA,
  TERM_COUNTS_SCHEMA,
  TOPIC_STATE_SCHEMA,
  TOPICS_SCHEMA,
  VIEW_SCHEMAS,
} from "./schemas.js";

/** What to do about a model file that fails its schema. */
const REFIT = "refit the model with 'topicscope fit' or restore the file";

function checkSchema<T>(value: unknown, schema: Schema, file: string): asserts value is T {
  validate<T>(value, schema, file, REFIT);
}

export const MODEL_FORMAT = "topicscope-model";
export const MODEL_FORMAT_VERSION = 1;
export const TOPIC_STATE_FORMAT = "topicscope-topic-state";
export const TOPIC_STATE_VERSION = 1;
export const STAGES_FORMAT = "topicscope-stages";
export const STAGES_VERSION = 1;

export const MODEL_FILES = {
  manifest: "model.json",
  topics: "topics.json",
  documents: "documents.jsonl",
  embeddings: "embeddings.npy",
  reduced: "reduced.npy",
  representation: "representation.json",
  topicState: "topic-state.json",
  topicEmbeddings: "topic-embeddings.npy",
  clusterLabels: "cluster-labels.npy",
  stages: "stages.json",
  embedder: "embedder.json",
  termCounts: "term-counts.json",
} as const;

/** Views the topic-operation verbs save into a model folder; the report draws them when present. */
export const VIEW_FILES = {
  hierarchy: "hierarchy.json",
  overTime: "topics-over-time.json",
  perClass: "topics-per-class.json",
} as const;

/** What src/report writes into a model folder. */
export const OUTPUT_FILES = {
  html: "report.html",
  markdown: "report.md",
  charts: "charts",
  topicsCsv: "topics.csv",
  documentsCsv: "documents.csv",
  /** The documents map's 2-D layout, cached (it depends only on the embeddings). */
  layout2d: "reduced-2d.npy",
  metrics: "metrics.json",
} as const;

/** Arrays of a corpus-fitted encoder's state live next to embedder.json as embedder-<name>.npy. */
function embedderArrayFile(name: string): string {
  return `embedder-${name}.npy`;
}

/** Arrays of the term counts live next to term-counts.json as term-counts-<name>.npy. */
function termCountsArrayFile(name: string): string {
  return `term-counts-${name}.npy`;
}

export const TERM_COUNTS_FORMAT = "topicscope-term-counts";
export const TERM_COUNTS_VERSION = 1;

export const EMBEDDER_STATE_FORMAT = "topicscope-embedder";
export const EMBEDDER_STATE_VERSION = 1;

/** What a model folder is called in messages. */
const MODEL_FOLDER = "a topicscope model folder";

/**
 * True when `dir` holds a model.json of ours (a damaged one counts when documents.jsonl sits next to
 * it): such a folder's files belong to the model and its verbs, nobody else.
 */
export function isModelFolder(dir: string): boolean {
  const manifest = join(dir, MODEL_FILES.manifest);
  if (!existsSync(manifest)) return false;
  try {
    const json = JSON.parse(readFileSync(manifest, "utf8")) as { format?: unknown };
    if (json?.format === MODEL_FORMAT) return true;
  } catch {
    // unreadable: judged by its neighbour below
  }
  return existsSync(join(dir, MODEL_FILES.documents));
}

/** The model folder `path` lies in (the nearest ancestor that is one), for the file rule (io/atomic.ts). */
export function owningModelFolder(path: string): OwnedFolder | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (isModelFolder(dir)) return { folder: dir, what: MODEL_FOLDER };
    if (dirname(dir) === dir) return undefined;
  }
}

/** Why `--force` may not replace `dir` with a model: only a model folder (or an empty one) is replaced. */
export function replaceableModelFolder(dir: string): string | undefined {
  if (isModelFolder(dir)) return undefined;
  try {
    if (readdirSync(dir).length === 0) return undefined;
  } catch {
    return undefined;
  }
  return `it is not ${MODEL_FOLDER} (no ${MODEL_FILES.manifest}), and replacing it would delete its files`;
}

/** Stage arrays live next to stages.json as stage-<stage>-<name>.npy. */
function stageArrayFile(stage: keyof FittedStages, name: string): string {
  return `stage-${stage}-${name}.npy`;
}

/** One operation applied after fit, in order (kept so a folder says how it came to be). */
export interface TopicOperation {
  operation: string;
  /** Parameters as the user gave them. */
  parameters: Record<string, unknown>;
  at: string;
  topicsBefore: number;
  topicsAfter: number;
}

export interface TopicState {
  format: typeof TOPIC_STATE_FORMAT;
  version: number;
  /** Row order of topic-embeddings.npy. */
  topicIds: number[];
  /** [cluster label from the clusterer, current topic id] pairs. */
  clusterTopic: [number, number][];
  history: TopicOperation[];
}

export interface ModelFolder {
  manifest: ModelManifest;
  topics: Topic[];
  documents: DocumentRecord[];
  /** Absent when loaded with `{ embeddings: false }`. */
  embeddings?: Matrix;
  reduced?: Matrix;
  /** Parsed representation.json when present (shape owned by src/represent). */
  representation?: unknown;
  topicState?: TopicState;
  /** One row per `topicState.topicIds` entry. */
  topicEmbeddings?: Matrix;
  clusterLabels?: Int32Array;
  stages?: FittedStages;
  /** embedder.json + its arrays, when the encoder learnt from the corpus (shape owned by src/embed). */
  embedder?: StageState;
  /** term-counts.json + its arrays (shape owned by topics/lifecycle/term-counts.ts). */
  termCounts?: StageState;
}

export function writeModelFiles(dir: string, model: ModelFolder): void {
  writeFileAtomic(join(dir, MODEL_FILES.manifest), `${JSON.stringify(model.manifest, null, 2)}\n`);
  writeFileAtomic(join(dir, MODEL_FILES.topics), `${JSON.stringify(topicsForDisk(model), null, 2)}\n`);
  // line by line: a million documents do not fit one string comfortably
  writeLinesAtomic(join(dir, MODEL_FILES.documents), model.documents.length, (i) =>
    JSON.stringify(model.documents[i]),
  );
  if (model.embeddings) writeMatrixNpy(join(dir, MODEL_FILES.embeddings), model.embeddings);
  if (model.reduced) writeMatrixNpy(join(dir, MODEL_FILES.reduced), model.reduced);
  if (model.representation !== undefined) writeRepresentation(dir, model.representation);
  if (model.topicState) {
    writeFileAtomic(join(dir, MODEL_FILES.topicState), `${JSON.stringify(model.topicState, null, 2)}\n`);
  }
  if (model.topicEmbeddings) writeMatrixNpy(join(dir, MODEL_FILES.topicEmbeddings), model.topicEmbeddings);
  if (model.clusterLabels) {
    writeNpy(join(dir, MODEL_FILES.clusterLabels), model.clusterLabels, [model.clusterLabels.length]);
  }
  if (model.stages) writeStages(dir, model.stages);
  if (model.embedder) writeEmbedderState(dir, model.embedder);
  if (model.termCounts) writeTermCounts(dir, model.termCounts);
}

/** The c-TF-IDF arrays live next to representation.json as representation-<name>.npy. */
function representationArrayFile(name: string): string {
  return `representation-${name}.npy`;
}

/** The c-TF-IDF arrays stored beside representation.json, by name. */
type RepresentationArray = "idf" | "indptr" | "indices" | "data";

/** The current c-TF-IDF format (represent/index.ts), whose arrays a folder stores as .npy. */
function isCurrentRepresentation(json: unknown): json is RepresentationJSON {
  const r = json as Partial<RepresentationJSON> | null;
  return (
    r?.format === "topicscope-ctfidf" && r.version === 1 && r.matrix !== undefined && r.ctfidf !== undefined
  );
}

/**
 * representation.json with its four numeric arrays as .npy files beside it: 20 Newsgroups' c-TF-IDF
 * is 16.8 MB of JSON text inline (~0.15 s to write, ~0.15 s to read back), 6 MB of arrays in binary.
 * Another format (none is written today) is stored as it is.
 */
function writeRepresentation(dir: string, representation: unknown): void {
  const path = join(dir, MODEL_FILES.representation);
  if (!isCurrentRepresentation(representation)) {
    writeFileAtomic(path, JSON.stringify(representation));
    return;
  }
  const { matrix, ctfidf, ...rest } = representation;
  const { idf, ...ctfidfRest } = ctfidf;
  const vector = (data: Int32Array | Float64Array): StateArray => ({ data, shape: [data.length] });
  const arrays: Record<RepresentationArray, StateArray> = {
    idf: vector(Float64Array.from(idf)),
    indptr: vector(Int32Array.from(matrix.indptr)),
    indices: vector(Int32Array.from(matrix.indices)),
    data: vector(Float64Array.from(matrix.data)),
  };
  const files = writeStateArrays(dir, arrays, representationArrayFile);
  writeFileAtomic(path, JSON.stringify({ ...rest, ctfidf: ctfidfRest, arrays: files }));
}

/**
 * representation.json (undefined when absent): with its arrays read back from their .npy files, or
 * inline (folders written before those files). Either must be whole and its shapes agree; another
 * c-TF-IDF format (an older release) is returned as it is, to be refitted on load.
 */
function readRepresentation(dir: string): unknown {
  const path = join(dir, MODEL_FILES.representation);
  if (!existsSync(path)) return undefined;
  const json = readJson<Record<string, unknown> | null>(path);
  const current = json as { format?: unknown; version?: unknown } | null;
  if (current?.format !== "topicscope-ctfidf" || current.version !== 1) return json;
  if (json === null || !("arrays" in json)) {
    checkSchema(json, REPRESENTATION_SCHEMA, path);
    return json;
  }
  checkSchema<Omit<RepresentationJSON, "matrix"> & { arrays: Record<RepresentationArray, string> }>(
    json,
    REPRESENTATION_FILES_SCHEMA,
    path,
  );
  const read = (name: RepresentationArray, dtype: "<i4" | "<f8"): Int32Array | Float64Array => {
    const file = join(dir, json.arrays[name]);
    if (!existsSync(file))
      throw new UserError(`${path}: arrays.${name}: ${json.arrays[name]} is missing; ${REFIT}`);
    const array = readNpy(file);
    if (array.dtype !== dtype || array.shape.length !== 1)
      throw new UserError(
        `${file}: expected a 1-d ${dtype === "<i4" ? "int32" : "float64"} array, got ${array.dtype} of shape [${array.shape.join(", ")}]; ${REFIT}`,
      );
    return array.data as Int32Array | Float64Array;
  };
  const { arrays, ...rest } = json;
  const representation: RepresentationJSON = {
    ...rest,
    ctfidf: { ...rest.ctfidf, idf: read("idf", "<f8") },
    matrix: { indptr: read("indptr", "<i4"), indices: read("indices", "<i4"), data: read("data", "<f8") },
  };
  const problem = representationShapeProblem(representation);
  if (problem) throw new UserError(`${path}: ${problem}; ${REFIT}`);
  return representation;
}

function writeTermCounts(dir: string, state: StageState): void {
  const json = {
    format: TERM_COUNTS_FORMAT,
    version: TERM_COUNTS_VERSION,
    method: state.method,
    options: state.options,
    arrays: writeStateArrays(dir, state.arrays, termCountsArrayFile),
  };
  writeFileAtomic(join(dir, MODEL_FILES.termCounts), `${JSON.stringify(json)}\n`);
}

/** term-counts.json and its arrays, schema-checked; undefined when absent (older folders). */
function readTermCounts(dir: string, documents: number): StageState | undefined {
  const path = join(dir, MODEL_FILES.termCounts);
  if (!existsSync(path)) return undefined;
  const json = readJson<{
    format: string;
    version: number;
    method: string;
    options: Record<string, unknown>;
    arrays: Record<string, string>;
  }>(path);
  checkSchema(json, TERM_COUNTS_SCHEMA, path);
  if (json.format !== TERM_COUNTS_FORMAT || json.version !== TERM_COUNTS_VERSION) {
    throw new UserError(
      `${path}: expected ${TERM_COUNTS_FORMAT} version ${TERM_COUNTS_VERSION}, got '${json.format}' version ${json.version}: delete it (the next add counts every document again) or refit`,
    );
  }
  const arrays = readStateArrays(dir, json.arrays);
  if (arrays.counted?.data.length !== documents) {
    throw new UserError(
      `${path}: counts ${arrays.counted?.data.length ?? 0} documents but documents.jsonl has ${documents}; the folder is inconsistent: delete ${MODEL_FILES.termCounts} (the next add counts every document again) or refit`,
    );
  }
  return { method: json.method, options: json.options, arrays };
}

/** Writes arrays (a state's) as .npy files named by `fileOf`; returns name → file for the JSON. */
function writeStateArrays(
  dir: string,
  arrays: Record<string, StateArray> | undefined,
  fileOf: (name: string) => string,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, array] of Object.entries(arrays ?? {})) {
    files[name] = fileOf(name);
    writeNpy(join(dir, files[name]), array.data, array.shape);
  }
  return files;
}

/** Reads a state's arrays back; only float32, float64 and int32 arrays are state. */
function readStateArrays(dir: string, files: Record<string, string> | undefined): Record<string, StateArray> {
  const arrays: Record<string, StateArray> = {};
  for (const [name, file] of Object.entries(files ?? {})) {
    const array = readNpy(join(dir, file));
    const { data } = array;
    if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array)) {
      throw new UserError(`${join(dir, file)}: ${array.dtype} arrays are not model state; refit the model`);
    }
    arrays[name] = { data, shape: array.shape };
  }
  return arrays;
}

function writeEmbedderState(dir: string, state: StageState): void {
  const json = {
    format: EMBEDDER_STATE_FORMAT,
    version: EMBEDDER_STATE_VERSION,
    method: state.method,
    options: state.options,
    arrays: writeStateArrays(dir, state.arrays, embedderArrayFile),
  };
  writeFileAtomic(join(dir, MODEL_FILES.embedder), `${JSON.stringify(json)}\n`);
}

function readEmbedderState(dir: string): StageState | undefined {
  const path = join(dir, MODEL_FILES.embedder);
  if (!existsSync(path)) return undefined;
  const json = readJson<{
    format?: string;
    version?: number;
    method?: string;
    options?: Record<string, unknown>;
    arrays?: Record<string, string>;
  }>(path);
  if (json.format !== EMBEDDER_STATE_FORMAT || json.version !== EMBEDDER_STATE_VERSION) {
    throw new UserError(
      `${path}: expected ${EMBEDDER_STATE_FORMAT} version ${EMBEDDER_STATE_VERSION}, got '${String(json.format)}' version ${String(json.version)}: refit the model`,
    );
  }
  if (typeof json.method !== "string" || typeof json.options !== "object" || json.options === null) {
    throw new UserError(`${path} needs a method and options; refit the model`);
  }
  const arrays = readStateArrays(dir, json.arrays);
  return { method: json.method, options: json.options, arrays };
}

function writeStages(dir: string, stages: FittedStages): void {
  const describe = (stage: keyof FittedStages) => {
    const { arrays: _arrays, ...rest } = stages[stage];
    const files = writeStateArrays(dir, stages[stage].arrays, (name) => stageArrayFile(stage, name));
    return { ...rest, arrays: files };
  };
  const json = {
    format: STAGES_FORMAT,
    version: STAGES_VERSION,
    reducer: describe("reducer"),
    clusterer: describe("clusterer"),
  };
  writeFileAtomic(join(dir, MODEL_FILES.stages), `${JSON.stringify(json, null, 2)}\n`);
}

/** Characters of each representative document's text kept in topics.json. */
export const REPRESENTATIVE_TEXT_LENGTH = 1000;

/**
 * topics.json is read by people and other tools, not only by us: next to the representative
 * documents' indices it carries their ids and (truncated) texts, so a topic can be understood
 * without joining documents.jsonl. Loading ignores the extra field.
 */
function topicsForDisk(model: ModelFolder): (Topic & { representative: { id: string; text: string }[] })[] {
  return model.topics.map((topic) => {
    const { representative: _derived, ...stored } = topic as Topic & { representative?: unknown };
    return {
      ...stored,
      representative: topic.representativeDocs.map((index) => {
        const text = model.documents[index]?.text ?? "";
        return {
          id: model.documents[index]?.id ?? String(index),
          text:
            text.length > REPRESENTATIVE_TEXT_LENGTH
              ? `${text.slice(0, REPRESENTATIVE_TEXT_LENGTH - 1)}…`
              : text,
        };
      }),
    };
  });
}

export interface LoadModelOptions {
  /** Load embeddings.npy (default true). */
  embeddings?: boolean;
  /** Load reduced.npy (default true). */
  reduced?: boolean;
  /** Load embedder.json and its arrays (default true). */
  embedder?: boolean;
  /** Load term-counts.json and its arrays (default true). */
  termCounts?: boolean;
}

export function loadModelFolder(dir: string, options: LoadModelOptions = {}): ModelFolder {
  if (!existsSync(dir))
    throw new UserError(`model folder ${dir} does not exist; create one with 'topicscope fit'`);
  const need = (name: string): string => {
    const path = join(dir, name);
    if (!existsSync(path)) {
      throw new UserError(
        `model folder ${dir} is missing ${name}; refit with 'topicscope fit' or restore the file`,
      );
    }
    return path;
  };
  const manifestPath = need(MODEL_FILES.manifest);
  const manifest = readJson<ModelManifest>(manifestPath);
  if (manifest === null || typeof manifest !== "object" || Array.isArray(manifest)) {
    checkSchema(manifest, MANIFEST_SCHEMA, manifestPath);
  }
  if (manifest.format !== MODEL_FORMAT) {
    throw new UserError(
      `${join(dir, MODEL_FILES.manifest)} is not a topicscope model (format '${String(manifest.format)}')`,
    );
  }
  if (manifest.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new UserError(
      `${dir} was written by topicscope ${manifest.version} in model format ${manifest.formatVersion}; this topicscope reads format ${MODEL_FORMAT_VERSION}: refit the model`,
    );
  }
  checkSchema<ModelManifest>(manifest, MANIFEST_SCHEMA, manifestPath);
  const topicsPath = need(MODEL_FILES.topics);
  const storedTopics = readJson<unknown>(topicsPath);
  checkSchema<(Topic & { representative?: unknown })[]>(storedTopics, TOPICS_SCHEMA, topicsPath);
  const topics = storedTopics.map(({ representative: _derived, ...topic }) => topic);
  const documentsPath = need(MODEL_FILES.documents);
  const documents = readDocuments(documentsPath);
  checkReferences(topics, documents, topicsPath, documentsPath);
  const folder: ModelFolder = { manifest, topics, documents };
  if (options.embeddings !== false) {
    folder.embeddings = readMatrixNpy(need(MODEL_FILES.embeddings));
    checkRows(folder.embeddings, documents.length, MODEL_FILES.embeddings, dir);
  }
  if (options.reduced !== false) {
    folder.reduced = readMatrixNpy(need(MODEL_FILES.reduced));
    checkRows(folder.reduced, documents.length, MODEL_FILES.reduced, dir);
  }
  folder.representation = readRepresentation(dir);
  folder.clusterLabels = readClusterLabels(dir, documents.length);
  const topicState = readTopicState(dir);
  if (topicState) {
    folder.topicState = topicState.state;
    folder.topicEmbeddings = topicState.topicEmbeddings;
  }
  folder.stages = readStages(dir);
  if (options.embedder !== false) folder.embedder = readEmbedderState(dir);
  if (options.termCounts !== false) folder.termCounts = readTermCounts(dir, documents.length);
  return folder;
}

/** The clusterer's labels saved with the model, when present and one per document. */
function readClusterLabels(dir: string, documents: number): Int32Array | undefined {
  const path = join(dir, MODEL_FILES.clusterLabels);
  if (!existsSync(path)) return undefined;
  const array = readNpy(path);
  if (!(array.data instanceof Int32Array) || array.data.length !== documents) {
    throw new UserError(`${path} should hold ${documents} int32 labels; the folder is inconsistent: refit`);
  }
  return array.data;
}

function readTopicState(dir: string): { state: TopicState; topicEmbeddings?: Matrix } | undefined {
  const path = join(dir, MODEL_FILES.topicState);
  if (!existsSync(path)) return undefined;
  const state = readJson<TopicState>(path);
  if (state === null || typeof state !== "object") checkSchema(state, TOPIC_STATE_SCHEMA, path);
  if (state.format !== TOPIC_STATE_FORMAT)
    throw new UserError(`${path} is not a topicscope topic state (format '${String(state.format)}')`);
  if (state.version !== TOPIC_STATE_VERSION) {
    throw new UserError(
      `${path} has topic-state version ${state.version}; this topicscope reads version ${TOPIC_STATE_VERSION}: refit the model`,
    );
  }
  checkSchema<TopicState>(state, TOPIC_STATE_SCHEMA, path);
  const embeddingsPath = join(dir, MODEL_FILES.topicEmbeddings);
  if (!existsSync(embeddingsPath)) return { state };
  const topicEmbeddings = readMatrixNpy(embeddingsPath);
  if (topicEmbeddings.rows !== state.topicIds.length) {
    throw new UserError(
      `${embeddingsPath} has ${topicEmbeddings.rows} rows but ${MODEL_FILES.topicState} lists ${state.topicIds.length} topics; the folder is inconsistent: refit`,
    );
  }
  return { state, topicEmbeddings };
}

interface StoredStage extends Omit<StageState, "arrays"> {
  arrays?: Record<string, string>;
}

function readStages(dir: string): FittedStages | undefined {
  const path = join(dir, MODEL_FILES.stages);
  if (!existsSync(path)) return undefined;
  const json = readJson<{
    format?: string;
    version?: number;
    reducer?: StoredStage;
    clusterer?: StoredStage;
  }>(path);
  if (json === null || typeof json !== "object") checkSchema(json, STAGES_SCHEMA, path);
  if (json.format !== STAGES_FORMAT || json.version !== STAGES_VERSION) {
    throw new UserError(
      `${path}: expected ${STAGES_FORMAT} version ${STAGES_VERSION}, got '${String(json.format)}' version ${String(json.version)}: refit the model`,
    );
  }
  checkSchema(json, STAGES_SCHEMA, path);
  const restore = (stage: keyof FittedStages): StageState => {
    const stored = json[stage];
    if (!stored || typeof stored.method !== "string" || typeof stored.options !== "object") {
      throw new UserError(`${path}: the ${stage} entry needs a method and options; refit the model`);
    }
    const arrays = readStateArrays(dir, stored.arrays);
    return { method: stored.method, options: stored.options, arrays };
  };
  return { reducer: restore("reducer"), clusterer: restore("clusterer") };
}

/** hierarchy.json, topics-over-time.json and topics-per-class.json as saved (undefined when absent). */
export function readSavedView(modelDir: string, view: keyof typeof VIEW_FILES): unknown {
  const path = join(modelDir, VIEW_FILES[view]);
  if (!existsSync(path)) return undefined;
  const json = readJsonFile(path);
  validate(json, VIEW_SCHEMAS[view], path, "rerun the verb that wrote it");
  return json;
}

/** documents.jsonl: one record per non-empty line, each checked against its schema. */
function readDocuments(path: string): DocumentRecord[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const documents: DocumentRecord[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].length === 0) continue;
    let record: unknown;
    try {
      record = JSON.parse(lines[i]);
    } catch {
      throw new UserError(`${path}: invalid JSON on line ${i + 1}; ${REFIT}`);
    }
    checkSchema<DocumentRecord>(record, DOCUMENT_SCHEMA, `${path} line ${i + 1}`);
    documents.push(record);
  }
  return documents;
}

/** Every document's topic is in topics.json, and every representative document is a document. */
function checkReferences(
  topics: readonly Topic[],
  documents: readonly DocumentRecord[],
  topicsPath: string,
  documentsPath: string,
): void {
  const ids = new Set(topics.map((t) => t.id));
  const stray = documents.findIndex((d) => !ids.has(d.topic) && d.topic !== -1);
  if (stray !== -1) {
    throw new UserError(
      `${documentsPath}: document ${stray + 1} has topic ${documents[stray].topic}, which ${topicsPath} does not list; ${REFIT}`,
    );
  }
  for (let t = 0; t < topics.length; t++) {
    const bad = topics[t].representativeDocs.findIndex((i) => i >= documents.length);
    if (bad !== -1) {
      throw new UserError(
        `${topicsPath}: [${t}].representativeDocs[${bad}]: ${topics[t].representativeDocs[bad]} is not a document (documents.jsonl has ${documents.length}); ${REFIT}`,
      );
    }
  }
}

function checkRows(matrix: Matrix, expected: number, name: string, dir: string): void {
  if (matrix.rows !== expected) {
    throw new UserError(
      `${join(dir, name)} has ${matrix.rows} rows but documents.jsonl has ${expected}; the folder is inconsistent: refit`,
    );
  }
}

function readJson<T>(path: string): T {
  return readJsonFile(path) as T;
}
