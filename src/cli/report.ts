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

interface ReportFlags {
  charts: boolean;
  csv: boolean;
  markdown: boolean;
}

export function register(program: Command): void {
  program
    .command("report")
    .description("rebuild a saved model's report.html, report.md, charts/ and CSV exports without refitting")
    .argument("<model dir>", "a model folder written by 'topicscope fit'")
    .option("--no-charts", "skip charts/ (SVG, PNG, Vega-Lite)")
    .option("--no-csv", "skip topics.csv and documents.csv")
    .option("--no-markdown", "skip report.md")
    .action(
      action(async (dir: string, flags: ReportFlags, cmd: Command) => {
        const logger = createLogger(globalFlags(cmd).quiet === true);
        const model = loadModelFolder(dir, { reduced: false });
        // the report's files are its own; this checks, before the drawing, that the folder is writable
        checkFileOutput(join(dir, OUTPUT_FILES.html), {
          owns: { folder: dir, entries: Object.values(OUTPUT_FILES) },
          logger,
        });
        const out = await writeModelOutputs(dir, model, {
          charts: flags.charts,
          csv: flags.csv,
          markdown: flags.markdown,
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
