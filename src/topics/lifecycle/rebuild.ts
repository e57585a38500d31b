/**
 * Rebuilding the topics from a document → topic assignment: c-TF-IDF, words (refined by MMR/KeyBERT
 * when asked), labels and representative documents, with custom labels and zero-shot names carried
 * over from the topics they came from. Used by fit and by every operation that changes the assignment.
 */
import { CountsMismatch } from "../../represent/class-counts.js";
import type { TopicRepresentation } from "../../represent/index.js";
import { readableLabel } from "../../represent/label.js";
import type { Matrix } from "../../types.js";
import type { TopicMap } from "../operations/merge.js";
import type { Topic, TopicModelParameters } from "../types.js";
import { buildTopics, renumberWithMapping } from "./build.js";
import { junkReason, topicWordStats, topicWordStatsFromCounts } from "./junk.js";
import { refineWords } from "./refine.js";
import { TopicTermCounts } from "./term-counts.js";
import { type TopicEmbeddingTable, topicEmbeddingTable } from "./topic-vectors.js";

/** What a topic keeps through a renumbering. */
export interface Carried {
  customLabel?: string;
  zeroShotName?: string;
}

export interface RebuildInput {
  texts: readonly string[];
  labels: Int32Array;
  included: Uint8Array;
  /**
   * The documents' embeddings; a streaming fit, which never holds them all, gives `representative`
   * and `topicEmbeddings` instead.
   */
  embeddings?: Matrix;
  representative?: ReadonlyMap<number, number[]>;
  topicEmbeddings?: TopicEmbeddingTable;
  parameters: TopicModelParameters;
  /** By new topic id. */
  carried: ReadonlyMap<number, Carried>;
  /** The model's encoder for new texts (MMR/KeyBERT candidate words). */
  embedTexts: (texts: readonly string[]) => Promise<Matrix>;
  /**
   * The model's raw term counts (term-counts.ts), brought up to `labels` in place: only documents
   * whose topic changed are tokenised. Absent (older folders) or unusable: counted from scratch.
   */
  termCounts?: TopicTermCounts;
}

export interface RebuiltTopics {
  topics: Topic[];
  representation: TopicRepresentation;
  /** Computed on the way when the words were refined. */
  topicEmbeddings: TopicEmbeddingTable | undefined;
  /** The term counts under the new labels (undefined for n-gram ranges, which counts cannot serve). */
  termCounts: TopicTermCounts | undefined;
}

/** Recomputes c-TF-IDF, words, labels, representative documents (and topic embeddings) from `labels`. */
export async function rebuildTopics(input: RebuildInput): Promise<RebuiltTopics> {
  const { parameters: p, embeddings, labels, included, carried } = input;
  const termCounts = countedTerms(input);
  const built = buildTopics({
    texts: input.texts,
    labels,
    included,
    embeddings,
    represent: p.represent,
    representativeDocs: p.representativeDocs,
    representative: input.representative,
    seedWords: p.seedTopics?.flat(),
    counts: termCounts?.words,
  });
  let table: TopicEmbeddingTable | undefined = input.topicEmbeddings;
  let refined: Map<number, Topic["words"]> | undefined;
  const rep = p.representation;
  if (rep && rep.model !== "ctfidf") {
    if (!table && !embeddings) throw new Error("rebuildTopics: give the embeddings or the topic embeddings");
    table ??= topicEmbeddingTable(embeddings as Matrix, labels, included);
    const { topicIds, matrix } = table;
    const vectors = new Map(
      topicIds.map((id, r) => [id, matrix.data.slice(r * matrix.cols, (r + 1) * matrix.cols)]),
    );
    refined = await refineWords(built.representation, rep, p.represent.topN, input.embedTexts, vectors);
  }
  const stats = termCounts
    ? topicWordStatsFromCounts(termCounts.junk, labels, built.topics)
    : topicWordStats(input.texts, labels, built.topics, p.represent);
  const topics = built.topics.map((t) => {
    const words = refined?.get(t.id) ?? t.words;
    const c = carried.get(t.id);
    const topic: Topic = { ...t, words, label: c?.zeroShotName ?? readableLabel(t.id, words) };
    const junk = t.id >= 0 ? junkReason(stats.get(t.id)!) : undefined;
    if (junk !== undefined) topic.junk = junk;
    if (c?.customLabel !== undefined) topic.customLabel = c.customLabel;
    if (c?.zeroShotName !== undefined) topic.zeroShotName = c.zeroShotName;
    return topic;
  });
  return { topics, representation: built.representation, topicEmbeddings: table, termCounts };
}

/** The input's term counts brought up to its labels, or counted afresh when it has none that fit. */
function countedTerms(input: RebuildInput): TopicTermCounts | undefined {
  const { texts, labels, included } = input;
  const represent = input.parameters.represent;
  const given = input.termCounts;
  if (given && given.key === TopicTermCounts.keyFor(represent)) {
    try {
      given.update(texts, labels, included);
      return given;
    } catch (error) {
      // counts that are not the sum of their documents (a damaged folder): recount below
      if (!(error instanceof CountsMismatch)) throw error;
    }
  }
  const fresh = TopicTermCounts.empty(represent);
  fresh?.update(texts, labels, included);
  return fresh;
}

export interface Reassignment {
  /** Renumbered by size. */
  labels: Int32Array;
  /** By new topic id. */
  carried: Map<number, Carried>;
  clusterTopic: Map<number, number>;
}

/**
 * New labels given in the current ids (a merged topic carries the id it joined), renumbered by size,
 * with what each topic carries and where each of the clusterer's clusters now goes.
 */
export function reassign(
  topics: readonly Topic[],
  clusterTopic: ReadonlyMap<number, number>,
  labels: Int32Array,
  topicMap: TopicMap | undefined,
  keepIds = false,
): Reassignment {
  const { labels: renumbered, mapping } = keepIds ? identityMapping(labels) : renumberWithMapping(labels);
  const carried = new Map<number, Carried>();
  for (const t of topics) {
    const target = mapping.get(t.id);
    if (target !== undefined)
      carried.set(target, { customLabel: t.customLabel, zeroShotName: t.zeroShotName });
  }
  return {
    labels: renumbered,
    carried,
    clusterTopic: new Map(
      [...clusterTopic].map(([cluster, topic]) => [
        cluster,
        mapping.get(topicMap?.get(topic) ?? topic) ?? -1,
      ]),
    ),
  };
}

/** Labels as they are, with the identity map of their ids. */
function identityMapping(labels: Int32Array): { labels: Int32Array; mapping: Map<number, number> } {
  return { labels: labels.slice(), mapping: new Map([...new Set(labels)].map((id) => [id, id])) };
}

export interface AssignmentChange {
  /** New labels in the current ids (a merged topic carries the id it joined). */
  labels: Int32Array;
  probabilities: Float32Array;
  /** The operation's map from current to new ids, which the clusters follow. */
  topicMap: TopicMap | undefined;
  /**
   * Keep every topic's id instead of renumbering by size (reduce-outliers: no topic appears or
   * disappears, and users label topics by id).
   */
  keepIds?: boolean;
}

export interface AssignmentInput extends Omit<RebuildInput, "labels" | "carried"> {
  topics: readonly Topic[];
  clusterTopic: ReadonlyMap<number, number>;
  change: AssignmentChange;
}

export interface AppliedAssignment extends RebuiltTopics {
  labels: Int32Array;
  clusterTopic: Map<number, number>;
}

/**
 * Applies a new assignment: renumbers topics by size, carries custom labels / zero-shot names along,
 * and rebuilds the topics.
 */
export async function applyAssignment(input: AssignmentInput): Promise<AppliedAssignment> {
  const { topics, clusterTopic, change, ...rest } = input;
  const next = reassign(topics, clusterTopic, change.labels, change.topicMap, change.keepIds);
  const rebuilt = await rebuildTopics({ ...rest, labels: next.labels, carried: next.carried });
  return { ...rebuilt, labels: next.labels, clusterTopic: next.clusterTopic };
}
