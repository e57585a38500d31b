/**
 * The staged fit: documents → embed → (guide / zero-shot) → reduce → cluster → represent, as one
 * function from documents, parameters and stage factories to a plain fitted state (state.ts).
 * Empty documents stay in place with topic -1 and probability 0.
 */
import type { createClusterer } from "../../cluster/index.js";
import type { Clusterer } from "../../cluster/types.js";
import type { createReducer, reducerMinimumRows } from "../../reduce/index.js";
import { resolveLanguageOptions } from "../../represent/index.js";
import { type CorpusDocument, type Matrix, selectRows } from "../../types.js";
import { UserError } from "../../util/errors.js";
import type { Progress } from "../../util/progress.js";
import { applyTopicMap } from "../operations/merge.js";
import { maxClusterSizeFor } from "../parameters.js";
import type { StageTiming, TopicModelParameters } from "../types.js";
import { absorbOutliers } from "./absorb-outliers.js";
import { renumberWithMapping } from "./build.js";
import {
  groupIdenticalTexts,
  identityLabels,
  identityWarning,
  indistinguishableTopics,
  mergedWarning,
  noClusterWarning,
} from "./degenerate.js";
import type { LazyEmbedder } from "./embedder.js";
import { guideBySeeds } from "./guided.js";
import type { FittedStages } from "./pipeline.js";
import { type PrecountJob, precountedTerms, startPrecount } from "./precount.js";
import { type Carried, rebuildTopics } from "./rebuild.js";
import type { ModelState } from "./state.js";
import type { TopicTermCounts } from "./term-counts.js";
import { includedDocuments, topicEmbeddingTable } from "./topic-vectors.js";
import { similarityToTopics } from "./transform.js";
import { combineZeroShot, DEFAULT_ZERO_SHOT_MIN_SIMILARITY, zeroShotAssign } from "./zero-shot.js";

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

export interface FitStages {
  parameters: TopicModelParameters;
  progress: Progress;
  /** Embeds the corpus (when not precomputed) and the seed / zero-shot / refinement texts. */
  encoder: LazyEmbedder;
  warn: (message: string) => void;
  createReducer: typeof createReducer;
  /** The fewest documents the reducer needs (reducerMinimumRows). */
  minimumRows: typeof reducerMinimumRows;
  createClusterer: typeof createClusterer;
}

/** Runs the whole pipeline; the fitted state has an empty history. */
export async function fitTopics(
  input: readonly (string | CorpusDocument)[],
  extras: FitExtras,
  stages: FitStages,
): Promise<ModelState> {
  const background: PrecountJob[] = [];
  try {
    return await runPipeline(input, extras, stages, background);
  } finally {
    // a worker still counting (the fit failed, or did not need it) stops with the fit
    for (const job of background) job.cancel();
  }
}

async function runPipeline(
  input: readonly (string | CorpusDocument)[],
  extras: FitExtras,
  stages: FitStages,
  background: PrecountJob[],
): Promise<ModelState> {
  const { parameters: p, progress, encoder } = stages;
  const documents = input.map((doc, i) =>
    typeof doc === "string" ? { id: String(i), text: doc } : { ...doc },
  );
  const n = documents.length;
  if (n === 0) throw new UserError("the corpus has no documents");
  attachField(documents, extras.labels, "label", "labels");
  attachField(documents, extras.timestamps, "timestamp", "timestamps");
  const texts = documents.map((d) => d.text);
  const included = includedDocuments(documents);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (included[i]) rows.push(i);
  if (rows.length < n) stages.warn(`${n - rows.length} of ${n} documents are empty; they get topic -1`);
  const minimum = Math.max(stages.minimumRows({ ...p.reduce, seed: p.seed }), p.cluster.minClusterSize);
  if (rows.length < minimum && !p.zeroShotTopics) {
    throw new UserError(
      `only ${rows.length} non-empty documents; the pipeline needs at least ${minimum} (n_neighbors ${p.reduce.nNeighbors} + 1, min_cluster_size ${p.cluster.minClusterSize}): add documents or lower --n-neighbors / --min-cluster-size`,
    );
  }
  // fewer distinct texts than the pipeline needs: grouped by text, not clustered (degenerate.ts)
  const groups = groupIdenticalTexts(texts, included);
  const identity = !p.zeroShotTopics && groups.sizes.length < minimum;
  if (identity) stages.warn(identityWarning(rows.length, groups, minimum, p.cluster.minClusterSize));
  const timings: StageTiming[] = [];
  // the corpus language: topic words' segmentation and stop words ("auto" resolved and stored)
  Object.assign(p.represent, resolveLanguageOptions(texts, p.represent));
  // the represent stage's term count, on a background thread while the other stages run (precount.ts)
  const precount = identity ? undefined : startPrecount(texts, included, p.represent);
  if (precount) background.push(precount);

  // embed
  let embeddings: Matrix;
  let embedderId: string;
  if (extras.embeddings) {
    if (extras.embeddings.rows !== n) {
      throw new UserError(
        `precomputed embeddings have ${extras.embeddings.rows} rows but the corpus has ${n} documents`,
      );
    }
    embeddings = extras.embeddings;
    embedderId = "precomputed";
  } else {
    await encoder.prepare(texts, stages.warn, progress);
    const stage = progress.stage(`embed ${n} documents (${p.embedding.model})`, "docs");
    const result = await encoder.embedDocuments(texts, stage.update);
    embeddings = result.matrix;
    embedderId = result.embedderId;
    timings.push({
      stage: "embed",
      seconds: stage.end(result.cached > 0 ? `${result.cached} from cache` : undefined),
    });
  }
  const space = { embeddings, embedderId };
  const embedTexts = (list: readonly string[]) => encoder.embedTexts(list, space);

  // guided (seed topics) or supervised: labels that steer the reducer
  let reduceInput = embeddings;
  let steering: Int32Array | undefined;
  if (p.seedTopics) {
    const seedVectors = await embedTexts(p.seedTopics.map((words) => words.join(" ")));
    const guided = guideBySeeds({ embeddings, included, seedVectors });
    reduceInput = guided.embeddings;
    steering = guided.seedLabels;
  } else if (p.supervised) {
    steering = classCodes(documents);
  }

  // zero-shot: documents close enough to a topic name skip clustering
  let zeroShot: Int32Array | undefined;
  if (p.zeroShotTopics) {
    const nameVectors = await embedTexts(p.zeroShotTopics);
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
  let probabilities: Float32Array = new Float32Array(n);
  let reduced: Matrix = {
    data: new Float32Array(n * p.reduce.nComponents).fill(Number.NaN),
    rows: n,
    cols: p.reduce.nComponents,
  };
  let liveClusterer: Clusterer | undefined;
  let stageStates: FittedStages | undefined;
  if (identity) {
    const byText = identityLabels(groups, p.cluster.minClusterSize);
    rawLabels.set(byText);
    probabilities = Float32Array.from(byText, (label) => (label >= 0 ? 1 : 0));
  } else if (clusterRows.length >= minimum) {
    const subset = selectRows(reduceInput, clusterRows);
    let stage = progress.stage(
      `reduce ${clusterRows.length}×${embeddings.cols} → ${p.reduce.nComponents}-d (${p.reduce.method})`,
      "epochs",
    );
    const reducer = stages.createReducer({ ...p.reduce, seed: p.seed });
    const reducedSubset = await reducer.fit(subset, {
      onProgress: stage.update,
      labels: steering ? Int32Array.from(clusterRows, (i) => steering[i]) : undefined,
    });
    timings.push({ stage: "reduce", seconds: stage.end() });
    reduced = scatterRows(reducedSubset, clusterRows, n, Number.NaN);

    stage = progress.stage(`cluster ${clusterRows.length} points (${p.cluster.method})`);
    const clusterer = stages.createClusterer({
      ...p.cluster,
      maxClusterSize: maxClusterSizeFor(p.cluster, clusterRows.length),
      seed: p.seed,
    });
    const clusters = clusterer.fit(reducedSubset);
    clusterRows.forEach((docIndex, r) => {
      rawLabels[docIndex] = clusters.labels[r];
      probabilities[docIndex] = clusters.probabilities[r];
    });
    timings.push({ stage: "cluster", seconds: stage.end() });
    if (!zeroShot && !clusters.labels.some((label) => label >= 0))
      stages.warn(noClusterWarning(clusterRows.length, p.cluster));
    stageStates = { reducer: reducer.toState(), clusterer: clusterer.toState() };
    // BERTopic drops the clusterer of a zero-shot model: new documents go by similarity.
    if (!zeroShot) {
      liveClusterer = clusterer;
    }
  } else if (zeroShot && clusterRows.length > 0) {
    stages.warn(
      `${clusterRows.length} documents matched no zero-shot topic and are too few to cluster (need ${minimum}); they stay outliers`,
    );
  }

  // outliers: the default lets each join its nearest topic when it is as close as the topic's own
  // members (absorb-outliers.ts); clusterLabels below keep HDBSCAN's own labels. Zero-shot models keep
  // BERTopic's behaviour (their documents are matched by similarity already).
  let assigned: Int32Array = rawLabels;
  if (p.outliers === "reduce" && !zeroShot && liveClusterer) {
    const absorbed = absorbOutliers(embeddings, rawLabels, probabilities, included);
    assigned = absorbed.labels;
    probabilities = absorbed.probabilities;
  }

  // combine: zero-shot topics first, then the clusters (BERTopic's _combine_zeroshot_topics)
  const { combined, shift, names } = zeroShot
    ? combineZeroShot(rawLabels, zeroShot, p.zeroShotTopics ?? [])
    : { combined: assigned, shift: 0, names: new Map<number, string>() };
  const carried = new Map<number, Carried>([...names].map(([id, zeroShotName]) => [id, { zeroShotName }]));
  const clusterLabels = Int32Array.from(rawLabels);
  for (const i of rows) if (zeroShot && zeroShot[i] >= 0) clusterLabels[i] = -2;
  for (let i = 0; i < n; i++)
    if (!included[i] || clusterRows.length < minimum || identity) clusterLabels[i] = -2;
  const renumbered = renumberWithMapping(combined);
  let labels = renumbered.labels;
  const { mapping } = renumbered;
  // an identity fit has no clusterer: new documents go by similarity to the topics
  const clusterTopic = new Map<number, number>();
  if (!identity)
    for (const raw of new Set(rawLabels)) if (raw >= 0) clusterTopic.set(raw, mapping.get(raw + shift) ?? -1);
  const renamed = new Map<number, Carried>();
  for (const [old, c] of carried) if (mapping.has(old)) renamed.set(mapping.get(old)!, c);

  // represent
  const stage = progress.stage("represent topics (c-TF-IDF)");
  const rebuild = (termCounts?: TopicTermCounts) =>
    rebuildTopics({
      texts,
      labels,
      included,
      embeddings,
      parameters: p,
      carried: renamed,
      embedTexts,
      termCounts,
    });
  let rebuilt = await rebuild(await precountedTerms(precount, p.represent));
  // topics c-TF-IDF cannot tell apart are one topic (degenerate.ts); zero-shot topics keep their names
  const same = zeroShot ? [] : indistinguishableTopics(rebuilt.topics);
  if (same.length > 0) {
    stages.warn(mergedWarning(same, rebuilt.representation.vectorizer.size));
    const target = new Map<number, number>();
    for (const group of same) for (const id of group) target.set(id, group[0]);
    const merged = renumberWithMapping(applyTopicMap(labels, target));
    labels = merged.labels;
    for (const [raw, topic] of clusterTopic)
      clusterTopic.set(raw, topic < 0 ? topic : (merged.mapping.get(target.get(topic) ?? topic) ?? -1));
    rebuilt = await rebuild(rebuilt.termCounts);
  }
  let table = rebuilt.topicEmbeddings;
  if (zeroShot) {
    table ??= topicEmbeddingTable(embeddings, labels, included);
    probabilities = similarityToTopics(embeddings, included, table).probabilities;
  }
  const topicCount = rebuilt.topics.filter((t) => t.id >= 0).length;
  const outliers = labels.reduce((c, l) => c + (l === -1 ? 1 : 0), 0);
  timings.push({
    stage: "represent",
    seconds: stage.end(`${topicCount} topics, ${((100 * outliers) / n).toFixed(1)}% outliers`),
  });
  return {
    documents,
    source: extras.source,
    labels,
    probabilities,
    topics: rebuilt.topics,
    embeddings,
    reduced,
    representation: rebuilt.representation,
    embedderId,
    timings,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    clusterTopic,
    clusterLabels,
    history: [],
    clusterer: liveClusterer,
    stages: stageStates,
    topicEmbeddings: table,
    embedderState: extras.embeddings ? undefined : encoder.fittedState(),
    termCounts: rebuilt.termCounts,
  };
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
