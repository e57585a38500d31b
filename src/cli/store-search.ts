/**
 * `topicscope search --db <dir> "query"`: filtered vector search in a store (src/store). Reached
 * from the `search` verb when --db is given, so the verb keeps one name for every kind of search.
 */
import { type Command, Option } from "commander";
import { preview } from "../corpus/index.js";
import { createEmbedder } from "../embed/index.js";
import { DEFAULT_SEARCH, DEFAULT_TABLE, openStore } from "../store/index.js";
import { UserError } from "../util/errors.js";
import { parseInteger } from "./command.js";

export interface StoreSearchFlags {
  db?: string;
  table: string;
  where?: string;
  exact: boolean;
  nprobes?: number;
  refineFactor?: number;
  k: number;
  json: boolean;
  model?: string;
}

/** The store options of `search` (added to the verb by search.ts). */
export function addStoreSearchOptions(command: Command): Command {
  return command
    .option(
      "--db <dir>",
      "search a vector store built by 'topicscope index' (then the only argument is the query)",
    )
    .option("--table <name>", "--db: table in the store", DEFAULT_TABLE)
    .option("--where <sql>", "--db: SQL filter on the stored fields, e.g. \"label = 'sport'\"")
    .option("--exact", "--db: scan every vector even when the store has an approximate index", false)
    .addOption(
      new Option("--nprobes <n>", `--db: IVF partitions searched (default ${DEFAULT_SEARCH.nprobes})`)
        .argParser(parseInteger("--nprobes", 1))
        .hideHelp(),
    )
    .addOption(
      new Option(
        "--refine-factor <n>",
        `--db: re-rank k × n candidates exactly (default ${DEFAULT_SEARCH.refineFactor})`,
      )
        .argParser(parseInteger("--refine-factor", 1))
        .hideHelp(),
    );
}

export async function searchStore(
  args: readonly (string | undefined)[],
  flags: StoreSearchFlags,
): Promise<void> {
  const given = args.filter((a): a is string => a !== undefined);
  if (given.length !== 1) {
    throw new UserError(
      `with --db, give only the query: topicscope search --db ${flags.db} "<query>" (got ${given.length} arguments)`,
    );
  }
  const query = given[0];
  const embedder = flags.model ? await createEmbedder({ model: flags.model }) : undefined;
  try {
    const store = await openStore(flags.db!, { table: flags.table, embedder });
    try {
      const hits = await store.search(query, {
        k: flags.k,
        where: flags.where,
        exact: flags.exact,
        nprobes: flags.nprobes,
        refineFactor: flags.refineFactor,
      });
      const lines = hits.map((hit, i) =>
        flags.json
          ? JSON.stringify({ rank: i + 1, ...hit, score: Math.round(hit.score * 1e6) / 1e6 })
          : `${String(i + 1).padStart(3)}  ${hit.score.toFixed(4)}  [${hit.id}]${hit.topic !== undefined ? ` topic ${hit.topic}` : ""}  ${preview(hit.text, 100)}`,
      );
      if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
      else if (!flags.json) process.stderr.write("no documents match\n");
    } finally {
      await store.close();
    }
  } finally {
    await embedder?.dispose?.();
  }
}
