/** `topicscope per-class <model dir>`: topic frequencies and words per class (needs --label-field at fit). */
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { writeFileAtomic } from "../io/atomic.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags } from "./command.js";
import { loadModel } from "./model-operation.js";

interface PerClassFlags {
  output?: string;
  globalTuning: boolean;
  json: boolean;
}

export function register(program: Command): void {
  program
    .command("per-class")
    .description("topics per class: each class's topic frequencies and words (needs --label-field at fit)")
    .argument("<model>", "model folder written by fit")
    .option("-o, --output <file.json>", "where to write the table (default: <model>/topics-per-class.json)")
    .option("--no-global-tuning", "use only the class's own c-TF-IDF for the words")
    .option("--json", "print JSON instead of a table", false)
    .action(
      action(async (modelDir: string, flags: PerClassFlags, cmd: Command) => {
        const logger = createLogger(globalFlags(cmd).quiet === true);
        const model = await loadModel(modelDir, logger);
        const result = model.topicsPerClass(undefined, { globalTuning: flags.globalTuning });
        const json = `${JSON.stringify(result, null, 2)}\n`;
        const out = flags.output ?? join(modelDir, "topics-per-class.json");
        writeFileAtomic(out, json);
        if (flags.json) process.stdout.write(json);
        else {
          const lines = ["class\ttopic\tfrequency\twords"];
          for (const e of result.entries)
            lines.push(
              `${e.className}\t${e.topic}\t${e.frequency}\t${e.words
                .slice(0, 5)
                .map((w) => w.word)
                .join(", ")}`,
            );
          process.stdout.write(`${lines.join("\n")}\n`);
        }
        if (result.unlabelled > 0)
          logger.warn(`${result.unlabelled} documents have no class and were left out`);
        logger.info(`${result.classes.length} classes; wrote ${resolve(out)}`);
      }),
    );
}
