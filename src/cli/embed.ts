/**
 * `topicscope embed <corpus> -o emb.npy`: embed every document once (through the cache) and write an
 * n × d float32 .npy in corpus order; blank documents are zero rows.
 */
import { type Command, Option } from "commander";
import { readCorpus } from "../corpus/index.js";
import { embedDocuments, type Pooling } from "../embed/index.js";
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

interface EmbedFlags {
  output: string;
  model: string;
  dtype?: string;
  pooling?: Pooling;
  normalize: boolean;
  maxTokens?: number;
  batchSize?: number;
  engine?: "onnx" | "tfjs";
  workers?: number;
  cache: boolean;
  cacheDir?: string;
  adapter?: string;
  textField: string;
  precision: Precision;
}

export function register(program: Command): void {
  program
    .command("embed")
    .description(
      "embed a corpus with a sentence encoder and write an n × d .npy (cached: a text is embedded once)",
    )
    .argument("<corpus>", "documents: .jsonl, .csv, .tsv, .txt, a folder of .txt files, or - for stdin")
    .requiredOption("-o, --output <file.npy>", "NumPy .npy file to write (float32, one row per document)")
    .option(
      "--model <id>",
      "use-lite (bundled), tfidf, precomputed:<file.npy>, or a sentence-transformers ONNX folder",
      "use-lite",
    )
    .addOption(
      new Option(
        "--dtype <type>",
        "ONNX weights: fp32 (onnx/model.onnx) or q8 (onnx/model_quantized.onnx)",
      ).choices(["fp32", "q8"]),
    )
    .addOption(
      new Option(
        "--pooling <mode>",
        "ONNX models: token pooling (default: the folder's 1_Pooling config, else mean)",
      ).choices(["mean", "cls", "max"]),
    )
    .option("--no-normalize", "keep raw pooled vectors (default: L2-normalised rows)")
    .option(
      "--max-tokens <n>",
      "truncate texts to n model tokens (default: the model's own)",
      parseInteger("--max-tokens", 3),
    )
    .option(
      "--batch-size <n>",
      "documents per model call (default: 64 for use-lite, 32 for ONNX folders)",
      parseInteger("--batch-size", 1),
    )
    .addOption(
      new Option(
        "--engine <name>",
        "use-lite runtime: onnx (onnxruntime, default) or tfjs (the package's TF.js graph)",
      ).choices(["onnx", "tfjs"]),
    )
    .option(
      "--workers <n>",
      "use-lite worker threads, one model each (0 = main thread; default: one per idle core if ≥ 2 are idle)",
      parseInteger("--workers", 0),
    )
    .option("--no-cache", "do not read or write the embedding cache")
    .option(
      "--cache-dir <dir>",
      "embedding cache folder (default $TOPICSCOPE_CACHE_DIR or $XDG_CACHE_HOME/topicscope)",
    )
    .option("--text-field <name>", "JSONL field / CSV column holding the text", "text")
    .option("--adapter <dir>", "apply an adapter trained with topicscope train to the model's vectors")
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
          model: flags.model,
          dtype: flags.dtype,
          pooling: flags.pooling,
          normalize: flags.normalize,
          maxTokens: flags.maxTokens,
          batchSize: flags.batchSize,
          engine: flags.engine,
          workers: flags.workers,
          cache: flags.cache ? (flags.cacheDir ?? true) : false,
          adapter: flags.adapter,
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
