/** `topicscope search <model dir> "<query>" -k 10`: semantic search over the stored embeddings. */
import type { Command } from "commander";
import { preview } from "../corpus/index.js";
import { TopicModel } from "../topics/model.js";
import { escapeForTerminal } from "../util/escape.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags, parseInteger } from "./command.js";

interface SearchFlags {
  k: number;
  topics: boolean;
  json: boolean;
  model?: string;
}

export function register(program: Command): void {
  program
    .command("search")
    .description("find the documents (or, with --topics, the topics) closest in meaning to a query")
    .argument("<model>", "model folder written by fit")
    .argument("<query>", "what to look for")
    .option("-k, --k <n>", "number of results", parseInteger("-k", 1), 10)
    .option("--topics", "search topics instead of documents", false)
    .option("--json", "print JSON lines", false)
    .option("--model <id>", "embedding model for the query (default: the one the model was fitted with)")
    .action(
      action(async (modelDir: string, query: string, flags: SearchFlags, cmd: Command) => {
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
          // JSON escapes C0 controls itself; the text lines quote corpus text as it is, so escape them
          const out = flags.json ? lines : lines.map((line) => escapeForTerminal(line));
          process.stdout.write(`${out.join("\n")}\n`);
        } finally {
          await model.dispose();
        }
      }),
    );
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
