/**
 * A TopicModel's state ↔ its model folder: the manifest, the document records, the topic state,
 * saving (swapped in atomically) and restoring the state of a loaded folder. The files themselves
 * are format.ts's. Saving writes the model only; whoever wants reports writes them (src/report).
 */

import type { EmbedderState } from "../../embed/index.js";
import { writeFolderAtomic } from "../../io/atomic.js";
import type { TopicRepresentation } from "../../represent/index.js";
import type { CorpusDocument, Matrix } from "../../types.js";
import { UserError } from "../../util/errors.js";
import { isBlank } from "../../util/text.js";
import { version } from "../../version.js";
import { restoreRepresentation } from "../lifecycle/build.js";
import type { ModelState } from "../lifecycle/state.js";
import {
  includedDocuments,
  type TopicEmbeddingTable,
  topicEmbeddingTable,
} from "../lifecycle/topic-vectors.js";
import type {
  DocumentRecord,
  FittedStages,
  ModelManifest,
  StageTiming,
  Topic,
  TopicModelParameters,
} from "../types.js";
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelFolder,
  replaceableModelFolder,
  TOPIC_STATE_FORMAT,
  TOPIC_STATE_VERSION,
  type TopicOperation,
  type TopicState,
  writeModelFiles,
} from "./format.js";

export interface SaveOptions {
  /** Replace an existing folder. */
  force?: boolean;
  /**
   * More files written into the new folder before it is swapped in — the reports (src/report's
   * `writeModelOutputs`), saved views, copies of cached outputs — so that they arrive together.
   */
  alsoWrite?: (dir: string, folder: ModelFolder) => void | Promise<void>;
  /** Told about leftovers of killed runs cleaned up next to the folder. */
  onNotice?: (message: string) => void;
}

export interface ManifestInput {
  parameters: TopicModelParameters;
  documents: readonly CorpusDocument[];
  embeddings: Matrix | null;
  embedderId: string;
  timings: StageTiming[];
  peakRssBytes: number;
}

export function modelManifest(model: ManifestInput, source: string | undefined): ModelManifest {
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    version,
    createdAt: new Date().toISOString(),
    parameters: model.parameters,
    embedder: { id: model.embedderId, dimension: model.embeddings?.cols ?? 0 },
    corpus: {
      documents: model.documents.length,
      emptyDocuments: model.documents.filter((d) => isBlank(d.text)).length,
      source,
    },
    timings: model.timings,
    peakRssBytes: model.peakRssBytes,
  };
}

export function documentRecords(
  documents: readonly CorpusDocument[],
  labels: Int32Array,
  probabilities: Float32Array,
): DocumentRecord[] {
  return documents.map((d, i) => {
    const record: DocumentRecord = {
      id: d.id,
      topic: labels[i],
      probability: Math.round(probabilities[i] * 1e6) / 1e6,
      text: d.text,
    };
    if (d.label !== undefined) record.label = d.label;
    if (d.timestamp !== undefined) record.timestamp = d.timestamp;
    return record;
  });
}

export function topicState(
  topicIds: number[],
  clusterTopic: ReadonlyMap<number, number>,
  history: TopicOperation[],
): TopicState {
  return {
    format: TOPIC_STATE_FORMAT,
    version: TOPIC_STATE_VERSION,
    topicIds,
    clusterTopic: [...clusterTopic].sort((a, b) => a[0] - b[0]),
    history,
  };
}

export interface FolderInput extends ManifestInput {
  labels: Int32Array;
  probabilities: Float32Array;
  topics: Topic[];
  reduced: Matrix | null;
  representation: TopicRepresentation | null;
  topicState: TopicState;
  topicEmbeddings: Matrix;
  clusterLabels: Int32Array | null;
  stages: FittedStages | undefined;
  embedderState?: EmbedderState;
}

/** Everything the model folder stores (see format.ts). */
export function modelFolder(model: FolderInput, source: string | undefined): ModelFolder {
  if (!model.embeddings || !model.reduced) throw new Error("TopicModel: call fit() before saving");
  return {
    manifest: modelManifest(model, source),
    topics: model.topics,
    documents: documentRecords(model.documents, model.labels, model.probabilities),
    embeddings: model.embeddings,
    reduced: model.reduced,
    representation: model.representation ? model.representation.toJSON() : undefined,
    topicState: model.topicState,
    topicEmbeddings: model.topicEmbeddings,
    clusterLabels: model.clusterLabels ?? undefined,
    stages: model.stages,
    embedder: model.embedderState,
  };
}

/** Builds the folder next to `dir` and swaps it in when complete; replaces one only with `force`. */
export async function saveModelFolder(dir: string, folder: ModelFolder, options: SaveOptions): Promise<void> {
  await writeFolderAtomic(
    dir,
    async (temporary) => {
      writeModelFiles(temporary, folder);
      await options.alsoWrite?.(temporary, folder);
    },
    { force: options.force, replaceable: replaceableModelFolder, onNotice: options.onNotice },
  );
}

/**
 * The state of a model folder read by loadModelFolder, checked for consistency. The c-TF-IDF comes
 * from representation.json (or is refitted); the cluster → topic map and the topic embeddings from
 * the topic state when present, else recomputed.
 */
export function restoreModelState(
  dir: string,
  folder: ModelFolder,
  parameters: TopicModelParameters,
): ModelState {
  const documents = folder.documents.map((r) => {
    const doc: CorpusDocument = { id: r.id, text: r.text };
    if (r.label !== undefined) doc.label = r.label;
    if (r.timestamp !== undefined) doc.timestamp = r.timestamp;
    return doc;
  });
  const labels = Int32Array.from(folder.documents, (r) => r.topic);
  const topics = folder.topics;
  const embeddings = folder.embeddings ?? null;
  const known = new Set(topics.map((t) => t.id));
  const unknown = [...new Set(labels)].find((l) => !known.has(l));
  if (unknown !== undefined) {
    throw new UserError(
      `${dir}: documents.jsonl assigns topic ${unknown}, which topics.json does not list; the folder is inconsistent: refit`,
    );
  }
  const representation = restoreRepresentation(
    folder.representation,
    documents.map((d) => d.text),
    labels,
    parameters.represent,
    parameters.seedTopics?.flat(),
  );
  const clusterLabels = folder.clusterLabels ?? null;
  let clusterTopic = clusterLabels
    ? clusterTopicsFromLabels(clusterLabels, labels)
    : new Map<number, number>();
  let history: TopicOperation[] = [];
  let table: TopicEmbeddingTable | undefined;
  if (folder.topicState) {
    clusterTopic = new Map(folder.topicState.clusterTopic);
    history = folder.topicState.history ?? [];
    if (!embeddings) throw new Error("TopicModel: call fit() or TopicModel.load() first");
    table = savedTopicEmbeddings(folder, labels, embeddings, includedDocuments(documents));
  }
  return {
    documents,
    source: folder.manifest.corpus.source,
    labels,
    probabilities: Float32Array.from(folder.documents, (r) => r.probability),
    topics,
    embeddings,
    reduced: folder.reduced ?? null,
    representation,
    embedderId: folder.manifest.embedder.id,
    timings: folder.manifest.timings ?? [],
    peakRssBytes: folder.manifest.peakRssBytes ?? 0,
    clusterTopic,
    clusterLabels,
    history,
    clusterer: undefined,
    stages: folder.stages,
    topicEmbeddings: table,
    embedderState: folder.embedder,
  };
}

/**
 * The topic embeddings a folder stores (topic-embeddings.npy) when they belong to the documents'
 * current topics — they are what was saved — else recomputed from the embeddings.
 */
export function savedTopicEmbeddings(
  folder: ModelFolder,
  labels: Int32Array,
  embeddings: Matrix,
  included: Uint8Array,
): TopicEmbeddingTable {
  const current = topicEmbeddingTable(embeddings, labels, included);
  return folder.topicEmbeddings && folder.topicState && sameIds(folder.topicState.topicIds, current.topicIds)
    ? { topicIds: current.topicIds, matrix: folder.topicEmbeddings }
    : current;
}

/** Cluster → topic by majority of each cluster's documents (unanimous unless topics were edited by hand). */
function clusterTopicsFromLabels(clusterLabels: Int32Array, labels: Int32Array): Map<number, number> {
  const votes = new Map<number, Map<number, number>>();
  clusterLabels.forEach((c, i) => {
    if (c < 0) return;
    const v = votes.get(c) ?? new Map<number, number>();
    v.set(labels[i], (v.get(labels[i]) ?? 0) + 1);
    votes.set(c, v);
  });
  return new Map([...votes].map(([c, v]) => [c, [...v].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0][0]]));
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
