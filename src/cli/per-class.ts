/** `topicscope per-class <model dir>`: topic frequencies and words per class (needs --label-field at fit). */
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { VIEW_FILES } from "../topics/folder/format.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags } from "./command.js";
import { loadModel, writeTopicTable } from "./model-operation.js";
import { addForceOption, checkFileOutput } from "./output.js";

interface PerClassFlags {
  output?: string;
  globalTuning: boolean;
  json: boolean;
  force: boolean;
}

export function register(program: Command): void {
  const command = program
    .command("per-class")
    .description("topics per class: each class's topic frequencies and words (needs --label-field at fit)")
    .argument("<model>", "model folder written by fit")
    .option("-o, --output <file.json>", "where to write the table (default: <model>/topics-per-class.json)")
    .option("--no-global-tuning", "use only the class's own c-TF-IDF for the words")
    .option("--json", "print JSON instead of a table", false);
  addForceOption(command).action(
    action(async (modelDir: string, flags: PerClassFlags, cmd: Command) => {
      const logger = createLogger(globalFlags(cmd).quiet === true);
      const out = flags.output ?? join(modelDir, VIEW_FILES.perClass);
      checkFileOutput(out, {
        force: flags.force,
        owns: { folder: modelDir, entries: [VIEW_FILES.perClass] },
        logger,
      });
      const model = await loadModel(modelDir, logger);
      const result = model.topicsPerClass(undefined, { globalTuning: flags.globalTuning });
      writeTopicTable(result, out, flags.json, { header: "class", value: (e) => e.className });
      if (result.unlabelled > 0)
        logger.warn(`${result.unlabelled} documents have no class and were left out`);
      logger.info(`${result.classes.length} classes; wrote ${resolve(out)}`);
    }),
  );
}
