/**
 * Topic reduction that keeps coherence (the default of `reduceTopics(n)`): repeatedly merge the
 * smallest topic into the topic whose centre is nearest (cosine of the summed unit embeddings of their
 * documents, so a merged topic's centre is its documents' mean direction), until n remain — as
 * Top2Vec's hierarchical topic reduction. Small and noisy topics are absorbed by the large coherent
 * ones instead of large topics fusing with each other, which is what average linkage of topic
 * embeddings does (BERTopic's reduce_topics, `method: "linkage"` here). Measured in docs/quality.md.
 * Ties: the smallest topic with the highest id goes first; equal similarities go to the lower id.
 */
import type { Matrix } from "../../types.js";
import { UserError } from "../../util/errors.js";
import type { TopicMap } from "./merge.js";

export function mergeSmallestToN(
  embeddings: Matrix,
  labels: ArrayLike<number>,
  included: Uint8Array,
  topicIds: readonly number[],
  n: number,
): TopicMap {
  const k = topicIds.length;
  if (!Number.isInteger(n) || n < 1) throw new UserError(`reduce topics: n must be an integer ≥ 1, got ${n}`);
  if (n > k)
    throw new UserError(`reduce topics: the model has ${k} topics, cannot reduce to ${n}; choose n ≤ ${k}`);
  const { cols, data } = embeddings;
  const row = new Map(topicIds.map((id, r) => [id, r]));
  const sums = new Float64Array(k * cols);
  const sizes = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    const r = row.get(labels[i]);
    if (r === undefined || !included[i]) continue;
    let s = 0;
    for (let j = 0; j < cols; j++) s += data[i * cols + j] ** 2;
    if (!(s > 0)) continue;
    const norm = Math.sqrt(s);
    for (let j = 0; j < cols; j++) sums[r * cols + j] += data[i * cols + j] / norm;
    sizes[r]++;
  }
  const alive = new Set(topicIds.map((_, r) => r));
  const into = new Int32Array(k).fill(-1);
  const cosine = (a: number, b: number): number => {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let j = 0; j < cols; j++) {
      const x = sums[a * cols + j];
      const y = sums[b * cols + j];
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : -1;
  };
  while (alive.size > n) {
    let smallest = -1;
    for (const r of alive)
      if (smallest === -1 || sizes[r] < sizes[smallest] || (sizes[r] === sizes[smallest] && r > smallest))
        smallest = r;
    let target = -1;
    let best = Number.NEGATIVE_INFINITY;
    for (const r of alive) {
      if (r === smallest) continue;
      const c = cosine(smallest, r);
      if (c > best || (c === best && r < target)) {
        best = c;
        target = r;
      }
    }
    for (let j = 0; j < cols; j++) sums[target * cols + j] += sums[smallest * cols + j];
    sizes[target] += sizes[smallest];
    alive.delete(smallest);
    into[smallest] = target;
  }
  const root = (r: number): number => {
    let x = r;
    while (into[x] >= 0) x = into[x];
    return x;
  };
  return new Map(topicIds.map((id, r) => [id, topicIds[root(r)]]));
}
