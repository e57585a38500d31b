/**
 * Writes charts to disk: `<name>.vl.json` (the Vega-Lite spec), `<name>.svg`, `<name>.png`. A full
 * set replaces the charts folder atomically (old charts survive any failure); a single chart replaces
 * only its own files, each atomically.
 */
import { join } from "node:path";
import { writeFileAtomic, writeFolderAtomic } from "../io/atomic.js";
import { OUTPUT_FILES } from "../topics/folder/format.js";
import { UserError } from "../util/errors.js";
import { buildChart, CHART_NAMES, type ChartName } from "./charts.js";
import type { ChartData } from "./data.js";
import { renderSvg, svgToPng } from "./render.js";

export type ChartFormat = "vl" | "svg" | "png";

export interface WriteChartsOptions {
  /** Default: vl, svg and png. */
  formats?: readonly ChartFormat[];
  /** Default: every chart the data allows. */
  charts?: readonly ChartName[];
  /** Output folder (default `<modelDir>/charts`). */
  outDir?: string;
  /** PNG pixels per SVG pixel (default 2). */
  pngScale?: number;
}

export interface WrittenChart {
  name: ChartName;
  /** File names written (relative to the charts folder). */
  files: string[];
}

export interface WriteChartsResult {
  dir: string;
  written: WrittenChart[];
  /** Charts the model cannot draw, with the reason. */
  skipped: { name: ChartName; reason: string }[];
}

/** Renders one chart set; `save(name, bytes)` decides where files go. */
async function renderCharts(
  data: ChartData,
  options: WriteChartsOptions,
  save: (file: string, contents: string | Uint8Array) => void,
): Promise<Omit<WriteChartsResult, "dir">> {
  const formats = options.formats ?? ["vl", "svg", "png"];
  const names = options.charts ?? CHART_NAMES;
  const written: WrittenChart[] = [];
  const skipped: WriteChartsResult["skipped"] = [];
  for (const name of names) {
    const built = buildChart(name, data, "static");
    if ("missing" in built) {
      skipped.push({ name, reason: built.missing });
      continue;
    }
    const files: string[] = [];
    if (formats.includes("vl")) {
      save(`${name}.vl.json`, `${JSON.stringify(built.spec, null, 2)}\n`);
      files.push(`${name}.vl.json`);
    }
    if (formats.includes("svg") || formats.includes("png")) {
      const svg = await renderSvg(built.spec);
      if (formats.includes("svg")) {
        save(`${name}.svg`, svg);
        files.push(`${name}.svg`);
      }
      if (formats.includes("png")) {
        save(`${name}.png`, svgToPng(svg, options.pngScale ?? 2));
        files.push(`${name}.png`);
      }
    }
    written.push({ name, files });
  }
  return { written, skipped };
}

/**
 * Writes charts for a model. The model's charts/ folder is rebuilt and swapped in at once; with a
 * selection of charts or another output folder, only those charts' files are replaced, one by one. Throws a UserError when a requested chart
 * cannot be drawn (explicit requests must not silently produce nothing).
 */
export async function writeCharts(
  modelDir: string,
  data: ChartData,
  options: WriteChartsOptions = {},
): Promise<WriteChartsResult> {
  const dir = options.outDir ?? join(modelDir, OUTPUT_FILES.charts);
  // Only our own charts/ folder is swapped as a whole; a user's -o folder may hold other files.
  if (options.charts || options.outDir !== undefined) {
    const result = await renderCharts(data, options, (file, contents) =>
      writeFileAtomic(join(dir, file), contents),
    );
    if (result.skipped.length > 0) throw new UserError(result.skipped.map((s) => s.reason).join("; "));
    return { dir, ...result };
  }
  const result = await writeFolderAtomic(
    dir,
    (temporary) =>
      renderCharts(data, options, (file, contents) => writeFileAtomic(join(temporary, file), contents)),
    // the model's charts/ is the report's own: rebuilt whole every time
    { force: true, replaceable: () => undefined },
  );
  return { dir, ...result };
}
