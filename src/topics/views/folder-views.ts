/**
 * The topic views the report draws — topics over time, topics per class, the hierarchy — computed
 * from a saved model folder the way BERTopic computes them (c-TF-IDF per bin/class with global tuning;
 * ward linkage with merged words). For src/report and src/viz: needs no TopicModel (and so no import
 * cycle with the report), only the folder's documents, topics and representation.json.
 */

import { hierarchyChartData, overTimeChartRows, perClassChartRows } from "../../viz/from-model.js";
import type { TopicClassRow, TopicHierarchy, TopicTimeRow } from "../../viz/types.js";
import type { ModelFolder } from "../folder/format.js";
import { restoreRepresentation } from "../lifecycle/build.js";
import { resolveParameters } from "../parameters.js";
import type { TopicModelParameters } from "../types.js";
import { hierarchicalTopics } from "./hierarchy.js";
import { parseTimestamps, topicsOverTime } from "./over-time.js";
import { topicsPerClass } from "./per-class.js";

export interface FolderTopicViews {
  overTime?: TopicTimeRow[];
  perClass?: TopicClassRow[];
  hierarchy?: TopicHierarchy;
  /** Why a view is absent (no timestamps, no classes, fewer than two topics, unreadable timestamps). */
  missing: { overTime?: string; perClass?: string; hierarchy?: string };
}

export interface FolderViewOptions {
  /** Equal-width time bins (BERTopic's nr_bins); default: one bin per distinct timestamp up to 20, else 20 bins. */
  timeBins?: number;
}

export function topicViewsFromFolder(folder: ModelFolder, options: FolderViewOptions = {}): FolderTopicViews {
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

  const stamps = folder.documents.map((d) => d.timestamp);
  if (stamps.every((t) => t === undefined)) views.missing.overTime = "the documents have no timestamps";
  else {
    try {
      const time = parseTimestamps(
        stamps,
        folder.documents.map((d) => d.id),
      );
      const distinct = new Set(time.values).size;
      const bins = options.timeBins ?? (distinct <= 20 ? undefined : 20);
      views.overTime = overTimeChartRows(topicsOverTime(representation, texts, labels, time, { bins, topN }));
    } catch (error) {
      views.missing.overTime = (error as Error).message;
    }
  }

  if (folder.documents.every((d) => d.label === undefined))
    views.missing.perClass = "the documents have no class labels";
  else {
    const classes = folder.documents.map((d) => d.label);
    views.perClass = perClassChartRows(topicsPerClass(representation, texts, labels, classes, { topN }));
  }

  const real = folder.topics.filter((t) => t.id >= 0).sort((a, b) => a.id - b.id);
  if (real.length < 2) views.missing.hierarchy = "fewer than two topics";
  else {
    const parts = new Map(real.map((t) => [t.id, [] as string[]]));
    folder.documents.forEach((d) => {
      parts.get(d.topic)?.push(d.text);
    });
    const tree = hierarchicalTopics({
      representation,
      topics: real,
      topicTexts: real.map((t) => parts.get(t.id)!.join(" ")),
      topN,
    });
    views.hierarchy = hierarchyChartData(tree, folder.topics);
  }
  return views;
}
