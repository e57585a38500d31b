/**
 * Top words per topic as horizontal bars, one panel per topic (BERTopic `visualize_barchart`:
 * first 8 topics, 5 words each, 4 panels a row).
 */
import type { TopLevelSpec } from "vega-lite";
import { baseConfig, displayLabels, topicColorEncoding, topicScales, VEGA_LITE_SCHEMA } from "./theme.js";
import type { TopicSummary } from "./types.js";

export interface TopicWordsOptions {
  /** First N topics by id (default 8; outliers are never drawn). */
  topics?: number;
  /** Words per topic (default 5). */
  words?: number;
  columns?: number;
}

export function topicWordsSpec(
  topics: readonly TopicSummary[],
  options: TopicWordsOptions = {},
): TopLevelSpec {
  const chosen = topics
    .filter((t) => t.id >= 0)
    .sort((a, b) => a.id - b.id)
    .slice(0, options.topics ?? 8);
  const labels = displayLabels(chosen);
  const scales = topicScales(chosen);
  const nWords = options.words ?? 5;
  const values = chosen.flatMap((t) =>
    t.words
      .slice(0, nWords)
      .map((w, rank) => ({ topic: t.id, label: labels.get(t.id)!, word: w.word, score: w.score, rank })),
  );
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Topic word scores",
      subtitle: `Top ${nWords} words of the first ${chosen.length} topics (c-TF-IDF)`,
    },
    config: baseConfig(),
    data: { values },
    facet: {
      field: "label",
      type: "nominal",
      title: null,
      sort: { field: "topic", op: "min" },
      header: { labelFontWeight: "bold", labelLimit: 200 },
    },
    columns: options.columns ?? 4,
    resolve: { scale: { y: "independent", x: "independent" } },
    spec: {
      width: 170,
      height: { step: 18 },
      mark: { type: "bar" },
      encoding: {
        y: {
          field: "word",
          type: "nominal",
          sort: { field: "rank", op: "min" },
          title: null,
          axis: { labelLimit: 110 },
        },
        x: { field: "score", type: "quantitative", title: null, axis: { tickCount: 3, format: ".2~g" } },
        color: topicColorEncoding(scales, { legend: false }),
        tooltip: [
          { field: "label", type: "nominal", title: "Topic" },
          { field: "word", type: "nominal", title: "Word" },
          { field: "score", type: "quantitative", title: "Score", format: ".4f" },
        ],
      },
    },
  };
}
