/**
 * `topicscope visualize <model dir>`: (re)draws charts from a saved model without refitting —
 * Vega-Lite specs, SVG, PNG, or an HTML page with the charts — into the model's charts/ folder or -o.
 */
import { join } from "node:path";
import type { Command } from "commander";
import { writeHtmlReport } from "../report/html.js";
import { modelChartInputs } from "../report/outputs.js";
import { loadModelFolder, MODEL_FILES, OUTPUT_FILES } from "../topics/folder/format.js";
import { UserError } from "../util/errors.js";
import { createLogger } from "../util/log.js";
import { CHART_NAMES, type ChartName } from "../viz/charts.js";
import { buildChartData } from "../viz/data.js";
import { type ChartFormat, writeCharts } from "../viz/write.js";
import { action, globalFlags } from "./command.js";
import { addForceOption, checkFileOutput } from "./output.js";

const FORMATS = ["vl", "svg", "png", "html"] as const;
type VisualizeFormat = (typeof FORMATS)[number];

interface VisualizeFlags {
  chart?: ChartName[];
  format?: VisualizeFormat[];
  output?: string;
  document?: string;
  force: boolean;
}

function collectChoice<T extends string>(name: string, choices: readonly T[]) {
  return (value: string, previous: T[] | undefined): T[] => {
    const out = [...(previous ?? [])];
    for (const part of value.split(",").map((s) => s.trim())) {
      if (!(choices as readonly string[]).includes(part)) {
        throw new UserError(`${name} must be one of ${choices.join(", ")}, got '${part}'`);
      }
      out.push(part as T);
    }
    return out;
  };
}

export function register(program: Command): void {
  const command = program
    .command("visualize")
    .description("draw a saved model's charts (Vega-Lite, SVG, PNG or HTML) without refitting")
    .argument("<model dir>", "a model folder written by 'topicscope fit'")
    .option(
      `--chart <name>`,
      `chart(s) to draw, repeatable or comma-separated: ${CHART_NAMES.join(", ")} (default: all the model allows)`,
      collectChoice("--chart", CHART_NAMES),
    )
    .option(
      "--format <format>",
      "svg, png, vl (Vega-Lite JSON) or html; repeatable or comma-separated (default: vl,svg,png)",
      collectChoice("--format", FORMATS),
    )
    .option("-o, --output <dir>", "output folder (default: <model dir>/charts)")
    .option(
      "--document <id>",
      "document whose topic distribution is drawn (default: the top representative document of topic 0)",
    );
  addForceOption(command, "replace chart files that exist in the -o folder").action(
    action(async (dir: string, flags: VisualizeFlags, cmd: Command) => {
      const logger = createLogger(globalFlags(cmd).quiet === true);
      const formats = [...new Set(flags.format ?? ["vl", "svg", "png"])];
      const charts = flags.chart ? [...new Set(flags.chart)] : undefined;
      // reduced.npy is small (n × 5) and tells the documents map where unfitted documents go
      const model = loadModelFolder(dir);
      const outDir = flags.output ?? join(dir, OUTPUT_FILES.charts);
      const htmlPath = join(outDir, charts && charts.length === 1 ? `${charts[0]}.html` : "charts.html");
      // every file this run may write, checked before any drawing (the model's own charts/ is ours)
      const extensions = { vl: ".vl.json", svg: ".svg", png: ".png" } as const;
      const candidates = [
        ...(charts ?? CHART_NAMES).flatMap((name) =>
          formats
            .filter((f): f is ChartFormat => f !== "html")
            .map((f) => join(outDir, name + extensions[f])),
        ),
        ...(formats.includes("html") ? [htmlPath] : []),
      ];
      for (const file of candidates) {
        checkFileOutput(file, {
          force: flags.force,
          owns: { folder: dir, entries: [OUTPUT_FILES.charts] },
          logger,
        });
      }
      if (flags.document !== undefined && !model.documents.some((d) => d.id === flags.document)) {
        throw new UserError(
          `--document: no document with id '${flags.document}' in ${join(dir, MODEL_FILES.documents)}`,
        );
      }
      const data = await buildChartData(model, {
        ...modelChartInputs(dir, model, flags.document),
        modelDir: dir,
        skipLayout: charts !== undefined && !charts.includes("documents"),
        onProgress: (message) => logger.info(message),
      });
      const imageFormats = formats.filter((f): f is ChartFormat => f !== "html");
      if (imageFormats.length > 0) {
        const result = await writeCharts(dir, data, {
          formats: imageFormats,
          charts,
          outDir: flags.output,
        });
        for (const chart of result.written)
          logger.info(`${chart.name}: ${chart.files.map((f) => join(result.dir, f)).join(", ")}`);
        for (const skipped of result.skipped) logger.warn(`not drawn: ${skipped.reason}`);
      }
      if (formats.includes("html")) {
        const path = writeHtmlReport(dir, model, data, { outPath: htmlPath, charts });
        logger.info(`html: ${path}`);
      }
    }),
  );
}
