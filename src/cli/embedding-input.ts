/**
 * What the similarity verbs (pairs, communities, search, evaluate-pairs) share: the embedding options
 * (pipeline-options.ts, as every verb that embeds), and turning their input — a corpus to embed through the cache, or a `.npy` of embeddings with an
 * optional `--corpus` for the texts — into rows plus the documents they belong to.
 */
import { type Corpus, readCorpus } from "../corpus/index.js";
import { createEmbedder, type Embedder, embedWithCache, loadPrecomputedEmbeddings } from "../embed/index.js";
import type { CorpusDocument, Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/log.js";
import { createProgress, lazyStage } from "../util/progress.js";
import { modelInput } from "./output.js";
import {
  addCorpusFieldOptions,
  addEmbeddingOptions,
  type CorpusFlags,
  type EmbeddingFlags,
  embeddingSpec,
} from "./pipeline-options.js";

export { addCorpusFieldOptions, addEmbeddingOptions, type EmbeddingFlags };

export type CorpusFieldFlags = Pick<CorpusFlags, "textField" | "idField">;

export async function openEmbedder(flags: EmbeddingFlags, logger: Logger): Promise<Embedder> {
  return createEmbedder({ ...embeddingSpec(flags), logger });
}

/** Embeds texts through the cache (one stage line with a progress bar on stderr). */
export async function embedTexts(
  embedder: Embedder,
  texts: readonly string[],
  flags: EmbeddingFlags,
  options: { quiet: boolean; logger: Logger; what?: string },
): Promise<Matrix> {
  // opened at the first progress: a corpus the model cannot read stops with one line before it
  const stage = lazyStage(
    createProgress({ quiet: options.quiet }),
    `embed ${texts.length} ${options.what ?? "documents"} (${flags.model})`,
    "texts",
  );
  const result = await embedWithCache(embedder, texts, {
    check: {
      model: flags.model,
      allowUnknownText: flags.allowUnknownText,
      longDocuments: flags.longDocuments,
      warn: (message) => options.logger.warn(message),
    },
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

/** What a verb over vectors reads, for the file rule: the input, its texts, a local model, an adapter. */
export function vectorsInputFiles(
  input: string,
  flags: EmbeddingFlags & { corpus?: string },
): (string | undefined)[] {
  return [input, flags.corpus, modelInput(flags.model), flags.adapter];
}

/**
 * `loadVectorsInput`, keeping only the non-blank rows (blank documents embed to zero rows and match
 * nothing): `rows` maps the kept rows back to documents; a warning says how many were left out of
 * `leftOutOf` (e.g. "the pairs").
 */
export async function loadNonBlankVectors(
  input: string,
  flags: EmbeddingFlags & CorpusFieldFlags & { corpus?: string },
  options: { quiet: boolean; logger: Logger; leftOutOf: string },
): Promise<VectorsInput & { rows: number[]; nonBlank: Matrix }> {
  const loaded = await loadVectorsInput(input, flags, options);
  const { rows, matrix } = nonZeroRows(loaded.matrix);
  const blank = loaded.matrix.rows - rows.length;
  if (blank > 0)
    options.logger.warn(`${blank} blank documents (zero rows) are left out of ${options.leftOutOf}`);
  return { ...loaded, rows, nonBlank: matrix };
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
