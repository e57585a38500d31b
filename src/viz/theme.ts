/**
 * Shared look of every chart: fonts that exist on a bare Debian machine, one colour + shape per topic
 * (the same topic looks the same in every chart), and sizes that read well at 100 % zoom.
 */
import type { Config } from "vega-lite";
import type { TopicSummary } from "./types.js";

/** The Vega-Lite version every chart spec is written for. */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** DejaVu Sans ships with fontconfig on Debian (fonts-dejavu-core); the rest are fallbacks. */
export const FONT_FAMILY = "DejaVu Sans, Liberation Sans, Helvetica, Arial, sans-serif";

/** Grey of outliers, as in BERTopic's document map. */
export const OUTLIER_COLOR = "#B0BEC5";

/**
 * 30 colours: ten saturated (category10 without its grey, which would read as "outlier"), ten darker
 * ones, ten light ones. Topics 10–19 and 20–29 also get another shape, so near hues stay apart.
 */
export const TOPIC_PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#bcbd22",
  "#17becf",
  "#393b79",
  "#843c39",
  "#7b4173",
  "#8c6d31",
  "#3182bd",
  "#e6550d",
  "#31a354",
  "#756bb1",
  "#637939",
  "#6b6ecf",
  "#ad494a",
  "#aec7e8",
  "#ffbb78",
  "#98df8a",
  "#ff9896",
  "#c5b0d5",
  "#c49c94",
  "#f7b6d2",
  "#dbdb8d",
  "#9edae5",
  "#de9ed6",
] as const;

export const TOPIC_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"] as const;

export function topicColor(topic: number): string {
  if (topic < 0) return OUTLIER_COLOR;
  return TOPIC_PALETTE[topic % TOPIC_PALETTE.length];
}

export function topicShape(topic: number): string {
  if (topic < 0) return "circle";
  return TOPIC_SHAPES[Math.floor(topic / 10) % TOPIC_SHAPES.length];
}

/**
 * The label each topic is drawn under, unique across `topics` (custom labels may collide, and
 * Vega-Lite scales key on the label text).
 */
export function displayLabels(topics: readonly TopicSummary[]): Map<number, string> {
  const seen = new Map<string, number>();
  for (const t of topics) seen.set(t.label, (seen.get(t.label) ?? 0) + 1);
  const out = new Map<number, string>();
  for (const t of topics) {
    if (t.id < 0) {
      out.set(t.id, "Outliers");
      continue;
    }
    const base = t.label.length > 0 ? t.label : `Topic ${t.id}`;
    out.set(t.id, (seen.get(t.label) ?? 0) > 1 || t.label.length === 0 ? `${base} (#${t.id})` : base);
  }
  return out;
}

export interface TopicScales {
  domain: string[];
  colors: string[];
  shapes: string[];
}

/** Colour and shape scales keyed by display label, in topic order. */
export function topicScales(topics: readonly TopicSummary[]): TopicScales {
  const labels = displayLabels(topics);
  const ordered = [...topics].sort((a, b) => a.id - b.id);
  return {
    domain: ordered.map((t) => labels.get(t.id)!),
    colors: ordered.map((t) => topicColor(t.id)),
    shapes: ordered.map((t) => topicShape(t.id)),
  };
}

/** The `count` largest real topics (ties by id), outliers left out. */
export function largestTopics(topics: readonly TopicSummary[], count: number): TopicSummary[] {
  return topics
    .filter((t) => t.id >= 0)
    .sort((a, b) => b.size - a.size || a.id - b.id)
    .slice(0, count);
}

/**
 * Colour by the `label` field with the topic palette. With `legend: false` the colour only repeats
 * what the axis or panel already names.
 */
export function topicColorEncoding(scales: TopicScales, options: { legend: boolean }) {
  const scale = { domain: scales.domain, range: scales.colors };
  return options.legend
    ? { field: "label", type: "nominal" as const, title: "Topic", scale }
    : { field: "label", type: "nominal" as const, scale, legend: null };
}

/** Clicking a legend entry picks that topic; `pickedOpacity` then dims the others. */
export function legendPickParam() {
  return { name: "pick", select: { type: "point" as const, fields: ["label"] }, bind: "legend" as const };
}

export function pickedOpacity(picked: number | { expr: string }, others: number) {
  return { condition: { param: "pick", value: picked }, value: others };
}

/**
 * Marks of more items than this get no per-item ARIA labels in SVG output. Vega writes one per item
 * ("b: …; a: …; Similarity: 0.44; Topic: …"): for 20 Newsgroups' 16,641-cell similarity heatmap they
 * are 3 of the file's 4.1 MB and a third of its render time, and nobody reads 15,000 cells aloud one
 * by one. The chart keeps its title, axes and legend for assistive technology.
 */
const ARIA_ITEM_LIMIT = 1000;

/** `aria: false` for a mark of `items` items above ARIA_ITEM_LIMIT (spread into the mark definition). */
export function itemAria(items: number): { aria?: false } {
  return items > ARIA_ITEM_LIMIT ? { aria: false } : {};
}

export function baseConfig(): Config {
  return {
    font: FONT_FAMILY,
    background: "white",
    padding: 8,
    title: { fontSize: 16, fontWeight: "bold", anchor: "start", subtitleFontSize: 12, subtitleColor: "#555" },
    axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 220, titleFontWeight: "normal" },
    legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 240, symbolLimit: 40 },
    header: { labelFontSize: 12, labelLimit: 220, titleFontSize: 12 },
    view: { stroke: "#ddd" },
  };
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Shortens text for labels and tooltips without cutting a surrogate pair in half. */
export function truncate(text: string, max: number): string {
  // One pass over the start of the text, stopping as soon as the answer is known: whitespace runs
  // become one space (none at either end) and max + 2 kept code units decide the cut. The documents
  // map truncates every document (20 Newsgroups: 0.15 s with a regular expression over a prefix, this
  // way a few milliseconds). Texts with surrogates (code points of two units) go the code-point way.
  // (a very long max would pass too many arguments to fromCharCode)
  if (max < 2 || max > MAX_ONE_PASS) return truncateCodePoints(text, max);
  let count = 0;
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isWhitespace(c)) {
      space = count > 0;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) return truncateCodePoints(text, max);
    if (space) {
      KEPT[count++] = 32;
      space = false;
    }
    KEPT[count++] = c;
    if (count > max + 1) return `${keptText(max - 1)}…`;
  }
  return count <= max ? keptText(count) : `${keptText(max - 1)}…`;
}

/**
 * The first `count` kept code units as a string. `apply` takes the typed array as it is, where a
 * spread goes through its iterator: 18,846 snippets of 139 units 69 → 10 ms.
 */
function keptText(count: number): string {
  return String.fromCharCode.apply(null, KEPT.subarray(0, count) as unknown as number[]);
}

const MAX_ONE_PASS = 4096;
/** The code units truncate keeps. */
const KEPT = new Uint16Array(MAX_ONE_PASS + 2);

/** Exactly what \s matches (and trim() removes): ECMAScript's WhiteSpace and LineTerminator. */
function isWhitespace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** truncate for texts with surrogate pairs: whitespace collapsed over a prefix, cut by code points. */
function truncateCodePoints(text: string, max: number): string {
  // Only a prefix is collapsed and split into code points: a 20 Newsgroups post is thousands of
  // characters and the documents map truncates every document (this was 0.4 s of a report). A prefix
  // whose collapsed form has more than max + 1 code points gives the same answer as the whole text
  // (the last code point may be half a surrogate pair, the first max − 1 are exact).
  for (let length = 4 * max + 16; ; length *= 4) {
    const whole = length >= text.length;
    const collapsed = whole
      ? text.replace(/\s+/g, " ").trim()
      : text.slice(0, length).replace(/\s+/g, " ").trimStart();
    // without surrogates a code unit is a code point: slice the string itself (most text; 3× faster)
    if (!SURROGATE.test(collapsed)) {
      if (whole) return collapsed.length <= max ? collapsed : `${collapsed.slice(0, max - 1)}…`;
      if (collapsed.length > max + 1) return `${collapsed.slice(0, max - 1)}…`;
      continue;
    }
    const chars = Array.from(collapsed);
    if (whole) return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
    if (chars.length > max + 1) return `${chars.slice(0, max - 1).join("")}…`;
  }
}
