/**
 * `topicscope store info|export|delete --db <dir>`: look after a vector store built by `index`
 * (what it holds, an Arrow file for Python/R/DuckDB, removing documents).
 */
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { exportArrow } from "../store/export.js";
import {
  DEFAULT_INDEX_KIND,
  DEFAULT_TABLE,
  INDEX_KINDS,
  type IndexKind,
  openStore,
  type VectorStore,
} from "../store/index.js";
import { UserError } from "../util/errors.js";
import { escapeForTerminal } from "../util/escape.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags } from "./command.js";
import { addForceOption, checkFileOutput } from "./output.js";

interface StoreFlags {
  db: string;
  table: string;
}

async function withStore<T>(flags: StoreFlags, work: (store: VectorStore) => Promise<T>): Promise<T> {
  const store = await openStore(flags.db, { table: flags.table });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function storeCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .requiredOption("--db <dir>", "store folder built by 'topicscope index'")
    .option("--table <name>", "table in the store", DEFAULT_TABLE);
}

export function register(program: Command): void {
  const store = program
    .command("store")
    .description("a vector store built by 'index': info, export, delete, reindex");

  storeCommand(store, "info", "rows, embedding model, approximate index")
    .option("--json", "print JSON", false)
    .action(
      action(async (flags: StoreFlags & { json: boolean }) => {
        const info = await withStore(flags, async (s) => ({
          store: resolve(flags.db),
          table: flags.table,
          ...s.metadata,
          ...(await s.indexStatus()),
        }));
        if (flags.json) process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
        else {
          const index =
            info.kind === undefined
              ? "none (exact search)"
              : `${info.kind}, ${info.unindexedRows} rows not yet in it`;
          // the model names and paths come from the table's schema, which anyone could have written
          process.stdout.write(
            escapeForTerminal(
              [
                `store: ${info.store} (table '${info.table}')`,
                `rows: ${info.rows}`,
                `embedding model: ${info.embedderId} (${info.dimension}-d; --model ${info.model})`,
                ...(info.topicModel ? [`topic model: ${info.topicModel}`] : []),
                `approximate index: ${index}`,
                "",
              ].join("\n"),
              { newlines: true },
            ),
          );
        }
      }),
    );

  const exportCommand = storeCommand(
    store,
    "export",
    "write the table as an Arrow IPC (Feather v2) file for pyarrow, pandas, R, DuckDB",
  )
    .requiredOption("-o, --output <file.arrow>", "file to write")
    .option("--where <sql>", "only the rows matching this SQL filter")
    .option("--no-vectors", "leave the vectors out");
  addForceOption(exportCommand).action(
    action(
      async (
        flags: StoreFlags & { output: string; where?: string; vectors: boolean; force: boolean },
        cmd: Command,
      ) => {
        const logger = createLogger(globalFlags(cmd).quiet === true);
        // the store folder is an input, and its own: -o may be neither it nor a file inside it
        checkFileOutput(flags.output, { inputs: [flags.db], force: flags.force, logger });
        const rows = await withStore(flags, (s) =>
          exportArrow(s, flags.output, { where: flags.where, withoutVectors: !flags.vectors }),
        );
        logger.info(`wrote ${rows} rows to ${flags.output}`);
        process.stdout.write(`${resolve(flags.output)}\n`);
      },
    ),
  );

  storeCommand(store, "delete", "remove documents by id or by SQL filter")
    .option("--ids <a,b,…>", "comma-separated ids")
    .option("--where <sql>", "SQL filter, e.g. \"label = 'spam'\"")
    .action(
      action(async (flags: StoreFlags & { ids?: string; where?: string }, cmd: Command) => {
        if ((flags.ids === undefined) === (flags.where === undefined)) {
          throw new UserError("store delete needs exactly one of --ids and --where");
        }
        const logger = createLogger(globalFlags(cmd).quiet === true);
        const removed = await withStore(flags, (s) =>
          s.delete(
            flags.where ?? {
              ids: flags
                .ids!.split(",")
                .map((id) => id.trim())
                .filter(Boolean),
            },
          ),
        );
        logger.info(`deleted ${removed} rows`);
      }),
    );

  storeCommand(store, "reindex", "build (or rebuild) the approximate index now")
    .addOption(
      new Option("--kind <kind>", "index kind").choices([...INDEX_KINDS]).default(DEFAULT_INDEX_KIND),
    )
    .action(
      action(async (flags: StoreFlags & { kind: IndexKind }, cmd: Command) => {
        const logger = createLogger(globalFlags(cmd).quiet === true);
        const t = performance.now();
        await withStore(flags, (s) => s.buildIndex(flags.kind));
        logger.info(`built a ${flags.kind} index in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }),
    );
}
