/**
 * `topicscope evaluate <model dir>`: coherence, diversity and label scores of a fitted model, printed
 * as a table and written to metrics.json (by default inside the model folder, next to the files it
 * was computed from; a refit replaces the folder and so drops stale metrics with it).
 */

import { join } from "node:path";
import type { Command } from "commander";
import { evaluateModelFolder } from "../evaluate/model-folder.js";
import type { WindowCounting } from "../evaluate/sliding-window.js";
import { formatMetricsTable } from "../evaluate/table.js";
import { writeFileAtomic } from "../io/atomic.js";
import { OUTPUT_FILES } from "../topics/folder/format.js";
import { DEFAULT_PARAMETERS } from "../topics/parameters.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags, parseChoice, parseInteger } from "./command.js";
import { addForceOption, checkFileOutput } from "./output.js";

interface EvaluateFlags {
  labels?: string;
  reference?: string;
  textField: string;
  topN: number;
  windowCounting: WindowCounting;
  output?: string;
  json?: boolean;
  force: boolean;
}

export function register(program: Command): void {
  const command = program
    .command("evaluate")
    .description("score a model: NPMI and C_V coherence, topic diversity, NMI/ARI/V-measure against labels")
    .argument("<model dir>", "a model folder written by 'topicscope fit'")
    .option(
      "--labels <field>",
      "class field: read from --reference when given, else from documents.jsonl (default: 'label' if present)",
    )
    .option("--reference <corpus>", "reference corpus for coherence (default: the fitted documents' text)")
    .option("--text-field <name>", "text field / column of the --reference corpus", "text")
    .option(
      "--top-n <n>",
      "top words per topic for coherence and diversity",
      parseInteger("--top-n", 2),
      DEFAULT_PARAMETERS.represent.topN,
    )
    .option(
      "--window-counting <mode>",
      "gensim (as published NPMI numbers) or exact (every window containing a word counts)",
      parseChoice("--window-counting", ["gensim", "exact"] as const),
      "gensim",
    )
    .option("-o, --output <file>", "where to write the metrics (default: <model dir>/metrics.json)")
    .option("--json", "print metrics.json to stdout instead of the table");
  addForceOption(command).action(
    action(async (dir: string, flags: EvaluateFlags, cmd: Command) => {
      const logger = createLogger(globalFlags(cmd).quiet === true);
      const output = flags.output ?? join(dir, OUTPUT_FILES.metrics);
      checkFileOutput(output, {
        inputs: [flags.reference],
        force: flags.force,
        owns: { folder: dir, entries: [OUTPUT_FILES.metrics] },
        logger,
      });
      const metrics = await evaluateModelFolder(dir, {
        reference: flags.reference,
        textField: flags.textField,
        labelField: flags.labels,
        topN: flags.topN,
        windowCounting: flags.windowCounting,
        onWarning: (message) => logger.warn(message),
      });
      const json = `${JSON.stringify(metrics, null, 2)}\n`;
      writeFileAtomic(output, json);
      process.stdout.write(flags.json ? json : formatMetricsTable(metrics));
      logger.info(`metrics written to ${output}`);
    }),
  );
}
