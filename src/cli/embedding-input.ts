/**
 * What the similarity verbs (pairs, communities, search, evaluate-pairs) share: the embedding options,
 * and turning their input — a corpus to embed through the cache, or a `.npy` of embeddings with an
 * optional `--corpus` for the texts — into rows plus the documents they belong to.
 */
import { type Command, Option } from "commander";
import { type Corpus, readCorpus } from "../corpus/index.js";
import {
  createEmbedder,
  type Embedder,
  embedWithCache,
  loadPrecomputedEmbeddings,
  type Pooling,
} from "../embed/index.js";
import type { CorpusDocument, Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/log.js";
import { createProgress } from "../util/progress.js";
import { parseInteger } from "./command.js";

export interface EmbeddingFlags {
  model: string;
  dtype?: string;
  pooling?: Pooling;
  maxTokens?: number;
  batchSize?: number;
  cache: boolean;
  cacheDir?: string;
  /** An adapter folder written by `topicscope train`, applied to the model's vectors. */
  adapter?: string;
}

export interface CorpusFieldFlags {
  textField: string;
  idField?: string;
}

export function addEmbeddingOptions(command: Command): Command {
  return command
    .option(
      "--model <id>",
      "embedding model: use-lite (bundled), a sentence-transformers ONNX folder, or a hub id in the cache",
      "use-lite",
    )
    .addOption(
      new Option(
        "--dtype <type>",
        "ONNX weights: fp32 (onnx/model.onnx) or q8 (onnx/model_quantized.onnx)",
      ).choices(["fp32", "q8"]),
    )
    .addOption(
      new Option("--pooling <mode>", "ONNX models: token pooling (default: the folder's own)").choices([
        "mean",
        "cls",
        "max",
      ]),
    )
    .option("--max-tokens <n>", "truncate texts to n model tokens", parseInteger("--max-tokens", 3))
    .option("--batch-size <n>", "texts per model call", parseInteger("--batch-size", 1))
    .option("--no-cache", "do not read or write the embedding cache")
    .option(
      "--cache-dir <dir>",
      "embedding cache folder (default $TOPICSCOPE_CACHE_DIR or $XDG_CACHE_HOME/topicscope)",
    )
    .option("--adapter <dir>", "apply an adapter trained with topicscope train to the model's vectors");
}

export function addCorpusFieldOptions(command: Command): Command {
  return command
    .option("--text-field <name>", "JSONL field / CSV column holding the text", "text")
    .option("--id-field <name>", "field / column with document ids (default: row number)");
}

export async function openEmbedder(flags: EmbeddingFlags, logger: Logger): Promise<Embedder> {
  return createEmbedder({
    model: flags.model,
    dtype: flags.dtype,
    pooling: flags.pooling,
    maxTokens: flags.maxTokens,
    cacheDir: flags.cacheDir,
    adapter: flags.adapter,
    logger,
  });
}

/** Embeds texts through the cache (one stage line with a progress bar on stderr). */
export async function embedTexts(
  embedder: Embedder,
  texts: readonly string[],
  flags: EmbeddingFlags,
  options: { quiet: boolean; logger: Logger; what?: string },
): Promise<Matrix> {
  const stage = createProgress({ quiet: options.quiet }).stage(
    `embed ${texts.length} ${options.what ?? "documents"} (${flags.model})`,
    "texts",
  );
  const result = await embedWithCache(embedder, texts, {
    batchSize: flags.batchSize,
    cache: flags.cache ? (flags.cacheDir ?? true) : false,
    onProgress: stage.update,
    logger: options.logger,
  });
  stage.end(`${result.computed} computed, ${result.cached} from the cache`);
  return result.matrix;
}

export interface VectorsInput {
  matrix: Matrix;
  /** The documents the rows belong to (absent for a bare .npy without --corpus). */
  documents?: CorpusDocument[];
  /** Where the rows came from, for messages. */
  source: string;
}

export function isNpy(path: string): boolean {
  return path.toLowerCase().endsWith(".npy");
}

export async function readCorpusInput(
  source: string,
  flags: CorpusFieldFlags,
  logger: Logger,
): Promise<Corpus> {
  return readCorpus(source, { textField: flags.textField, idField: flags.idField, logger });
}

/**
 * Rows for `source`: a `.npy` (with `corpusPath` naming its texts, one per row) or a corpus embedded
 * with the chosen model through the cache.
 */
export async function loadVectorsInput(
  source: string,
  flags: EmbeddingFlags & CorpusFieldFlags & { corpus?: string },
  options: { quiet: boolean; logger: Logger },
): Promise<VectorsInput> {
  if (isNpy(source)) {
    if (flags.adapter !== undefined) {
      throw new UserError(
        `--adapter applies to texts being embedded; ${source} holds vectors already (make them with embed --adapter)`,
      );
    }
    const corpus = flags.corpus ? await readCorpusInput(flags.corpus, flags, options.logger) : undefined;
    const matrix = loadPrecomputedEmbeddings(source, { rows: corpus?.documents.length });
    return { matrix, documents: corpus?.documents, source };
  }
  if (flags.corpus) {
    throw new UserError(`--corpus names the texts of a .npy input; ${source} is a corpus already`);
  }
  const corpus = await readCorpusInput(source, flags, options.logger);
  const embedder = await openEmbedder(flags, options.logger);
  try {
    const matrix = await embedTexts(
      embedder,
      corpus.documents.map((d) => d.text),
      flags,
      options,
    );
    return { matrix, documents: corpus.documents, source };
  } finally {
    await embedder.dispose?.();
  }
}

/** Rows that are not all zero (blank documents embed to zero rows), and the matrix of those rows. */
export function nonZeroRows(matrix: Matrix): { rows: number[]; matrix: Matrix } {
  const { data, rows: n, cols } = matrix;
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) {
      if (data[i * cols + j] !== 0) {
        kept.push(i);
        break;
      }
    }
  }
  if (kept.length === n) return { rows: kept, matrix };
  const out = new Float32Array(kept.length * cols);
  kept.forEach((r, t) => {
    out.set(data.subarray(r * cols, (r + 1) * cols), t * cols);
  });
  return { rows: kept, matrix: { data: out, rows: kept.length, cols } };
}
