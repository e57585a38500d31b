/**
 * `topicscope embed <corpus> -o emb.npy`: embed every document once (through the cache) and write an
 * n × d float32 .npy in corpus order; blank documents are zero rows.
 */
import { type Command, Option } from "commander";
import { readCorpus } from "../corpus/index.js";
import {
  checkCorpus,
  createEmbedder,
  embedWithCache,
  type LongDocumentMode,
  type Pooling,
} from "../embed/index.js";
import { writeMatrixNpy } from "../io/npy.js";
import { createLogger } from "../util/log.js";
import { createProgress } from "../util/progress.js";
import { action, globalFlags, parseInteger } from "./command.js";
import { embeddingSourceOptions, languageOption, parseLanguage } from "./language-options.js";

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
  textField: string;
  revision?: string;
  offline?: boolean;
  allowUnknownText?: boolean;
  longDocuments: LongDocumentMode;
  language?: string;
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
      "use-lite (bundled), tfidf (any language, offline), precomputed:<file.npy>, a sentence-transformers ONNX folder, or a hub id (org/name, downloaded once)",
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
    .addOption(embeddingSourceOptions.revision())
    .addOption(embeddingSourceOptions.offline())
    .addOption(embeddingSourceOptions.allowUnknownText())
    .addOption(embeddingSourceOptions.longDocuments())
    .addOption(languageOption())
    .action(
      action(async (source: string, flags: EmbedFlags, cmd: Command) => {
        const quiet = globalFlags(cmd).quiet === true;
        const logger = createLogger(quiet);
        const language = parseLanguage(flags.language);
        const corpus = await readCorpus(source, { textField: flags.textField, logger });
        const texts = corpus.documents.map((d) => d.text);
        const progress = createProgress({ quiet });
        const cache = flags.cache ? (flags.cacheDir ?? true) : false;
        const embedder = await createEmbedder({
          model: flags.model,
          dtype: flags.dtype,
          pooling: flags.pooling,
          normalize: flags.normalize,
          maxTokens: flags.maxTokens,
          engine: flags.engine,
          workers: flags.workers,
          cacheDir: flags.cacheDir,
          revision: flags.revision,
          offline: flags.offline,
          longDocuments: flags.longDocuments,
          language,
          progress,
          logger,
        });
        let result: Awaited<ReturnType<typeof embedWithCache>>;
        try {
          checkCorpus(embedder, texts, {
            model: flags.model,
            allowUnknownText: flags.allowUnknownText,
            longDocuments: flags.longDocuments,
            warn: (message) => logger.warn(message),
          });
          const stage = progress.stage(`embed ${texts.length} documents (${flags.model})`, "docs");
          result = await embedWithCache(embedder, texts, {
            batchSize: flags.batchSize,
            cache,
            onProgress: stage.update,
            logger,
          });
          stage.end(`${result.computed} computed, ${result.cached} from the cache`);
        } finally {
          await embedder.dispose?.();
        }
        writeMatrixNpy(flags.output, result.matrix);
        const blank = corpus.emptyCount > 0 ? ` (${corpus.emptyCount} blank documents are zero rows)` : "";
        logger.info(
          `wrote ${result.matrix.rows} × ${result.matrix.cols} to ${flags.output}${blank} — ${result.embedderId}`,
        );
      }),
    );
}
