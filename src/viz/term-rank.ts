/**
 * Term score decline (BERTopic `visualize_term_rank`): for every topic, its words' c-TF-IDF score by
 * rank; the elbow suggests how many words describe a topic. Log scale optional.
 */
import type { TopLevelSpec } from "vega-lite";
import {
  baseConfig,
  displayLabels,
  itemAria,
  legendPickParam,
  pickedOpacity,
  topicColorEncoding,
  topicScales,
  VEGA_LITE_SCHEMA,
} from "./theme.js";
import type { TopicSummary } from "./types.js";

export interface TermRankOptions {
  logScale?: boolean;
}

export function termRankSpec(topics: readonly TopicSummary[], options: TermRankOptions = {}): TopLevelSpec {
  const real = topics.filter((t) => t.id >= 0);
  const labels = displayLabels(real);
  const scales = topicScales(real);
  const log = options.logScale === true;
  const values = real.flatMap((t) =>
    t.words
      .map((w, i) => ({ topic: t.id, label: labels.get(t.id)!, rank: i + 1, word: w.word, score: w.score }))
      .filter((v) => !log || v.score > 0),
  );
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Term score decline per topic",
      subtitle: `c-TF-IDF score of each topic's words by rank${log ? " (log scale)" : ""}`,
    },
    width: 560,
    height: 360,
    config: baseConfig(),
    data: { values },
    params: [legendPickParam()],
    mark: { type: "line", point: { size: 20 }, strokeWidth: 1.5, ...itemAria(values.length) },
    encoding: {
      x: {
        field: "rank",
        type: "quantitative",
        title: "Term rank",
        axis: { tickMinStep: 1 },
        scale: log ? { type: "log" } : {},
      },
      y: { field: "score", type: "quantitative", title: "c-TF-IDF score", scale: log ? { type: "log" } : {} },
      color: topicColorEncoding(scales, { legend: true }),
      opacity: pickedOpacity(0.9, 0.08),
      tooltip: [
        { field: "label", type: "nominal", title: "Topic" },
        { field: "rank", type: "quantitative", title: "Rank" },
        { field: "word", type: "nominal", title: "Word" },
        { field: "score", type: "quantitative", title: "Score", format: ".4f" },
      ],
    },
  };
}
