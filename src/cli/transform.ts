/** `topicscope transform <model dir> <corpus> -o predictions.jsonl`: topics of new documents. */

import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { readCorpus } from "../corpus/index.js";
import { loadPrecomputedEmbeddings } from "../embed/precomputed.js";
import { writeFileAtomic } from "../io/atomic.js";
import { TRANSFORM_METHODS } from "../topics/lifecycle/transform.js";
import { TopicModel } from "../topics/model.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags } from "./command.js";
import { addForceOption, checkFileOutput } from "./output.js";
import { addCorpusOptions, type CorpusFlags, corpusOptions } from "./pipeline-options.js";

interface TransformFlags extends CorpusFlags {
  output?: string;
  embeddings?: string;
  model?: string;
  method: "auto" | "pipeline" | "similarity";
  force: boolean;
}

export function register(program: Command): void {
  const command = program
    .command("transform")
    .description("assign topics to new documents with a fitted model (reducer + HDBSCAN approximate predict)")
    .argument("<model>", "model folder written by fit")
    .argument("<corpus>", "new documents: .jsonl, .csv, .tsv, .txt, a folder, or - for stdin")
    .option(
      "-o, --output <file.jsonl>",
      "predictions, one {id, topic, probability} per line (default: stdout)",
    )
    .option("--embeddings <file.npy>", "precomputed embeddings of the new documents, one row each")
    .option(
      "--model <id>",
      "embedding model for the new documents (default: the one the model was fitted with)",
    )
    .addOption(
      new Option(
        "--method <method>",
        "pipeline (reduce + approximate predict), similarity (cosine to topic embeddings), or auto",
      )
        .choices(TRANSFORM_METHODS)
        .default("auto"),
    );
  addCorpusOptions(command);
  addForceOption(command);
  command.action(
    action(async (modelDir: string, source: string, flags: TransformFlags, cmd: Command) => {
      const logger = createLogger(globalFlags(cmd).quiet === true);
      if (flags.output)
        checkFileOutput(flags.output, {
          inputs: [modelDir, source, flags.embeddings],
          force: flags.force,
          logger,
        });
      const model = await TopicModel.load(modelDir, {
        onWarning: (m) => logger.warn(m),
        embedding: flags.model ? { model: flags.model } : undefined,
      });
      const corpus = await readCorpus(source, { ...corpusOptions(flags), logger });
      const embeddings = flags.embeddings
        ? loadPrecomputedEmbeddings(flags.embeddings, {
            rows: corpus.documents.length,
            dimension: model.embeddings?.cols,
          })
        : undefined;
      try {
        const result = await model.transform(
          corpus.documents.map((d) => d.text),
          { embeddings, method: flags.method },
        );
        const lines = corpus.documents.map(
          (d, i) =>
            `${JSON.stringify({ id: d.id, topic: result.topics[i], probability: Math.round(result.probabilities[i] * 1e6) / 1e6 })}\n`,
        );
        if (!flags.output || flags.output === "-") {
          process.stdout.write(lines.join(""));
        } else {
          writeFileAtomic(flags.output, lines.join(""));
          process.stdout.write(`${resolve(flags.output)}\n`);
        }
        const counts = new Map<number, number>();
        for (const t of result.topics) counts.set(t, (counts.get(t) ?? 0) + 1);
        const summary = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 10);
        logger.info(
          `${corpus.documents.length} documents: ${summary.map(([t, c]) => `topic ${t} × ${c}`).join(", ")}`,
        );
      } finally {
        await model.dispose();
      }
    }),
  );
}
