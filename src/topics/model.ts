/**
 * TopicModel: the staged pipeline (embed → reduce → cluster → represent) and the fitted result.
 * It holds the state and delegates: the fit to fit.ts, transform to transform.ts, rebuilding topics
 * after an operation to rebuild.ts, outlier scores to outlier-scores.ts, files to folder.ts, and each
 * operation or view (merge, reduce, hierarchy, over time, …) to its own module under src/topics/.
 */
import { createClusterer } from "../cluster/index.js";
import type { Clusterer } from "../cluster/types.js";
import type { Embedder, EmbedderState } from "../embed/index.js";
import { createReducer, reducerMinimumRows } from "../reduce/index.js";
import type { DocumentTermSource } from "../represent/class-counts.js";
import type { TopicRepresentation } from "../represent/index.js";
import { type CorpusDocument, type Matrix, matrixRow, selectRows } from "../types.js";
import { definedOnly } from "../util/defined.js";
import { UserError } from "../util/errors.js";
import { type Progress, silentProgress } from "../util/progress.js";
import { isBlank } from "../util/text.js";
import { loadModelFolder, type ModelFolder, type TopicOperation, type TopicState } from "./folder/format.js";
import {
  documentRecords,
  modelFolder,
  modelManifest,
  restoreModelState,
  type SaveOptions,
  saveModelFolder,
  topicState,
} from "./folder/model-folder.js";
import {
  DEFAULT_OUTLIER_QUANTILE,
  memberTopics,
  type TopicCentres,
  topicCentres,
} from "./lifecycle/absorb-outliers.js";
import { LazyEmbedder } from "./lifecycle/embedder.js";
import { type FitExtras, fitTopics } from "./lifecycle/fit.js";
import {
  type AddDocumentsOptions,
  type AddDocumentsResult,
  addedSinceFit,
  appendRows,
  asDocuments,
  clusterOutlierPool,
  concatFloat,
  concatInt,
  DEFAULT_MIN_SIMILARITY,
  type MergeModelsResult,
  mergeTopicMapping,
  nanRows,
} from "./lifecycle/grow.js";
import { FittedPipeline, type FittedStages, pipelineUnavailable } from "./lifecycle/pipeline.js";
import { type AssignmentChange, applyAssignment, type Carried, rebuildTopics } from "./lifecycle/rebuild.js";
import type { ModelState } from "./lifecycle/state.js";
import { TopicTermCounts } from "./lifecycle/term-counts.js";
import {
  includedDocuments,
  realTopicVectors,
  type TopicEmbeddingTable,
  topicEmbeddingTable,
} from "./lifecycle/topic-vectors.js";
import { type TransformOptions, type TransformResult, transformDocuments } from "./lifecycle/transform.js";
import { customLabels, setCustomLabels } from "./operations/custom-labels.js";
import { applyTopicMap, deleteTopicMap, mergeTopicMap, type TopicMap } from "./operations/merge.js";
import { mergeSmallestToN } from "./operations/merge-smallest.js";
import { type ReduceOutliersOptions, scoreOutliers } from "./operations/outlier-scores.js";
import { assignOutliers, type OutlierStrategy } from "./operations/outliers.js";
import { reduceAuto, reduceToN, type TopicVectors } from "./operations/reduce-topics.js";
import { DEFAULT_PARAMETERS, type DeepPartial, resolveParameters } from "./parameters.js";
import type { DocumentRecord, ModelManifest, StageTiming, Topic, TopicModelParameters } from "./types.js";
import {
  approximateDistribution,
  type DistributionOptions,
  type TopicDistribution,
} from "./views/distribution.js";
import { type HierarchicalTopics, renderTopicTree } from "./views/hierarchy.js";
import { type DocumentInfoRow, documentInfo, type TopicInfoRow, topicInfo } from "./views/info.js";
import {
  type FittedDocuments,
  type HierarchyOptions,
  modelHierarchy,
  modelTopicsOverTime,
  modelTopicsPerClass,
} from "./views/model-views.js";
import type { OverTimeOptions, TopicsOverTime } from "./views/over-time.js";
import type { TopicsPerClass } from "./views/per-class.js";
import { type DocumentMatch, findTopics, searchDocuments, type TopicMatch } from "./views/search.js";

export const REDUCE_METHODS = ["merge-smallest", "linkage"] as const;
export type ReduceMethod = (typeof REDUCE_METHODS)[number];

export { scatterRows } from "./lifecycle/fit.js";
export type {
  AddDocumentsOptions,
  AddDocumentsResult,
  FitExtras,
  HierarchyOptions,
  MergeModelsResult,
  ReduceOutliersOptions,
  SaveOptions,
  TransformOptions,
  TransformResult,
};
export { DEFAULT_PARAMETERS, resolveParameters };

export interface TopicModelOptions extends DeepPartial<TopicModelParameters> {
  /** Embedding cache: true (default location), false (off) or a folder. */
  cache?: boolean | string;
  /** Stage progress (the CLI passes a terminal one; silent by default). */
  progress?: Progress;
  /** Receives warnings (empty documents, fallbacks); default: collected in `warnings`. */
  onWarning?: (message: string) => void;
  /**
   * The sentence encoder for new texts (transform, queries, seed and zero-shot topics, MMR/KeyBERT
   * words, and fit without precomputed embeddings). Default: created from `embedding.model`.
   */
  embedder?: Embedder;
}

export class TopicModel {
  readonly parameters: TopicModelParameters;
  readonly warnings: string[] = [];
  private readonly options: TopicModelOptions;

  documents: CorpusDocument[] = [];
  /** Topic per document (corpus order); -1 = outlier or empty document. */
  labels: Int32Array = new Int32Array(0);
  probabilities: Float32Array = new Float32Array(0);
  topics: Topic[] = [];
  embeddings: Matrix | null = null;
  reduced: Matrix | null = null;
  representation: TopicRepresentation | null = null;
  embedderId = "";
  timings: StageTiming[] = [];
  peakRssBytes = 0;
  /** Cluster label (as the clusterer gave it) → current topic id; follows merges and reductions. */
  clusterTopic = new Map<number, number>();
  /** The clusterer's own label per document: -1 noise, -2 not clustered (empty or zero-shot). */
  clusterLabels: Int32Array | null = null;
  /** Operations applied since fit. */
  history: TopicOperation[] = [];
  /** What a corpus-fitted encoder (`tfidf`) learnt at fit; saved with the model. */
  embedderState: EmbedderState | undefined;
  private source: string | undefined;
  /** The fitted reducer's and clusterer's states (undefined when nothing was clustered). */
  stages: FittedStages | undefined;
  private pipeline: FittedPipeline | undefined;
  private clusterer: Clusterer | undefined;
  private readonly encoder: LazyEmbedder;
  private topicVectorCache: TopicEmbeddingTable | undefined;
  /** Raw per-topic term counts: rebuilds tokenise only documents whose topic changed (term-counts.ts). */
  termCounts: TopicTermCounts | undefined;
  /** Centres and thresholds of the outlier rule (follow merges through clusterTopic); reset when topics change. */
  private outlierCentreCache: TopicCentres | undefined;

  constructor(options: TopicModelOptions = {}) {
    this.options = options;
    this.parameters = resolveParameters(options);
    this.encoder = new LazyEmbedder(options, this.parameters.embedding);
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.options.onWarning?.(message);
  }

  /** Non-empty documents (the ones that take part in topics). */
  private get included(): Uint8Array {
    return includedDocuments(this.documents);
  }

  private get texts(): string[] {
    return this.documents.map((d) => d.text);
  }

  private requireFitted(): { embeddings: Matrix; representation: TopicRepresentation } {
    if (!this.embeddings || !this.representation)
      throw new Error("TopicModel: call fit() or TopicModel.load() first");
    return { embeddings: this.embeddings, representation: this.representation };
  }

  private adopt(state: ModelState): void {
    this.documents = state.documents;
    this.source = state.source;
    this.labels = state.labels;
    this.probabilities = state.probabilities;
    this.topics = state.topics;
    this.embeddings = state.embeddings;
    this.reduced = state.reduced;
    this.representation = state.representation;
    this.embedderId = state.embedderId;
    this.timings = state.timings;
    this.peakRssBytes = state.peakRssBytes;
    this.clusterTopic = state.clusterTopic;
    this.clusterLabels = state.clusterLabels;
    this.history = state.history;
    this.clusterer = state.clusterer;
    this.stages = state.stages;
    this.topicVectorCache = state.topicEmbeddings;
    this.embedderState = state.embedderState;
    this.termCounts = state.termCounts;
    this.encoder.useState(state.embedderState);
    this.outlierCentreCache = undefined;
    this.pipeline = undefined;
  }

  /** Runs the whole pipeline (fit.ts). Empty documents stay in place with topic -1 and probability 0. */
  async fit(input: readonly (string | CorpusDocument)[], extras: FitExtras = {}): Promise<this> {
    const stages = {
      parameters: this.parameters,
      encoder: this.encoder,
      createReducer,
      createClusterer,
      minimumRows: reducerMinimumRows,
    };
    const progress = this.options.progress ?? silentProgress;
    this.encoder.useState(undefined); // a corpus-fitted encoder learns this corpus afresh
    this.adopt(await fitTopics(input, extras, { ...stages, progress, warn: (m) => this.warn(m) }));
    await this.encoder.release();
    return this;
  }

  /** Releases the embedding model this TopicModel created (call when done with transform/search). */
  async dispose(): Promise<void> {
    await this.encoder.release();
  }

  /** Embeds texts with the model's encoder and checks they live in the documents' space (embedder.ts). */
  async embedTexts(texts: readonly string[]): Promise<Matrix> {
    return this.encoder.embedTexts(texts, this, (message) => this.warn(message));
  }

  // ---------------------------------------------------------------------------------------------
  // inspection

  /** Topic by id (-1 = outliers). */
  topic(id: number): Topic | undefined {
    return this.topics.find((t) => t.id === id);
  }

  /**
   * Mean embedding of each topic's (non-empty) documents, ids ascending (-1 first when there are
   * outliers) — BERTopic's topic_embeddings_.
   */
  topicEmbeddings(): { topicIds: number[]; matrix: Matrix } {
    if (this.topicVectorCache) return this.topicVectorCache;
    const { embeddings } = this.requireFitted();
    this.topicVectorCache = topicEmbeddingTable(embeddings, this.labels, this.included);
    return this.topicVectorCache;
  }

  private realTopicVectors(): TopicVectors {
    return realTopicVectors(this.topicEmbeddings());
  }

  topicInfo(): TopicInfoRow[] {
    return topicInfo(this.topics, this.documents);
  }

  documentInfo(): DocumentInfoRow[] {
    return documentInfo(this.topics, this.documents, this.labels, this.probabilities);
  }

  /** Custom labels by topic id (BERTopic's set_topic_labels); an empty string removes one. */
  setTopicLabels(labels: ReadonlyMap<number, string> | Record<number, string>): void {
    setCustomLabels(this.topics, labels);
  }

  // ---------------------------------------------------------------------------------------------
  // transform

  /** Topics of new documents (see TransformOptions for the two methods). Empty documents get -1. */
  async transform(docs: readonly string[], options: TransformOptions = {}): Promise<TransformResult> {
    this.requireFitted();
    return transformDocuments({
      docs,
      embeddings: options.embeddings ?? (await this.embedTexts(docs)),
      method: options.method,
      expectedRows: options.expectedRows,
      parameters: this.parameters,
      clusterLabels: this.clusterLabels,
      clusterTopic: this.clusterTopic,
      topicEmbeddings: () => this.topicEmbeddings(),
      pipeline: () => this.fittedPipeline("transform method 'similarity'"),
      outlierCentres: () => {
        this.outlierCentreCache ??= topicCentres(
          this.embeddings!,
          memberTopics(this.clusterLabels!, this.clusterTopic),
          DEFAULT_OUTLIER_QUANTILE,
        );
        return this.outlierCentreCache;
      },
    });
  }

  /** The fitted reducer and clusterer, restored through their own modules on first use (pipeline.ts). */
  private async fittedPipeline(instead: string): Promise<FittedPipeline> {
    this.pipeline ??= await FittedPipeline.restore(
      {
        parameters: this.parameters,
        embeddings: this.embeddings!,
        reduced: this.reduced!,
        clusterLabels: this.clusterLabels,
        stages: this.stages,
        liveClusterer: this.clusterer,
      },
      instead,
    );
    return this.pipeline;
  }

  // ---------------------------------------------------------------------------------------------
  // operations that change the assignment

  private realTopicIds(): Set<number> {
    return new Set(this.topics.filter((t) => t.id >= 0).map((t) => t.id));
  }

  /** Applies new labels (rebuild.ts) and records the operation in the history. */
  private async applyAssignment(
    change: AssignmentChange,
    operation: string,
    parameters: Record<string, unknown>,
  ): Promise<void> {
    const topicsBefore = this.realTopicIds().size;
    this.topicVectorCache = undefined;
    this.outlierCentreCache = undefined;
    const applied = await applyAssignment({
      topics: this.topics,
      clusterTopic: this.clusterTopic,
      change,
      texts: this.texts,
      included: this.included,
      embeddings: this.embeddings!,
      parameters: this.parameters,
      embedTexts: (texts) => this.embedTexts(texts),
      termCounts: this.termCounts,
    });
    this.termCounts = applied.termCounts;
    this.clusterTopic = applied.clusterTopic;
    this.labels = applied.labels;
    this.probabilities = change.probabilities;
    this.topics = applied.topics;
    this.representation = applied.representation;
    this.topicVectorCache = applied.topicEmbeddings;
    await this.encoder.release();
    const at = new Date().toISOString();
    this.history.push({ operation, parameters, at, topicsBefore, topicsAfter: this.realTopicIds().size });
  }

  /**
   * Fewer topics: to n real topics — by default the smallest topic merges into its nearest until n
   * remain (merge-smallest.ts); `method: "linkage"` is BERTopic's average linkage on topic-embedding
   * cosine — or "auto" (HDBSCAN on the topic embeddings).
   */
  async reduceTopics(n: number | "auto", options: { method?: ReduceMethod } = {}): Promise<this> {
    const { embeddings } = this.requireFitted();
    const method = options.method ?? "merge-smallest";
    if (!REDUCE_METHODS.includes(method))
      throw new UserError(`reduce topics: method must be ${REDUCE_METHODS.join(" or ")}, got '${method}'`);
    const map =
      n === "auto"
        ? reduceAuto(this.realTopicVectors())
        : method === "linkage"
          ? reduceToN(this.realTopicVectors(), n)
          : mergeSmallestToN(
              embeddings,
              this.labels,
              this.included,
              [...this.realTopicIds()].sort((a, b) => a - b),
              n,
            );
    return this.remap(map, "reduce-topics", n === "auto" ? { n } : { n, method });
  }

  /** Merges each group into its first topic (BERTopic's merge_topics). */
  async mergeTopics(groups: readonly (readonly number[])[]): Promise<this> {
    this.requireFitted();
    return this.remap(mergeTopicMap(this.realTopicIds(), groups), "merge-topics", { groups });
  }

  /** The documents of these topics become outliers. */
  async deleteTopics(ids: readonly number[]): Promise<this> {
    this.requireFitted();
    return this.remap(deleteTopicMap(this.realTopicIds(), ids), "delete-topics", { topics: ids }, true);
  }

  /** Applies an operation's topic map; documents sent to -1 lose their probability when asked. */
  private async remap(
    map: TopicMap,
    operation: string,
    parameters: Record<string, unknown>,
    zeroOutliers = false,
  ): Promise<this> {
    const labels = applyTopicMap(this.labels, map);
    const probabilities = zeroOutliers
      ? this.probabilities.map((p, i) => (labels[i] === -1 ? 0 : p))
      : this.probabilities;
    await this.applyAssignment({ labels, probabilities, topicMap: map }, operation, parameters);
    return this;
  }

  /**
   * Moves outlier documents to their best topic by one of BERTopic's four strategies; documents
   * with a topic never move. Returns how many outliers moved and how many remain.
   */
  async reduceOutliers(
    strategy: OutlierStrategy,
    options: ReduceOutliersOptions = {},
  ): Promise<{ reassigned: number; remaining: number }> {
    const { embeddings, representation } = this.requireFitted();
    const { outliers, scores, threshold } = await scoreOutliers(strategy, options, {
      documents: this.documents,
      labels: this.labels,
      included: this.included,
      embeddings,
      representation,
      realTopicIds: [...this.realTopicIds()].sort((x, y) => x - y),
      realTopicVectors: () => this.realTopicVectors(),
      soft: {
        pipeline: () => this.fittedPipeline("another outlier strategy"),
        clusterTopic: this.clusterTopic,
      },
    });
    const result = assignOutliers(this.labels, this.probabilities, scores, threshold);
    if (result.reassigned > 0) {
      const { labels, probabilities } = result;
      const parameters = { strategy, threshold: options.threshold ?? 0 };
      await this.applyAssignment(
        { labels, probabilities, topicMap: undefined, keepIds: true },
        "reduce-outliers",
        parameters,
      );
    }
    return { reassigned: result.reassigned, remaining: outliers.length - result.reassigned };
  }

  /**
   * The documents' terms as the last count made them (lifecycle/term-counts.ts), for views computed
   * outside the model (the reports); undefined when not kept (a loaded model's old documents are
   * tokenised again, and past a size none are kept).
   */
  documentTerms(): DocumentTermSource | undefined {
    return this.termCounts?.documentTerms();
  }

  // ---------------------------------------------------------------------------------------------
  // growing without refitting (lifecycle/grow.ts)

  /**
   * Adds documents without refitting the reducer or the clusterer (BERTopic's partial_fit idea; see
   * lifecycle/grow.ts): only they are embedded, the fitted pipeline assigns them to existing topics,
   * and added outliers that cluster together become new topics (appended ids) unless similar to an
   * existing one. Documents that have a topic keep it; sizes, words and representative documents
   * are rebuilt.
   */
  async addDocuments(
    input: readonly (string | CorpusDocument)[],
    options: AddDocumentsOptions = {},
  ): Promise<AddDocumentsResult> {
    const { embeddings } = this.requireFitted();
    const clock = stopwatch();
    const docs = asDocuments(input, this.documents.length);
    const texts = docs.map((d) => d.text);
    const vectors = options.embeddings ?? (await this.embedTexts(texts));
    const seconds = { embed: clock(), transform: 0, newTopics: 0, rebuild: 0 };
    if (vectors.rows !== docs.length || vectors.cols !== embeddings.cols) {
      throw new UserError(
        `embeddings of the new documents are ${vectors.rows} × ${vectors.cols}; expected ${docs.length} × ${embeddings.cols}`,
      );
    }
    const minNewTopic = options.minNewTopic ?? this.parameters.cluster.minClusterSize;
    const minSimilarity = options.minSimilarity ?? DEFAULT_MIN_SIMILARITY;
    const labels = new Int32Array(docs.length).fill(-1);
    const probabilities = new Float32Array(docs.length);
    const reducedCols = this.reduced?.cols ?? 0;
    const reduced = nanRows(docs.length, reducedCols);
    const reason = pipelineUnavailable(this.parameters, this.clusterLabels);
    if (reason === undefined) {
      const pipeline = await this.fittedPipeline("merge-models (fit the new documents on their own)");
      const rows = [...texts.keys()].filter((i) => !isBlank(texts[i]));
      if (rows.length > 0) {
        const coordinates = await pipeline.reduce(selectRows(vectors, rows));
        const predicted = await pipeline.clusterer.predict(coordinates);
        rows.forEach((doc, r) => {
          reduced.data.set(matrixRow(coordinates, r), doc * reducedCols);
          const cluster = predicted.labels[r];
          labels[doc] = cluster >= 0 ? (this.clusterTopic.get(cluster) ?? -1) : -1;
          probabilities[doc] = labels[doc] >= 0 ? predicted.probabilities[r] : 0;
        });
      }
    } else {
      const result = await this.transform(texts, { embeddings: vectors });
      labels.set(result.topics);
      probabilities.set(result.probabilities);
      this.warn(`new topics are not looked for: ${reason}; new documents went to their most similar topic`);
    }
    seconds.transform = clock();
    const from = this.documents.length - addedSinceFit(this.history);
    const assigned = labels.filter((t) => t >= 0).length;
    // new clusters are compared with the topics as they stood before this add (merge_models compares
    // with the first model's topic_embeddings_); a fitted model has that table at hand
    const existing = reason === undefined ? this.topicEmbeddings() : undefined;
    this.appendDocuments(docs, vectors, labels, probabilities, reduced);

    let pool = { newTopics: [] as number[], joined: 0 };
    if (existing && this.reduced) {
      const included = this.included;
      const pooled: number[] = [];
      for (let i = from; i < this.labels.length; i++) {
        if (this.labels[i] === -1 && included[i] && Number.isFinite(this.reduced.data[i * reducedCols]))
          pooled.push(i);
      }
      const real = [...existing.topicIds.keys()].filter((r) => existing.topicIds[r] >= 0);
      const clustered = clusterOutlierPool({
        reduced: selectRows(this.reduced, pooled),
        embeddings: selectRows(this.embeddings!, pooled),
        topicIds: real.map((r) => existing.topicIds[r]),
        topicVectors: selectRows(existing.matrix, real),
        minClusterSize: minNewTopic,
        minSimilarity,
        nextTopicId: Math.max(-1, ...this.topics.map((t) => t.id)) + 1,
      });
      pooled.forEach((doc, r) => {
        if (clustered.labels[r] < 0) return;
        this.labels[doc] = clustered.labels[r];
        this.probabilities[doc] = clustered.probabilities[r];
      });
      pool = clustered;
    }
    seconds.newTopics = clock();
    await this.rebuildKeepingIds("add-documents", {
      added: docs.length,
      minNewTopic,
      minSimilarity,
      newTopics: pool.newTopics,
    });
    seconds.rebuild = clock();
    const added = this.labels.subarray(this.labels.length - docs.length);
    return {
      added: docs.length,
      assigned,
      newTopics: pool.newTopics,
      joined: pool.joined,
      outliers: added.filter((t) => t === -1).length,
      seconds,
    };
  }

  /**
   * Takes over the documents of another model fitted with the same embedding model (BERTopic's
   * merge_models, lifecycle/grow.ts): each of its topics joins the most similar topic here when their
   * topic embeddings reach `minSimilarity`, else is appended as a new topic. This model's documents
   * keep their topics; the fitted stages stay this model's.
   */
  async mergeModel(other: TopicModel, options: { minSimilarity?: number } = {}): Promise<MergeModelsResult> {
    const { embeddings } = this.requireFitted();
    const theirs = other.requireFitted().embeddings;
    if (other.embedderId !== this.embedderId || theirs.cols !== embeddings.cols) {
      throw new UserError(
        `models embedded with different models cannot be merged: ${this.embedderId} (${embeddings.cols}-d) and ${other.embedderId} (${theirs.cols}-d)`,
      );
    }
    const minSimilarity = options.minSimilarity ?? DEFAULT_MIN_SIMILARITY;
    const a = this.topicEmbeddings();
    const b = other.topicEmbeddings();
    const { mapping, newTopics } = mergeTopicMapping(
      a.topicIds,
      a.matrix,
      b.topicIds,
      b.matrix,
      minSimilarity,
    );
    const carried = new Map<number, Carried>();
    for (const t of other.topics) {
      const target = mapping.get(t.id);
      if (target !== undefined && newTopics.includes(target))
        carried.set(target, { customLabel: t.customLabel, zeroShotName: t.zeroShotName });
    }
    const docs = other.documents.map((d) => ({ ...d }));
    const labels = other.labels.map((t) => mapping.get(t) ?? -1);
    const probabilities = other.probabilities.map((p, i) => (labels[i] >= 0 ? p : 0));
    this.appendDocuments(docs, theirs, labels, probabilities, nanRows(docs.length, this.reduced?.cols ?? 0));
    await this.rebuildKeepingIds(
      "merge-models",
      { added: docs.length, minSimilarity, newTopics, from: other.source ?? "" },
      carried,
    );
    return { added: docs.length, mapping, newTopics };
  }

  /** merge_models over a list: the first model takes over the others in turn (it is changed and returned). */
  static async mergeModels(
    models: readonly TopicModel[],
    options: { minSimilarity?: number } = {},
  ): Promise<TopicModel> {
    if (models.length === 0) throw new UserError("mergeModels needs at least one model");
    for (const other of models.slice(1)) await models[0].mergeModel(other, options);
    return models[0];
  }

  /** Appends documents with their topics; they get cluster label -2 so the fitted stages stay as fitted. */
  private appendDocuments(
    docs: readonly CorpusDocument[],
    vectors: Matrix,
    labels: Int32Array,
    probabilities: Float32Array,
    reduced: Matrix,
  ): void {
    this.documents = [...this.documents, ...docs];
    this.labels = concatInt(this.labels, labels);
    this.probabilities = concatFloat(this.probabilities, probabilities);
    this.embeddings = appendRows(this.embeddings!, vectors);
    if (this.reduced) this.reduced = appendRows(this.reduced, reduced);
    if (this.clusterLabels)
      this.clusterLabels = concatInt(this.clusterLabels, new Int32Array(docs.length).fill(-2));
    this.topicVectorCache = undefined;
  }

  /** Rebuilds topics from the current labels without renumbering them (growth keeps every id). */
  private async rebuildKeepingIds(
    operation: string,
    parameters: Record<string, unknown>,
    extraCarried: ReadonlyMap<number, Carried> = new Map(),
  ): Promise<void> {
    const topicsBefore = this.realTopicIds().size;
    const carried = new Map<number, Carried>(extraCarried);
    for (const t of this.topics)
      carried.set(t.id, { customLabel: t.customLabel, zeroShotName: t.zeroShotName });
    const rebuilt = await rebuildTopics({
      texts: this.texts,
      labels: this.labels,
      included: this.included,
      embeddings: this.embeddings!,
      parameters: this.parameters,
      carried,
      embedTexts: (texts) => this.embedTexts(texts),
      termCounts: this.termCounts,
    });
    this.termCounts = rebuilt.termCounts;
    this.topics = rebuilt.topics;
    this.representation = rebuilt.representation;
    this.topicVectorCache = rebuilt.topicEmbeddings;
    await this.encoder.release();
    const at = new Date().toISOString();
    this.history.push({ operation, parameters, at, topicsBefore, topicsAfter: this.realTopicIds().size });
  }

  // ---------------------------------------------------------------------------------------------
  // views

  hierarchicalTopics(options: HierarchyOptions = {}): HierarchicalTopics {
    return modelHierarchy(this.fittedDocuments(), options, () => this.realTopicVectors());
  }

  /** The hierarchy as a text tree (custom labels shown where set). */
  topicTree(hierarchy: HierarchicalTopics = this.hierarchicalTopics()): string {
    return renderTopicTree(hierarchy, { labels: customLabels(this.topics) });
  }

  /** Topics over time; timestamps default to the documents' `timestamp` field. */
  topicsOverTime(
    options: OverTimeOptions & { timestamps?: readonly (string | number | undefined)[] } = {},
  ): TopicsOverTime {
    return modelTopicsOverTime(this.fittedDocuments(), options);
  }

  /** Topics per class; classes default to the documents' `label` field. */
  topicsPerClass(
    classes?: readonly (string | undefined)[],
    options: { globalTuning?: boolean } = {},
  ): TopicsPerClass {
    return modelTopicsPerClass(this.fittedDocuments(), classes, options);
  }

  private fittedDocuments(): FittedDocuments {
    const { representation } = this.requireFitted();
    const { documents, labels, topics } = this;
    return {
      documents,
      labels,
      topics,
      representation,
      topN: this.parameters.represent.topN,
      documentTerms: this.documentTerms(),
      countsKey: TopicTermCounts.keyFor(this.parameters.represent),
    };
  }

  /** Per-document topic distribution from c-TF-IDF over sliding token windows (default: the corpus). */
  approximateDistribution(docs?: readonly string[], options: DistributionOptions = {}): TopicDistribution {
    const { representation } = this.requireFitted();
    return approximateDistribution(representation, docs ?? this.texts, options);
  }

  /** The k topics whose embeddings are closest to the query (only the query is embedded). */
  async findTopics(query: string, k = 5): Promise<TopicMatch[]> {
    this.requireFitted();
    if (query.trim() === "") throw new UserError("the search query is empty");
    const q = await this.embedTexts([query]);
    const { topicIds, matrix } = this.topicEmbeddings();
    return findTopics(q, topicIds, matrix, k);
  }

  /** The k documents whose stored embeddings are closest to the query. */
  async searchDocuments(query: string, k = 10): Promise<DocumentMatch[]> {
    const { embeddings } = this.requireFitted();
    if (query.trim() === "") throw new UserError("the search query is empty");
    const q = await this.embedTexts([query]);
    const empty = this.included.map((v) => (v ? 0 : 1));
    return searchDocuments(q, embeddings, k, empty);
  }

  // ---------------------------------------------------------------------------------------------
  // files (folder.ts)

  manifest(): ModelManifest {
    return modelManifest(this, this.source);
  }

  documentRecords(): DocumentRecord[] {
    return documentRecords(this.documents, this.labels, this.probabilities);
  }

  topicState(): TopicState {
    return topicState(this.topicEmbeddings().topicIds, this.clusterTopic, this.history);
  }

  /**
   * Writes the model folder (format in folder/format.ts). The folder is built next to `dir` and
   * swapped in only when complete; an existing folder is replaced only with `force`. Reports are not
   * part of the model: `alsoWrite` adds them (src/report's writeModelOutputs) before the swap.
   */
  async save(dir: string, options: SaveOptions = {}): Promise<void> {
    await saveModelFolder(dir, this.toFolder(), options);
  }

  /** Everything the model folder stores (see folder/format.ts). */
  toFolder(): ModelFolder {
    const table = this.topicEmbeddings();
    return modelFolder(
      {
        ...this,
        topicState: this.topicState(),
        topicEmbeddings: table.matrix,
        clusterLabels: this.clusterLabels,
        stages: this.stages,
      },
      this.source,
    );
  }

  /**
   * Loads a model folder written by `save` (or `topicscope fit`). The reducer and HDBSCAN are rebuilt
   * from reduced.npy / embeddings.npy when `transform` first needs them (pipeline.ts), so a loaded
   * model predicts exactly what it did before it was saved.
   */
  static async load(dir: string, options: TopicModelOptions = {}): Promise<TopicModel> {
    const folder = loadModelFolder(dir);
    const stored = folder.manifest.parameters as DeepPartial<TopicModelParameters> | undefined;
    // Stored parameters win (they describe the fitted model), except an explicit embedding model
    // for new texts (e.g. naming the model behind precomputed embeddings).
    const model = new TopicModel({
      ...options,
      ...(stored ?? {}),
      embedding: {
        // folders written before --long-documents embedded their corpus truncated: new texts too
        ...(stored?.embedding ? { longDocuments: "truncate" as const } : {}),
        ...stored?.embedding,
        ...definedOnly(options.embedding),
      },
      // folders written before the outlier rule existed were fitted with BERTopic's behaviour
      outliers: stored?.outliers ?? "keep",
    });
    model.adopt(restoreModelState(dir, folder, model.parameters));
    return model;
  }
}

/** Seconds since the previous call (or since creation). */
function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const elapsed = (now - last) / 1000;
    last = now;
    return elapsed;
  };
}
