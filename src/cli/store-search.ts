/**
 * `topicscope search --db <dir> "query"`: filtered vector search in a store (src/store). Reached
 * from the `search` verb when --db is given, so the verb keeps one name for every kind of search.
 * With --rerank, the store's best --rerank-top hits are re-scored by a cross-encoder, as search does
 * for model folders and corpora.
 */
import { type Command, Option } from "commander";
import { preview } from "../corpus/index.js";
import { CrossEncoder, rerankHits } from "../crossencoder/index.js";
import { createEmbedder } from "../embed/index.js";
import { DEFAULT_SEARCH, DEFAULT_TABLE, openStore, type StoreHit } from "../store/index.js";
import { UserError } from "../util/errors.js";
import { escapeForTerminal } from "../util/escape.js";
import type { Logger } from "../util/log.js";
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
  /** A cross-encoder folder that re-scores the best hits (search's --rerank). */
  rerank?: string;
  /** With rerank: how many of the store's hits the cross-encoder re-scores. */
  rerankTop: number;
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
  logger: Logger,
): Promise<void> {
  const given = args.filter((a): a is string => a !== undefined);
  if (given.length !== 1) {
    throw new UserError(
      `with --db, give only the query: topicscope search --db ${flags.db} "<query>" (got ${given.length} arguments)`,
    );
  }
  const query = given[0];
  if (flags.rerank !== undefined && query.trim() === "") throw new UserError("the search query is empty");
  // loaded first: a broken cross-encoder folder fails before the store is opened or anything embedded
  const crossEncoder =
    flags.rerank !== undefined
      ? await CrossEncoder.load(flags.rerank, { onWarning: (m) => logger.warn(m) })
      : undefined;
  try {
    const embedder = flags.model ? await createEmbedder({ model: flags.model }) : undefined;
    try {
      const store = await openStore(flags.db!, { table: flags.table, embedder });
      try {
        const hits = await store.search(query, {
          k: crossEncoder !== undefined ? Math.max(flags.k, flags.rerankTop) : flags.k,
          where: flags.where,
          exact: flags.exact,
          nprobes: flags.nprobes,
          refineFactor: flags.refineFactor,
        });
        // re-ranked, the store's cosine stays as `similarity` and `score` becomes the cross-encoder's
        const ranked: RankedHit[] =
          crossEncoder !== undefined
            ? await rerankHits(
                crossEncoder,
                query,
                hits.map(({ score, ...hit }) => ({ ...hit, similarity: score })),
                { topK: flags.k },
              )
            : hits;
        const lines = ranked.map((hit, i) => storeHitLine(hit, i + 1, flags.json));
        if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
        else if (!flags.json) process.stderr.write("no documents match\n");
      } finally {
        await store.close();
      }
    } finally {
      await embedder?.dispose?.();
    }
  } finally {
    await crossEncoder?.dispose();
  }
}

/** A store hit; after re-ranking, `score` is the cross-encoder's and `similarity` the store's cosine. */
type RankedHit = StoreHit & { similarity?: number };

/**
 * One JSON line, or one readable line — escaped, since it quotes the stored text and id as they are
 * (JSON escapes control characters itself).
 */
function storeHitLine(hit: RankedHit, rank: number, json: boolean): string {
  if (json) {
    return JSON.stringify({
      rank,
      ...hit,
      score: round(hit.score),
      ...(hit.similarity !== undefined ? { similarity: round(hit.similarity) } : {}),
    });
  }
  const score =
    hit.similarity !== undefined
      ? `${hit.score.toFixed(4)}  (${hit.similarity.toFixed(4)})`
      : hit.score.toFixed(4);
  const topic = hit.topic !== undefined ? ` topic ${hit.topic}` : "";
  return escapeForTerminal(
    `${String(rank).padStart(3)}  ${score}  [${hit.id}]${topic}  ${preview(hit.text, 100)}`,
  );
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
