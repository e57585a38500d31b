/**
 * The topic operations' own files in a model folder, next to what src/io/model-folder.ts writes:
 *
 *   topic-state.json       which HDBSCAN cluster became which topic, the operations applied so far
 *   topic-embeddings.npy   one row per topic (ids in topic-state.json, -1 first when present): the mean
 *                          embedding of its documents — what transform, search and reduce compare with
 *   cluster-labels.npy     int32 per document: the clusterer's own label (-1 noise, -2 not clustered:
 *                          empty or zero-shot documents), so a refit of HDBSCAN can be checked
 *
 * Both are optional on load: a folder without them gets them recomputed from embeddings.npy.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../io/atomic.js";
import { readMatrixNpy, readNpy, writeMatrixNpy, writeNpy } from "../../io/npy.js";
import type { Matrix } from "../../types.js";
import { UserError } from "../../util/errors.js";

export const TOPIC_STATE_FILE = "topic-state.json";
export const TOPIC_EMBEDDINGS_FILE = "topic-embeddings.npy";
export const CLUSTER_LABELS_FILE = "cluster-labels.npy";
export const TOPIC_STATE_FORMAT = "topicscope-topic-state";
export const TOPIC_STATE_VERSION = 1;

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

export function writeTopicState(
  dir: string,
  state: TopicState,
  topicEmbeddings: Matrix,
  clusterLabels?: Int32Array,
): void {
  writeFileAtomic(join(dir, TOPIC_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
  writeMatrixNpy(join(dir, TOPIC_EMBEDDINGS_FILE), topicEmbeddings);
  if (clusterLabels) writeNpy(join(dir, CLUSTER_LABELS_FILE), clusterLabels, [clusterLabels.length]);
}

/** The clusterer's labels saved with the model, when present and one per document. */
export function readClusterLabels(dir: string, documents: number): Int32Array | undefined {
  const path = join(dir, CLUSTER_LABELS_FILE);
  if (!existsSync(path)) return undefined;
  const array = readNpy(path);
  if (!(array.data instanceof Int32Array) || array.data.length !== documents) {
    throw new UserError(`${path} should hold ${documents} int32 labels; the folder is inconsistent: refit`);
  }
  return array.data;
}

export function readTopicState(dir: string): { state: TopicState; topicEmbeddings?: Matrix } | undefined {
  const path = join(dir, TOPIC_STATE_FILE);
  if (!existsSync(path)) return undefined;
  let state: TopicState;
  try {
    state = JSON.parse(readFileSync(path, "utf8")) as TopicState;
  } catch (error) {
    throw new UserError(`${path}: cannot parse JSON (${(error as Error).message})`);
  }
  if (state.format !== TOPIC_STATE_FORMAT)
    throw new UserError(`${path} is not a topicscope topic state (format '${String(state.format)}')`);
  if (state.version !== TOPIC_STATE_VERSION) {
    throw new UserError(
      `${path} has topic-state version ${state.version}; this topicscope reads version ${TOPIC_STATE_VERSION}: refit the model`,
    );
  }
  const embeddingsPath = join(dir, TOPIC_EMBEDDINGS_FILE);
  if (!existsSync(embeddingsPath)) return { state };
  const topicEmbeddings = readMatrixNpy(embeddingsPath);
  if (topicEmbeddings.rows !== state.topicIds.length) {
    throw new UserError(
      `${embeddingsPath} has ${topicEmbeddings.rows} rows but ${TOPIC_STATE_FILE} lists ${state.topicIds.length} topics; the folder is inconsistent: refit`,
    );
  }
  return { state, topicEmbeddings };
}
