/**
 * Topic frequency per class (BERTopic `visualize_topics_per_class`): horizontal bars, one group per
 * class, one bar per topic; `normalize` shows each class's topic shares instead of counts.
 */
import type { TopLevelSpec } from "vega-lite";
import { UserError } from "../util/errors.js";
import {
  baseConfig,
  displayLabels,
  largestTopics,
  legendPickParam,
  pickedOpacity,
  topicColorEncoding,
  topicScales,
  VEGA_LITE_SCHEMA,
} from "./theme.js";
import type { TopicClassRow, TopicSummary } from "./types.js";

export interface TopicsPerClassOptions {
  normalize?: boolean;
  /** Largest N topics drawn (default 10). */
  topics?: number;
}

export function topicsPerClassSpec(
  rows: readonly TopicClassRow[],
  topics: readonly TopicSummary[],
  options: TopicsPerClassOptions = {},
): TopLevelSpec {
  if (rows.length === 0) {
    throw new UserError(
      "topics per class needs documents with a class label; this model has none (add a label field to the corpus and refit)",
    );
  }
  const chosen = largestTopics(topics, options.topics ?? 10);
  const labels = displayLabels(chosen);
  const scales = topicScales(chosen);
  const classTotals = new Map<string, number>();
  for (const r of rows) classTotals.set(r.className, (classTotals.get(r.className) ?? 0) + r.frequency);
  const values = rows
    .filter((r) => labels.has(r.topic))
    .map((r) => ({
      topic: r.topic,
      label: labels.get(r.topic)!,
      className: r.className,
      frequency: options.normalize ? r.frequency / (classTotals.get(r.className) || 1) : r.frequency,
      words: r.words,
    }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Topics per class",
      subtitle: options.normalize ? "Share of each class's documents" : "Documents per topic and class",
    },
    width: 560,
    config: baseConfig(),
    data: { values },
    params: [legendPickParam()],
    mark: { type: "bar" },
    height: { step: 8 },
    encoding: {
      y: { field: "className", type: "nominal", title: null, sort: "ascending", axis: { labelLimit: 180 } },
      yOffset: { field: "label", type: "nominal", scale: { domain: scales.domain } },
      x: {
        field: "frequency",
        type: "quantitative",
        title: options.normalize ? "Share of class" : "Frequency",
      },
      color: topicColorEncoding(scales, { legend: true }),
      opacity: pickedOpacity(1, 0.15),
      tooltip: [
        { field: "className", type: "nominal", title: "Class" },
        { field: "label", type: "nominal", title: "Topic" },
        { field: "frequency", type: "quantitative", title: "Frequency", format: ".3~f" },
        { field: "words", type: "nominal", title: "Words" },
      ],
    },
  };
}
