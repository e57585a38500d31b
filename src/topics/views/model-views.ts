/**
 * The views a fitted TopicModel computes from its own documents — the hierarchy, topics over time,
 * topics per class — with the checks on what the caller passes. (views.ts computes the same views
 * from a saved folder for the report.)
 */

import type { LinkageMethod } from "../../cluster/linkage.js";
import type { DocumentTermSource } from "../../represent/class-counts.js";
import type { TopicRepresentation } from "../../represent/index.js";
import type { CorpusDocument } from "../../types.js";
import { UserError } from "../../util/errors.js";
import type { TopicVectors } from "../operations/reduce-topics.js";
import type { Topic } from "../types.js";
import { type HierarchicalTopics, hierarchicalTopics } from "./hierarchy.js";
import { documentsByTopic, GroupCounts } from "./local-ctfidf.js";
import { type OverTimeOptions, parseTimestamps, type TopicsOverTime, topicsOverTime } from "./over-time.js";
import { type TopicsPerClass, topicsPerClass } from "./per-class.js";

/** Where the hierarchy's topic distances come from. */
export const HIERARCHY_DISTANCES = ["ctfidf", "embeddings"] as const;
export type HierarchyDistance = (typeof HIERARCHY_DISTANCES)[number];

export interface HierarchyOptions {
  /** Linkage (default ward, as BERTopic). */
  method?: LinkageMethod;
  /** Distances from c-TF-IDF rows (default, as BERTopic) or topic embeddings. */
  distance?: HierarchyDistance;
}

/** What the views read from a fitted model. */
export interface FittedDocuments {
  documents: readonly CorpusDocument[];
  labels: Int32Array;
  topics: readonly Topic[];
  representation: TopicRepresentation;
  /** Words per topic (represent.topN). */
  topN: number;
  /** The documents' terms as the model counted them, and the key of their settings (local-ctfidf.ts). */
  documentTerms?: DocumentTermSource;
  countsKey?: string;
}

function groupCounts(model: FittedDocuments, texts: readonly string[]): GroupCounts {
  return new GroupCounts(model.representation, texts, model.documentTerms, model.countsKey);
}

export function modelHierarchy(
  model: FittedDocuments,
  options: HierarchyOptions,
  realTopicVectors: () => TopicVectors,
): HierarchicalTopics {
  const real = model.topics.filter((t) => t.id >= 0).sort((a, b) => a.id - b.id);
  const texts = model.documents.map((d) => d.text);
  return hierarchicalTopics({
    representation: model.representation,
    topics: real,
    counts: groupCounts(model, texts).counts(documentsByTopic(real, model.labels)),
    embeddings: options.distance === "embeddings" ? realTopicVectors().vectors : undefined,
    method: options.method,
    topN: model.topN,
  });
}

/** Timestamps default to the documents' `timestamp` field. */
export function modelTopicsOverTime(
  model: FittedDocuments,
  options: OverTimeOptions & { timestamps?: readonly (string | number | undefined)[] },
): TopicsOverTime {
  const { documents } = model;
  const values = options.timestamps ?? documents.map((d) => d.timestamp);
  if (values.length !== documents.length) {
    throw new UserError(`${values.length} timestamps for ${documents.length} documents`);
  }
  if (!options.timestamps && values.every((v) => v === undefined)) {
    throw new UserError(
      "the documents have no timestamps; fit with --time-field <field> (or pass timestamps) to see topics over time",
    );
  }
  const time = parseTimestamps(
    values,
    documents.map((d) => d.id),
  );
  const texts = documents.map((d) => d.text);
  return topicsOverTime(model.representation, texts, model.labels, time, {
    topN: model.topN,
    counts: groupCounts(model, texts),
    ...options,
  });
}

/** Classes default to the documents' `label` field. */
export function modelTopicsPerClass(
  model: FittedDocuments,
  classes: readonly (string | undefined)[] | undefined,
  options: { globalTuning?: boolean },
): TopicsPerClass {
  const { documents } = model;
  const values = classes ?? documents.map((d) => d.label);
  if (values.length !== documents.length)
    throw new UserError(`${values.length} classes for ${documents.length} documents`);
  const texts = documents.map((d) => d.text);
  return topicsPerClass(model.representation, texts, model.labels, values, {
    topN: model.topN,
    counts: groupCounts(model, texts),
    ...options,
  });
}
