/**
 * Documents in 2-D, coloured by topic (BERTopic `visualize_documents`): outliers grey and faded,
 * topic labels at the topic centroids, tooltip with the label and a snippet; clicking a legend entry
 * isolates that topic. For static images large maps are sampled (seeded, every topic kept visible).
 */
import type { TopLevelSpec } from "vega-lite";
import { createRng } from "../util/rng.js";
import {
  baseConfig,
  displayLabels,
  itemAria,
  legendPickParam,
  pickedOpacity,
  topicColorEncoding,
  topicScales,
  truncate,
  VEGA_LITE_SCHEMA,
} from "./theme.js";
import type { DocumentPoint, DocumentsMapData } from "./types.js";

export interface DocumentsMapOptions {
  /** Draw at most this many points (default: all). Use for SVG/PNG; HTML keeps all. */
  maxPoints?: number;
  /** Seed of the sample. */
  seed?: number;
  /** Label at most this many topic centroids (largest topics first; default 20). */
  maxAnnotations?: number;
  width?: number;
  height?: number;
}

export function documentsMapSpec(data: DocumentsMapData, options: DocumentsMapOptions = {}): TopLevelSpec {
  const labels = displayLabels(data.topics);
  const scales = topicScales(data.topics);
  const points = samplePoints(data.points, options.maxPoints ?? Number.POSITIVE_INFINITY, options.seed ?? 42);
  const values = points
    .filter((p) => labels.has(p.topic))
    .map((p) => ({
      x: round(p.x),
      y: round(p.y),
      topic: p.topic,
      label: labels.get(p.topic)!,
      snippet: p.snippet,
    }));
  const width = options.width ?? 720;
  const height = options.height ?? 540;
  const annotations = placeAnnotations(
    centroids(data.points)
      .filter((c) => c.topic >= 0 && labels.has(c.topic))
      .sort((a, b) => sizeOf(data, b.topic) - sizeOf(data, a.topic))
      .map((c) => ({ ...c, label: truncate(labels.get(c.topic)!, 28) })),
    data.points,
    width,
    height,
    options.maxAnnotations ?? 20,
  );
  const total = Math.max(data.total ?? 0, data.points.length);
  const shown = values.length < total ? ` (a sample of ${values.length} of ${total})` : "";
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Documents and topics",
      subtitle: `${total} documents${shown}; click a legend entry to isolate a topic`,
    },
    width,
    height,
    config: baseConfig(),
    layer: [
      {
        data: { values },
        params: [legendPickParam()],
        mark: { type: "point", filled: true, size: 18, strokeWidth: 0, ...itemAria(values.length) },
        encoding: {
          x: { field: "x", type: "quantitative", axis: null, scale: { zero: false, nice: false } },
          y: { field: "y", type: "quantitative", axis: null, scale: { zero: false, nice: false } },
          color: { ...topicColorEncoding(scales, { legend: true }), legend: { orient: "right", columns: 1 } },
          shape: {
            field: "label",
            type: "nominal",
            title: "Topic",
            scale: { domain: scales.domain, range: scales.shapes },
          },
          opacity: pickedOpacity({ expr: "datum.topic < 0 ? 0.35 : 0.8" }, 0.03),
          order: { field: "topic", type: "quantitative" },
          tooltip: [
            { field: "label", type: "nominal", title: "Topic" },
            { field: "snippet", type: "nominal", title: "Document" },
          ],
        },
      },
      // labels twice: a white outline underneath keeps them readable over the points
      ...[
        { stroke: "white", strokeWidth: 3, strokeOpacity: 0.85 },
        { stroke: null, strokeWidth: 0, strokeOpacity: 0 },
      ].map((outline) => ({
        data: { values: annotations },
        mark: { type: "text" as const, fontSize: 12, fontWeight: "bold" as const, color: "#222", ...outline },
        encoding: {
          x: { field: "x", type: "quantitative" as const },
          y: { field: "y", type: "quantitative" as const },
          text: { field: "label", type: "nominal" as const },
        },
      })),
    ],
  };
}

/**
 * Greedy label placement, largest topics first: a label is kept only where its box (estimated from the
 * text length at 12 px bold) overlaps no label already placed, and is pulled inside the plot's edges.
 */
function placeAnnotations<T extends { x: number; y: number; label: string }>(
  candidates: readonly T[],
  points: readonly DocumentPoint[],
  width: number,
  height: number,
  max: number,
): T[] {
  if (points.length === 0) return [];
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const p of points) {
    x0 = Math.min(x0, p.x);
    x1 = Math.max(x1, p.x);
    y0 = Math.min(y0, p.y);
    y1 = Math.max(y1, p.y);
  }
  const sx = width / (x1 - x0 || 1);
  const sy = height / (y1 - y0 || 1);
  const placed: { left: number; right: number; top: number; bottom: number }[] = [];
  const out: T[] = [];
  for (const c of candidates) {
    if (out.length >= max) break;
    const w = Array.from(c.label).length * 12 * 0.68 + 6;
    const h = 16;
    const px = Math.min(Math.max((c.x - x0) * sx, w / 2), Math.max(w / 2, width - w / 2));
    const py = (y1 - c.y) * sy;
    const box = { left: px - w / 2, right: px + w / 2, top: py - h / 2, bottom: py + h / 2 };
    if (
      placed.some((b) => box.left < b.right && b.left < box.right && box.top < b.bottom && b.top < box.bottom)
    )
      continue;
    placed.push(box);
    out.push({ ...c, x: round(x0 + px / sx) });
  }
  return out;
}

function sizeOf(data: DocumentsMapData, topic: number): number {
  return data.topics.find((t) => t.id === topic)?.size ?? 0;
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

/** Mean position of each topic's points (where BERTopic writes the topic's name). */
function centroids(points: readonly DocumentPoint[]): { topic: number; x: number; y: number }[] {
  const sums = new Map<number, { x: number; y: number; n: number }>();
  for (const p of points) {
    const s = sums.get(p.topic) ?? { x: 0, y: 0, n: 0 };
    s.x += p.x;
    s.y += p.y;
    s.n += 1;
    sums.set(p.topic, s);
  }
  return [...sums].map(([topic, s]) => ({ topic, x: round(s.x / s.n), y: round(s.y / s.n) }));
}

/**
 * A seeded sample of at most `max` points that keeps every topic visible: each topic gets a share
 * proportional to its size but at least min(size, 30) points. Input order is kept.
 */
export function samplePoints(points: readonly DocumentPoint[], max: number, seed: number): DocumentPoint[] {
  if (points.length <= max) return [...points];
  const byTopic = new Map<number, number[]>();
  points.forEach((p, i) => {
    const list = byTopic.get(p.topic) ?? [];
    list.push(i);
    byTopic.set(p.topic, list);
  });
  const rng = createRng(seed);
  const keep: number[] = [];
  const fraction = max / points.length;
  for (const [, indices] of [...byTopic].sort((a, b) => a[0] - b[0])) {
    const quota = Math.min(
      indices.length,
      Math.max(Math.min(indices.length, 30), Math.round(indices.length * fraction)),
    );
    // partial Fisher–Yates: the first `quota` entries become a uniform sample
    for (let i = 0; i < quota; i++) {
      const j = i + rng.nextInt(indices.length - i);
      [indices[i], indices[j]] = [indices[j], indices[i]];
    }
    keep.push(...indices.slice(0, quota));
  }
  keep.sort((a, b) => a - b);
  return keep.map((i) => points[i]);
}
