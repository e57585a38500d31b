/** The pipeline's flags, shared by `fit` and `demo`, and their translation into TopicModelOptions. */
import { readFileSync } from "node:fs";
import { type Command, Option } from "commander";
import {
  CLUSTER_SELECTIONS,
  CLUSTERER_DESCRIPTIONS,
  CLUSTERER_METHODS,
  type ClustererMethod,
  type ClusterSelection,
} from "../cluster/index.js";
import type { CorpusReadOptions } from "../corpus/index.js";
import {
  type EmbeddingSpec,
  type LongDocumentMode,
  ONNX_DTYPES,
  type OnnxDtype,
  POOLING_MODES,
  type Pooling,
} from "../embed/index.js";
import {
  REDUCER_DESCRIPTIONS,
  REDUCER_METHODS,
  REDUCER_METRICS,
  type ReducerMethod,
  type ReducerMetric,
} from "../reduce/index.js";
import {
  REPRESENTATION_MODELS,
  type RepresentationModel,
  STOP_WORD_LISTS,
  type StopWords,
} from "../represent/methods.js";
import { OUTLIER_MODES } from "../topics/lifecycle/absorb-outliers.js";
import { validateSeedTopics } from "../topics/lifecycle/guided.js";
import { DEFAULT_ZERO_SHOT_MIN_SIMILARITY } from "../topics/lifecycle/zero-shot.js";
import type { TopicModelOptions } from "../topics/model.js";
import { DEFAULT_MAX_TOPIC_SHARE, DEFAULT_PARAMETERS } from "../topics/parameters.js";
import { definedOnly } from "../util/defined.js";
import { UserError } from "../util/errors.js";
import { parseChoice, parseInteger, parseNumber } from "./command.js";
import { embeddingSourceOptions, languageOption, parseLanguage, parseStopWords } from "./language-options.js";

export interface EmbeddingFlags {
  model: string;
  revision?: string;
  offline?: boolean;
  allowUnknownText?: boolean;
  longDocuments?: LongDocumentMode;
  language?: string;
  dtype?: OnnxDtype;
  pooling?: Pooling;
  maxTokens?: number;
  batchSize: number;
  cache: boolean;
  cacheDir?: string;
  /** An adapter folder written by `topicscope train`. */
  adapter?: string;
}

export interface PipelineFlags extends EmbeddingFlags {
  embeddings?: string;
  reducer: ReducerMethod;
  nComponents: number;
  nNeighbors: number;
  minDist: number;
  metric: ReducerMetric;
  nEpochs?: number;
  clusterer: ClustererMethod;
  minClusterSize: number;
  minSamples?: number;
  maxClusterSize?: number;
  selection: ClusterSelection;
  epsilon: number;
  nClusters?: number;
  outliers: "reduce" | "keep";
  eps?: number;
  ngramRange: [number, number];
  minDf: number;
  topN: number;
  stopWords: StopWords;
  /** false with --no-numbers (commander's negated flag; true by default). */
  numbers: boolean;
  bm25: boolean;
  reduceFrequentWords: boolean;
  seed: number;
  force: boolean;
  /** Also write the charts as PNG (off by default: rasterising is slow and rarely needed). */
  png?: boolean;
  // topic operations (src/topics): guided, zero-shot, supervised, representation models
  seedTopics?: string[][];
  zeroShot?: string[];
  zeroShotMinSimilarity?: number;
  representation?: RepresentationModel;
  diversity?: number;
  supervised?: boolean;
}

const D = DEFAULT_PARAMETERS;

/** "a (what a is), b (…)" for --help from a stage's descriptions. */
function described(descriptions: Record<string, string>): string {
  return Object.entries(descriptions)
    .map(([name, what]) => `${name}: ${what}`)
    .join("; ");
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

/** The corpus fields every verb that reads a corpus takes. */
export interface CorpusFlags {
  textField: string;
  idField?: string;
  labelField?: string;
  timeField?: string;
}

/** --text-field and --id-field: enough for verbs that need only texts and ids. */
export function addCorpusFieldOptions(command: Command): Command {
  return command
    .option("--text-field <name>", "JSONL field / CSV column holding the text", "text")
    .option("--id-field <name>", "field / column with document ids (default: row number)");
}

export function addCorpusOptions(command: Command): Command {
  return addCorpusFieldOptions(command)
    .option("--label-field <name>", "field / column with a class label (for per-class views and evaluation)")
    .option("--time-field <name>", "field / column with a timestamp (for topics over time)");
}

/** What decides the vectors (the EmbeddingSpec), shared by every verb that embeds. */
export function addEmbeddingOptions(command: Command): Command {
  return command
    .option(
      "--model <id>",
      "embedding model: use-lite (bundled), use-lite-static (use-lite distilled into static word and piece vectors, 50–100× faster), tfidf (any language, offline), a sentence-transformers ONNX folder, or a hub id (org/name, downloaded once)",
      D.embedding.model,
    )
    .addOption(
      new Option(
        "--dtype <type>",
        "ONNX weights: fp32 (onnx/model.onnx) or q8 (onnx/model_quantized.onnx)",
      ).choices(ONNX_DTYPES),
    )
    .addOption(
      new Option(
        "--pooling <mode>",
        "ONNX models: token pooling (default: the folder's 1_Pooling config, else mean)",
      ).choices(POOLING_MODES),
    )
    .option(
      "--max-tokens <n>",
      "truncate texts to n model tokens (default: the model's own)",
      parseInteger("--max-tokens", 3),
    )
    .option(
      "--batch-size <n>",
      "documents per embedding batch",
      parseInteger("--batch-size", 1),
      D.embedding.batchSize,
    )
    .option("--no-cache", "do not read or write the embedding cache")
    .option(
      "--cache-dir <dir>",
      "embedding cache and hub models folder (default $TOPICSCOPE_CACHE_DIR or $XDG_CACHE_HOME/topicscope)",
    )
    .addOption(embeddingSourceOptions.revision())
    .addOption(embeddingSourceOptions.offline())
    .addOption(embeddingSourceOptions.allowUnknownText())
    .addOption(embeddingSourceOptions.longDocuments())
    .addOption(languageOption())
    .option("--adapter <dir>", "apply an adapter trained with topicscope train to the model's vectors");
}

/** The embedding flags as the spec `fit` records in model.json. */
export function embeddingSpec(flags: EmbeddingFlags): EmbeddingSpec {
  return definedOnly({
    model: flags.model,
    batchSize: flags.batchSize,
    dtype: flags.dtype,
    pooling: flags.pooling,
    maxTokens: flags.maxTokens,
    cacheDir: flags.cacheDir,
    revision: flags.revision,
    offline: flags.offline,
    longDocuments: flags.longDocuments,
    allowUnknownText: flags.allowUnknownText,
    language: parseLanguage(flags.language),
    adapter: flags.adapter,
  }) as EmbeddingSpec;
}

export function addPipelineOptions(command: Command): Command {
  return addEmbeddingOptions(command)
    .option("--embeddings <file.npy>", "precomputed embeddings, one row per document (skips embedding)")
    .addOption(
      new Option("--reducer <name>", `dimension reduction (${described(REDUCER_DESCRIPTIONS)})`)
        .choices(REDUCER_METHODS)
        .default(D.reduce.method),
    )
    .option(
      "--n-components <k>",
      "reduced dimension",
      parseInteger("--n-components", 1),
      D.reduce.nComponents,
    )
    .option(
      "--n-neighbors <k>",
      "UMAP neighbourhood size",
      parseInteger("--n-neighbors", 2),
      D.reduce.nNeighbors,
    )
    .option("--min-dist <d>", "UMAP min_dist", parseNumber("--min-dist", 0), D.reduce.minDist)
    .addOption(
      new Option("--metric <m>", "UMAP input metric").choices(REDUCER_METRICS).default(D.reduce.metric),
    )
    .option(
      "--n-epochs <n>",
      "UMAP layout epochs (default: 500 up to 10,000 documents, else 100; umap-learn's are 500 / 200)",
      parseInteger("--n-epochs", 1),
    )
    .addOption(
      new Option("--clusterer <name>", `clustering algorithm (${described(CLUSTERER_DESCRIPTIONS)})`)
        .choices(CLUSTERER_METHODS)
        .default(D.cluster.method),
    )
    .option(
      "--min-cluster-size <n>",
      "HDBSCAN min_cluster_size",
      parseInteger("--min-cluster-size", 2),
      D.cluster.minClusterSize,
    )
    .option(
      "--min-samples <k>",
      "HDBSCAN min_samples (default: min cluster size); DBSCAN/OPTICS minPts",
      parseInteger("--min-samples", 1),
    )
    .option(
      "--max-cluster-size <n>",
      `HDBSCAN max_cluster_size: larger topics are split into the topics below them (0: no limit, as BERTopic; default: ${Math.round(100 * DEFAULT_MAX_TOPIC_SHARE)} % of the clustered documents)`,
      parseInteger("--max-cluster-size", 0),
    )
    .addOption(
      new Option("--selection <method>", "HDBSCAN cluster selection")
        .choices(CLUSTER_SELECTIONS)
        .default(D.cluster.selection),
    )
    .option(
      "--epsilon <e>",
      "HDBSCAN cluster_selection_epsilon",
      parseNumber("--epsilon", 0),
      D.cluster.epsilon,
    )
    .option("--n-clusters <k>", "k-means: number of clusters", parseInteger("--n-clusters", 1))
    .option("--eps <radius>", "DBSCAN/OPTICS neighbourhood radius (default 0.5)", parseNumber("--eps", 0))
    .option(
      "--ngram-range <min,max>",
      "word n-grams for topic words",
      parseNgramRange,
      D.represent.ngramRange,
    )
    .option("--min-df <n>", "ignore words in fewer documents", parseInteger("--min-df", 1), D.represent.minDf)
    .option("--top-n <n>", "words per topic", parseInteger("--top-n", 1), D.represent.topN)
    .addOption(
      new Option(
        "--outliers <mode>",
        "reduce: an outlier joins its nearest topic when as close as the topic's own members; keep: BERTopic's -1",
      )
        .choices(OUTLIER_MODES)
        .default(D.outliers),
    )
    .option(
      "--stop-words <list>",
      `stop words: ${STOP_WORD_LISTS.join(", ")} (auto: the corpus language's list), a language code (zh, de, …) or a file of words`,
      parseStopWords,
      D.represent.stopWords,
    )
    .option("--no-numbers", "leave tokens made only of digits out of topic words")
    .option("--bm25", "BM25 weighting in c-TF-IDF", D.represent.bm25Weighting)
    .option(
      "--reduce-frequent-words",
      "square-root term frequencies in c-TF-IDF",
      D.represent.reduceFrequentWords,
    )
    .option("--seed <n>", "random seed (same seed, same topics)", parseInteger("--seed"), D.seed)
    .option("--force", "replace the output folder if it exists", false)
    .option("--png", "also write every chart as PNG (charts/<name>.png; default: Vega-Lite and SVG only)")
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
      DEFAULT_ZERO_SHOT_MIN_SIMILARITY,
    )
    .addOption(
      new Option("--representation <model>", "fine-tune topic words after c-TF-IDF")
        .choices(REPRESENTATION_MODELS)
        .default(D.representation!.model),
    )
    .option(
      "--diversity <d>",
      "MMR diversity in [0, 1]",
      parseNumber("--diversity", 0),
      D.representation!.diversity,
    )
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

export function corpusOptions(flags: CorpusFlags): CorpusReadOptions {
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
    embedding: embeddingSpec(flags),
    cache: flags.cache ? (flags.cacheDir ?? true) : false,
    reduce: {
      method: parseChoice("--reducer", REDUCER_METHODS)(flags.reducer),
      nComponents: flags.nComponents,
      nNeighbors: flags.nNeighbors,
      minDist: flags.minDist,
      metric: flags.metric,
      ...(flags.nEpochs === undefined ? {} : { nEpochs: flags.nEpochs }),
    },
    cluster: {
      method: flags.clusterer,
      minClusterSize: flags.minClusterSize,
      minSamples: flags.minSamples,
      maxClusterSize: flags.maxClusterSize,
      selection: flags.selection,
      epsilon: flags.epsilon,
      nClusters: flags.nClusters,
      eps: flags.eps,
    },
    represent: {
      ngramRange: flags.ngramRange,
      minDf: flags.minDf,
      topN: flags.topN,
      stopWords: flags.stopWords,
      language: parseLanguage(flags.language),
      dropNumbers: flags.numbers === false,
      bm25Weighting: flags.bm25,
      reduceFrequentWords: flags.reduceFrequentWords,
    },
    representation: {
      model: flags.representation ?? D.representation!.model,
      diversity: flags.diversity ?? D.representation!.diversity,
    },
    seedTopics: flags.seedTopics,
    zeroShotTopics: flags.zeroShot,
    zeroShotMinSimilarity: flags.zeroShot ? flags.zeroShotMinSimilarity : undefined,
    supervised: flags.supervised || undefined,
    outliers: flags.outliers,
  };
}
