/** `topicscope over-time <model dir> [--bins N]`: topic frequencies and words per time bin. */
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { VIEW_FILES } from "../topics/folder/format.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags, parseInteger } from "./command.js";
import { loadModel, writeTopicTable } from "./model-operation.js";
import { addForceOption, checkFileOutput } from "./output.js";

interface OverTimeFlags {
  bins?: number;
  output?: string;
  globalTuning: boolean;
  evolutionTuning: boolean;
  json: boolean;
  force: boolean;
}

export function register(program: Command): void {
  const command = program
    .command("over-time")
    .description(
      "topics over time: per time bin, each topic's frequency and words (needs --time-field at fit)",
    )
    .argument("<model>", "model folder written by fit")
    .option(
      "--bins <n>",
      "equal-width time bins (default: one per distinct timestamp)",
      parseInteger("--bins", 1),
    )
    .option("-o, --output <file.json>", "where to write the table (default: <model>/topics-over-time.json)")
    .option("--no-global-tuning", "use only the bin's own c-TF-IDF for the words")
    .option("--evolution-tuning", "also average each bin's words with the previous bin's", false)
    .option("--json", "print JSON instead of a table", false);
  addForceOption(command).action(
    action(async (modelDir: string, flags: OverTimeFlags, cmd: Command) => {
      const logger = createLogger(globalFlags(cmd).quiet === true);
      const out = flags.output ?? join(modelDir, VIEW_FILES.overTime);
      checkFileOutput(out, {
        force: flags.force,
        owns: { folder: modelDir, entries: [VIEW_FILES.overTime] },
        logger,
      });
      const model = await loadModel(modelDir, logger);
      const result = model.topicsOverTime({
        bins: flags.bins,
        globalTuning: flags.globalTuning,
        evolutionTuning: flags.evolutionTuning,
      });
      writeTopicTable(result, out, flags.json, { header: "bin", value: (e) => e.timestamp });
      logger.info(`${result.bins.length} bins; wrote ${resolve(out)}`);
    }),
  );
}
