/**
 * The chart catalogue: name → spec from ChartData, or the reason the model cannot draw it. Static
 * targets (SVG/PNG) sample big document maps; the HTML report keeps every point.
 */
import type { TopLevelSpec } from "vega-lite";
import { UserError } from "../util/errors.js";
import type { ChartData } from "./data.js";
import { documentsMapSpec } from "./documents-map.js";
import { hierarchySpec } from "./hierarchy.js";
import { intertopicMapSpec } from "./intertopic-map.js";
import { similarityHeatmapSpec } from "./similarity-heatmap.js";
import { termRankSpec } from "./term-rank.js";
import { topicDistributionSpec } from "./topic-distribution.js";
import { topicSizesSpec } from "./topic-sizes.js";
import { topicWordsSpec } from "./topic-words.js";
import { topicsOverTimeSpec } from "./topics-over-time.js";
import { topicsPerClassSpec } from "./topics-per-class.js";

export const CHART_NAMES = [
  "topic-sizes",
  "topic-words",
  "documents",
  "intertopic",
  "hierarchy",
  "similarity",
  "term-rank",
  "topics-over-time",
  "topics-per-class",
  "topic-distribution",
] as const;

export type ChartName = (typeof CHART_NAMES)[number];

/** Human titles, for links to the chart files (report.md) and listings. */
export const CHART_TITLES: Record<ChartName, string> = {
  "topic-sizes": "Topic sizes",
  "topic-words": "Topic word scores",
  documents: "Documents and topics",
  intertopic: "Intertopic distance map",
  hierarchy: "Hierarchical clustering of topics",
  similarity: "Topic similarity",
  "term-rank": "Term score decline per topic",
  "topics-over-time": "Topics over time",
  "topics-per-class": "Topics per class",
  "topic-distribution": "Topic distribution of one document",
};

export type ChartTarget = "static" | "html";

/** Documents drawn in SVG/PNG maps; more make files of many megabytes that no one can read. */
export const STATIC_MAP_POINTS = 5000;

export type ChartBuild = { name: ChartName; spec: TopLevelSpec } | { name: ChartName; missing: string };

export function buildChart(name: ChartName, data: ChartData, target: ChartTarget = "static"): ChartBuild {
  const missing = (reason: string | undefined, what: string): ChartBuild => ({
    name,
    missing: `${what}: ${reason ?? "not available for this model"}`,
  });
  const real = data.topics.filter((t) => t.id >= 0);
  if (real.length === 0 && name !== "topic-sizes") {
    return { name, missing: `${name}: the model has no topics (every document is an outlier)` };
  }
  switch (name) {
    case "topic-sizes":
      return { name, spec: topicSizesSpec(data.topics) };
    case "topic-words":
      return { name, spec: topicWordsSpec(data.topics) };
    case "term-rank":
      return { name, spec: termRankSpec(data.topics, { logScale: false }) };
    case "documents":
      if (!data.documentsMap) return missing(data.missing.documentsMap, "documents map");
      return {
        name,
        spec: documentsMapSpec(data.documentsMap, {
          maxPoints: target === "static" ? STATIC_MAP_POINTS : undefined,
        }),
      };
    case "intertopic":
      if (!data.intertopic) return missing(data.missing.intertopic, "intertopic distance map");
      return { name, spec: intertopicMapSpec(data.intertopic) };
    case "hierarchy":
      if (!data.hierarchy) return missing(data.missing.hierarchy, "topic hierarchy");
      return { name, spec: hierarchySpec(data.hierarchy) };
    case "similarity":
      if (!data.similarity) return missing(data.missing.similarity, "topic similarity heatmap");
      return { name, spec: similarityHeatmapSpec(data.similarity, data.hierarchy) };
    case "topics-over-time":
      if (!data.overTime) return missing(data.missing.overTime, "topics over time");
      return { name, spec: topicsOverTimeSpec(data.overTime, data.topics) };
    case "topics-per-class":
      if (!data.perClass) return missing(data.missing.perClass, "topics per class");
      return { name, spec: topicsPerClassSpec(data.perClass, data.topics) };
    case "topic-distribution":
      if (!data.distribution) return missing(data.missing.distribution, "topic distribution");
      return { name, spec: topicDistributionSpec(data.distribution, data.topics) };
    default:
      throw new UserError(`unknown chart '${String(name)}'; choose one of ${CHART_NAMES.join(", ")}`);
  }
}
