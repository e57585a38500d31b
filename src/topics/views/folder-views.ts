/**
 * The topic views computed from a saved model folder, the way the model computes them (c-TF-IDF per
 * time bin / class with global tuning; ward linkage with merged words): for src/report, which draws
 * what the model computes without building a TopicModel (no encoder needed).
 */
import type { DocumentTermSource } from "../../represent/class-counts.js";
import type { ModelFolder } from "../folder/format.js";
import { restoreRepresentation } from "../lifecycle/build.js";
import { TopicTermCounts } from "../lifecycle/term-counts.js";
import { resolveParameters } from "../parameters.js";
import type { TopicModelParameters } from "../types.js";
import { approximateDistribution, type TopicDistribution } from "./distribution.js";
import { type HierarchicalTopics, hierarchicalTopics } from "./hierarchy.js";
import { documentsByTopic, GroupCounts } from "./local-ctfidf.js";
import { parseTimestamps, type TopicsOverTime, topicsOverTime } from "./over-time.js";
import { type TopicsPerClass, topicsPerClass } from "./per-class.js";

export type FolderView = "overTime" | "perClass" | "hierarchy" | "distribution";

export interface FolderTopicViews {
  overTime?: TopicsOverTime;
  perClass?: TopicsPerClass;
  hierarchy?: HierarchicalTopics;
  /** One document's approximate topic distribution (row 0), and which document. */
  distribution?: { distribution: TopicDistribution; document: number };
  /** Why a view is absent (no timestamps, no classes, fewer than two topics, unreadable timestamps). */
  missing: Partial<Record<FolderView, string>>;
}

export interface FolderViewOptions {
  /** Which views to compute (default: all). */
  views?: readonly FolderView[];
  /** Equal-width time bins (BERTopic's nr_bins); default: one bin per distinct timestamp up to 20, else 20 bins. */
  timeBins?: number;
  /** Document (by id) whose distribution is computed; default: the top representative of topic 0. */
  distributionDocument?: string;
  /**
   * The documents' terms as the model that wrote the folder counted them (TopicModel.documentTerms):
   * the views then sum them instead of tokenising every document again.
   */
  documentTerms?: DocumentTermSource;
}

export function topicViewsFromFolder(folder: ModelFolder, options: FolderViewOptions = {}): FolderTopicViews {
  const wanted = new Set<FolderView>(options.views ?? ["overTime", "perClass", "hierarchy", "distribution"]);
  const views: FolderTopicViews = { missing: {} };
  const parameters = resolveParameters((folder.manifest.parameters ?? {}) as Partial<TopicModelParameters>);
  const texts = folder.documents.map((d) => d.text);
  const labels = Int32Array.from(folder.documents, (d) => d.topic);
  const representation = restoreRepresentation(
    folder.representation,
    texts,
    labels,
    parameters.represent,
    parameters.seedTopics?.flat(),
  );
  const topN = parameters.represent.topN;
  const counts = new GroupCounts(
    representation,
    texts,
    options.documentTerms,
    TopicTermCounts.keyFor(parameters.represent),
  );

  if (wanted.has("overTime")) {
    // documents without a timestamp (e.g. a row that lacked the field) are left out of the view
    const stamped = folder.documents.flatMap((d, i) => (d.timestamp === undefined ? [] : [i]));
    if (stamped.length === 0) views.missing.overTime = "the documents have no timestamps";
    else {
      try {
        const time = parseTimestamps(
          stamped.map((i) => folder.documents[i].timestamp),
          stamped.map((i) => folder.documents[i].id),
        );
        const distinct = new Set(time.values).size;
        const bins = options.timeBins ?? (distinct <= 20 ? undefined : 20);
        views.overTime = topicsOverTime(
          representation,
          stamped.map((i) => texts[i]),
          Int32Array.from(stamped, (i) => labels[i]),
          time,
          { bins, topN, counts: counts.subset(stamped) },
        );
      } catch (error) {
        views.missing.overTime = (error as Error).message;
      }
    }
  }

  if (wanted.has("perClass")) {
    if (folder.documents.every((d) => d.label === undefined))
      views.missing.perClass = "the documents have no class labels";
    else {
      const classes = folder.documents.map((d) => d.label);
      views.perClass = topicsPerClass(representation, texts, labels, classes, { topN, counts });
    }
  }

  if (wanted.has("hierarchy")) {
    const real = folder.topics.filter((t) => t.id >= 0).sort((a, b) => a.id - b.id);
    if (real.length < 2) views.missing.hierarchy = "fewer than two topics";
    else {
      views.hierarchy = hierarchicalTopics({
        representation,
        topics: real,
        counts: counts.counts(documentsByTopic(real, labels)),
        topN,
      });
    }
  }

  if (wanted.has("distribution")) {
    const id = options.distributionDocument;
    const row =
      id !== undefined
        ? folder.documents.findIndex((d) => d.id === id)
        : (folder.topics.find((t) => t.id === 0)?.representativeDocs[0] ?? -1);
    if (row < 0 || row >= folder.documents.length)
      views.missing.distribution =
        id !== undefined
          ? `no document with id '${id}'`
          : "the model has no topic 0 with a representative document";
    else
      views.distribution = {
        distribution: approximateDistribution(representation, [folder.documents[row].text]),
        document: row,
      };
  }
  return views;
}
