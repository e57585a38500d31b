/**
 * Fewer topics: BERTopic's reduce_topics. To n topics: agglomerative clustering (average linkage) of
 * the topic embeddings under cosine distance; "auto": HDBSCAN (min_cluster_size 2) over the
 * L2-normalised topic embeddings, topics it leaves as noise stay as they are. Each group of topics
 * joins its largest member (lowest id), so the merged topic keeps that member's custom label.
 */
import { fitHdbscan } from "../../cluster/hdbscan/index.js";
import { cosineDistances, cutTree, linkage } from "../../cluster/linkage.js";
import type { Matrix } from "../../types.js";
import { UserError } from "../../util/errors.js";
import type { TopicMap } from "./merge.js";

/** Real topic ids (≥ 0, ascending) and one embedding row per id. */
export interface TopicVectors {
  topicIds: number[];
  vectors: Matrix;
}

function groupsToMap(topicIds: readonly number[], groupOf: ArrayLike<number>): TopicMap {
  const target = new Map<number, number>();
  topicIds.forEach((id, i) => {
    const g = groupOf[i];
    if (g < 0) return;
    const current = target.get(g);
    if (current === undefined || id < current) target.set(g, id);
  });
  return new Map(topicIds.map((id, i) => [id, groupOf[i] < 0 ? id : target.get(groupOf[i])!]));
}

/** n counts real topics (the outlier topic -1 is not one of them, unlike BERTopic's nr_topics). */
export function reduceToN({ topicIds, vectors }: TopicVectors, n: number): TopicMap {
  const k = topicIds.length;
  if (!Number.isInteger(n) || n < 1) throw new UserError(`reduce topics: n must be an integer ≥ 1, got ${n}`);
  if (n > k)
    throw new UserError(`reduce topics: the model has ${k} topics, cannot reduce to ${n}; choose n ≤ ${k}`);
  if (n === k) return new Map(topicIds.map((id) => [id, id]));
  const rows = linkage(cosineDistances(vectors), "average");
  return groupsToMap(topicIds, cutTree(rows, k, n));
}

export function reduceAuto({ topicIds, vectors }: TopicVectors): TopicMap {
  if (topicIds.length < 3) return new Map(topicIds.map((id) => [id, id]));
  const { rows, cols } = vectors;
  const normalised = new Float32Array(vectors.data.length);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += vectors.data[r * cols + j] ** 2;
    const norm = Math.sqrt(s) || 1;
    for (let j = 0; j < cols; j++) normalised[r * cols + j] = vectors.data[r * cols + j] / norm;
  }
  const model = fitHdbscan(
    { data: normalised, rows, cols },
    { minClusterSize: 2, metric: "euclidean", selection: "eom" },
  );
  return groupsToMap(topicIds, model.labels);
}
