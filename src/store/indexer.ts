/**
 * Indexing a corpus into a store, resumably: documents whose id the store holds are skipped before
 * anything is embedded, the rest are embedded through the embedding cache and written in batches,
 * each batch one LanceDB commit. A run killed at any point leaves whole batches only; the next run
 * embeds nothing twice (the cache) and writes nothing twice (the ids).
 */

import { embedWithCache } from "../embed/index.js";
import type { Embedder } from "../embed/types.js";
import type { CorpusDocument, Matrix, ProgressCallback } from "../types.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/log.js";
import { isBlank } from "../util/text.js";
import type { IndexKind } from "./ann.js";
import type { StoreRow } from "./schema.js";
import type { VectorStore } from "./store.js";

/** Rows per commit: large enough that LanceDB's per-commit cost is small, small enough to lose little on a kill. */
export const DEFAULT_INDEX_BATCH = 2048;

/** Topics of a batch of documents (given their vectors), e.g. a fitted model's transform. */
export type TopicAssigner = (
  documents: readonly CorpusDocument[],
  vectors: Matrix,
) => Promise<{ topics: Int32Array; probabilities: Float32Array }>;

export interface IndexDocumentsOptions {
  /** Rows per commit (default 2048). */
  batchSize?: number;
  /** Documents per model call (the embedder's default when unset). */
  embedBatchSize?: number;
  /** Embedding cache: false (off), a folder, or true/undefined (the default folder). */
  cache?: boolean | string;
  assignTopics?: TopicAssigner;
  /** "auto" (default): build or update the approximate index by size; "none": leave it; or a kind to build now. */
  index?: "auto" | "none" | IndexKind;
  /** Rows from which "auto" builds an index (default ANN_MIN_ROWS). */
  indexMinRows?: number;
  /** Names the input in messages (a path). */
  source?: string;
  onProgress?: ProgressCallback;
  /** Called after each committed batch with the rows written so far in this run. */
  onBatch?: (written: number) => void | Promise<void>;
  logger?: Logger;
}

export interface IndexDocumentsResult {
  documents: number;
  /** Rows written by this run. */
  added: number;
  /** Documents the store already held (by id). */
  alreadyStored: number;
  /** Blank documents (not stored: they have no vector). */
  blank: number;
  /** Vectors computed by the model / read from the embedding cache. */
  computed: number;
  cached: number;
  index: "built" | "updated" | "none";
  seconds: { embed: number; write: number; index: number };
}

/** Throws a UserError naming the first id that occurs twice (with both 1-based positions). */
export function checkUniqueIds(documents: readonly CorpusDocument[], source: string): void {
  const first = new Map<string, number>();
  documents.forEach((doc, i) => {
    const seen = first.get(doc.id);
    if (seen !== undefined) {
      throw new UserError(
        `${source}: duplicate id '${doc.id}' (documents ${seen + 1} and ${i + 1}); ids in a store must be unique — fix the input or pick another --id-field`,
      );
    }
    first.set(doc.id, i);
  });
}

export async function indexDocuments(
  store: VectorStore,
  documents: readonly CorpusDocument[],
  embedder: Embedder,
  options: IndexDocumentsOptions = {},
): Promise<IndexDocumentsResult> {
  const source = options.source ?? "input";
  checkUniqueIds(documents, source);
  if (embedder.id !== store.metadata.embedderId || embedder.dimension !== store.dimension) {
    throw new UserError(
      `store ${store.dir} holds ${store.dimension}-d vectors of ${store.metadata.embedderId}; ` +
        `the embedder is ${embedder.id} (${embedder.dimension}-d): use --model ${store.metadata.model}, or another --db/--table`,
    );
  }
  const known = await store.knownIds();
  let blank = 0;
  let alreadyStored = 0;
  const todo: CorpusDocument[] = [];
  for (const doc of documents) {
    if (known.has(doc.id)) alreadyStored++;
    else if (isBlank(doc.text)) blank++;
    else todo.push(doc);
  }
  const batchSize = options.batchSize ?? DEFAULT_INDEX_BATCH;
  const seconds = { embed: 0, write: 0, index: 0 };
  let added = 0;
  let computed = 0;
  let cached = 0;
  options.onProgress?.(0, todo.length);
  for (let start = 0; start < todo.length; start += batchSize) {
    const batch = todo.slice(start, start + batchSize);
    let t = performance.now();
    const embedded = await embedWithCache(
      embedder,
      batch.map((d) => d.text),
      {
        batchSize: options.embedBatchSize,
        cache: options.cache,
        logger: options.logger,
        // the batch is done only once written (below)
        onProgress: (done) => options.onProgress?.(Math.min(start + done, todo.length - 1), todo.length),
      },
    );
    computed += embedded.computed;
    cached += embedded.cached;
    const assigned = options.assignTopics ? await options.assignTopics(batch, embedded.matrix) : undefined;
    seconds.embed += (performance.now() - t) / 1000;
    t = performance.now();
    const { cols } = embedded.matrix;
    const rows: StoreRow[] = batch.map((doc, i) => ({
      id: doc.id,
      text: doc.text,
      vector: embedded.matrix.data.subarray(i * cols, (i + 1) * cols),
      label: doc.label,
      timestamp: doc.timestamp,
      topic: assigned?.topics[i],
      probability: assigned?.probabilities[i],
    }));
    const result = await store.add(rows, source);
    added += result.added;
    seconds.write += (performance.now() - t) / 1000;
    options.onProgress?.(start + batch.length, todo.length);
    await options.onBatch?.(added);
  }
  const t = performance.now();
  const mode = options.index ?? "auto";
  let index: IndexDocumentsResult["index"] = "none";
  if (mode === "auto") index = await store.maintainIndex({ minRows: options.indexMinRows });
  else if (mode !== "none") {
    await store.buildIndex(mode);
    index = "built";
  }
  seconds.index = (performance.now() - t) / 1000;
  return { documents: documents.length, added, alreadyStored, blank, computed, cached, index, seconds };
}
