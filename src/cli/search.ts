/**
 * `topicscope search <model dir | corpus> "<query>" -k 10`: semantic search. Over a model folder's
 * stored embeddings (or, with --topics, its topics), or over any corpus — embedded through the cache
 * with --model, or read from --embeddings emb.npy; --precision searches quantized embeddings with
 * rescoring, as sentence-transformers does.
 */
import { type Command, Option } from "commander";
import { preview } from "../corpus/index.js";
import { PRECISIONS } from "../similarity/index.js";
import { UserError } from "../util/errors.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags, parseInteger } from "./command.js";
import {
  type CorpusSearchFlags,
  type DocumentHit,
  isModelFolder,
  openCorpusSource,
  openModelFolderSource,
  type SearchSource,
} from "./search-source.js";

import { addStoreSearchOptions, type StoreSearchFlags, searchStore } from "./store-search.js";

interface SearchFlags extends CorpusSearchFlags, StoreSearchFlags {
  k: number;
  topics: boolean;
  json: boolean;
  model?: string;
}

export function register(program: Command): void {
  program
    .command("search")
    .description(
      "find the documents (or, with a model folder and --topics, the topics) closest in meaning to a query",
    )
    .argument(
      "<source>",
      "a model folder written by fit, or a corpus (.jsonl, .csv, .tsv, .txt, folder) to search (with --db: the query)",
    )
    .argument("[query]", "what to look for")
    .option("-k, --k <n>", "number of results", parseInteger("-k", 1), 10)
    .option("--topics", "search topics instead of documents (model folders)", false)
    .option("--json", "print JSON lines", false)
    .option(
      "--model <id>",
      "embedding model (model folder: default the one it was fitted with; corpus: default use-lite)",
    )
    .option(
      "--embeddings <file.npy>",
      "corpus: its embeddings, one row per document (float, or embed --precision codes)",
    )
    .addOption(
      new Option(
        "--precision <p>",
        "corpus: search quantized embeddings, rescoring the best with the float query",
      )
        .choices([...PRECISIONS])
        .default("float32"),
    )
    .option("--no-rescore", "with --precision: report the quantized scores, no rescoring")
    .option(
      "--rescore-multiplier <m>",
      "with --precision: candidates fetched per result before rescoring",
      parseInteger("--rescore-multiplier", 1),
      2,
    )
    .option("--text-field <name>", "corpus: JSONL field / CSV column holding the text", "text")
    .option("--id-field <name>", "corpus: field / column with document ids (default: row number)")
    .option("--batch-size <n>", "corpus: texts per model call", parseInteger("--batch-size", 1))
    .option("--no-cache", "corpus: do not read or write the embedding cache")
    .option("--cache-dir <dir>", "corpus: embedding cache folder")
    .action(
      action(async (sourcePath: string, query: string | undefined, flags: SearchFlags, cmd: Command) => {
        if (flags.db !== undefined) return searchStore([sourcePath, query], flags);
        if (query === undefined)
          throw new UserError(
            "search needs a model folder or corpus and a query (or --db <store> and a query)",
          );
        const quiet = globalFlags(cmd).quiet === true;
        const logger = createLogger(quiet);
        if (query.trim() === "") throw new UserError("the search query is empty");
        const modelFolder = isModelFolder(sourcePath);
        if (modelFolder && (flags.embeddings !== undefined || flags.precision !== "float32")) {
          throw new UserError(
            "--embeddings and --precision apply to a corpus; a model folder searches its stored embeddings",
          );
        }
        if (!modelFolder && flags.topics) {
          throw new UserError(`--topics needs a model folder written by fit; ${sourcePath} is not one`);
        }
        const source: SearchSource = modelFolder
          ? await openModelFolderSource(sourcePath, flags.model, logger)
          : await openCorpusSource(sourcePath, flags, { quiet, logger });
        try {
          const lines: string[] = [];
          if (flags.topics && source.model) {
            const model = source.model;
            for (const m of await model.findTopics(query, flags.k)) {
              const t = model.topic(m.topic)!;
              const name = t.customLabel ?? t.label;
              lines.push(
                flags.json
                  ? JSON.stringify({ topic: m.topic, similarity: round(m.similarity), label: name })
                  : `${round(m.similarity).toFixed(4)}  topic ${m.topic}  ${name}`,
              );
            }
          } else {
            // a re-ranker (--rerank, the cross-encoder) takes source.search(query, its shortlist size)
            // here and re-scores those hits before they are printed
            const hits = await source.search(query, flags.k);
            lines.push(...hitLines(source, hits, flags.json));
          }
          process.stdout.write(`${lines.join("\n")}\n`);
        } finally {
          await source.dispose();
        }
      }),
    );
  addStoreOptions(program);
}

/** Vector-store search (--db) lives in store-search.ts. */
function addStoreOptions(program: Command): void {
  addStoreSearchOptions(program.commands.find((c) => c.name() === "search")!);
}

/** Rank, score, id, topic (model folders) and text: one JSON object or one readable line per hit. */
export function hitLines(source: SearchSource, hits: readonly DocumentHit[], json: boolean): string[] {
  return hits.map((h, r) => {
    const d = source.documents[h.index];
    const topic = source.topics?.[h.index];
    if (json) {
      return JSON.stringify({
        rank: r + 1,
        id: d.id,
        similarity: round(h.similarity),
        ...(topic !== undefined ? { topic } : {}),
        text: d.text,
      });
    }
    const where = topic !== undefined ? ` topic ${topic}` : "";
    return `${String(r + 1).padStart(3)}  ${round(h.similarity).toFixed(4)}  [${d.id}]${where}  ${preview(d.text, 100)}`;
  });
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
