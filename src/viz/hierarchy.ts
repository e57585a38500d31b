/**
 * Dendrogram of the topic hierarchy (BERTopic `visualize_hierarchy`, orientation "left"): leaves are
 * topics, labelled with their labels; merge heights are the linkage distances.
 */
import type { TopLevelSpec } from "vega-lite";
import { UserError } from "../util/errors.js";
import { baseConfig, topicColor, VEGA_LITE_SCHEMA } from "./theme.js";
import type { TopicHierarchy } from "./types.js";

export interface DendrogramLayout {
  /** Leaf indices (into `leaves`) from top to bottom. */
  order: number[];
  segments: { x: number; x2: number; y: number; y2: number }[];
  leaves: { y: number; topic: number; label: string }[];
}

/** Places leaves in dendrogram order (left child first, as scipy does) and every link as line segments. */
export function layoutDendrogram(tree: TopicHierarchy): DendrogramLayout {
  const n = tree.leaves.length;
  if (tree.merges.length !== Math.max(0, n - 1)) {
    throw new UserError(
      `topic hierarchy has ${tree.merges.length} merges for ${n} leaves; expected ${n - 1}`,
    );
  }
  const order: number[] = [];
  if (n > 0) {
    const stack = [2 * n - 2];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node < n) order.push(node);
      else {
        const [left, right] = tree.merges[node - n];
        stack.push(right, left);
      }
    }
  }
  const y = new Map<number, number>();
  const height = new Map<number, number>();
  order.forEach((leaf, i) => {
    y.set(leaf, i);
    height.set(leaf, 0);
  });
  const segments: DendrogramLayout["segments"] = [];
  tree.merges.forEach(([left, right, distance], j) => {
    const node = n + j;
    const yl = y.get(left);
    const yr = y.get(right);
    if (yl === undefined || yr === undefined) {
      throw new UserError(
        `topic hierarchy merge ${j} refers to node ${yl === undefined ? left : right} before it exists`,
      );
    }
    segments.push({ x: height.get(left)!, x2: distance, y: yl, y2: yl });
    segments.push({ x: height.get(right)!, x2: distance, y: yr, y2: yr });
    segments.push({ x: distance, x2: distance, y: yl, y2: yr });
    y.set(node, (yl + yr) / 2);
    height.set(node, distance);
  });
  return {
    order,
    segments,
    leaves: order.map((leaf, i) => ({
      y: i,
      topic: tree.leaves[leaf].topic,
      label: tree.leaves[leaf].label,
    })),
  };
}

export function hierarchySpec(tree: TopicHierarchy, options: { width?: number } = {}): TopLevelSpec {
  const layout = layoutDendrogram(tree);
  const leaves = layout.leaves.map((l) => ({ ...l, color: topicColor(l.topic) }));
  const n = Math.max(1, leaves.length);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Hierarchical clustering of topics",
      subtitle: "Leaves are topics; links join topics at their linkage distance",
    },
    width: options.width ?? 420,
    height: Math.max(120, n * 20),
    config: baseConfig(),
    layer: [
      {
        data: { values: layout.segments },
        mark: { type: "rule", color: "#455A64", strokeWidth: 1.5 },
        encoding: {
          x: { field: "x", type: "quantitative", title: "Distance", scale: { reverse: true, zero: true } },
          x2: { field: "x2" },
          y: {
            field: "y",
            type: "quantitative",
            axis: null,
            scale: { domain: [-0.5, n - 0.5], reverse: true, nice: false, zero: false },
          },
          y2: { field: "y2" },
        },
      },
      {
        data: { values: leaves },
        mark: { type: "point", filled: true, size: 40, opacity: 1 },
        encoding: {
          x: { datum: 0, type: "quantitative" },
          y: { field: "y", type: "quantitative" },
          color: { field: "color", type: "nominal", scale: null },
          tooltip: [{ field: "label", type: "nominal", title: "Topic" }],
        },
      },
      {
        data: { values: leaves },
        mark: {
          type: "text",
          align: "left",
          dx: 8,
          fontSize: 11,
          baseline: "middle",
          limit: 260,
          color: "#222",
        },
        encoding: {
          x: { datum: 0, type: "quantitative" },
          y: { field: "y", type: "quantitative" },
          text: { field: "label", type: "nominal" },
          tooltip: [{ field: "label", type: "nominal", title: "Topic" }],
        },
      },
    ],
  };
}
