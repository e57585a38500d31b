/**
 * `topicscope add <model dir> <new corpus> -o <dir>`: grow a fitted model with new documents without
 * refitting (TopicModel.addDocuments); with --db the new rows go to a vector store as well.
 */
import { isAbsolute, relative, resolve } from "node:path";
import type { Command } from "commander";
import { readCorpus } from "../corpus/index.js";
import { createEmbedder } from "../embed/index.js";
import { DEFAULT_TABLE, indexDocuments, openStore } from "../store/index.js";
import { topicAssigner } from "../store/topics.js";
import { DEFAULT_MIN_SIMILARITY } from "../topics/lifecycle/grow.js";
import type { TopicModel } from "../topics/model.js";
import { UserError } from "../util/errors.js";
import { createLogger, type Logger } from "../util/log.js";
import { action, globalFlags, parseInteger, parseNumber } from "./command.js";
import {
  addOperationOptions,
  checkOperationOutput,
  loadModel,
  type OperationFlags,
  saveOperationResult,
} from "./model-operation.js";
import { checkStoreOutput } from "./output.js";
import { addCorpusOptions, type CorpusFlags, corpusOptions } from "./pipeline-options.js";

interface AddFlags extends OperationFlags, CorpusFlags {
  minNewTopic?: number;
  minSimilarity: number;
  db?: string;
  table: string;
}

export function register(program: Command): void {
  const command = program
    .command("add")
    .description(
      "add documents to a fitted model without refitting: existing topics grow, outliers that cluster become new topics",
    )
    .argument("<model>", "model folder written by fit")
    .argument("<corpus>", "new documents: .jsonl, .csv, .tsv, .txt, a folder, or - for stdin")
    .option(
      "--min-new-topic <n>",
      "added outliers that must cluster together to form a new topic (default: the fit's --min-cluster-size)",
      parseInteger("--min-new-topic", 2),
    )
    .option(
      "--min-similarity <x>",
      "a new cluster this similar (cosine) to an existing topic joins it instead",
      parseNumber("--min-similarity", -1),
      DEFAULT_MIN_SIMILARITY,
    )
    .option("--db <dir>", "also write the new documents (with their topics) to this vector store")
    .option("--table <name>", "--db: table in the store", DEFAULT_TABLE);
  addOperationOptions(command);
  addCorpusOptions(command);
  command.action(
    action(async (modelDir: string, source: string, flags: AddFlags, cmd: Command) => {
      const logger = createLogger(globalFlags(cmd).quiet === true);
      checkOperationOutput(modelDir, flags, logger, [source]);
      // the store is written after the model: a --db that cannot take rows fails before any work
      if (flags.db) {
        const inside = relative(resolve(flags.output), resolve(flags.db));
        if (inside === "" || !(inside.startsWith("..") || isAbsolute(inside))) {
          throw new UserError(
            `--db ${flags.db} is in the new model folder -o ${flags.output}; give the store a folder of its own`,
          );
        }
        checkStoreOutput(flags.db, { inputs: [modelDir, source] });
      }
      const corpus = await readCorpus(source, { ...corpusOptions(flags), logger });
      const model = await loadModel(modelDir, logger);
      try {
        const t = performance.now();
        const result = await model.addDocuments(corpus.documents, {
          minNewTopic: flags.minNewTopic,
          minSimilarity: flags.minSimilarity,
        });
        logger.info(
          `added ${result.added} documents in ${((performance.now() - t) / 1000).toFixed(1)} s: ${result.assigned} to existing topics, ` +
            `${result.joined} joined one through their cluster, ${result.newTopics.length} new topics` +
            `${result.newTopics.length ? ` (${result.newTopics.join(", ")})` : ""}, ${result.outliers} outliers`,
        );
        await saveOperationResult(model, modelDir, flags, logger);
        if (flags.db) await sendToStore(model, corpus.documents.length, flags, corpus.source, logger);
      } finally {
        await model.dispose();
      }
    }),
  );
}

/** The added documents (the model's last `count`) with their topics, into the store. */
async function sendToStore(
  model: TopicModel,
  count: number,
  flags: AddFlags,
  source: string,
  logger: Logger,
): Promise<void> {
  const modelName = model.parameters.embedding.model;
  const embedder = await createEmbedder({ model: modelName });
  try {
    const store = await openStore(flags.db!, {
      table: flags.table,
      create: true,
      embedding: { embedderId: embedder.id, dimension: embedder.dimension, model: modelName },
      topicModel: flags.output,
    });
    try {
      const documents = model.documents.slice(model.documents.length - count);
      const result = await indexDocuments(store, documents, embedder, {
        assignTopics: topicAssigner(model, embedder, flags.output),
        source,
        logger,
      });
      logger.info(`${flags.db}: added ${result.added} rows (${result.alreadyStored} already stored)`);
    } finally {
      await store.close();
    }
  } finally {
    await embedder.dispose?.();
  }
}
