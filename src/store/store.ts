/**
 * The vector store: one LanceDB table of documents (id, text, vector, label, timestamp, topic,
 * probability) in a folder of Lance files that Python's `lancedb` / `pylance` open as they are.
 *
 * What topicscope adds on top of LanceDB: the embedding model is recorded with the table and checked
 * on every open (vectors of two models never meet), ids are unique (adding a known id is a no-op,
 * which is what makes indexing resumable), text queries are embedded with the table's own model, and
 * the approximate index is built and kept up to date by size (ann.ts).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type * as lancedb from "@lancedb/lancedb";
import { createEmbedder } from "../embed/index.js";
import type { Embedder } from "../embed/types.js";
import { UserError } from "../util/errors.js";
import {
  ANN_MIN_ROWS,
  type AnnSearchOptions,
  DEFAULT_INDEX_KIND,
  DEFAULT_SEARCH,
  INDEX_TRAIN_MIN_ROWS,
  type IndexKind,
  indexFor,
} from "./ann.js";
import { loadLance } from "./lance.js";
import {
  RESULT_COLUMNS,
  readMetadata,
  rowsToArrow,
  STORE_FORMAT_VERSION,
  type StoreMetadata,
  type StoreRow,
  storeSchema,
  validateRows,
} from "./schema.js";

export const DEFAULT_TABLE = "docs";

// Lance warns on every index-statistics call unless told whether to include the IVF centroids;
// we never read them.
process.env.LANCE_INCLUDE_VECTOR_CENTROIDS ??= "false";

/** The embedding model a store's vectors come from. */
export interface StoreEmbedding {
  embedderId: string;
  dimension: number;
  /** How to build the embedder again (`--model` as given); default: the id. */
  model?: string;
}

export interface OpenStoreOptions {
  /** Table name (default "docs"). */
  table?: string;
  /**
   * The model of the vectors this caller will add or query with. Required to create a table; an
   * existing table made with another model or dimension is refused.
   */
  embedding?: StoreEmbedding;
  /** Create the folder and table when missing (default: false, the store must exist). */
  create?: boolean;
  /** The topic model whose topics the rows carry (recorded when the table is created). */
  topicModel?: string;
  /** Embeds text queries; default: built from the table's recorded model on first use. */
  embedder?: Embedder;
}

export interface StoreSearchOptions extends AnnSearchOptions {
  /** Number of results (default 10). */
  k?: number;
  /** A SQL filter on the columns, e.g. `label = 'sport'` (LanceDB / DataFusion syntax). */
  where?: string;
  /** Scan every vector even when an approximate index exists. */
  exact?: boolean;
}

export interface StoreHit {
  id: string;
  text: string;
  /** Cosine similarity to the query. */
  score: number;
  label?: string;
  timestamp?: string;
  topic?: number;
  probability?: number;
}

export interface AddResult {
  /** Rows written. */
  added: number;
  /** Rows whose id the store already held (left as they are). */
  skipped: number;
}

export interface IndexStatus {
  rows: number;
  /** The vector index's kind, or undefined when searches scan every row. */
  kind?: string;
  indexedRows: number;
  unindexedRows: number;
}

/** Opens (or with `create`, creates) the store at `dir`. */
export async function openStore(dir: string, options: OpenStoreOptions = {}): Promise<VectorStore> {
  const table = options.table ?? DEFAULT_TABLE;
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(table)) {
    throw new UserError(`table name '${table}' is not valid: use letters, digits, _, - and .`);
  }
  checkFolder(dir, options.create === true);
  const lance = await loadLance();
  const db = await lance.connect(resolve(dir));
  const names = await db.tableNames();
  let handle: lancedb.Table;
  if (names.includes(table)) {
    handle = await db.openTable(table);
  } else if (options.create) {
    if (options.embedding === undefined) {
      throw new UserError(
        `store ${dir} has no table '${table}' and no embedding model was given to create it`,
      );
    }
    const metadata: StoreMetadata = {
      format: STORE_FORMAT_VERSION,
      embedderId: options.embedding.embedderId,
      model: options.embedding.model ?? options.embedding.embedderId,
      dimension: options.embedding.dimension,
      ...(options.topicModel !== undefined ? { topicModel: options.topicModel } : {}),
    };
    handle = await db.createEmptyTable(table, storeSchema(metadata));
  } else {
    db.close();
    const others = names.length > 0 ? ` (its tables: ${names.join(", ")}; pick one with --table)` : "";
    throw new UserError(`store ${dir} has no table '${table}'${others}`);
  }
  const metadata = readMetadata((await handle.schema()).metadata);
  if (metadata === undefined) {
    handle.close();
    db.close();
    throw new UserError(
      `table '${table}' in ${dir} was not written by topicscope (no embedding model recorded in its schema); index into another --table`,
    );
  }
  if (metadata.format > STORE_FORMAT_VERSION) {
    handle.close();
    db.close();
    throw new UserError(
      `table '${table}' in ${dir} has store format ${metadata.format}; this topicscope reads up to ${STORE_FORMAT_VERSION}: upgrade topicscope`,
    );
  }
  const wanted = options.embedding;
  if (wanted && (wanted.embedderId !== metadata.embedderId || wanted.dimension !== metadata.dimension)) {
    handle.close();
    db.close();
    throw new UserError(
      `store ${dir} (table '${table}') holds ${metadata.dimension}-d vectors of ${metadata.embedderId}; ` +
        `this run embeds with ${wanted.embedderId} (${wanted.dimension}-d): use --model ${metadata.model}, or another --db/--table`,
    );
  }
  return new VectorStore(dir, table, db, handle, metadata, options.embedder);
}

/** A store folder is absent (when creating), empty, or holds Lance tables — never anything else. */
function checkFolder(dir: string, create: boolean): void {
  if (!existsSync(dir)) {
    if (create) return;
    throw new UserError(`no store at ${dir}: build one with 'topicscope index <corpus> --db ${dir}'`);
  }
  if (!statSync(dir).isDirectory()) {
    throw new UserError(
      `${dir} is a file, not a store folder; pass the folder given to 'topicscope index --db'`,
    );
  }
  const entries = readdirSync(dir).filter((name) => !name.startsWith("."));
  if (entries.length === 0) {
    if (create) return;
    throw new UserError(`store ${dir} is empty: build it with 'topicscope index <corpus> --db ${dir}'`);
  }
  if (!entries.some((name) => name.endsWith(".lance"))) {
    throw new UserError(
      `${dir} is not a store (no Lance tables in it, but other files: ${entries.slice(0, 3).join(", ")}${entries.length > 3 ? ", …" : ""}); choose a new or empty folder for --db`,
    );
  }
}

/** Quotes a string for a LanceDB SQL filter. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export class VectorStore {
  private ids: Set<string> | undefined;
  private ownEmbedder: Embedder | undefined;

  constructor(
    readonly dir: string,
    readonly tableName: string,
    private readonly db: lancedb.Connection,
    readonly table: lancedb.Table,
    readonly metadata: StoreMetadata,
    private embedder?: Embedder,
  ) {}

  get dimension(): number {
    return this.metadata.dimension;
  }

  async count(where?: string): Promise<number> {
    return where === undefined ? this.table.countRows() : this.run(where, () => this.table.countRows(where));
  }

  /** Every id in the store (read once, then kept up to date by add and delete). */
  async knownIds(): Promise<Set<string>> {
    if (this.ids === undefined) {
      const ids = new Set<string>();
      for await (const batch of this.table.query().select(["id"])) {
        const column = batch.getChild("id")!;
        for (let i = 0; i < batch.numRows; i++) ids.add(column.get(i) as string);
      }
      this.ids = ids;
    }
    return this.ids;
  }

  /**
   * Adds rows in one commit (a crash leaves all of them or none). Ids the store already holds are
   * skipped, so re-adding a corpus adds nothing; a duplicate id within `rows` is an error.
   */
  async add(rows: readonly StoreRow[], source = "input"): Promise<AddResult> {
    validateRows(rows, this.dimension, source);
    const known = await this.knownIds();
    const fresh = rows.filter((row) => !known.has(row.id));
    if (fresh.length > 0) {
      await this.table.add(rowsToArrow(fresh, storeSchema(this.metadata)));
      for (const row of fresh) known.add(row.id);
    }
    return { added: fresh.length, skipped: rows.length - fresh.length };
  }

  /** Deletes by SQL filter or by ids; returns the number of rows removed. */
  async delete(selection: string | { ids: readonly string[] }): Promise<number> {
    const predicate =
      typeof selection === "string" ? selection : `id IN (${selection.ids.map(sqlString).join(", ")})`;
    if (typeof selection !== "string" && selection.ids.length === 0) return 0;
    const result = await this.run(predicate, () => this.table.delete(predicate));
    this.ids = undefined;
    return result.numDeletedRows;
  }

  /** Nearest documents to a vector or a text (embedded with the table's model), best first. */
  async search(
    query: Float32Array | readonly number[] | string,
    options: StoreSearchOptions = {},
  ): Promise<StoreHit[]> {
    const vector = typeof query === "string" ? await this.embedQuery(query) : Float32Array.from(query);
    if (vector.length !== this.dimension) {
      throw new UserError(
        `query vector has ${vector.length} values; the store holds ${this.dimension}-d vectors`,
      );
    }
    const k = options.k ?? 10;
    let search = this.table
      .vectorSearch(vector)
      .distanceType("cosine")
      .select([...RESULT_COLUMNS, "_distance"])
      .limit(k);
    if (options.where !== undefined && options.where.trim() !== "") search = search.where(options.where);
    if (options.exact) search = search.bypassVectorIndex();
    else {
      search = search
        .nprobes(options.nprobes ?? DEFAULT_SEARCH.nprobes)
        .refineFactor(options.refineFactor ?? DEFAULT_SEARCH.refineFactor)
        .ef(options.ef ?? DEFAULT_SEARCH.ef);
    }
    const rows = (await this.run(options.where, () => search.toArray())) as Record<string, unknown>[];
    return rows.map(toHit);
  }

  /** Embeds a query with the table's model (never cached: queries are one-offs). */
  async embedQuery(text: string): Promise<Float32Array> {
    if (text.trim() === "") throw new UserError("the search query is empty");
    const embedder = await this.queryEmbedder();
    const matrix = await embedder.embed([text]);
    return matrix.data.slice(0, matrix.cols);
  }

  private async queryEmbedder(): Promise<Embedder> {
    if (this.embedder === undefined) {
      this.ownEmbedder = await createEmbedder({ model: this.metadata.model });
      this.embedder = this.ownEmbedder;
    }
    if (this.embedder.id !== this.metadata.embedderId || this.embedder.dimension !== this.dimension) {
      throw new UserError(
        `store ${this.dir} holds vectors of ${this.metadata.embedderId} (${this.dimension}-d); ` +
          `the query embedder is ${this.embedder.id} (${this.embedder.dimension}-d): pass --model with the store's model`,
      );
    }
    return this.embedder;
  }

  async indexStatus(): Promise<IndexStatus> {
    const rows = await this.table.countRows();
    const vectorIndex = (await this.table.listIndices()).find((ix) => ix.columns.includes("vector"));
    if (vectorIndex === undefined) return { rows, indexedRows: 0, unindexedRows: rows };
    const stats = await this.table.indexStats(vectorIndex.name);
    return {
      rows,
      kind: vectorIndex.indexType,
      indexedRows: stats?.numIndexedRows ?? 0,
      unindexedRows: stats?.numUnindexedRows ?? 0,
    };
  }

  /** Builds (or rebuilds) the approximate index over every row. */
  async buildIndex(kind: IndexKind = DEFAULT_INDEX_KIND): Promise<void> {
    const rows = await this.table.countRows();
    if (rows < INDEX_TRAIN_MIN_ROWS) {
      throw new UserError(
        `an approximate index needs at least ${INDEX_TRAIN_MIN_ROWS} rows to train on; table '${this.tableName}' has ${rows} (exact search is fast at this size)`,
      );
    }
    const { Index } = await loadLance();
    await this.table.createIndex("vector", {
      config: indexFor(Index, kind, rows, this.dimension),
      replace: true,
    });
  }

  /**
   * Keeps searches fast as the table grows: builds the index once the table reaches `minRows`, and
   * folds rows added since into it (LanceDB searches them by a scan until then) once they pass 10%.
   * Returns what it did.
   */
  async maintainIndex(
    options: { minRows?: number; kind?: IndexKind } = {},
  ): Promise<"built" | "updated" | "none"> {
    const status = await this.indexStatus();
    if (status.kind === undefined) {
      if (status.rows < (options.minRows ?? ANN_MIN_ROWS)) return "none";
      await this.buildIndex(options.kind);
      return "built";
    }
    if (status.unindexedRows > 0.1 * Math.max(status.indexedRows, 1)) {
      await this.table.optimize();
      return "updated";
    }
    return "none";
  }

  /** Closes the table and releases the query embedder the store made itself. */
  async close(): Promise<void> {
    this.table.close();
    this.db.close();
    await this.ownEmbedder?.dispose?.();
  }

  /** LanceDB failures caused by a filter become one-line UserErrors quoting the filter. */
  private async run<T>(filter: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (filter === undefined) throw error;
      throw new UserError(`filter "${filter}": ${lanceMessage(error)}`);
    }
  }
}

/** LanceDB's message for a failed query without its wrapper and the Rust source location. */
export function lanceMessage(error: unknown): string {
  const raw = (error instanceof Error ? error.message : String(error))
    .replace(/\s+/g, " ")
    .replace(/ Caused by: .*$/, "");
  const parser = /\((sql parser error: [^)]*)\)/.exec(raw);
  if (parser) return parser[1];
  return raw
    .replace(/^.*?lance error: /, "")
    .replace(/,? \/\S*\.rs:\d+:\d+/g, "")
    .replace(/^Invalid user input: /, "")
    .trim();
}

function toHit(row: Record<string, unknown>): StoreHit {
  const hit: StoreHit = {
    id: row.id as string,
    text: row.text as string,
    score: 1 - (row._distance as number),
  };
  if (row.label !== null && row.label !== undefined) hit.label = row.label as string;
  if (row.timestamp !== null && row.timestamp !== undefined) hit.timestamp = row.timestamp as string;
  if (row.topic !== null && row.topic !== undefined) hit.topic = row.topic as number;
  if (row.probability !== null && row.probability !== undefined) hit.probability = row.probability as number;
  return hit;
}
