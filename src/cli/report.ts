/**
 * `topicscope report <model dir>`: rebuilds report.html, charts/ and the CSV exports of a saved model
 * without refitting. Every file is replaced atomically, so an interrupted run leaves the old ones.
 */

import { join } from "node:path";
import type { Command } from "commander";
import { writeModelOutputs } from "../report/outputs.js";
import { loadModelFolder, OUTPUT_FILES } from "../topics/folder/format.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags } from "./command.js";
import { checkFileOutput } from "./output.js";
import { reportOptions } from "./run-fit.js";

interface ReportFlags {
  charts: boolean;
  csv: boolean;
  markdown: boolean;
  png?: boolean;
}

export function register(program: Command): void {
  program
    .command("report")
    .description("rebuild a saved model's report.html, report.md, charts/ and CSV exports without refitting")
    .argument("<model dir>", "a model folder written by 'topicscope fit'")
    .option("--no-charts", "skip charts/ (Vega-Lite, SVG; PNG with --png)")
    .option("--no-csv", "skip topics.csv and documents.csv")
    .option("--no-markdown", "skip report.md")
    .option("--png", "also write every chart as PNG (default: Vega-Lite and SVG only)")
    .action(
      action(async (dir: string, flags: ReportFlags, cmd: Command) => {
        const logger = createLogger(globalFlags(cmd).quiet === true);
        // reduced.npy is small (n × 5) and tells the documents map where unfitted documents go
        const model = loadModelFolder(dir);
        // the report's files are its own; this checks, before the drawing, that the folder is writable
        checkFileOutput(join(dir, OUTPUT_FILES.html), {
          owns: { folder: dir, entries: Object.values(OUTPUT_FILES) },
          logger,
        });
        const out = await writeModelOutputs(dir, model, {
          charts: flags.charts,
          csv: flags.csv,
          markdown: flags.markdown,
          ...reportOptions(flags),
          onProgress: (message) => logger.info(message),
        });
        if (out.charts) {
          logger.info(`charts: ${out.charts.written.length} written to ${out.charts.dir}`);
          for (const skipped of out.charts.skipped) logger.warn(`not drawn: ${skipped.reason}`);
        }
        if (out.csv) logger.info(`exports: ${out.csv.join(", ")}`);
        if (out.report) logger.info(`report: ${out.report}`);
        if (out.markdown) logger.info(`report: ${out.markdown}`);
      }),
    );
}
