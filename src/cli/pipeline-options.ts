/** The pipeline's flags, shared by `fit` and `demo`, and their translation into TopicModelOptions. */
import { readFileSync } from "node:fs";
import { type Command, Option } from "commander";
import type { CorpusReadOptions } from "../corpus/index.js";
import { OUTLIER_MODES } from "../topics/absorb-outliers.js";
import { validateSeedTopics } from "../topics/guided.js";
import type { TopicModelOptions } from "../topics/model.js";
import { UserError } from "../util/errors.js";
import { parseChoice, parseInteger, parseNumber } from "./command.js";

export interface PipelineFlags {
  model: string;
  batchSize: number;
  cache: boolean;
  cacheDir?: string;
  embeddings?: string;
  reducer: "umap" | "pca" | "none";
  nComponents: number;
  nNeighbors: number;
  minDist: number;
  metric: "cosine" | "euclidean";
  clusterer: "hdbscan" | "dbscan" | "optics" | "kmeans";
  minClusterSize: number;
  minSamples?: number;
  selection: "eom" | "leaf";
  epsilon: number;
  nClusters?: number;
  outliers: "reduce" | "keep";
  ngramRange: [number, number];
  minDf: number;
  topN: number;
  stopWords: "english" | "none";
  /** false with --no-numbers (commander's negated flag; true by default). */
  numbers: boolean;
  bm25: boolean;
  reduceFrequentWords: boolean;
  seed: number;
  force: boolean;
  // topic operations (src/topics): guided, zero-shot, supervised, representation models
  seedTopics?: string[][];
  zeroShot?: string[];
  zeroShotMinSimilarity?: number;
  representation?: "ctfidf" | "mmr" | "keybert";
  diversity?: number;
  supervised?: boolean;
}

function parseNgramRange(value: string): [number, number] {
  const match = /^(\d+)(?:[,:-](\d+))?$/.exec(value.trim());
  const low = Number(match?.[1]);
  const high = Number(match?.[2] ?? match?.[1]);
  if (!match || low < 1 || high < low) {
    throw new UserError(`--ngram-range must look like 1,2 (min,max with 1 ≤ min ≤ max), got '${value}'`);
  }
  return [low, high];
}

export function addCorpusOptions(command: Command): Command {
  return command
    .option("--text-field <name>", "JSONL field / CSV column holding the text", "text")
    .option("--id-field <name>", "field / column with document ids (default: row number)")
    .option("--label-field <name>", "field / column with a class label (for per-class views and evaluation)")
    .option("--time-field <name>", "field / column with a timestamp (for topics over time)");
}

export function addPipelineOptions(command: Command): Command {
  return command
    .option(
      "--model <id>",
      "embedding model: use-lite (bundled), a sentence-transformers ONNX folder, …",
      "use-lite",
    )
    .option("--embeddings <file.npy>", "precomputed embeddings, one row per document (skips embedding)")
    .option("--batch-size <n>", "documents per embedding batch", parseInteger("--batch-size", 1), 64)
    .option("--no-cache", "do not read or write the embedding cache")
    .option("--cache-dir <dir>", "embedding cache folder (default $XDG_CACHE_HOME/topicscope)")
    .addOption(
      new Option("--reducer <name>", "dimension reduction").choices(["umap", "pca", "none"]).default("umap"),
    )
    .option("--n-components <k>", "reduced dimension", parseInteger("--n-components", 1), 5)
    .option("--n-neighbors <k>", "UMAP neighbourhood size", parseInteger("--n-neighbors", 2), 15)
    .option("--min-dist <d>", "UMAP min_dist", parseNumber("--min-dist", 0), 0)
    .addOption(
      new Option("--metric <m>", "UMAP input metric").choices(["cosine", "euclidean"]).default("cosine"),
    )
    .addOption(
      new Option("--clusterer <name>", "clustering algorithm")
        .choices(["hdbscan", "dbscan", "optics", "kmeans"])
        .default("hdbscan"),
    )
    .option("--min-cluster-size <n>", "HDBSCAN min_cluster_size", parseInteger("--min-cluster-size", 2), 10)
    .option(
      "--min-samples <k>",
      "HDBSCAN min_samples (default: min cluster size)",
      parseInteger("--min-samples", 1),
    )
    .addOption(
      new Option("--selection <method>", "HDBSCAN cluster selection").choices(["eom", "leaf"]).default("eom"),
    )
    .option("--epsilon <e>", "HDBSCAN cluster_selection_epsilon", parseNumber("--epsilon", 0), 0)
    .option("--n-clusters <k>", "k-means: number of clusters", parseInteger("--n-clusters", 1))
    .addOption(
      new Option(
        "--outliers <mode>",
        "reduce: an outlier joins its nearest topic when as close as the topic's own members; keep: BERTopic's -1",
      )
        .choices(OUTLIER_MODES)
        .default("reduce"),
    )
    .option("--ngram-range <min,max>", "word n-grams for topic words", parseNgramRange, [1, 1])
    .option("--min-df <n>", "ignore words in fewer documents", parseInteger("--min-df", 1), 1)
    .option("--top-n <n>", "words per topic", parseInteger("--top-n", 1), 10)
    .addOption(
      new Option("--stop-words <list>", "stopword list").choices(["english", "none"]).default("english"),
    )
    .option("--no-numbers", "leave tokens made only of digits out of topic words")
    .option("--bm25", "BM25 weighting in c-TF-IDF", false)
    .option("--reduce-frequent-words", "square-root term frequencies in c-TF-IDF", false)
    .option("--seed <n>", "random seed (same seed, same topics)", parseInteger("--seed"), 42)
    .option("--force", "replace the output folder if it exists", false)
    .option(
      "--seed-topics <file.json>",
      'guided topics: a JSON list of seed word lists, e.g. [["tax","budget"],["goal","match"]]',
      readSeedTopics,
    )
    .option("--zero-shot <names...>", "zero-shot topic names (put them after the corpus argument)")
    .option(
      "--zero-shot-min-similarity <s>",
      "cosine a document needs to a zero-shot name",
      parseNumber("--zero-shot-min-similarity", -1),
      0.7,
    )
    .addOption(
      new Option("--representation <model>", "fine-tune topic words after c-TF-IDF")
        .choices(["ctfidf", "mmr", "keybert"])
        .default("ctfidf"),
    )
    .option("--diversity <d>", "MMR diversity in [0, 1]", parseNumber("--diversity", 0), 0.1)
    .option("--supervised", "use the --label-field classes to steer the reduction (BERTopic's y)", false);
}

function readSeedTopics(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UserError(
      `--seed-topics: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`--seed-topics: ${path} is not valid JSON (${(error as Error).message})`);
  }
  return validateSeedTopics(parsed, `--seed-topics ${path}`);
}

export function corpusOptions(flags: {
  textField: string;
  idField?: string;
  labelField?: string;
  timeField?: string;
}): CorpusReadOptions {
  return {
    textField: flags.textField,
    idField: flags.idField,
    labelField: flags.labelField,
    timeField: flags.timeField,
  };
}

export function modelOptions(flags: PipelineFlags): TopicModelOptions {
  return {
    seed: flags.seed,
    embedding: { model: flags.model, batchSize: flags.batchSize },
    cache: flags.cache ? (flags.cacheDir ?? true) : false,
    reduce: {
      method: parseChoice("--reducer", ["umap", "pca", "none"] as const)(flags.reducer),
      nComponents: flags.nComponents,
      nNeighbors: flags.nNeighbors,
      minDist: flags.minDist,
      metric: flags.metric,
    },
    cluster: {
      method: flags.clusterer,
      minClusterSize: flags.minClusterSize,
      minSamples: flags.minSamples,
      selection: flags.selection,
      epsilon: flags.epsilon,
      nClusters: flags.nClusters,
    },
    represent: {
      ngramRange: flags.ngramRange,
      minDf: flags.minDf,
      topN: flags.topN,
      stopWords: flags.stopWords,
      dropNumbers: flags.numbers === false,
      bm25Weighting: flags.bm25,
      reduceFrequentWords: flags.reduceFrequentWords,
    },
    representation: { model: flags.representation ?? "ctfidf", diversity: flags.diversity ?? 0.1 },
    seedTopics: flags.seedTopics,
    zeroShotTopics: flags.zeroShot,
    zeroShotMinSimilarity: flags.zeroShot ? flags.zeroShotMinSimilarity : undefined,
    supervised: flags.supervised || undefined,
    outliers: flags.outliers,
  };
}
