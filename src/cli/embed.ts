/**
 * `topicscope embed <corpus> -o emb.npy`: embed every document once (through the cache) and write an
 * n × d float32 .npy in corpus order; blank documents are zero rows.
 */
import { type Command, Option } from "commander";
import { readCorpus } from "../corpus/index.js";
import { embedDocuments, USE_LITE_ENGINES, type UseLiteEngine } from "../embed/index.js";
import { writeMatrixNpy } from "../io/npy.js";
import {
  PRECISIONS,
  type Precision,
  quantizationInfoPath,
  quantizeEmbeddings,
  writeQuantizedEmbeddings,
} from "../similarity/index.js";
import { createLogger } from "../util/log.js";
import { createProgress } from "../util/progress.js";
import { action, globalFlags, parseInteger } from "./command.js";
import { addEmbeddingOptions, type EmbeddingFlags, embeddingSpec } from "./pipeline-options.js";

interface EmbedFlags extends EmbeddingFlags {
  output: string;
  normalize: boolean;
  engine?: UseLiteEngine;
  workers?: number;
  textField: string;
  precision: Precision;
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
    .option("--text-field <name>", "JSONL field / CSV column holding the text", "text")
    .addOption(
      new Option(
        "--precision <p>",
        "quantize the rows as sentence-transformers does: int8/uint8 codes (ranges from the corpus) or packed bits (binary/ubinary); writes <name>.quantization.json beside the .npy",
      )
        .choices([...PRECISIONS])
        .default("float32"),
    )
    .action(
      action(async (source: string, flags: EmbedFlags, cmd: Command) => {
        const quiet = globalFlags(cmd).quiet === true;
        const logger = createLogger(quiet);
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
        const blank = corpus.emptyCount > 0 ? ` (${corpus.emptyCount} blank documents are zero rows)` : "";
        if (flags.precision === "float32") {
          writeMatrixNpy(flags.output, result.matrix);
          logger.info(
            `wrote ${result.matrix.rows} × ${result.matrix.cols} to ${flags.output}${blank} — ${result.embedderId}`,
          );
        } else {
          const q = quantizeEmbeddings(result.matrix, flags.precision, { logger });
          writeQuantizedEmbeddings(flags.output, q);
          logger.info(
            `wrote ${q.rows} × ${q.cols} ${flags.precision} codes (${q.data.byteLength} bytes, float32: ${result.matrix.data.byteLength}) to ${flags.output} and ${quantizationInfoPath(flags.output)}${blank} — ${result.embedderId}`,
          );
        }
      }),
    );
}
