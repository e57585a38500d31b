/**
 * Vega-Lite spec → Vega spec → SVG (vega's headless view, no canvas needed) → PNG (resvg, system
 * fonts). Text is measured by vega's width estimate in Node (no canvas), which errs on the wide side,
 * so labels are never clipped by a too-small layout.
 */
import { Resvg } from "@resvg/resvg-js";
import { type LoggerInterface, parse, type Spec as VegaSpec, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { visibleBidiControls } from "../util/escape.js";
import { FONT_FAMILY } from "./theme.js";

export interface CompileResult {
  spec: VegaSpec;
  warnings: string[];
}

/**
 * Every string in the spec (its inline data: labels, snippets, class names) with bidi controls shown
 * (util/escape.ts): charts draw corpus text, and an override in it must not reverse what follows.
 */
function showBidiControls<T>(value: T): T {
  if (typeof value === "string") return visibleBidiControls(value) as T;
  if (Array.isArray(value)) return value.map(showBidiControls) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = showBidiControls(inner);
    return out as T;
  }
  return value;
}

/** Compiles to Vega and collects Vega-Lite's warnings instead of printing them. */
export function compileToVega(input: TopLevelSpec): CompileResult {
  const spec = showBidiControls(input);
  const warnings: string[] = [];
  const record = (...args: readonly unknown[]) => {
    warnings.push(args.map(String).join(" "));
  };
  const logger: LoggerInterface = {
    level: () => logger,
    error(...args: unknown[]) {
      throw new Error(`vega-lite: ${args.map(String).join(" ")}`);
    },
    warn(...args: unknown[]) {
      record(...args);
      return this;
    },
    info() {
      return this;
    },
    debug() {
      return this;
    },
  };
  const compiled = compile(spec, { logger });
  return { spec: compiled.spec as VegaSpec, warnings };
}

/**
 * Characters XML 1.0 forbids even when escaped (C0 controls other than tab/newline/return, U+FFFE/F,
 * lone surrogates). Vega copies text from documents into the SVG as is, and raw corpora contain them
 * (20 Newsgroups has U+0002), which makes the SVG unreadable to every XML parser, resvg included.
 */
const XML_INVALID =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compileToVega(spec).spec), { renderer: "none" });
  try {
    return (await view.toSVG()).replace(XML_INVALID, "");
  } finally {
    view.finalize();
  }
}

/** Rasterises an SVG at `scale` × its size (2 = sharp on high-density screens and in print). */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: scale },
    font: {
      loadSystemFonts: true,
      defaultFontFamily: FONT_FAMILY.split(",")[0].trim(),
      sansSerifFamily: "DejaVu Sans",
    },
  });
  return resvg.render().asPng();
}
