/**
 * Topic frequency over time (BERTopic `visualize_topics_over_time`): one line per topic; with
 * `normalize` each topic's series is divided by its L2 norm (as BERTopic's normalize_frequency does),
 * so topics of different sizes can be compared by shape.
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
import type { TopicSummary, TopicTimeRow } from "./types.js";

export interface TopicsOverTimeOptions {
  normalize?: boolean;
  /** Largest N topics drawn (default 10). */
  topics?: number;
}

export function topicsOverTimeSpec(
  rows: readonly TopicTimeRow[],
  topics: readonly TopicSummary[],
  options: TopicsOverTimeOptions = {},
): TopLevelSpec {
  if (rows.length === 0) {
    throw new UserError(
      "topics over time needs documents with timestamps; this model has none (add a timestamp field to the corpus and refit)",
    );
  }
  const chosen = largestTopics(topics, options.topics ?? 10);
  const labels = displayLabels(chosen);
  const scales = topicScales(chosen);
  const norms = new Map<number, number>();
  for (const r of rows) norms.set(r.topic, (norms.get(r.topic) ?? 0) + r.frequency * r.frequency);
  const values = rows
    .filter((r) => labels.has(r.topic))
    .map((r) => ({
      topic: r.topic,
      label: labels.get(r.topic)!,
      timestamp: r.timestamp,
      frequency: options.normalize ? r.frequency / Math.sqrt(norms.get(r.topic) || 1) : r.frequency,
      words: r.words,
    }));
  // numeric "timestamps" (years, epochs, step numbers) are drawn on a number axis, dates on a time axis;
  // "~r", not "~g": vega rounds "~g" to the tick step's precision and years became "1.8e+3"
  const numeric = values.every((v) => v.timestamp.trim() !== "" && Number.isFinite(Number(v.timestamp)));
  const integers = numeric && values.every((v) => Number.isInteger(Number(v.timestamp)));
  const x = numeric
    ? {
        field: "time",
        type: "quantitative" as const,
        title: null,
        axis: { format: "~r", ...(integers ? { tickMinStep: 1 } : {}) },
        scale: { zero: false },
      }
    : { field: "timestamp", type: "temporal" as const, title: null };
  const timeTooltip = numeric
    ? { field: "time", type: "quantitative" as const, title: "From", format: "~r" }
    : { field: "timestamp", type: "temporal" as const, title: "From" };
  const rowsWithTime = values.map((v) => (numeric ? { ...v, time: Number(v.timestamp) } : v));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Topics over time",
      subtitle: options.normalize
        ? "Frequency normalised per topic (L2)"
        : "Documents per topic and time bin",
    },
    width: 640,
    height: 360,
    config: baseConfig(),
    data: { values: rowsWithTime },
    params: [legendPickParam()],
    mark: { type: "line", point: { size: 24 }, strokeWidth: 2 },
    encoding: {
      x,
      y: {
        field: "frequency",
        type: "quantitative",
        title: options.normalize ? "Normalised frequency" : "Frequency",
      },
      color: topicColorEncoding(scales, { legend: true }),
      opacity: pickedOpacity(1, 0.1),
      tooltip: [
        { field: "label", type: "nominal", title: "Topic" },
        timeTooltip,
        { field: "frequency", type: "quantitative", title: "Frequency", format: ".3~f" },
        { field: "words", type: "nominal", title: "Words" },
      ],
    },
  };
}
