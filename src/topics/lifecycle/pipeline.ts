/**
 * The pipeline transform (BERTopic's transform with its UMAP and HDBSCAN): new embeddings →
 * reducer transform → HDBSCAN approximate predict, rebuilt from what a model folder stores, so a
 * saved and reloaded model predicts exactly what the fitted one did:
 *
 * - UMAP: the fitted layout is reduced.npy and its training vectors are embeddings.npy; a new point is
 *   placed from its k nearest training vectors (umap-learn's transform, src/reduce/umap/fit.ts) with
 *   the fit's seed — deterministic. PCA is refitted on the training vectors (deterministic); none is
 *   the identity.
 * - HDBSCAN: refitted on reduced.npy (deterministic), accepted only if it reproduces the saved cluster
 *   labels; the fitted model is used directly while it is still in memory.
 *
 * Both the fitted and the loaded model go through this module (with the float32 layout as saved),
 * which is what makes their predictions identical.
 */
import { fitHdbscan, type HdbscanModel } from "../../cluster/hdbscan/index.js";
import { approximatePredict } from "../../cluster/hdbscan/predict.js";
import type { HdbscanClusterer } from "../../cluster/index.js";
import type { Clusterer } from "../../cluster/types.js";
import { knnQuery } from "../../neighbors/index.js";
import { fitPca, type PcaModel, projectPca } from "../../reduce/pca.js";
import { findAbParams } from "../../reduce/umap/curve.js";
import { transformUmap } from "../../reduce/umap/fit.js";
import { type ClusterPrediction, type Matrix, selectRows } from "../../types.js";
import { UserError } from "../../util/errors.js";
import type { TopicModelParameters } from "../types.js";

export interface PipelineSource {
  parameters: TopicModelParameters;
  /** All documents' embeddings (corpus order). */
  embeddings: Matrix;
  /** All documents' reduced coordinates (NaN rows for documents not clustered). */
  reduced: Matrix;
  /** The clusterer's label per document, -2 = not clustered. */
  clusterLabels: Int32Array;
  /** The fitted HDBSCAN model, while the fitting process still holds it. */
  liveModel?: HdbscanModel;
}

/** Why the pipeline path cannot be rebuilt for a model, or undefined when it can. */
export function pipelineUnavailable(
  p: TopicModelParameters,
  clusterLabels: Int32Array | null,
): string | undefined {
  if (p.zeroShotTopics) return "zero-shot models predict by similarity (BERTopic drops their clusterer)";
  if (p.seedTopics)
    return "guided models trained the reducer on seed-nudged vectors, which the model folder does not keep";
  if (p.cluster.method !== "hdbscan")
    return `approximate prediction needs HDBSCAN, the model used ${p.cluster.method}`;
  if (!clusterLabels) return "the model folder has no cluster-labels.npy (written by an older topicscope)";
  if (!clusterLabels.some((l) => l !== -2)) return "no document was clustered";
  return undefined;
}

/** Documents the clusterer was given (cluster label -2 = not clustered), in corpus order. */
export function clusteredRows(clusterLabels: Int32Array): number[] {
  return [...clusterLabels.keys()].filter((i) => clusterLabels[i] !== -2);
}

/**
 * HDBSCAN refitted with the saved parameters on the clustered documents' layout (`layout` row r is
 * document `rows[r]`). HDBSCAN is deterministic, so the refit is accepted only if it reproduces the
 * saved cluster labels; otherwise the error points the user to `instead`.
 */
export function refitHdbscan(
  layout: Matrix,
  rows: readonly number[],
  clusterLabels: Int32Array,
  cluster: TopicModelParameters["cluster"],
  instead: string,
): HdbscanModel {
  const model = fitHdbscan(layout, {
    minClusterSize: cluster.minClusterSize,
    minSamples: cluster.minSamples,
    selection: cluster.selection,
    epsilon: cluster.epsilon,
    metric: cluster.metric,
  });
  if (rows.some((doc, r) => model.labels[r] !== clusterLabels[doc])) {
    throw new UserError(
      `refitting HDBSCAN on reduced.npy did not reproduce the saved clusters; use ${instead}`,
    );
  }
  return model;
}

/** The rebuilt reducer + clusterer; build once per model, predict many times. */
export class PipelinePredictor {
  private readonly training: Matrix;
  private readonly layout: Matrix;
  private readonly p: TopicModelParameters;
  private pca: PcaModel | undefined;
  readonly hdbscan: HdbscanModel;

  constructor(source: PipelineSource) {
    const reason = pipelineUnavailable(source.parameters, source.clusterLabels);
    if (reason)
      throw new UserError(`transform method 'pipeline' is not available: ${reason}; use method 'similarity'`);
    this.p = source.parameters;
    const labels = source.clusterLabels;
    const rows = clusteredRows(labels);
    this.training = selectRows(source.embeddings, rows);
    this.layout = selectRows(source.reduced, rows);
    this.hdbscan =
      source.liveModel ??
      refitHdbscan(this.layout, rows, labels, this.p.cluster, "transform method 'similarity'");
  }

  async reduce(embeddings: Matrix): Promise<Matrix> {
    const r = this.p.reduce;
    if (embeddings.cols !== this.training.cols) {
      throw new UserError(`new embeddings are ${embeddings.cols}-d, the model's are ${this.training.cols}-d`);
    }
    if (r.method === "none")
      return { data: embeddings.data.slice(), rows: embeddings.rows, cols: embeddings.cols };
    if (r.method === "pca") {
      this.pca ??= fitPca(this.training, r.nComponents, this.p.seed);
      return projectPca(this.pca, embeddings);
    }
    const k = Math.min(r.nNeighbors, this.training.rows - 1);
    // Exact search: an HNSW index over the training rows would be rebuilt on every transform call.
    const neighbours = await knnQuery(this.training, embeddings, k, { metric: r.metric, method: "exact" });
    const { a, b } = findAbParams(1, r.minDist);
    const layout = {
      embedding: Float64Array.from(this.layout.data),
      rows: this.layout.rows,
      dim: this.layout.cols,
      a,
      b,
      nEpochs: 0,
    };
    const placed = transformUmap(layout, neighbours, embeddings.rows, this.p.seed);
    return { data: Float32Array.from(placed), rows: embeddings.rows, cols: this.layout.cols };
  }

  async predict(embeddings: Matrix): Promise<ClusterPrediction> {
    if (embeddings.rows === 0) return { labels: new Int32Array(0), probabilities: new Float32Array(0) };
    return approximatePredict(this.hdbscan, await this.reduce(embeddings));
  }
}

/** The fitted HDBSCAN model inside a clusterer this process still holds, if it is one. */
export function liveHdbscanModel(clusterer: Clusterer | undefined): HdbscanModel | undefined {
  const live = clusterer as HdbscanClusterer | undefined;
  return live?.name === "hdbscan" ? live.model : undefined;
}
