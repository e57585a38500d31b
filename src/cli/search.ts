/** `topicscope search <model dir> "<query>" -k 10`: semantic search over the stored embeddings. */
import type { Command } from "commander";
import { preview } from "../corpus/index.js";
import { TopicModel } from "../topics/model.js";
import { UserError } from "../util/errors.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags, parseInteger } from "./command.js";
import { addStoreSearchOptions, type StoreSearchFlags, searchStore } from "./store-search.js";

interface SearchFlags extends StoreSearchFlags {
  k: number;
  topics: boolean;
  json: boolean;
  model?: string;
}

export function register(program: Command): void {
  program
    .command("search")
    .description("find the documents (or, with --topics, the topics) closest in meaning to a query")
    .argument("<model>", "model folder written by fit (with --db: the query)")
    .argument("[query]", "what to look for")
    .option("-k, --k <n>", "number of results", parseInteger("-k", 1), 10)
    .option("--topics", "search topics instead of documents", false)
    .option("--json", "print JSON lines", false)
    .option("--model <id>", "embedding model for the query (default: the one the model was fitted with)")
    .action(
      action(async (modelDir: string, query: string | undefined, flags: SearchFlags, cmd: Command) => {
        if (flags.db !== undefined) return searchStore([modelDir, query], flags);
        if (query === undefined)
          throw new UserError("search needs a model folder and a query (or --db <store>)");
        const logger = createLogger(globalFlags(cmd).quiet === true);
        const model = await TopicModel.load(modelDir, {
          onWarning: (m) => logger.warn(m),
          embedding: flags.model ? { model: flags.model } : undefined,
        });
        try {
          const lines: string[] = [];
          if (flags.topics) {
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
            for (const m of await model.searchDocuments(query, flags.k)) {
              const d = model.documents[m.index];
              const topic = model.labels[m.index];
              lines.push(
                flags.json
                  ? JSON.stringify({ id: d.id, similarity: round(m.similarity), topic, text: d.text })
                  : `${round(m.similarity).toFixed(4)}  [${d.id}] topic ${topic}  ${preview(d.text, 100)}`,
              );
            }
          }
          process.stdout.write(`${lines.join("\n")}\n`);
        } finally {
          await model.dispose();
        }
      }),
    );
  addStoreOptions(program);
}

/** Vector-store search (--db) lives in store-search.ts. */
function addStoreOptions(program: Command): void {
  addStoreSearchOptions(program.commands.find((c) => c.name() === "search")!);
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
