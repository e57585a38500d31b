/**
 * Writes charts to disk: `<name>.vl.json` (the Vega-Lite spec), `<name>.svg`, `<name>.png`. A full
 * set replaces the charts folder atomically (old charts survive any failure); a single chart replaces
 * only its own files, each atomically.
 */
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { writeFileAtomic, writeFolderAtomic } from "../io/atomic.js";
import { OUTPUT_FILES } from "../topics/folder/format.js";
import { UserError } from "../util/errors.js";
import { buildChart, CHART_NAMES, type ChartName } from "./charts.js";
import type { ChartData } from "./data.js";
import { type RenderedChart, RenderQueue } from "./render-pool.js";

export type ChartFormat = "vl" | "svg" | "png";

/**
 * What a fit and `topicscope report` write unless asked for more: rasterising every chart to PNG was
 * a third of a 20 Newsgroups report's time, for files most users never open (`--png` adds them).
 */
export const DEFAULT_CHART_FORMATS: readonly ChartFormat[] = ["vl", "svg"];

export interface WriteChartsOptions {
  /** Default: DEFAULT_CHART_FORMATS (vl and svg). */
  formats?: readonly ChartFormat[];
  /** Default: every chart the data allows. */
  charts?: readonly ChartName[];
  /** Output folder (default `<modelDir>/charts`). */
  outDir?: string;
  /** PNG pixels per SVG pixel (default 2). */
  pngScale?: number;
  /** Who draws the SVG/PNG (default: the calling thread alone). */
  queue?: RenderQueue;
  /** Charts already started on `queue` (startCharts), taken as they are. */
  started?: readonly StartedChart[];
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

/** A chart whose spec is built and whose images (when asked for) are queued or drawn. */
export interface StartedChart {
  name: ChartName;
  spec?: TopLevelSpec;
  /** Why the model cannot draw it. */
  missing?: string;
  image?: Promise<RenderedChart>;
}

/**
 * Builds the specs of `names` and queues their SVG/PNG on `queue` (drawn by its worker as soon as it
 * is free): writeModelOutputs starts the charts that do not need the documents map this way before
 * laying the map out.
 */
export function startCharts(
  data: ChartData,
  names: readonly ChartName[],
  queue: RenderQueue,
  options: Pick<WriteChartsOptions, "formats" | "pngScale"> = {},
): StartedChart[] {
  const formats = options.formats ?? DEFAULT_CHART_FORMATS;
  const images = formats.includes("svg") || formats.includes("png");
  const pngScale = formats.includes("png") ? (options.pngScale ?? 2) : undefined;
  const started = names.map((name): StartedChart => {
    const built = buildChart(name, data, "static");
    if ("missing" in built) return { name, missing: built.missing };
    const image = images ? queue.render(built.spec, pngScale) : undefined;
    // awaited in renderCharts; a failure there must not also surface as an unhandled rejection
    image?.catch(() => {});
    return { name, spec: built.spec, image };
  });
  // the caller may go on with synchronous work (report.html): the worker must have them already
  queue.flush();
  return started;
}

/** Renders one chart set; `save(name, bytes)` decides where files go. */
async function renderCharts(
  data: ChartData,
  options: WriteChartsOptions,
  save: (file: string, contents: string | Uint8Array) => void,
): Promise<Omit<WriteChartsResult, "dir">> {
  const formats = options.formats ?? DEFAULT_CHART_FORMATS;
  const names = options.charts ?? CHART_NAMES;
  const queue = options.queue ?? new RenderQueue(0);
  const started = new Map((options.started ?? []).map((chart) => [chart.name, chart]));
  const charts = names.map((name) => started.get(name) ?? startCharts(data, [name], queue, options)[0]);
  // this thread draws what the queue's worker has not taken yet
  await queue.drain();
  const written: WrittenChart[] = [];
  const skipped: WriteChartsResult["skipped"] = [];
  for (const chart of charts) {
    if (!chart.spec) {
      skipped.push({ name: chart.name, reason: chart.missing ?? `${chart.name}: not available` });
      continue;
    }
    const { name } = chart;
    const files: string[] = [];
    if (formats.includes("vl")) {
      save(`${name}.vl.json`, `${JSON.stringify(chart.spec, null, 2)}\n`);
      files.push(`${name}.vl.json`);
    }
    if (chart.image) {
      const image = await chart.image;
      if (formats.includes("svg")) {
        save(`${name}.svg`, image.svg);
        files.push(`${name}.svg`);
      }
      if (formats.includes("png") && image.png) {
        save(`${name}.png`, image.png);
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
