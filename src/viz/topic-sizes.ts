/** Documents per topic as bars, with the outliers' bar (grey) and their share of the corpus. */
import type { TopLevelSpec } from "vega-lite";
import { baseConfig, displayLabels, topicColorEncoding, topicScales, VEGA_LITE_SCHEMA } from "./theme.js";
import type { TopicSummary } from "./types.js";

export function topicSizesSpec(
  topics: readonly TopicSummary[],
  options: { topics?: number } = {},
): TopLevelSpec {
  const total = topics.reduce((sum, t) => sum + t.size, 0);
  const outliers = topics.find((t) => t.id < 0)?.size ?? 0;
  const limit = options.topics ?? 60;
  const shown = [...topics].sort((a, b) => a.id - b.id).filter((t) => t.id < 0 || t.id < limit);
  const labels = displayLabels(shown);
  const scales = topicScales(shown);
  const values = shown.map((t) => ({
    topic: t.id,
    label: labels.get(t.id)!,
    size: t.size,
    share: total > 0 ? t.size / total : 0,
  }));
  const share = total > 0 ? ((100 * outliers) / total).toFixed(1) : "0.0";
  const hidden = topics.filter((t) => t.id >= limit).length;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Topic sizes",
      subtitle: `${total} documents, ${topics.filter((t) => t.id >= 0).length} topics; outliers: ${outliers} (${share}%)${hidden > 0 ? `; ${hidden} smallest topics not shown` : ""}`,
    },
    width: 480,
    height: { step: 18 },
    config: baseConfig(),
    data: { values },
    encoding: {
      y: {
        field: "label",
        type: "nominal",
        sort: { field: "topic", op: "min" },
        title: null,
        axis: { labelLimit: 240 },
      },
      x: { field: "size", type: "quantitative", title: "Documents" },
    },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          color: topicColorEncoding(scales, { legend: false }),
          tooltip: [
            { field: "label", type: "nominal", title: "Topic" },
            { field: "size", type: "quantitative", title: "Documents" },
            { field: "share", type: "quantitative", title: "Share", format: ".1%" },
          ],
        },
      },
      {
        mark: { type: "text", align: "left", dx: 3, fontSize: 10, color: "#333" },
        encoding: { text: { field: "share", type: "quantitative", format: ".1%" } },
      },
    ],
  };
}
