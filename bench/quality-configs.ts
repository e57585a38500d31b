/**
 * The configurations bench/quality.ts compares. Each is a set of TopicModel options and, optionally,
 * a step applied to the fitted model (an operation such as reduceTopics). No configuration may name
 * or test a corpus: the same rule must hold on corpora we have never seen.
 */

import { spawnSync } from "node:child_process";
import { stopwordsIsoEnglish } from "../src/text/tokenizer.js";
import type { TopicModel } from "../src/topics/model.js";
import type { DeepPartial } from "../src/topics/parameters.js";
import type { TopicModelParameters } from "../src/topics/types.js";
import {
  hdbscanTopics,
  keepWords,
  knnVoteOutliers,
  nearestTopicOutliers,
  rebuild,
  recluster,
  reduceByCtfidf,
  reduceSmallestIntoNearest,
  type Variant,
} from "./quality-prototypes.js";

let sklearnList: string[] | undefined;
/** scikit-learn's English stop list (318 words), read from Debian's python3-sklearn. */
function sklearnStopWords(): string[] {
  if (!sklearnList) {
    const run = spawnSync(
      "/usr/bin/python3",
      [
        "-c",
        "from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as s; print(' '.join(sorted(s)))",
      ],
      { encoding: "utf8" },
    );
    if (run.status !== 0) throw new Error(`python3-sklearn is needed for the stop list: ${run.stderr}`);
    sklearnList = run.stdout.trim().split(" ");
  }
  return sklearnList;
}

export interface ConfigContext {
  /** Number of reference classes, when the corpus is labelled. */
  classes: number | undefined;
}

export interface QualityConfig {
  name: string;
  /** One line for the legend under the table. */
  about: string;
  options?: DeepPartial<TopicModelParameters>;
  /** Runs after fit and changes the model (an operation); its time counts in the row's seconds. */
  after?: (model: TopicModel, context: ConfigContext) => Promise<void>;
  /**
   * Computes another result from the fitted model without changing it, so that several candidates
   * share one fit (configurations with equal `options` fit once per seed).
   */
  variant?: (model: TopicModel, context: ConfigContext) => Variant;
  /** Only on labelled corpora (e.g. reduction to the number of classes). */
  needsLabels?: boolean;
}

/** BERTopic's outlier behaviour; the prototypes below start from it. */
const KEEP: QualityConfig["options"] = { outliers: "keep" };
/** topicscope's defaults before issue 17: outliers kept, stopwords-iso's English list. */
const BEFORE = {
  outliers: "keep",
  represent: { stopWords: [...stopwordsIsoEnglish()] },
} as unknown as QualityConfig["options"];

export const CONFIGS: QualityConfig[] = [
  {
    name: "default",
    about: "topicscope's defaults (outliers: reduce, …)",
  },
  {
    name: "before",
    about:
      "topicscope's defaults before issue 17: BERTopic's outliers (kept), stopwords-iso's 1,298 English stop words",
    options: BEFORE,
  },
  {
    name: "before→k",
    about:
      "before, then reduceTopics(k = classes) with BERTopic's average linkage of topic embeddings (the reduction before issue 17)",
    options: BEFORE,
    needsLabels: true,
    after: async (model, { classes }) => {
      if (classes !== undefined && classes < model.topics.filter((t) => t.id >= 0).length)
        await model.reduceTopics(classes, { method: "linkage" });
    },
  },
  {
    name: "keep",
    about:
      "the defaults with --outliers keep (BERTopic's -1): the default fit's own HDBSCAN labels, words rebuilt — what --outliers keep fits (same UMAP, same clusters)",
    variant: (model) => rebuild(model, hdbscanTopics(model)),
  },
  {
    name: "default→k",
    about: "the default fit, then reduceTopics(k = classes) (merge-smallest)",
    needsLabels: true,
    after: async (model, { classes }) => {
      if (classes !== undefined && classes < model.topics.filter((t) => t.id >= 0).length)
        await model.reduceTopics(classes);
    },
  },
  {
    name: "no-numbers",
    about: "the default fit with digit-only tokens left out of topic words",
    options: { represent: { dropNumbers: true } },
  },
  // ---- outliers (point 2): variants of the default fit
  ...[2, 5].map(
    (minSamples): QualityConfig => ({
      name: `ms${minSamples}`,
      about: `HDBSCAN min_samples ${minSamples} (min_cluster_size 10) on the same UMAP output`,
      options: KEEP,
      variant: (model) => rebuild(model, recluster(model, { minClusterSize: 10, minSamples })),
    }),
  ),
  ...[0.05, 0.1, 0.25].map(
    (q): QualityConfig => ({
      name: `near${q}`,
      about: `outliers join the nearest topic (embedding cosine) when as close as its ${q} quantile member; words recomputed`,
      options: KEEP,
      variant: (model) => rebuild(model, nearestTopicOutliers(model, model.labels, q)),
    }),
  ),
  {
    name: "near0.05-keep",
    about: "near0.05, topic words kept from the clusters (BERTopic's reduce_outliers without update_topics)",
    options: KEEP,
    variant: (model) => keepWords(model.topics, nearestTopicOutliers(model, model.labels, 0.05)),
  },
  {
    name: "ms5+near0.05",
    about: "ms5, then near0.05",
    options: KEEP,
    variant: (model) => {
      const labels = recluster(model, { minClusterSize: 10, minSamples: 5 });
      return rebuild(model, nearestTopicOutliers(model, labels, 0.05));
    },
  },
  ...[
    [15, 0.5],
    [15, 0.34],
    [10, 0.5],
  ].map(
    ([k, share]): QualityConfig => ({
      name: `knn${k}@${share}`,
      about: `outliers join the topic of ≥ ${share} of their ${k} nearest cluster members (UMAP space); words recomputed`,
      options: KEEP,
      variant: (model) => rebuild(model, knnVoteOutliers(model, model.labels, k, share)),
    }),
  ),
  {
    name: "knn15@0.5-keep",
    about: "knn15@0.5, topic words kept from the clusters",
    options: KEEP,
    variant: (model) => keepWords(model.topics, knnVoteOutliers(model, model.labels, 15, 0.5)),
  },
  // ---- stop lists (point 4): the default clusters, other words
  {
    name: "stop-sklearn",
    options: BEFORE,
    about: "scikit-learn's 318 English stop words instead of stopwords-iso's 1,298",
    variant: (model) =>
      rebuild(model, model.labels, { ...model.parameters.represent, stopWords: sklearnStopWords() } as never),
  },
  {
    name: "stop-none+rfw",
    options: BEFORE,
    about: "no stop words, reduce_frequent_words (√tf)",
    variant: (model) =>
      rebuild(model, model.labels, {
        ...model.parameters.represent,
        stopWords: "none",
        reduceFrequentWords: true,
      }),
  },
  {
    name: "stop-sklearn+rfw",
    options: BEFORE,
    about: "scikit-learn's stop words and reduce_frequent_words",
    variant: (model) =>
      rebuild(model, model.labels, {
        ...model.parameters.represent,
        stopWords: sklearnStopWords(),
        reduceFrequentWords: true,
      } as never),
  },
  // ---- topic reduction (point 5)
  {
    name: "ctfidf→k",
    about: "reduce to k by average linkage on c-TF-IDF cosine (BERTopic's use_ctfidf=True)",
    needsLabels: true,
    options: KEEP,
    variant: (model, { classes }) => rebuild(model, reduceByCtfidf(model, classes!)),
  },
  {
    name: "smallest→k",
    about: "reduce to k by merging the smallest topic into its nearest (mean embedding) until k remain",
    needsLabels: true,
    options: KEEP,
    variant: (model, { classes }) => rebuild(model, reduceSmallestIntoNearest(model, classes!)),
  },
];

/** The configurations run when --configs is not given. */
export const DEFAULT_CONFIGS = ["before", "before→k", "keep", "default", "default→k"];

export function selectConfigs(names: readonly string[] | undefined): QualityConfig[] {
  if (!names) return CONFIGS.filter((c) => DEFAULT_CONFIGS.includes(c.name));
  return names.map((name) => {
    const config = CONFIGS.find((c) => c.name === name);
    if (!config)
      throw new Error(
        `unknown configuration '${name}'; choose from: ${CONFIGS.map((c) => c.name).join(" | ")}`,
      );
    return config;
  });
}
