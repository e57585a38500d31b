/** `topicscope fit <corpus> -o <dir>`: the whole pipeline, writing a model folder with reports. */
import { basename, extname, join } from "node:path";
import type { Command } from "commander";
import { readCorpus } from "../corpus/index.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags, parseInteger } from "./command.js";
import { checkModelOutput } from "./output.js";
import {
  addCorpusOptions,
  addPipelineOptions,
  type CorpusFlags,
  corpusOptions,
  type PipelineFlags,
} from "./pipeline-options.js";
import { fitCorpusToFolder, fitSampleCorpusToFolder } from "./run-fit.js";

interface FitFlags extends PipelineFlags, CorpusFlags {
  output?: string;
  sample?: number;
}

export function register(program: Command): void {
  const command = program
    .command("fit")
    .description("run the whole pipeline on a corpus and write a model folder with reports")
    .argument("<corpus>", "a .jsonl, .csv, .tsv or .txt file, a folder of .txt files, or - for stdin")
    .option("-o, --output <dir>", "output folder (default: output/<corpus name>)")
    .option(
      "--sample <n>",
      "huge corpora: fit on a seeded sample of n documents, then assign every other one by transform in batches (bounded memory; embeddings read from --embeddings block by block)",
      parseInteger("--sample", 1),
    );
  addCorpusOptions(command);
  addPipelineOptions(command);
  command.action(
    action(async (source: string, flags: FitFlags, cmd: Command) => {
      const logger = createLogger(globalFlags(cmd).quiet === true);
      const outDir =
        flags.output ?? join("output", source === "-" ? "stdin" : basename(source, extname(source)));
      // the output is checked before the corpus is read, and again (with the corpus in hand) before work
      checkModelOutput(outDir, { inputs: [source, flags.embeddings], force: flags.force, logger });
      const corpus = await readCorpus(source, { ...corpusOptions(flags), logger });
      if (flags.sample !== undefined) {
        await fitSampleCorpusToFolder(corpus, { ...flags, sample: flags.sample }, outDir, logger, [source]);
      } else {
        await fitCorpusToFolder(corpus, flags, outDir, logger, [source]);
      }
    }),
  );
}
