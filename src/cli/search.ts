/**
 * `topicscope search <model dir | corpus> "<query>" -k 10`: semantic search. Over a model folder's
 * stored embeddings (or, with --topics, its topics), or over any corpus — embedded through the cache
 * with --model, or read from --embeddings emb.npy; --precision searches quantized embeddings with
 * rescoring, as sentence-transformers does. --rerank re-scores the best hits with a cross-encoder.
 */
import { type Command, Option } from "commander";
import { preview } from "../corpus/index.js";
import { CrossEncoder, rerankHits } from "../crossencoder/index.js";
import { PRECISIONS } from "../similarity/index.js";
import { UserError } from "../util/errors.js";
import { escapeForTerminal } from "../util/escape.js";
import { createLogger, type Logger } from "../util/log.js";
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
  rerank?: string;
  rerankTop: number;
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
    .option("--adapter <dir>", "corpus: apply an adapter trained with topicscope train to the vectors")
    .option("--rerank <cross-encoder>", "re-rank the best hits with a cross-encoder ONNX folder")
    .option(
      "--rerank-top <n>",
      "with --rerank: bi-encoder hits the cross-encoder re-scores",
      parseInteger("--rerank-top", 1),
      RERANK_TOP,
    )
    .action(
      action(async (sourcePath: string, query: string | undefined, flags: SearchFlags, cmd: Command) => {
        const quiet = globalFlags(cmd).quiet === true;
        const logger = createLogger(quiet);
        if (flags.db !== undefined) return searchStore([sourcePath, query], flags, logger);
        if (query === undefined)
          throw new UserError(
            "search needs a model folder or corpus and a query (or --db <store> and a query)",
          );
        if (query.trim() === "") throw new UserError("the search query is empty");
        const modelFolder = isModelFolder(sourcePath);
        if (modelFolder && (flags.embeddings !== undefined || flags.precision !== "float32")) {
          throw new UserError(
            "--embeddings and --precision apply to a corpus; a model folder searches its stored embeddings",
          );
        }
        if (modelFolder && flags.adapter !== undefined) {
          throw new UserError(
            "--adapter applies to a corpus; a model folder embeds queries as its documents were embedded at fit",
          );
        }
        if (flags.rerank !== undefined && flags.topics) {
          throw new UserError("--rerank re-ranks documents; it cannot be combined with --topics");
        }
        if (!modelFolder && flags.topics) {
          throw new UserError(`--topics needs a model folder written by fit; ${sourcePath} is not one`);
        }
        // loaded first: a broken cross-encoder folder fails before anything is embedded
        const crossEncoder =
          flags.rerank !== undefined ? await loadCrossEncoder(flags.rerank, logger) : undefined;
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
          } else if (crossEncoder !== undefined) {
            // retrieve, then re-rank: the bi-encoder's shortlist, re-scored by the cross-encoder
            const shortlist = await source.search(query, Math.max(flags.k, flags.rerankTop));
            const hits = await rerankHits(
              crossEncoder,
              query,
              shortlist.map((h) => ({ ...h, text: source.documents[h.index].text })),
              { topK: flags.k },
            );
            lines.push(...hitLines(source, hits, flags.json));
          } else {
            const hits = await source.search(query, flags.k);
            lines.push(...hitLines(source, hits, flags.json));
          }
          // JSON escapes C0 controls itself; the text lines quote corpus text as it is, so escape them
          const out = flags.json ? lines : lines.map((line) => escapeForTerminal(line));
          process.stdout.write(`${out.join("\n")}\n`);
        } finally {
          await source.dispose();
          await crossEncoder?.dispose();
        }
      }),
    );
  addStoreOptions(program);
}

/** Vector-store search (--db) lives in store-search.ts. */
function addStoreOptions(program: Command): void {
  addStoreSearchOptions(program.commands.find((c) => c.name() === "search")!);
}

/** sentence-transformers' retrieve & re-rank example: the bi-encoder's best 32 go to the cross-encoder. */
const RERANK_TOP = 32;

async function loadCrossEncoder(folder: string, logger: Logger): Promise<CrossEncoder> {
  return CrossEncoder.load(folder, { onWarning: (m) => logger.warn(m) });
}

/**
 * Rank, score, id, topic (model folders) and text: one JSON object or one readable line per hit.
 * Re-ranked hits also carry the cross-encoder's `score` (printed first; the similarity in brackets).
 */
export function hitLines(
  source: SearchSource,
  hits: readonly (DocumentHit & { score?: number })[],
  json: boolean,
): string[] {
  return hits.map((h, r) => {
    const d = source.documents[h.index];
    const topic = source.topics?.[h.index];
    if (json) {
      return JSON.stringify({
        rank: r + 1,
        id: d.id,
        ...(h.score !== undefined ? { score: round(h.score) } : {}),
        similarity: round(h.similarity),
        ...(topic !== undefined ? { topic } : {}),
        text: d.text,
      });
    }
    const where = topic !== undefined ? ` topic ${topic}` : "";
    const score =
      h.score !== undefined
        ? `${round(h.score).toFixed(4)}  (${round(h.similarity).toFixed(4)})`
        : round(h.similarity).toFixed(4);
    return `${String(r + 1).padStart(3)}  ${score}  [${d.id}]${where}  ${preview(d.text, 100)}`;
  });
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
