/** `topicscope search <model dir> "<query>" -k 10`: semantic search over the stored embeddings. */
import type { Command } from "commander";
import { preview } from "../corpus/index.js";
import { CrossEncoder, rerankHits } from "../crossencoder/index.js";
import { TopicModel } from "../topics/model.js";
import { UserError } from "../util/errors.js";
import { createLogger, type Logger } from "../util/log.js";
import { action, globalFlags, parseInteger } from "./command.js";

interface SearchFlags {
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
    .description("find the documents (or, with --topics, the topics) closest in meaning to a query")
    .argument("<model>", "model folder written by fit")
    .argument("<query>", "what to look for")
    .option("-k, --k <n>", "number of results", parseInteger("-k", 1), 10)
    .option("--topics", "search topics instead of documents", false)
    .option("--json", "print JSON lines", false)
    .option("--model <id>", "embedding model for the query (default: the one the model was fitted with)")
    .option("--rerank <cross-encoder>", "re-rank the best hits with a cross-encoder ONNX folder")
    .option(
      "--rerank-top <n>",
      "with --rerank: bi-encoder hits the cross-encoder re-scores",
      parseInteger("--rerank-top", 1),
      RERANK_TOP,
    )
    .action(
      action(async (modelDir: string, query: string, flags: SearchFlags, cmd: Command) => {
        const logger = createLogger(globalFlags(cmd).quiet === true);
        if (flags.rerank !== undefined && flags.topics) {
          throw new UserError("--rerank re-ranks documents; it cannot be combined with --topics");
        }
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
          } else if (flags.rerank !== undefined) {
            lines.push(...(await rerankedLines(model, query, flags, logger)));
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
}

/** sentence-transformers' retrieve & re-rank example: the bi-encoder's best 32 go to the cross-encoder. */
const RERANK_TOP = 32;

async function rerankedLines(
  model: TopicModel,
  query: string,
  flags: SearchFlags,
  logger: Logger,
): Promise<string[]> {
  // loaded first: a broken cross-encoder folder fails before the query is embedded
  const crossEncoder = await CrossEncoder.load(flags.rerank!, { onWarning: (m) => logger.warn(m) });
  try {
    const hits = (await model.searchDocuments(query, Math.max(flags.k, flags.rerankTop))).map((m) => ({
      index: m.index,
      similarity: m.similarity,
      text: model.documents[m.index].text,
    }));
    const ranked = await rerankHits(crossEncoder, query, hits, { topK: flags.k });
    return ranked.map((h) => {
      const d = model.documents[h.index];
      const topic = model.labels[h.index];
      return flags.json
        ? JSON.stringify({
            id: d.id,
            score: round(h.score),
            similarity: round(h.similarity),
            topic,
            text: d.text,
          })
        : `${round(h.score).toFixed(4)}  (${round(h.similarity).toFixed(4)})  [${d.id}] topic ${topic}  ${preview(d.text, 100)}`;
    });
  } finally {
    await crossEncoder.dispose();
  }
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
