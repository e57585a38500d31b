/**
 * `topicscope embed <corpus> -o emb.npy`: embed every document once (through the cache) and write an
 * n × d float32 .npy in corpus order; blank documents are zero rows. The encoder is made (a hub model
 * downloaded) and the corpus checked against it before anything is embedded.
 */
import { type Command, Option } from "commander";
import { readCorpus } from "../corpus/index.js";
import {
  createEmbedder,
  type EmbedDocumentsResult,
  embedWithCache,
  USE_LITE_ENGINES,
  type UseLiteEngine,
} from "../embed/index.js";
import { writeMatrixNpy } from "../io/npy.js";
import {
  PRECISIONS,
  type Precision,
  quantizationInfoPath,
  quantizeEmbeddings,
  writeQuantizedEmbeddings,
} from "../similarity/index.js";
import { createLogger } from "../util/log.js";
import { createProgress, lazyStage } from "../util/progress.js";
import { action, globalFlags, parseInteger } from "./command.js";
import { addForceOption, checkFileOutput } from "./output.js";
import { addEmbeddingOptions, type EmbeddingFlags, embeddingSpec } from "./pipeline-options.js";

interface EmbedFlags extends EmbeddingFlags {
  output: string;
  normalize: boolean;
  engine?: UseLiteEngine;
  workers?: number;
  textField: string;
  precision: Precision;
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
    .option("--text-field <name>", "JSONL field / CSV column holding the text", "text")
    .addOption(
      new Option(
        "--precision <p>",
        "quantize the rows as sentence-transformers does: int8/uint8 codes (ranges from the corpus) or packed bits (binary/ubinary); writes <name>.quantization.json beside the .npy",
      )
        .choices([...PRECISIONS])
        .default("float32"),
    );
  addForceOption(command).action(
    action(async (source: string, flags: EmbedFlags, cmd: Command) => {
      const quiet = globalFlags(cmd).quiet === true;
      const logger = createLogger(quiet);
      checkFileOutput(flags.output, {
        inputs: [source, flags.model.replace(/^precomputed:/, "")],
        force: flags.force,
        logger,
      });
      if (flags.precision !== "float32") {
        checkFileOutput(quantizationInfoPath(flags.output), { inputs: [source], force: flags.force, logger });
      }
      const spec = embeddingSpec(flags);
      const corpus = await readCorpus(source, { textField: flags.textField, logger });
      const texts = corpus.documents.map((d) => d.text);
      const progress = createProgress({ quiet });
      const embedder = await createEmbedder({
        ...spec,
        normalize: flags.normalize,
        engine: flags.engine,
        workers: flags.workers,
        progress,
        logger,
      });
      let result: EmbedDocumentsResult;
      try {
        // opened at the first progress: a corpus the model cannot read stops with one line before it
        const stage = lazyStage(progress, `embed ${texts.length} documents (${spec.model})`, "docs");
        result = await embedWithCache(embedder, texts, {
          check: {
            model: spec.model,
            allowUnknownText: spec.allowUnknownText,
            longDocuments: spec.longDocuments,
            warn: (message) => logger.warn(message),
          },
          batchSize: flags.batchSize,
          // the spec's cache folder holds the embedding cache too
          cache: flags.cache ? (flags.cacheDir ?? true) : false,
          onProgress: stage.update,
          logger,
        });
        stage.end(`${result.computed} computed, ${result.cached} from the cache`);
      } finally {
        await embedder.dispose?.();
      }
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
