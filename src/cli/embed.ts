/**
 * `topicscope embed <corpus> -o emb.npy`: embed every document once (through the cache) and write an
 * n × d float32 .npy in corpus order; blank documents are zero rows.
 */
import { type Command, Option } from "commander";
import { readCorpus } from "../corpus/index.js";
import { embedDocuments, USE_LITE_ENGINES, type UseLiteEngine } from "../embed/index.js";
import { writeMatrixNpy } from "../io/npy.js";
import { createLogger } from "../util/log.js";
import { createProgress } from "../util/progress.js";
import { action, globalFlags, parseInteger } from "./command.js";
import { addForceOption, checkFileOutput } from "./output.js";
import { addEmbeddingOptions, type EmbeddingFlags, embeddingSpec } from "./pipeline-options.js";

interface EmbedFlags extends EmbeddingFlags {
  output: string;
  normalize: boolean;
  engine?: UseLiteEngine;
  workers?: number;
  textField: string;
  force: boolean;
}

export function register(program: Command): void {
  const command = program
    .command("embed")
    .description(
      "embed a corpus with a sentence encoder and write an n × d .npy (cached: a text is embedded once)",
    )
    .argument("<corpus>", "documents: .jsonl, .csv, .tsv, .txt, a folder of .txt files, or - for stdin")
    .requiredOption("-o, --output <file.npy>", "NumPy .npy file to write (float32, one row per document)");
  addEmbeddingOptions(command)
    .option("--no-normalize", "keep raw pooled vectors (default: L2-normalised rows)")
    .addOption(
      new Option(
        "--engine <name>",
        "use-lite runtime: onnx (onnxruntime, default) or tfjs (the package's TF.js graph)",
      ).choices(USE_LITE_ENGINES),
    )
    .option(
      "--workers <n>",
      "use-lite worker threads, one model each (0 = main thread; default: one per idle core if ≥ 2 are idle)",
      parseInteger("--workers", 0),
    )
    .option("--text-field <name>", "JSONL field / CSV column holding the text", "text");
  addForceOption(command).action(
    action(async (source: string, flags: EmbedFlags, cmd: Command) => {
      const quiet = globalFlags(cmd).quiet === true;
      const logger = createLogger(quiet);
      checkFileOutput(flags.output, {
        inputs: [source, flags.model.replace(/^precomputed:/, "")],
        force: flags.force,
        logger,
      });
      const corpus = await readCorpus(source, { textField: flags.textField, logger });
      const texts = corpus.documents.map((d) => d.text);
      const stage = createProgress({ quiet }).stage(
        `embed ${texts.length} documents (${flags.model})`,
        "docs",
      );
      const result = await embedDocuments(texts, {
        ...embeddingSpec(flags),
        normalize: flags.normalize,
        engine: flags.engine,
        workers: flags.workers,
        cache: flags.cache ? (flags.cacheDir ?? true) : false,
        onProgress: stage.update,
        logger,
      });
      stage.end(`${result.computed} computed, ${result.cached} from the cache`);
      writeMatrixNpy(flags.output, result.matrix);
      const blank = corpus.emptyCount > 0 ? ` (${corpus.emptyCount} blank documents are zero rows)` : "";
      logger.info(
        `wrote ${result.matrix.rows} × ${result.matrix.cols} to ${flags.output}${blank} — ${result.embedderId}`,
      );
    }),
  );
}
