/**
 * What `topicscope search` searches: a model folder (its stored embeddings, queries embedded with the
 * model it was fitted with), or any corpus — embedded now through the cache, or given as
 * `--embeddings emb.npy` (float, or int8/uint8 codes written by `embed --precision`). Both answer
 * `search(query, k)` with corpus indices and scores, so that what follows (printing, re-ranking with a
 * cross-encoder) does not care where the hits came from.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Embedder } from "../embed/index.js";
import { loadPrecomputedEmbeddings } from "../embed/index.js";
import {
  type Precision,
  type QuantizedEmbeddings,
  quantizedSearch,
  quantizeEmbeddings,
  readQuantizedEmbeddings,
  semanticSearch,
} from "../similarity/index.js";
import { TopicModel } from "../topics/model.js";
import { DEFAULT_PARAMETERS } from "../topics/parameters.js";
import type { CorpusDocument, Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/log.js";
import {
  type CorpusFieldFlags,
  type EmbeddingFlags,
  embedTexts,
  nonZeroRows,
  openEmbedder,
  readCorpusInput,
} from "./embedding-input.js";

export interface DocumentHit {
  /** Corpus index. */
  index: number;
  /** Cosine similarity (or, with --precision, the rescored quantized score). */
  similarity: number;
}

export interface SearchSource {
  documents: CorpusDocument[];
  /** Topic of each document (model folders only). */
  topics?: Int32Array;
  /** The model folder, for --topics. */
  model?: TopicModel;
  search(query: string, k: number): Promise<DocumentHit[]>;
  dispose(): Promise<void>;
}

export interface CorpusSearchFlags extends Partial<EmbeddingFlags>, CorpusFieldFlags {
  embeddings?: string;
  precision: Precision;
  rescore: boolean;
  rescoreMultiplier: number;
}

export function isModelFolder(path: string): boolean {
  return existsSync(join(path, "model.json"));
}

export async function openModelFolderSource(
  dir: string,
  model: string | undefined,
  logger: Logger,
): Promise<SearchSource> {
  const loaded = await TopicModel.load(dir, {
    onWarning: (m) => logger.warn(m),
    embedding: model ? { model } : undefined,
  });
  return {
    documents: loaded.documents,
    topics: loaded.labels,
    model: loaded,
    search: async (query, k) =>
      (await loaded.searchDocuments(query, k)).map((m) => ({ index: m.index, similarity: m.similarity })),
    dispose: () => loaded.dispose(),
  };
}

export async function openCorpusSource(
  source: string,
  flags: CorpusSearchFlags,
  options: { quiet: boolean; logger: Logger },
): Promise<SearchSource> {
  const embeddingFlags: EmbeddingFlags = {
    model: flags.model ?? DEFAULT_PARAMETERS.embedding.model,
    dtype: flags.dtype,
    pooling: flags.pooling,
    maxTokens: flags.maxTokens,
    batchSize: flags.batchSize ?? DEFAULT_PARAMETERS.embedding.batchSize,
    cache: flags.cache ?? true,
    cacheDir: flags.cacheDir,
    adapter: flags.adapter,
  };
  if (embeddingFlags.model === "tfidf" || embeddingFlags.model.startsWith("precomputed:")) {
    throw new UserError(
      `--model ${embeddingFlags.model} cannot embed a query on its own; search with a sentence encoder (use-lite or an ONNX folder)`,
    );
  }
  const corpus = await readCorpusInput(source, flags, options.logger);
  const embedder = await openEmbedder(embeddingFlags, options.logger);
  try {
    const index = await corpusIndex(corpus.documents, embedder, embeddingFlags, flags, options);
    return {
      documents: corpus.documents,
      search: async (query, k) => {
        const q = await embedQuery(embedder, query, embeddingFlags, options);
        const hits = index.quantized
          ? await quantizedSearch(q, index.quantized, {
              topK: Math.min(k, index.quantized.rows),
              rescore: flags.rescore,
              rescoreMultiplier: flags.rescoreMultiplier,
              logger: options.logger,
            })
          : await semanticSearch(q, index.float!, {
              topK: Math.min(k, index.rows.length),
              logger: options.logger,
            });
        return hits[0].map((h) => ({ index: index.rows[h.corpusId], similarity: h.score }));
      },
      dispose: async () => {
        await embedder.dispose?.();
      },
    };
  } catch (error) {
    await embedder.dispose?.();
    throw error;
  }

  async function embedQuery(
    e: Embedder,
    query: string,
    f: EmbeddingFlags,
    o: { quiet: boolean; logger: Logger },
  ): Promise<Matrix> {
    const q = await embedTexts(e, [query], f, { ...o, quiet: true });
    checkQueryVector(q, query, f.model);
    return q;
  }
}

/** A zero query vector has no direction: every cosine would be 0, every ranking arbitrary. */
export function checkQueryVector(q: Matrix, query: string, model: string): void {
  if (q.data.every((v) => v === 0)) {
    throw new UserError(
      `the query '${query}' embeds to a zero vector (${model} knows none of its words?); rephrase it`,
    );
  }
}

interface CorpusIndex {
  /** Corpus index of each searchable row. */
  rows: number[];
  float?: Matrix;
  quantized?: QuantizedEmbeddings;
}

async function corpusIndex(
  documents: CorpusDocument[],
  embedder: Embedder,
  embeddingFlags: EmbeddingFlags,
  flags: CorpusSearchFlags,
  options: { quiet: boolean; logger: Logger },
): Promise<CorpusIndex> {
  const n = documents.length;
  if (flags.embeddings) {
    const quantized = readQuantizedEmbeddings(flags.embeddings);
    if (quantized) {
      if (quantized.rows !== n) {
        throw new UserError(
          `${flags.embeddings} has ${quantized.rows} rows but the corpus has ${n} documents; embeddings need one row per document, in corpus order`,
        );
      }
      checkDimension(flags.embeddings, quantized.dimension, embedder, embeddingFlags.model);
      if (flags.precision !== "float32" && flags.precision !== quantized.precision) {
        throw new UserError(
          `${flags.embeddings} holds ${quantized.precision} codes; drop --precision ${flags.precision} or re-quantize`,
        );
      }
      return { rows: Array.from({ length: n }, (_, i) => i), quantized };
    }
  }
  const matrix = flags.embeddings
    ? loadPrecomputedEmbeddings(flags.embeddings, { rows: n })
    : await embedTexts(
        embedder,
        documents.map((d) => d.text),
        embeddingFlags,
        options,
      );
  if (flags.embeddings) checkDimension(flags.embeddings, matrix.cols, embedder, embeddingFlags.model);
  // blank documents are zero rows: nothing to find there
  const kept = nonZeroRows(matrix);
  if (kept.rows.length === 0) throw new UserError("every document of the corpus is blank");
  if (flags.precision === "float32") return { rows: kept.rows, float: kept.matrix };
  // quantized like sentence-transformers with the corpus itself as calibration rows
  return {
    rows: kept.rows,
    quantized: quantizeEmbeddings(kept.matrix, flags.precision, { logger: options.logger }),
  };
}

function checkDimension(path: string, dimension: number, embedder: Embedder, model: string): void {
  if (dimension !== embedder.dimension) {
    throw new UserError(
      `${path} has ${dimension}-dimensional rows but --model ${model} embeds queries in ${embedder.dimension}; name the model that made the embeddings with --model`,
    );
  }
}
