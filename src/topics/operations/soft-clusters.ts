/**
 * Outlier scores for reduceOutliers("probabilities"): HDBSCAN's all-points membership vectors
 * (src/cluster/hdbscan/soft.ts), each cluster's column added to the topic that cluster became. A model
 * loaded from disk has no HDBSCAN object; HDBSCAN is deterministic, so it is refitted on reduced.npy
 * with the saved parameters and accepted only if it reproduces the saved cluster labels.
 */
import type { HdbscanModel } from "../../cluster/hdbscan/index.js";
import { membershipVectors } from "../../cluster/hdbscan/soft.js";
import { type Matrix, selectRows } from "../../types.js";
import { UserError } from "../../util/errors.js";
import { clusteredRows, refitHdbscan } from "../lifecycle/pipeline.js";
import type { TopicModelParameters } from "../types.js";
import type { OutlierScores } from "./outliers.js";

export interface SoftClusterInput {
  outliers: number[];
  /** The clusterer's label per document (-2 = not clustered). */
  clusterLabels: Int32Array | null;
  reduced: Matrix | null;
  cluster: TopicModelParameters["cluster"];
  /** The fitted HDBSCAN model when still in memory. */
  liveModel?: HdbscanModel;
  clusterTopic: ReadonlyMap<number, number>;
  /** Real topic ids, ascending (the score columns). */
  topicIds: number[];
}

export function softClusterScores(input: SoftClusterInput): OutlierScores {
  const { outliers, clusterLabels: labels, reduced, cluster, topicIds } = input;
  if (!labels || !reduced || cluster.method !== "hdbscan") {
    throw new UserError(
      "strategy 'probabilities' needs an HDBSCAN model with its cluster labels (cluster-labels.npy); use c-tf-idf, embeddings or distributions",
    );
  }
  const training = clusteredRows(labels);
  const position = new Map(training.map((doc, r) => [doc, r]));
  const model =
    input.liveModel ??
    refitHdbscan(selectRows(reduced, training), training, labels, cluster, "another outlier strategy");
  const membership = membershipVectors(model);
  const column = new Map(topicIds.map((id, c) => [id, c]));
  const data = new Float32Array(outliers.length * topicIds.length);
  outliers.forEach((doc, r) => {
    const row = position.get(doc);
    if (row === undefined) return;
    for (let c = 0; c < membership.cols; c++) {
      const topic = input.clusterTopic.get(c);
      const target = topic === undefined ? undefined : column.get(topic);
      if (target !== undefined)
        data[r * topicIds.length + target] += membership.data[row * membership.cols + c];
    }
  });
  return { documents: outliers, topicIds, scores: { data, rows: outliers.length, cols: topicIds.length } };
}
