/**
 * Intertopic distance map (BERTopic `visualize_topics`): topics placed in 2-D so that similar topics
 * sit close, circle area proportional to topic size, hover shows the top words.
 */
import type { TopLevelSpec } from "vega-lite";
import { baseConfig, displayLabels, topicColorEncoding, topicScales, VEGA_LITE_SCHEMA } from "./theme.js";
import type { IntertopicMapData } from "./types.js";

export interface IntertopicMapOptions {
  width?: number;
  height?: number;
  /** Words listed in the tooltip (default 5). */
  words?: number;
}

export function intertopicMapSpec(data: IntertopicMapData, options: IntertopicMapOptions = {}): TopLevelSpec {
  const labels = displayLabels(data.topics);
  const scales = topicScales(data.topics);
  const nWords = options.words ?? 5;
  const values = data.topics
    .filter((t) => t.id >= 0)
    .map((t) => ({
      topic: t.id,
      label: labels.get(t.id)!,
      x: t.x,
      y: t.y,
      size: t.size,
      words: t.words
        .slice(0, nWords)
        .map((w) => w.word)
        .join(", "),
    }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Intertopic distance map",
      subtitle: "Circle area = topic size; distance ≈ dissimilarity of topic embeddings",
    },
    width: options.width ?? 560,
    height: options.height ?? 560,
    config: baseConfig(),
    data: { values },
    encoding: {
      x: {
        field: "x",
        type: "quantitative",
        title: "D1",
        axis: { labels: false, ticks: false, grid: false },
        scale: { zero: false, padding: 40 },
      },
      y: {
        field: "y",
        type: "quantitative",
        title: "D2",
        axis: { labels: false, ticks: false, grid: false },
        scale: { zero: false, padding: 40 },
      },
    },
    layer: [
      {
        params: [
          {
            name: "hover",
            select: { type: "point", on: "pointerover", clear: "pointerout", fields: ["topic"] },
          },
        ],
        mark: { type: "circle", stroke: "#37474F", strokeWidth: 1 },
        encoding: {
          size: {
            field: "size",
            type: "quantitative",
            scale: { type: "sqrt", range: [80, 5000] },
            legend: {
              title: "Documents",
              symbolFillColor: "#B0BEC5",
              symbolStrokeColor: "#37474F",
              tickCount: 3,
            },
          },
          color: topicColorEncoding(scales, { legend: false }),
          opacity: { condition: { param: "hover", value: 0.85, empty: false }, value: 0.45 },
          tooltip: [
            { field: "label", type: "nominal", title: "Topic" },
            { field: "size", type: "quantitative", title: "Documents" },
            { field: "words", type: "nominal", title: "Words" },
          ],
        },
      },
      {
        mark: { type: "text", fontSize: 11, color: "#111" },
        encoding: { text: { field: "topic", type: "nominal" } },
      },
    ],
  };
}
