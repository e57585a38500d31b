/**
 * A store's table as one Arrow IPC file (Feather v2): what pyarrow (`pyarrow.feather.read_table`,
 * `pandas.read_feather`), R's arrow and DuckDB read without LanceDB installed. Rows stream through:
 * the file is written batch by batch to a temporary sibling and renamed into place when complete.
 */
import { createWriteStream, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { finished } from "node:stream/promises";
import { writeFileAtomic } from "../io/atomic.js";
import { COLUMNS, storeSchema } from "./schema.js";
import type { VectorStore } from "./store.js";

// the CommonJS build, as LanceDB's batches are (see schema.ts)
const arrow = createRequire(import.meta.url)("apache-arrow") as typeof import("apache-arrow");

export interface ExportOptions {
  /** Leave the vectors out (a much smaller file of ids, texts and fields). */
  withoutVectors?: boolean;
  where?: string;
}

/** Writes the table (or the rows matching `where`) to `path`; returns the number of rows written. */
export async function exportArrow(
  store: VectorStore,
  path: string,
  options: ExportOptions = {},
): Promise<number> {
  const columns = COLUMNS.filter((c) => c !== "vector" || !options.withoutVectors);
  const total = await store.count(options.where); // also turns a bad filter into a one-line error
  const full = storeSchema(store.metadata);
  // the store's schema metadata (embedding model, dimension) travels into the file
  const schema = new arrow.Schema(
    full.fields.filter((f) => (columns as readonly string[]).includes(f.name)),
    full.metadata,
  );
  if (total === 0) {
    writeFileAtomic(path, arrow.tableToIPC(new arrow.Table(schema), "file"));
    return 0;
  }
  let query = store.table.query().select([...columns]);
  if (options.where !== undefined) query = query.where(options.where);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const writer = new arrow.RecordBatchFileWriter();
  const out = createWriteStream(temporary);
  const piped = writer.toNodeStream().pipe(out);
  let rows = 0;
  try {
    for await (const batch of query) {
      writer.write(new arrow.RecordBatch(schema, batch.data));
      rows += batch.numRows;
    }
    writer.finish();
    await finished(piped);
    renameSync(temporary, path);
  } catch (error) {
    writer.abort();
    out.destroy();
    rmSync(temporary, { force: true });
    throw error;
  }
  return rows;
}
