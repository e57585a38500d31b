/**
 * The cluster stage: clusterers by name (CLUSTERER_METHODS in methods.ts), each a factory that
 * creates a clusterer and restores a fitted one from its state. HDBSCAN is ours (src/cluster/hdbscan);
 * DBSCAN, OPTICS and k-means are adapters (adapters.ts).
 */
import type { ClusterPrediction, ClusterResult, Matrix, StageState } from "../types.js";
import { definedOnly } from "../util/defined.js";
import { UserError } from "../util/errors.js";
import { dbscanFactory, kmeansFactory, opticsFactory } from "./adapters.js";
import { DEFAULT_HDBSCAN_OPTIONS, fitHdbscan, type HdbscanModel } from "./hdbscan/index.js";
import { approximatePredict } from "./hdbscan/predict.js";
import { membershipVectors } from "./hdbscan/soft.js";
import { CLUSTERER_METHODS, type ClustererMethod } from "./methods.js";
import type { Clusterer, ClustererFactory, ClustererOptions, FittedClustering } from "./types.js";

export { HDBSCAN_REFERENCES } from "./hdbscan/condense.js";
export { LINKAGE_METHODS, type LinkageMethod } from "./linkage.js";
export {
  CLUSTER_METRICS,
  CLUSTER_SELECTIONS,
  CLUSTERER_DESCRIPTIONS,
  CLUSTERER_METHODS,
  type ClustererMethod,
  type ClusterMetric,
  type ClusterSelection,
} from "./methods.js";
export type { Clusterer, ClustererOptions, FittedClustering } from "./types.js";

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

export function isHdbscanClusterer(clusterer: Clusterer): clusterer is HdbscanClusterer {
  return clusterer.name === "hdbscan";
}

function hdbscanClusterer(options: ClustererOptions, restored?: HdbscanModel): HdbscanClusterer {
  const o: ClustererOptions = { ...DEFAULT_CLUSTERER_OPTIONS, ...definedOnly(options), method: "hdbscan" };
  let fitted = restored;
  const model = (): HdbscanModel => {
    if (fitted === undefined) throw new Error("HDBSCAN: call fit() before using the model");
    return fitted;
  };
  return {
    name: "hdbscan",
    get model(): HdbscanModel {
      return model();
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
      return approximatePredict(model(), points);
    },
    membership(): Matrix {
      return membershipVectors(model());
    },
    toState(): StageState {
      const { minClusterSize, minSamples, selection, epsilon, metric, allowSingleCluster, maxClusterSize } =
        o;
      return {
        method: "hdbscan",
        options: definedOnly({
          minClusterSize,
          minSamples,
          selection,
          epsilon,
          metric,
          allowSingleCluster,
          maxClusterSize,
          matchReference: o.matchReference,
        }),
      };
    },
  };
}

/**
 * HDBSCAN's fitted trees are large and cheap to rebuild: it is deterministic, so a restore refits on
 * the saved points and is accepted only if it reproduces the saved labels.
 */
const hdbscanFactory: ClustererFactory = {
  create: (options) => hdbscanClusterer(options),
  restore(_state: StageState, fitted: FittedClustering, options: ClustererOptions): Clusterer {
    const clusterer = hdbscanClusterer(options);
    const { labels } = clusterer.fit(fitted.points);
    if (labels.some((label, i) => label !== fitted.labels[i])) {
      throw new UserError("refitting HDBSCAN on the saved layout did not reproduce the saved clusters");
    }
    return clusterer;
  },
};

const CLUSTERERS: Record<ClustererMethod, ClustererFactory> = {
  hdbscan: hdbscanFactory,
  dbscan: dbscanFactory,
  optics: opticsFactory,
  kmeans: kmeansFactory,
};

function factory(method: string): ClustererFactory {
  if (!(CLUSTERER_METHODS as readonly string[]).includes(method)) {
    throw new UserError(`unknown clusterer '${method}'; use ${CLUSTERER_METHODS.join(", ")}`);
  }
  return CLUSTERERS[method as ClustererMethod];
}

export function createClusterer(
  options: Partial<ClustererOptions> & { method?: ClustererMethod } = {},
): Clusterer {
  const resolved: ClustererOptions = { ...DEFAULT_CLUSTERER_OPTIONS, ...definedOnly(options) };
  return factory(resolved.method).create(resolved);
}

export function createHdbscanClusterer(options: Partial<ClustererOptions> = {}): HdbscanClusterer {
  return hdbscanClusterer({ ...DEFAULT_CLUSTERER_OPTIONS, ...definedOnly(options), method: "hdbscan" });
}

/** A fitted clusterer rebuilt from its state and the points and labels of its fit (see Clusterer.toState). */
export function restoreClusterer(state: StageState, fitted: FittedClustering): Clusterer {
  if (fitted.points.rows !== fitted.labels.length) {
    throw new Error(
      `restoring ${state.method}: ${fitted.points.rows} points but ${fitted.labels.length} labels`,
    );
  }
  const options: ClustererOptions = {
    ...DEFAULT_CLUSTERER_OPTIONS,
    ...definedOnly(state.options as Partial<ClustererOptions>),
    method: state.method as ClustererMethod,
  };
  return factory(state.method).restore(state, fitted, options);
}
