/**
 * The topic operations' results in the plain shapes the charts draw (src/viz/types.ts), so the
 * report can show BERTopic-faithful hierarchy, over-time, per-class and distribution data.
 */

import type { Topic } from "../topics/types.js";
import type { TopicDistribution } from "../topics/views/distribution.js";
import type { HierarchicalTopics } from "../topics/views/hierarchy.js";
import type { TopicsOverTime } from "../topics/views/over-time.js";
import type { TopicsPerClass } from "../topics/views/per-class.js";
import type { TopicClassRow, TopicDistributionData, TopicHierarchy, TopicTimeRow } from "./types.js";

function labels(topics: readonly Topic[]): Map<number, string> {
  return new Map(topics.map((t) => [t.id, t.customLabel ?? t.label]));
}

function joinWords(words: readonly { word: string }[], n = 5): string {
  return words
    .slice(0, n)
    .map((w) => w.word)
    .join(", ");
}

/** hierarchy.json: the chart's {leaves, merges} plus the merged words of every node. */
export function hierarchyChartData(
  h: HierarchicalTopics,
  topics: readonly Topic[],
): TopicHierarchy & { nodes: HierarchicalTopics["nodes"]; method: string; distance: string } {
  const names = labels(topics);
  return {
    leaves: h.topicIds.map((topic) => ({ topic, label: names.get(topic) ?? String(topic) })),
    merges: h.linkage.map(([l, r, d, c]) => [l, r, d, c]),
    nodes: h.nodes,
    method: h.method,
    distance: h.distanceSource,
  };
}

export function overTimeChartRows(result: TopicsOverTime): TopicTimeRow[] {
  return result.entries.map((e) => ({
    topic: e.topic,
    timestamp: e.timestamp,
    frequency: e.frequency,
    words: joinWords(e.words),
  }));
}

export function perClassChartRows(result: TopicsPerClass): TopicClassRow[] {
  return result.entries.map((e) => ({
    topic: e.topic,
    className: e.className,
    frequency: e.frequency,
    words: joinWords(e.words),
  }));
}

/** One document's row of an approximate distribution. */
export function distributionChartData(
  distribution: TopicDistribution,
  row: number,
  documentId: string,
  snippet: string,
): TopicDistributionData {
  const { topicIds, distributions } = distribution;
  return {
    documentId,
    snippet,
    method: "c-TF-IDF over sliding 4-token windows (approximate_distribution)",
    probabilities: topicIds.map((topic, t) => ({
      topic,
      probability: distributions.data[row * distributions.cols + t],
    })),
  };
}
