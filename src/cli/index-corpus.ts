/**
 * `topicscope index <corpus> --db <dir>`: embed a corpus (through the embedding cache) into a vector
 * store, resumably; with --model-dir each row also gets its topic from a fitted model.
 */
import { basename } from "node:path";
import { type Command, Option } from "commander";
import { readCorpus } from "../corpus/index.js";
import { createEmbedder, DEFAULT_MODEL } from "../embed/index.js";
import {
  checkUniqueIds,
  DEFAULT_INDEX_BATCH,
  DEFAULT_TABLE,
  INDEX_KINDS,
  indexDocuments,
  openStore,
} from "../store/index.js";
import { storeModel } from "../store/probe.js";
import { type TopicAssigner, topicAssigner } from "../store/topics.js";
import { TopicModel } from "../topics/model.js";
import { createLogger } from "../util/log.js";
import { createProgress } from "../util/progress.js";
import { action, globalFlags, parseInteger } from "./command.js";
import { checkStoreOutput } from "./output.js";
import { addCorpusOptions, type CorpusFlags, corpusOptions } from "./pipeline-options.js";

interface IndexFlags extends CorpusFlags {
  db: string;
  table: string;
  model?: string;
  modelDir?: string;
  batchSize: number;
  index: "auto" | "none" | (typeof INDEX_KINDS)[number];
  cache: boolean;
  cacheDir?: string;
}

export function register(program: Command): void {
  const command = program
    .command("index")
    .description(
      "embed a corpus into a vector store (LanceDB) for real-time search; resumable, never stores an id twice",
    )
    .argument("<corpus>", "documents: .jsonl, .csv, .tsv, .txt, a folder of .txt files, or - for stdin")
    .requiredOption("--db <dir>", "store folder (created when missing)")
    .option("--table <name>", "table in the store", DEFAULT_TABLE)
    .option(
      "--model <id>",
      "embedding model (default: the store's own; for a new store the topic model's, else use-lite)",
    )
    .option("--model-dir <dir>", "fitted topic model: store each document's topic and probability")
    .option(
      "--batch-size <n>",
      "rows per commit (a killed run keeps every finished batch)",
      parseInteger("--batch-size", 1),
      DEFAULT_INDEX_BATCH,
    )
    .addOption(
      new Option(
        "--index <kind>",
        "approximate index: auto (built once the table is large enough), none, or build one now",
      )
        .choices(["auto", "none", ...INDEX_KINDS])
        .default("auto"),
    )
    .option("--no-cache", "do not read or write the embedding cache")
    .option(
      "--cache-dir <dir>",
      "embedding cache folder (default $TOPICSCOPE_CACHE_DIR or $XDG_CACHE_HOME/topicscope)",
    );
  addCorpusOptions(command);
  command.action(
    action(async (source: string, flags: IndexFlags, cmd: Command) => {
      const quiet = globalFlags(cmd).quiet === true;
      const logger = createLogger(quiet);
      checkStoreOutput(flags.db, { inputs: [source, flags.modelDir] });
      const corpus = await readCorpus(source, corpusOptions(flags));
      if (flags.idField === undefined) {
        // row numbers alone would collide between two files indexed into one store
        const prefix = source === "-" ? "stdin" : basename(source);
        for (const doc of corpus.documents) doc.id = `${prefix}:${doc.id}`;
      }
      // before anything else: a store cannot take an input whose ids repeat
      checkUniqueIds(corpus.documents, corpus.source);
      for (const warning of corpus.warnings) logger.warn(warning);
      const topicModel = flags.modelDir
        ? await TopicModel.load(flags.modelDir, { onWarning: (m) => logger.warn(m) })
        : undefined;
      const modelName =
        flags.model ??
        (await storeModel(flags.db, flags.table)) ??
        topicModel?.parameters.embedding.model ??
        DEFAULT_MODEL;
      const embedder = await createEmbedder({
        model: modelName,
        cacheDir: typeof flags.cacheDir === "string" ? flags.cacheDir : undefined,
        logger,
      });
      let assignTopics: TopicAssigner | undefined;
      try {
        if (topicModel) assignTopics = topicAssigner(topicModel, embedder, flags.modelDir!);
        const store = await openStore(flags.db, {
          table: flags.table,
          create: true,
          embedding: { embedderId: embedder.id, dimension: embedder.dimension, model: modelName },
          topicModel: flags.modelDir,
        });
        try {
          const progress = createProgress({ quiet }).stage(
            `index ${corpus.documents.length} documents into ${flags.db} (${embedder.id})`,
            "docs",
          );
          const result = await indexDocuments(store, corpus.documents, embedder, {
            batchSize: flags.batchSize,
            cache: flags.cache ? (flags.cacheDir ?? true) : false,
            assignTopics,
            index: flags.index,
            source: corpus.source,
            onProgress: progress.update,
            logger,
          });
          progress.end(
            `${result.computed} embedded, ${result.cached} from the cache; ${result.seconds.write.toFixed(1)} s writing`,
          );
          const status = await store.indexStatus();
          const skipped = [
            result.alreadyStored > 0 ? `${result.alreadyStored} already stored` : "",
            result.blank > 0 ? `${result.blank} blank, not stored` : "",
          ].filter(Boolean);
          const index =
            status.kind === undefined
              ? "exact search (no approximate index yet)"
              : `${status.kind} index${result.index === "none" ? "" : ` ${result.index} in ${result.seconds.index.toFixed(1)} s`}`;
          logger.info(
            `added ${result.added} documents${skipped.length ? ` (${skipped.join(", ")})` : ""}; ` +
              `${flags.db} table '${flags.table}' holds ${status.rows} rows; ${index}`,
          );
        } finally {
          await store.close();
        }
      } finally {
        await embedder.dispose?.();
        await topicModel?.dispose();
      }
    }),
  );
}
