/**
 * What a fitted topic model holds, and the on-disk model folder format. Everything downstream
 * (reports, charts, evaluation, topic operations) reads these types, never the stages' internals.
 */
import type { ClustererMethod, ClusterMetric, ClusterSelection } from "../cluster/methods.js";
import type { EmbeddingSpec } from "../embed/methods.js";
import type { ReducerMethod } from "../reduce/methods.js";
import type { ReducerMetric } from "../reduce/types.js";
import type { RepresentationModel, StopWords } from "../represent/methods.js";
import type { TopicTerm } from "../represent/types.js";
import type { CorpusDocument, StageState } from "../types.js";

export type { TopicTerm };

export interface Topic {
  /** Topic id; -1 is the outlier topic. Ids of real topics are 0..k-1, ordered by size (largest first). */
  id: number;
  /** Number of documents assigned. */
  size: number;
  /** Short automatic label from the top words, e.g. "3_tax_budget_deficit" (BERTopic style). */
  label: string;
  /** User-set label, shown instead of `label` where present. */
  customLabel?: string;
  /** Zero-shot topics: the topic name given at fit (BERTopic shows it as the label). */
  zeroShotName?: string;
  /** Top words with their c-TF-IDF (or representation model) scores, best first. */
  words: TopicTerm[];
  /** Indices (into the corpus) of representative documents, most representative first. */
  representativeDocs: number[];
  /**
   * Why the junk-topic rule (junk.ts) flags this topic — words that are mostly numbers or codes, one
   * repeated token, or words that describe few of its documents; absent when it is not flagged.
   */
  junk?: string;
}

/** Per-document result, in corpus order. */
export interface DocumentTopic {
  topic: number;
  probability: number;
}

/** All options of a fit; stored in model.json so a run can be reproduced. */
export interface TopicModelParameters {
  seed: number;
  /** Everything that decides the vectors (model, weights, pooling, token budget, batch size, cache). */
  embedding: EmbeddingSpec;
  reduce: {
    method: ReducerMethod;
    nComponents: number;
    nNeighbors: number;
    minDist: number;
    metric: ReducerMetric;
    /** UMAP layout epochs; absent: by size (500 up to 10,000 documents, else 100; umap-learn: 500 / 200). */
    nEpochs?: number;
  };
  cluster: {
    method: ClustererMethod;
    minClusterSize: number;
    minSamples?: number;
    selection: ClusterSelection;
    epsilon: number;
    metric: ClusterMetric;
    nClusters?: number;
    /** DBSCAN / OPTICS neighbourhood radius. */
    eps?: number;
    /**
     * HDBSCAN max_cluster_size: the largest topic excess of mass may select, in documents (0: no
     * limit, BERTopic's behaviour). Absent: `DEFAULT_MAX_TOPIC_SHARE` of the clustered documents.
     */
    maxClusterSize?: number;
  };
  represent: {
    ngramRange: [number, number];
    minDf: number;
    topN: number;
    /**
     * "auto" (the stop words of the corpus language: detected, or `language`), "english", "none", a
     * language code with a stopwords-iso list, or the words themselves. Fit stores the resolved value.
     */
    stopWords: StopWords;
    /** The corpus language (ISO 639-1); detected at fit when absent, and stored. */
    language?: string;
    /** Leave tokens made only of digits out of topic words (absent in folders written before it = false). */
    dropNumbers: boolean;
    bm25Weighting: boolean;
    reduceFrequentWords: boolean;
  };
  /** Representative documents kept per topic. */
  representativeDocs: number;
  /**
   * Fine-tuning of the c-TF-IDF words (absent in folders written before it existed = "ctfidf"):
   * MMR (diversity over word embeddings) or KeyBERT-inspired (similarity to the topic embedding).
   */
  representation?: RepresentationParameters;
  /** Guided topic modelling: seed words per topic (BERTopic's seed_topic_list). */
  seedTopics?: string[][];
  /** Zero-shot topic names (BERTopic's zeroshot_topic_list). */
  zeroShotTopics?: string[];
  /** Cosine a document needs to a zero-shot topic name to join it (BERTopic default 0.7). */
  zeroShotMinSimilarity?: number;
  /** Supervised reduction: the documents' labels guide UMAP (BERTopic's `y`). */
  supervised?: boolean;
  /**
   * What happens to HDBSCAN's outliers: "reduce" (default) — each joins its nearest topic when it is
   * as close to the topic's centre as the topic's own members (absorb-outliers.ts); "keep" — they stay
   * -1, as in BERTopic. Absent in folders written before it existed = "keep".
   */
  outliers?: "reduce" | "keep";
  /**
   * `fit --sample`: the documents the pipeline was fitted on (a seeded sample of the non-empty
   * ones); every other document was assigned by the model's transform (src/topics/sample-fit.ts).
   */
  sample?: number;
}

export type { RepresentationModel };

export interface RepresentationParameters {
  model: RepresentationModel;
  /** MMR diversity in [0, 1] (BERTopic default 0.1). */
  diversity: number;
  /** c-TF-IDF candidate words re-ranked per topic (BERTopic: 30 for MMR, 100 for KeyBERT-inspired). */
  candidates?: number;
}

export interface StageTiming {
  stage: string;
  seconds: number;
}

/** Contents of model.json. */
export interface ModelManifest {
  format: "topicscope-model";
  formatVersion: number;
  /** topicscope package version that wrote the folder. */
  version: string;
  createdAt: string;
  parameters: TopicModelParameters;
  embedder: { id: string; dimension: number };
  corpus: { documents: number; emptyDocuments: number; source?: string };
  timings: StageTiming[];
  peakRssBytes: number;
}

/** One line of documents.jsonl. */
export interface DocumentRecord extends DocumentTopic {
  id: string;
  text: string;
  label?: string;
  timestamp?: string;
}

export type { CorpusDocument };

/** The fitted reducer's and clusterer's own states (stages.json; see Reducer.toState). */
export interface FittedStages {
  reducer: StageState;
  clusterer: StageState;
}
