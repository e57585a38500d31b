/**
 * Topic similarity heatmap (BERTopic `visualize_heatmap`): cosine similarity of topic embeddings,
 * rows and columns in the hierarchy's leaf order when a hierarchy is given, so related topics form blocks.
 */
import type { TopLevelSpec } from "vega-lite";
import { layoutDendrogram } from "./hierarchy.js";
import { baseConfig, displayLabels, itemAria, VEGA_LITE_SCHEMA } from "./theme.js";
import type { TopicHierarchy, TopicSimilarityData } from "./types.js";

export function similarityHeatmapSpec(data: TopicSimilarityData, hierarchy?: TopicHierarchy): TopLevelSpec {
  const labels = displayLabels(data.topics);
  const index = new Map(data.topics.map((t, i) => [t.id, i]));
  let order = data.topics.map((t) => t.id).filter((id) => id >= 0);
  if (hierarchy) {
    const leafOrder = layoutDendrogram(hierarchy)
      .leaves.map((l) => l.topic)
      .filter((id) => index.has(id));
    order = [...leafOrder, ...order.filter((id) => !leafOrder.includes(id))];
  }
  const values = order.flatMap((a) =>
    order.map((b) => ({
      a: labels.get(a)!,
      b: labels.get(b)!,
      similarity: Math.round(data.matrix[index.get(a)!][index.get(b)!] * 1e4) / 1e4,
    })),
  );
  const sorted = order.map((id) => labels.get(id)!);
  const cell = order.length > 40 ? 12 : order.length > 20 ? 16 : 22;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Topic similarity",
      subtitle: `Cosine similarity of topic embeddings${hierarchy ? ", ordered by the topic hierarchy" : ""}`,
    },
    config: baseConfig(),
    data: { values },
    width: { step: cell },
    height: { step: cell },
    mark: { type: "rect", ...itemAria(values.length) },
    encoding: {
      x: {
        field: "b",
        type: "nominal",
        sort: sorted,
        title: null,
        axis: { labelAngle: -50, labelLimit: 150 },
      },
      y: { field: "a", type: "nominal", sort: sorted, title: null, axis: { labelLimit: 150 } },
      color: {
        field: "similarity",
        type: "quantitative",
        title: "Similarity",
        scale: { scheme: "greenblue", domain: [Math.min(0, ...values.map((v) => v.similarity)), 1] },
      },
      tooltip: [
        { field: "a", type: "nominal", title: "Topic" },
        { field: "b", type: "nominal", title: "Topic" },
        { field: "similarity", type: "quantitative", title: "Similarity", format: ".3f" },
      ],
    },
  };
}
