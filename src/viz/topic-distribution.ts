/**
 * One document's probability per topic (BERTopic `visualize_distribution`): bars for the topics
 * above `minProbability` (BERTopic's default 0.015), largest first.
 */
import type { TopLevelSpec } from "vega-lite";
import {
  baseConfig,
  displayLabels,
  topicColorEncoding,
  topicScales,
  truncate,
  VEGA_LITE_SCHEMA,
} from "./theme.js";
import type { TopicDistributionData, TopicSummary } from "./types.js";

export function topicDistributionSpec(
  data: TopicDistributionData,
  topics: readonly TopicSummary[],
  options: { minProbability?: number } = {},
): TopLevelSpec {
  const real = topics.filter((t) => t.id >= 0);
  const labels = displayLabels(real);
  const scales = topicScales(real);
  const min = options.minProbability ?? 0.015;
  const values = data.probabilities
    .filter((p) => p.probability >= min && labels.has(p.topic))
    .map((p) => ({ topic: p.topic, label: labels.get(p.topic)!, probability: p.probability }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: `Topic distribution of document ${truncate(data.documentId, 40)}`,
      subtitle: [truncate(data.snippet, 90), `${data.method}; topics with p ≥ ${min}`],
    },
    width: 480,
    height: { step: 20 },
    config: baseConfig(),
    data: { values },
    mark: { type: "bar" },
    encoding: {
      y: { field: "label", type: "nominal", sort: "-x", title: null, axis: { labelLimit: 220 } },
      x: { field: "probability", type: "quantitative", title: "Probability", scale: { domain: [0, 1] } },
      color: topicColorEncoding(scales, { legend: false }),
      tooltip: [
        { field: "label", type: "nominal", title: "Topic" },
        { field: "probability", type: "quantitative", title: "Probability", format: ".3f" },
      ],
    },
  };
}
