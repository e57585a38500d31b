/**
 * Outlier scores for reduceOutliers("probabilities"): the clusterer's soft membership of its fitted
 * points (HDBSCAN's all-points membership vectors, src/cluster/hdbscan/soft.ts), each cluster's column
 * added to the topic that cluster became. A loaded model gets its clusterer restored (pipeline.ts).
 */
import { UserError } from "../../util/errors.js";
import type { FittedPipeline } from "../lifecycle/pipeline.js";
import type { OutlierScores } from "./outliers.js";

export interface SoftClusterInput {
  outliers: number[];
  /** The fitted reducer + clusterer (rebuilt when the model was loaded). */
  pipeline: () => Promise<FittedPipeline>;
  clusterTopic: ReadonlyMap<number, number>;
  /** Real topic ids, ascending (the score columns). */
  topicIds: number[];
}

export async function softClusterScores(input: SoftClusterInput): Promise<OutlierScores> {
  const { outliers, topicIds } = input;
  const pipeline = await input.pipeline();
  const membership = pipeline.clusterer.membership?.();
  if (!membership) {
    throw new UserError(
      `strategy 'probabilities' needs a clusterer with soft membership (HDBSCAN), the model used ${pipeline.clusterer.name}; use c-tf-idf, embeddings or distributions`,
    );
  }
  const position = new Map(pipeline.rows.map((doc, r) => [doc, r]));
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
