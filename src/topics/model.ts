/**
 * TopicModel: the staged pipeline (embed → reduce → cluster → represent) and the fitted result.
 * It only orchestrates; each stage lives in its own module and each later operation on a fitted
 * model (merge, reduce, outliers, hierarchy, …) in its own module under src/topics/.
 */
import { createClusterer, type HdbscanClusterer } from "../cluster/index.js";
import type { Clusterer } from "../cluster/types.js";
import { createEmbedder, type Embedder, embedWithCache } from "../embed/index.js";
import { writeFolderAtomic } from "../io/atomic.js";
import {
  loadModelFolder,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelFolder,
  writeModelFiles,
} from "../io/model-folder.js";
import { createReducer } from "../reduce/index.js";
import { type ModelOutputsOptions, writeModelOutputs } from "../report/outputs.js";
import { ctfidfSimilarity, type TopicRepresentation, topicLabel } from "../represent/index.js";
import { type CorpusDocument, type Matrix, selectRows } from "../types.js";
import { definedOnly } from "../util/defined.js";
import { UserError } from "../util/errors.js";
import { type Progress, silentProgress } from "../util/progress.js";
import { version } from "../version.js";
import { buildTopics, renumberWithMapping, restoreRepresentation, topicEmbeddings } from "./build.js";
import { approximateDistribution, type DistributionOptions, type TopicDistribution } from "./distribution.js";
import { guideBySeeds } from "./guided.js";
import { type HierarchicalTopics, hierarchicalTopics, renderTopicTree } from "./hierarchy.js";
import { type DocumentInfoRow, documentInfo, type TopicInfoRow, topicInfo } from "./info.js";
import type { LinkageMethod } from "./linkage.js";
import { applyTopicMap, deleteTopicMap, mergeTopicMap, type TopicMap } from "./merge.js";
import { assignOutliers, OUTLIER_STRATEGIES, type OutlierScores, type OutlierStrategy } from "./outliers.js";
import { type OverTimeOptions, parseTimestamps, type TopicsOverTime, topicsOverTime } from "./over-time.js";
import { DEFAULT_PARAMETERS, type DeepPartial, resolveParameters } from "./parameters.js";
import { type TopicsPerClass, topicsPerClass } from "./per-class.js";
import {
  readClusterLabels,
  readTopicState,
  TOPIC_STATE_FORMAT,
  TOPIC_STATE_VERSION,
  type TopicOperation,
  type TopicState,
  writeTopicState,
} from "./persist.js";
import { PipelinePredictor, pipelineUnavailable } from "./pipeline.js";
import { reduceAuto, reduceToN, type TopicVectors } from "./reduce-topics.js";
import { refineWords } from "./refine.js";
import { type DocumentMatch, findTopics, searchDocuments, type TopicMatch } from "./search.js";
import { cosineSimilarity, rowArgmax } from "./similarity.js";
import { softClusterScores } from "./soft-clusters.js";
import type { DocumentRecord, ModelManifest, StageTiming, Topic, TopicModelParameters } from "./types.js";
import { combineZeroShot, DEFAULT_ZERO_SHOT_MIN_SIMILARITY, zeroShotAssign } from "./zero-shot.js";

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

export interface FitExtras {
  /** Precomputed embeddings, one row per document (skips the embed stage). */
  embeddings?: Matrix;
  /** Where the corpus came from (stored in model.json). */
  source?: string;
  /** A class per document (per-class views, `supervised`); overrides the documents' `label`. */
  labels?: readonly (string | number | undefined)[];
  /** A timestamp per document (topics over time); overrides the documents' `timestamp`. */
  timestamps?: readonly (string | number | undefined)[];
}

export interface TransformOptions {
  /** Precomputed embeddings of the new documents (skips embedding). */
  embeddings?: Matrix;
  /**
   * "pipeline": reducer transform → HDBSCAN approximate predict (BERTopic's transform), rebuilt from
   * the saved layout so a loaded model predicts exactly what the fitted one did (pipeline.ts).
   * "similarity": cosine to the topic embeddings (BERTopic's transform without UMAP/HDBSCAN).
   * "auto" (default): pipeline where the model allows it (HDBSCAN, not zero-shot or guided), else
   * similarity. See docs/topic-operations.md.
   */
  method?: "auto" | "similarity" | "pipeline";
}

export interface TransformResult {
  topics: Int32Array;
  probabilities: Float32Array;
}

export interface SaveOptions {
  /** Replace an existing folder. */
  force?: boolean;
  /** Reports and charts (default true); an object passes options to writeModelOutputs. */
  outputs?: boolean | ModelOutputsOptions;
  /** Extra files written into the new folder before the reports (e.g. hierarchy.json). */
  beforeOutputs?: (dir: string) => void | Promise<void>;
}

export interface ReduceOutliersOptions {
  /** Minimum score (similarity, or probability for "probabilities") an outlier needs to move (default 0). */
  threshold?: number;
  /** approximate_distribution options for the "distributions" strategy. */
  distribution?: Omit<DistributionOptions, "minSimilarity">;
}

export interface HierarchyOptions {
  /** Linkage (default ward, as BERTopic). */
  method?: LinkageMethod;
  /** Distances from c-TF-IDF rows (default, as BERTopic) or topic embeddings. */
  distance?: "ctfidf" | "embeddings";
}

interface Carried {
  customLabel?: string;
  zeroShotName?: string;
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
  private source: string | undefined;
  private pipeline: PipelinePredictor | undefined;
  private clusterer: Clusterer | undefined;
  private ownedEmbedder: Embedder | undefined;
  private topicVectorCache: { topicIds: number[]; matrix: Matrix } | undefined;

  constructor(options: TopicModelOptions = {}) {
    this.options = options;
    this.parameters = resolveParameters(options);
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.options.onWarning?.(message);
  }

  /** Non-empty documents (the ones that take part in topics). */
  private get included(): Uint8Array {
    return Uint8Array.from(this.documents, (d) => (d.text.trim().length > 0 ? 1 : 0));
  }

  private get texts(): string[] {
    return this.documents.map((d) => d.text);
  }

  private requireFitted(): { embeddings: Matrix; representation: TopicRepresentation } {
    if (!this.embeddings || !this.representation)
      throw new Error("TopicModel: call fit() or TopicModel.load() first");
    return { embeddings: this.embeddings, representation: this.representation };
  }

  // ---------------------------------------------------------------------------------------------
  // fit

  /** Runs the whole pipeline. Empty documents stay in place with topic -1 and probability 0. */
  async fit(input: readonly (string | CorpusDocument)[], extras: FitExtras = {}): Promise<this> {
    const progress = this.options.progress ?? silentProgress;
    const p = this.parameters;
    this.source = extras.source;
    this.documents = input.map((doc, i) =>
      typeof doc === "string" ? { id: String(i), text: doc } : { ...doc },
    );
    const n = this.documents.length;
    if (n === 0) throw new UserError("the corpus has no documents");
    attachField(this.documents, extras.labels, "label", "labels");
    attachField(this.documents, extras.timestamps, "timestamp", "timestamps");
    const included = this.included;
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (included[i]) rows.push(i);
    if (rows.length < n) this.warn(`${n - rows.length} of ${n} documents are empty; they get topic -1`);
    const minimum = Math.max(
      p.reduce.method === "umap" ? p.reduce.nNeighbors + 1 : 2,
      p.cluster.minClusterSize,
    );
    if (rows.length < minimum && !p.zeroShotTopics) {
      throw new UserError(
        `only ${rows.length} non-empty documents; the pipeline needs at least ${minimum} (n_neighbors ${p.reduce.nNeighbors} + 1, min_cluster_size ${p.cluster.minClusterSize}): add documents or lower --n-neighbors / --min-cluster-size`,
      );
    }
    this.timings = [];
    this.history = [];

    // embed
    let embeddings: Matrix;
    if (extras.embeddings) {
      if (extras.embeddings.rows !== n) {
        throw new UserError(
          `precomputed embeddings have ${extras.embeddings.rows} rows but the corpus has ${n} documents`,
        );
      }
      embeddings = extras.embeddings;
      this.embedderId = "precomputed";
    } else {
      const stage = progress.stage(`embed ${n} documents (${p.embedding.model})`, "docs");
      const embedder = await this.getEmbedder();
      const result = await embedWithCache(embedder, this.texts, {
        batchSize: p.embedding.batchSize,
        cache: this.options.cache ?? true,
        onProgress: stage.update,
      });
      embeddings = result.matrix;
      this.embedderId = result.embedderId;
      this.timings.push({
        stage: "embed",
        seconds: stage.end(result.cached > 0 ? `${result.cached} from cache` : undefined),
      });
    }
    this.embeddings = embeddings;
    this.topicVectorCache = undefined;

    // guided (seed topics) or supervised: labels that steer the reducer
    let reduceInput = embeddings;
    let steering: Int32Array | undefined;
    if (p.seedTopics) {
      const seedVectors = await this.embedTexts(p.seedTopics.map((words) => words.join(" ")));
      const guided = guideBySeeds({ embeddings, included, seedVectors });
      reduceInput = guided.embeddings;
      steering = guided.seedLabels;
    } else if (p.supervised) {
      steering = classCodes(this.documents);
    }

    // zero-shot: documents close enough to a topic name skip clustering
    let zeroShot: Int32Array | undefined;
    if (p.zeroShotTopics) {
      const nameVectors = await this.embedTexts(p.zeroShotTopics);
      zeroShot = zeroShotAssign(
        embeddings,
        included,
        nameVectors,
        p.zeroShotMinSimilarity ?? DEFAULT_ZERO_SHOT_MIN_SIMILARITY,
      ).assignment;
    }
    const clusterRows = zeroShot ? rows.filter((i) => zeroShot[i] === -1) : rows;

    // reduce + cluster
    const rawLabels = new Int32Array(n).fill(-1);
    const probabilities = new Float32Array(n);
    this.reduced = {
      data: new Float32Array(n * p.reduce.nComponents).fill(Number.NaN),
      rows: n,
      cols: p.reduce.nComponents,
    };
    this.clusterer = undefined;
    this.pipeline = undefined;
    if (clusterRows.length >= minimum) {
      const subset = selectRows(reduceInput, clusterRows);
      let stage = progress.stage(
        `reduce ${clusterRows.length}×${embeddings.cols} → ${p.reduce.nComponents}-d (${p.reduce.method})`,
        "epochs",
      );
      const reducer = createReducer({ ...p.reduce, seed: p.seed });
      const reducedSubset = await reducer.fit(subset, {
        onProgress: stage.update,
        labels: steering ? Int32Array.from(clusterRows, (i) => steering[i]) : undefined,
      });
      this.timings.push({ stage: "reduce", seconds: stage.end() });
      this.reduced = scatterRows(reducedSubset, clusterRows, n, Number.NaN);

      stage = progress.stage(`cluster ${clusterRows.length} points (${p.cluster.method})`);
      const clusterer = createClusterer({ ...p.cluster, seed: p.seed });
      const clusters = clusterer.fit(reducedSubset);
      clusterRows.forEach((docIndex, r) => {
        rawLabels[docIndex] = clusters.labels[r];
        probabilities[docIndex] = clusters.probabilities[r];
      });
      this.timings.push({ stage: "cluster", seconds: stage.end() });
      // BERTopic drops the clusterer of a zero-shot model: new documents go by similarity.
      if (!zeroShot) {
        this.clusterer = clusterer;
      }
    } else if (zeroShot && clusterRows.length > 0) {
      this.warn(
        `${clusterRows.length} documents matched no zero-shot topic and are too few to cluster (need ${minimum}); they stay outliers`,
      );
    }

    // combine: zero-shot topics first, then the clusters (BERTopic's _combine_zeroshot_topics)
    const { combined, shift, names } = zeroShot
      ? combineZeroShot(rawLabels, zeroShot, p.zeroShotTopics ?? [])
      : { combined: rawLabels, shift: 0, names: new Map<number, string>() };
    const carried = new Map<number, Carried>([...names].map(([id, zeroShotName]) => [id, { zeroShotName }]));
    this.clusterLabels = Int32Array.from(rawLabels);
    for (const i of rows) if (zeroShot && zeroShot[i] >= 0) this.clusterLabels[i] = -2;
    for (let i = 0; i < n; i++) if (!included[i] || clusterRows.length < minimum) this.clusterLabels[i] = -2;
    const { labels, mapping } = renumberWithMapping(combined);
    this.labels = labels;
    this.probabilities = probabilities;
    this.clusterTopic = new Map();
    for (const raw of new Set(rawLabels))
      if (raw >= 0) this.clusterTopic.set(raw, mapping.get(raw + shift) ?? -1);
    const renamed = new Map<number, Carried>();
    for (const [old, c] of carried) if (mapping.has(old)) renamed.set(mapping.get(old)!, c);

    // represent
    const stage = progress.stage("represent topics (c-TF-IDF)");
    await this.rebuildTopics(renamed);
    if (zeroShot) this.probabilities = this.similarityToTopics(embeddings, included).probabilities;
    const topicCount = this.topics.filter((t) => t.id >= 0).length;
    const outliers = this.labels.reduce((c, l) => c + (l === -1 ? 1 : 0), 0);
    this.timings.push({
      stage: "represent",
      seconds: stage.end(`${topicCount} topics, ${((100 * outliers) / n).toFixed(1)}% outliers`),
    });
    this.peakRssBytes = process.resourceUsage().maxRSS * 1024;
    await this.releaseEmbedder();
    return this;
  }

  /** Recomputes c-TF-IDF, words, labels, representative documents and topic embeddings from `labels`. */
  private async rebuildTopics(carried: ReadonlyMap<number, Carried>): Promise<void> {
    const p = this.parameters;
    const embeddings = this.embeddings!;
    const built = buildTopics({
      texts: this.texts,
      labels: this.labels,
      included: this.included,
      embeddings,
      represent: p.represent,
      representativeDocs: p.representativeDocs,
      seedWords: p.seedTopics?.flat(),
    });
    this.representation = built.representation;
    this.topicVectorCache = undefined;
    let refined: Map<number, Topic["words"]> | undefined;
    const rep = p.representation;
    if (rep && rep.model !== "ctfidf") {
      const { topicIds, matrix } = this.topicEmbeddings();
      const vectors = new Map(
        topicIds.map((id, r) => [id, matrix.data.slice(r * matrix.cols, (r + 1) * matrix.cols)]),
      );
      refined = await refineWords(
        built.representation,
        rep,
        p.represent.topN,
        (texts) => this.embedTexts(texts),
        vectors,
      );
    }
    this.topics = built.topics.map((t) => {
      const words = refined?.get(t.id) ?? t.words;
      const c = carried.get(t.id);
      const topic: Topic = { ...t, words, label: c?.zeroShotName ?? topicLabel(t.id, words) };
      if (c?.customLabel !== undefined) topic.customLabel = c.customLabel;
      if (c?.zeroShotName !== undefined) topic.zeroShotName = c.zeroShotName;
      return topic;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // embeddings of new texts

  private async getEmbedder(): Promise<Embedder> {
    if (this.options.embedder) return this.options.embedder;
    this.ownedEmbedder ??= await createEmbedder({ model: this.parameters.embedding.model });
    return this.ownedEmbedder;
  }

  private async releaseEmbedder(): Promise<void> {
    const owned = this.ownedEmbedder;
    this.ownedEmbedder = undefined;
    await owned?.dispose?.();
  }

  /** Releases the embedding model this TopicModel created (call when done with transform/search). */
  async dispose(): Promise<void> {
    await this.releaseEmbedder();
  }

  /** Embeds texts with the model's encoder and checks they live in the documents' space. */
  async embedTexts(texts: readonly string[]): Promise<Matrix> {
    const embedder = await this.getEmbedder();
    const cacheable = this.options.embedder === undefined;
    const { matrix } = await embedWithCache(embedder, texts, {
      batchSize: this.parameters.embedding.batchSize,
      cache: cacheable ? (this.options.cache ?? true) : false,
    });
    if (this.embeddings && matrix.cols !== this.embeddings.cols) {
      throw new UserError(
        `${embedder.id} gives ${matrix.cols}-d vectors but the model's document embeddings are ${this.embeddings.cols}-d (${this.embedderId}); use the embedding model that made them${this.embedderId === "precomputed" ? " (--model), or pass precomputed embeddings for new documents" : ""}`,
      );
    }
    return matrix;
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
    const included = this.included;
    const masked = this.labels.map((l, i) => (included[i] ? l : -2));
    const topicIds = [...new Set(masked)].filter((id) => id !== -2).sort((a, b) => a - b);
    this.topicVectorCache = { topicIds, matrix: topicEmbeddings(embeddings, masked, topicIds) };
    return this.topicVectorCache;
  }

  private realTopicVectors(): TopicVectors {
    const { topicIds, matrix } = this.topicEmbeddings();
    const rows = topicIds.map((id, r) => [id, r] as const).filter(([id]) => id >= 0);
    return {
      topicIds: rows.map(([id]) => id),
      vectors: selectRows(
        matrix,
        rows.map(([, r]) => r),
      ),
    };
  }

  topicInfo(): TopicInfoRow[] {
    return topicInfo(this.topics, this.documents);
  }

  documentInfo(): DocumentInfoRow[] {
    return documentInfo(this.topics, this.documents, this.labels, this.probabilities);
  }

  /** Custom labels by topic id (BERTopic's set_topic_labels); an empty string removes one. */
  setTopicLabels(labels: ReadonlyMap<number, string> | Record<number, string>): void {
    const entries =
      labels instanceof Map ? [...labels] : Object.entries(labels).map(([k, v]) => [Number(k), v] as const);
    for (const [id] of entries) this.checkTopicId(id, "set label");
    for (const [id, label] of entries) {
      const topic = this.topic(id)!;
      if (label.trim() === "") delete topic.customLabel;
      else topic.customLabel = label.trim();
    }
  }

  private checkTopicId(id: number, what: string): void {
    if (!this.topics.some((t) => t.id === id)) {
      const real = this.topics.filter((t) => t.id >= 0).length;
      throw new UserError(
        `${what}: unknown topic id ${id}; the model has topics 0..${real - 1}${this.topic(-1) ? " and -1" : ""}`,
      );
    }
  }

  // ---------------------------------------------------------------------------------------------
  // transform

  /** Topics of new documents (see TransformOptions for the two methods). Empty documents get -1. */
  async transform(docs: readonly string[], options: TransformOptions = {}): Promise<TransformResult> {
    this.requireFitted();
    const embeddings = options.embeddings ?? (await this.embedTexts(docs));
    if (embeddings.rows !== docs.length) {
      throw new UserError(
        `precomputed embeddings have ${embeddings.rows} rows but there are ${docs.length} documents`,
      );
    }
    const included = Uint8Array.from(docs, (d) => (d.trim().length > 0 ? 1 : 0));
    const method = options.method ?? "auto";
    const unavailable = pipelineUnavailable(this.parameters, this.clusterLabels);
    if (method === "similarity" || (method === "auto" && unavailable))
      return this.similarityToTopics(embeddings, included);
    if (unavailable)
      throw new UserError(
        `transform method 'pipeline' is not available: ${unavailable}; use method 'similarity'`,
      );
    const live = this.clusterer as HdbscanClusterer | undefined;
    this.pipeline ??= new PipelinePredictor({
      parameters: this.parameters,
      embeddings: this.embeddings!,
      reduced: this.reduced!,
      clusterLabels: this.clusterLabels!,
      liveModel: live?.name === "hdbscan" ? live.model : undefined,
    });
    const rows = [...included.keys()].filter((i) => included[i]);
    const topics = new Int32Array(docs.length).fill(-1);
    const probabilities = new Float32Array(docs.length);
    if (rows.length === 0) return { topics, probabilities };
    const predicted = await this.pipeline.predict(selectRows(embeddings, rows));
    rows.forEach((doc, r) => {
      const cluster = predicted.labels[r];
      topics[doc] = cluster >= 0 ? (this.clusterTopic.get(cluster) ?? -1) : -1;
      probabilities[doc] = topics[doc] >= 0 ? predicted.probabilities[r] : 0;
    });
    return { topics, probabilities };
  }

  /** BERTopic's transform without reducer/clusterer: argmax cosine to the topic embeddings (-1 included when it exists). */
  private similarityToTopics(embeddings: Matrix, included: Uint8Array): TransformResult {
    const { topicIds, matrix } = this.topicEmbeddings();
    const topics = new Int32Array(embeddings.rows).fill(-1);
    const probabilities = new Float32Array(embeddings.rows);
    if (topicIds.length === 0) return { topics, probabilities };
    const sims = cosineSimilarity(embeddings, matrix);
    for (let i = 0; i < embeddings.rows; i++) {
      if (!included[i]) continue;
      const { index, value } = rowArgmax(sims, i);
      topics[i] = topicIds[index];
      probabilities[i] = Math.max(0, value);
    }
    return { topics, probabilities };
  }

  // ---------------------------------------------------------------------------------------------
  // operations that change the assignment

  private realTopicIds(): Set<number> {
    return new Set(this.topics.filter((t) => t.id >= 0).map((t) => t.id));
  }

  /**
   * Applies new labels given in the current ids (a merged topic carries the id it joined), renumbers
   * topics by size, carries custom labels / zero-shot names along, and rebuilds the topics.
   */
  private async applyAssignment(
    labels: Int32Array,
    probabilities: Float32Array,
    topicMap: TopicMap | undefined,
    operation: string,
    parameters: Record<string, unknown>,
  ): Promise<void> {
    const before = this.realTopicIds().size;
    const { labels: renumbered, mapping } = renumberWithMapping(labels);
    const carried = new Map<number, Carried>();
    for (const t of this.topics) {
      const target = mapping.get(t.id);
      if (target !== undefined)
        carried.set(target, { customLabel: t.customLabel, zeroShotName: t.zeroShotName });
    }
    this.clusterTopic = new Map(
      [...this.clusterTopic].map(([cluster, topic]) => [
        cluster,
        mapping.get(topicMap?.get(topic) ?? topic) ?? -1,
      ]),
    );
    this.labels = renumbered;
    this.probabilities = probabilities;
    await this.rebuildTopics(carried);
    await this.releaseEmbedder();
    this.history.push({
      operation,
      parameters,
      at: new Date().toISOString(),
      topicsBefore: before,
      topicsAfter: this.realTopicIds().size,
    });
  }

  /** Fewer topics: to n real topics (agglomerative, average linkage on topic-embedding cosine) or "auto" (HDBSCAN). */
  async reduceTopics(n: number | "auto"): Promise<this> {
    this.requireFitted();
    const vectors = this.realTopicVectors();
    const map = n === "auto" ? reduceAuto(vectors) : reduceToN(vectors, n);
    await this.applyAssignment(applyTopicMap(this.labels, map), this.probabilities, map, "reduce-topics", {
      n,
    });
    return this;
  }

  /** Merges each group into its first topic (BERTopic's merge_topics). */
  async mergeTopics(groups: readonly (readonly number[])[]): Promise<this> {
    this.requireFitted();
    const map = mergeTopicMap(this.realTopicIds(), groups);
    await this.applyAssignment(applyTopicMap(this.labels, map), this.probabilities, map, "merge-topics", {
      groups,
    });
    return this;
  }

  /** The documents of these topics become outliers. */
  async deleteTopics(ids: readonly number[]): Promise<this> {
    this.requireFitted();
    const map = deleteTopicMap(this.realTopicIds(), ids);
    const labels = applyTopicMap(this.labels, map);
    const probabilities = this.probabilities.map((p, i) => (labels[i] === -1 ? 0 : p));
    await this.applyAssignment(labels, probabilities, map, "delete-topics", { topics: ids });
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
    if (!OUTLIER_STRATEGIES.includes(strategy)) {
      throw new UserError(
        `unknown outlier strategy '${String(strategy)}'; use ${OUTLIER_STRATEGIES.join(", ")}`,
      );
    }
    const threshold = options.threshold ?? 0;
    const included = this.included;
    const outliers = [...this.labels.keys()].filter((i) => this.labels[i] === -1 && included[i]);
    if (outliers.length === 0) throw new UserError("the model has no outliers to reduce");
    if (this.realTopicIds().size === 0) throw new UserError("the model has no topics to move outliers into");
    const texts = outliers.map((i) => this.documents[i].text);
    let scores: OutlierScores;
    let effectiveThreshold = threshold;
    switch (strategy) {
      case "c-tf-idf": {
        const s = ctfidfSimilarity(representation, texts);
        scores = { documents: outliers, topicIds: s.topicIds, scores: s.scores };
        break;
      }
      case "embeddings": {
        const { topicIds, vectors } = this.realTopicVectors();
        scores = {
          documents: outliers,
          topicIds,
          scores: cosineSimilarity(selectRows(embeddings, outliers), vectors),
        };
        break;
      }
      case "distributions": {
        // BERTopic passes the threshold to approximate_distribution as its min_similarity.
        const d = approximateDistribution(representation, texts, {
          ...options.distribution,
          minSimilarity: threshold,
        });
        scores = { documents: outliers, topicIds: d.topicIds, scores: d.distributions };
        effectiveThreshold = 0;
        break;
      }
      case "probabilities": {
        scores = this.softClusterScores(outliers);
        break;
      }
    }
    const result = assignOutliers(this.labels, this.probabilities, scores, effectiveThreshold);
    if (result.reassigned > 0) {
      await this.applyAssignment(result.labels, result.probabilities, undefined, "reduce-outliers", {
        strategy,
        threshold,
      });
    }
    return { reassigned: result.reassigned, remaining: outliers.length - result.reassigned };
  }

  /** HDBSCAN soft-cluster membership of the outliers, per current topic (soft-clusters.ts). */
  private softClusterScores(outliers: number[]): OutlierScores {
    const live = this.clusterer as HdbscanClusterer | undefined;
    return softClusterScores({
      outliers,
      clusterLabels: this.clusterLabels,
      reduced: this.reduced,
      cluster: this.parameters.cluster,
      liveModel: live?.name === "hdbscan" ? live.model : undefined,
      clusterTopic: this.clusterTopic,
      topicIds: [...this.realTopicIds()].sort((x, y) => x - y),
    });
  }

  // ---------------------------------------------------------------------------------------------
  // views

  hierarchicalTopics(options: HierarchyOptions = {}): HierarchicalTopics {
    const { representation } = this.requireFitted();
    const real = this.topics.filter((t) => t.id >= 0).sort((a, b) => a.id - b.id);
    const parts = new Map(real.map((t) => [t.id, [] as string[]]));
    this.labels.forEach((l, i) => {
      parts.get(l)?.push(this.documents[i].text);
    });
    let embeddings: Matrix | undefined;
    if (options.distance === "embeddings") embeddings = this.realTopicVectors().vectors;
    return hierarchicalTopics({
      representation,
      topics: real,
      topicTexts: real.map((t) => parts.get(t.id)!.join(" ")),
      embeddings,
      method: options.method,
      topN: this.parameters.represent.topN,
    });
  }

  /** The hierarchy as a text tree (custom labels shown where set). */
  topicTree(hierarchy: HierarchicalTopics = this.hierarchicalTopics()): string {
    const labels = new Map(this.topics.filter((t) => t.customLabel).map((t) => [t.id, t.customLabel!]));
    return renderTopicTree(hierarchy, { labels });
  }

  /** Topics over time; timestamps default to the documents' `timestamp` field. */
  topicsOverTime(
    options: OverTimeOptions & { timestamps?: readonly (string | number | undefined)[] } = {},
  ): TopicsOverTime {
    const { representation } = this.requireFitted();
    const values = options.timestamps ?? this.documents.map((d) => d.timestamp);
    if (values.length !== this.documents.length) {
      throw new UserError(`${values.length} timestamps for ${this.documents.length} documents`);
    }
    if (!options.timestamps && values.every((v) => v === undefined)) {
      throw new UserError(
        "the documents have no timestamps; fit with --time-field <field> (or pass timestamps) to see topics over time",
      );
    }
    const time = parseTimestamps(
      values,
      this.documents.map((d) => d.id),
    );
    return topicsOverTime(representation, this.texts, this.labels, time, {
      topN: this.parameters.represent.topN,
      ...options,
    });
  }

  /** Topics per class; classes default to the documents' `label` field. */
  topicsPerClass(
    classes?: readonly (string | undefined)[],
    options: { globalTuning?: boolean } = {},
  ): TopicsPerClass {
    const { representation } = this.requireFitted();
    const values = classes ?? this.documents.map((d) => d.label);
    if (values.length !== this.documents.length)
      throw new UserError(`${values.length} classes for ${this.documents.length} documents`);
    return topicsPerClass(representation, this.texts, this.labels, values, {
      topN: this.parameters.represent.topN,
      ...options,
    });
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
  // files

  manifest(): ModelManifest {
    return {
      format: MODEL_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      version,
      createdAt: new Date().toISOString(),
      parameters: this.parameters,
      embedder: { id: this.embedderId, dimension: this.embeddings?.cols ?? 0 },
      corpus: {
        documents: this.documents.length,
        emptyDocuments: this.documents.filter((d) => d.text.trim().length === 0).length,
        source: this.source,
      },
      timings: this.timings,
      peakRssBytes: this.peakRssBytes,
    };
  }

  documentRecords(): DocumentRecord[] {
    return this.documents.map((d, i) => {
      const record: DocumentRecord = {
        id: d.id,
        topic: this.labels[i],
        probability: Math.round(this.probabilities[i] * 1e6) / 1e6,
        text: d.text,
      };
      if (d.label !== undefined) record.label = d.label;
      if (d.timestamp !== undefined) record.timestamp = d.timestamp;
      return record;
    });
  }

  topicState(): TopicState {
    return {
      format: TOPIC_STATE_FORMAT,
      version: TOPIC_STATE_VERSION,
      topicIds: this.topicEmbeddings().topicIds,
      clusterTopic: [...this.clusterTopic].sort((a, b) => a[0] - b[0]),
      history: this.history,
    };
  }

  /**
   * Writes the model folder with its reports. The folder is built next to `dir` and swapped in only
   * when complete; an existing folder is replaced only with `force`.
   */
  async save(dir: string, options: SaveOptions = {}): Promise<void> {
    const folder = this.toFolder();
    const state = this.topicState();
    const vectors = this.topicEmbeddings().matrix;
    await writeFolderAtomic(
      dir,
      async (temporary) => {
        writeModelFiles(temporary, folder);
        writeTopicState(temporary, state, vectors, this.clusterLabels ?? undefined);
        await options.beforeOutputs?.(temporary);
        if (options.outputs !== false) {
          await writeModelOutputs(
            temporary,
            folder,
            typeof options.outputs === "object" ? options.outputs : {},
          );
        }
      },
      { force: options.force },
    );
  }

  /** Everything the model folder stores (see src/io/model-folder.ts). */
  toFolder(): ModelFolder {
    if (!this.embeddings || !this.reduced) throw new Error("TopicModel: call fit() before saving");
    return {
      manifest: this.manifest(),
      topics: this.topics,
      documents: this.documentRecords(),
      embeddings: this.embeddings,
      reduced: this.reduced,
      representation: this.representation ? this.representation.toJSON() : undefined,
    };
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
      embedding: { ...stored?.embedding, ...definedOnly(options.embedding) },
    });
    model.documents = folder.documents.map((r) => {
      const doc: CorpusDocument = { id: r.id, text: r.text };
      if (r.label !== undefined) doc.label = r.label;
      if (r.timestamp !== undefined) doc.timestamp = r.timestamp;
      return doc;
    });
    model.labels = Int32Array.from(folder.documents, (r) => r.topic);
    model.probabilities = Float32Array.from(folder.documents, (r) => r.probability);
    model.topics = folder.topics;
    model.embeddings = folder.embeddings ?? null;
    model.reduced = folder.reduced ?? null;
    model.embedderId = folder.manifest.embedder.id;
    model.timings = folder.manifest.timings ?? [];
    model.peakRssBytes = folder.manifest.peakRssBytes ?? 0;
    model.source = folder.manifest.corpus.source;
    const known = new Set(model.topics.map((t) => t.id));
    const unknown = [...new Set(model.labels)].find((l) => !known.has(l));
    if (unknown !== undefined) {
      throw new UserError(
        `${dir}: documents.jsonl assigns topic ${unknown}, which topics.json does not list; the folder is inconsistent: refit`,
      );
    }
    model.representation = restoreRepresentation(
      folder.representation,
      model.documents.map((d) => d.text),
      model.labels,
      model.parameters.represent,
      model.parameters.seedTopics?.flat(),
    );
    model.clusterLabels = readClusterLabels(dir, model.documents.length) ?? null;
    if (model.clusterLabels) model.clusterTopic = clusterTopicsFromLabels(model.clusterLabels, model.labels);
    const extra = readTopicState(dir);
    if (extra) {
      model.clusterTopic = new Map(extra.state.clusterTopic);
      model.history = extra.state.history ?? [];
      const current = model.topicEmbeddings().topicIds;
      if (extra.topicEmbeddings && sameIds(extra.state.topicIds, current)) {
        model.topicVectorCache = { topicIds: current, matrix: extra.topicEmbeddings };
      }
    }
    return model;
  }
}

/** Cluster → topic by majority of each cluster's documents (unanimous unless topics were edited by hand). */
function clusterTopicsFromLabels(clusterLabels: Int32Array, labels: Int32Array): Map<number, number> {
  const votes = new Map<number, Map<number, number>>();
  clusterLabels.forEach((c, i) => {
    if (c < 0) return;
    const v = votes.get(c) ?? new Map<number, number>();
    v.set(labels[i], (v.get(labels[i]) ?? 0) + 1);
    votes.set(c, v);
  });
  return new Map([...votes].map(([c, v]) => [c, [...v].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0][0]]));
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function attachField(
  documents: CorpusDocument[],
  values: readonly (string | number | undefined)[] | undefined,
  field: "label" | "timestamp",
  name: string,
): void {
  if (!values) return;
  if (values.length !== documents.length) {
    throw new UserError(`${values.length} ${name} for ${documents.length} documents; give one per document`);
  }
  values.forEach((v, i) => {
    if (v === undefined || v === null) delete documents[i][field];
    else documents[i][field] = String(v);
  });
}

/** Integer class per document from its `label` (-1 = none), for supervised reduction. */
function classCodes(documents: readonly CorpusDocument[]): Int32Array {
  const codes = new Map<string, number>();
  const out = Int32Array.from(documents, (d) => {
    if (d.label === undefined || d.label === "") return -1;
    if (!codes.has(d.label)) codes.set(d.label, codes.size);
    return codes.get(d.label)!;
  });
  if (codes.size === 0)
    throw new UserError("supervised topic modelling needs class labels: fit with --label-field <field>");
  return out;
}

/** Places the rows of `subset` at positions `rows` of an n-row matrix; other rows get `fill`. */
export function scatterRows(subset: Matrix, rows: readonly number[], n: number, fill: number): Matrix {
  const { cols } = subset;
  const data = new Float32Array(n * cols).fill(fill);
  rows.forEach((r, i) => {
    data.set(subset.data.subarray(i * cols, (i + 1) * cols), r * cols);
  });
  return { data, rows: n, cols };
}
