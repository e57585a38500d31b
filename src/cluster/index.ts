/**
 * The cluster stage: one `Clusterer` interface, chosen by name. HDBSCAN is ours (src/cluster/hdbscan);
 * DBSCAN, OPTICS and k-means are adapters (src/cluster/adapters.ts).
 */
import type { ClusterPrediction, ClusterResult, Matrix } from "../types.js";
import { definedOnly } from "../util/defined.js";
import { UserError } from "../util/errors.js";
import { createDbscanClusterer, createKmeansClusterer, createOpticsClusterer } from "./adapters.js";
import { DEFAULT_HDBSCAN_OPTIONS, fitHdbscan, type HdbscanModel } from "./hdbscan/index.js";
import { approximatePredict } from "./hdbscan/predict.js";
import type { Clusterer, ClustererMethod, ClustererOptions } from "./types.js";

export type { Clusterer, ClustererMethod, ClustererOptions } from "./types.js";

const { minClusterSize, selection, epsilon, metric, allowSingleCluster, maxClusterSize } =
  DEFAULT_HDBSCAN_OPTIONS;

/** HDBSCAN with its own defaults; `seed` is for the clusterers that draw at random (k-means). */
export const DEFAULT_CLUSTERER_OPTIONS: ClustererOptions = {
  method: "hdbscan",
  minClusterSize,
  selection,
  epsilon,
  metric,
  allowSingleCluster,
  maxClusterSize,
  seed: 42,
};

/** HDBSCAN behind the Clusterer interface; the fitted model stays available for plots and soft clustering. */
export interface HdbscanClusterer extends Clusterer {
  readonly name: "hdbscan";
  /** The last fitted model (throws before `fit`). */
  readonly model: HdbscanModel;
}

export function createClusterer(
  options: Partial<ClustererOptions> & { method?: ClustererMethod } = {},
): Clusterer {
  const resolved: ClustererOptions = { ...DEFAULT_CLUSTERER_OPTIONS, ...definedOnly(options) };
  switch (resolved.method) {
    case "hdbscan":
      return createHdbscanClusterer(resolved);
    case "dbscan":
      return createDbscanClusterer(resolved);
    case "optics":
      return createOpticsClusterer(resolved);
    case "kmeans":
      return createKmeansClusterer(resolved);
    default:
      throw new UserError(
        `unknown clusterer '${String(resolved.method)}'; use hdbscan, dbscan, optics or kmeans`,
      );
  }
}

export function createHdbscanClusterer(options: Partial<ClustererOptions> = {}): HdbscanClusterer {
  const o: ClustererOptions = { ...DEFAULT_CLUSTERER_OPTIONS, ...definedOnly(options), method: "hdbscan" };
  let fitted: HdbscanModel | undefined;
  return {
    name: "hdbscan",
    get model(): HdbscanModel {
      if (fitted === undefined) throw new Error("HDBSCAN: call fit() before using the model");
      return fitted;
    },
    fit(points: Matrix): ClusterResult {
      fitted = fitHdbscan(points, {
        minClusterSize: o.minClusterSize,
        minSamples: o.minSamples,
        selection: o.selection,
        epsilon: o.epsilon,
        metric: o.metric,
        // left undefined, these take fitHdbscan's defaults (DEFAULT_HDBSCAN_OPTIONS)
        allowSingleCluster: o.allowSingleCluster,
        maxClusterSize: o.maxClusterSize,
        matchReference: o.matchReference,
      });
      return {
        labels: fitted.labels,
        probabilities: fitted.probabilities,
        outlierScores: fitted.outlierScores,
      };
    },
    predict(points: Matrix): ClusterPrediction {
      if (fitted === undefined) throw new Error("HDBSCAN: call fit() before predict()");
      return approximatePredict(fitted, points);
    },
  };
}
