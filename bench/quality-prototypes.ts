/**
 * Candidate rules for better default topics, computed from a fitted TopicModel without changing it,
 * so that bench/quality.ts can score many candidates on one fit. The ones the table supports move
 * into src/; these stay as the record of what was compared.
 */
import { fitHdbscan } from "../src/cluster/hdbscan/index.js";
import { cutTree, linkage } from "../src/cluster/linkage.js";
import { KdTree } from "../src/neighbors/kdtree.js";
import { buildTopics } from "../src/topics/lifecycle/build.js";
import { includedDocuments } from "../src/topics/lifecycle/topic-vectors.js";
import type { TopicModel } from "../src/topics/model.js";
import type { Topic } from "../src/topics/types.js";
import type { Matrix } from "../src/types.js";

export interface Variant {
  topics: readonly Topic[];
  labels: Int32Array;
}

function included(model: TopicModel): Uint8Array {
  return includedDocuments(model.documents);
}

/** Topics rebuilt (c-TF-IDF words etc.) from new labels with the model's parameters. */
export function rebuild(
  model: TopicModel,
  labels: Int32Array,
  represent = model.parameters.represent,
): Variant {
  const built = buildTopics({
    texts: model.documents.map((d) => d.text),
    labels,
    included: included(model),
    embeddings: model.embeddings!,
    represent: represent as Parameters<typeof buildTopics>[0]["represent"],
    representativeDocs: 0,
  });
  return { topics: built.topics, labels };
}

/** HDBSCAN again on the model's reduced vectors with other settings. */
export function recluster(
  model: TopicModel,
  options: { minClusterSize: number; minSamples?: number },
): Int32Array {
  const inc = included(model);
  const reduced = model.reduced!;
  const rows: number[] = [];
  for (let i = 0; i < inc.length; i++) if (inc[i]) rows.push(i);
  const data = new Float32Array(rows.length * reduced.cols);
  rows.forEach((r, i) => {
    data.set(reduced.data.subarray(r * reduced.cols, (r + 1) * reduced.cols), i * reduced.cols);
  });
  const fitted = fitHdbscan(
    { data, rows: rows.length, cols: reduced.cols },
    {
      minClusterSize: options.minClusterSize,
      minSamples: options.minSamples,
      selection: "eom",
      metric: "euclidean",
    },
  );
  const labels = new Int32Array(inc.length).fill(-1);
  rows.forEach((r, i) => {
    labels[r] = fitted.labels[i];
  });
  return labels;
}

function normaliseRows(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) {
    let s = 0;
    for (let j = 0; j < m.cols; j++) s += m.data[r * m.cols + j] ** 2;
    const norm = Math.sqrt(s) || 1;
    for (let j = 0; j < m.cols; j++) out[r * m.cols + j] = m.data[r * m.cols + j] / norm;
  }
  return out;
}

/**
 * Outliers to their nearest topic (cosine to the topic's mean embedding) when they are at least as
 * close as the topic's own `quantile`-th member (e.g. 0.05: closer than the 5 % least typical
 * members). A threshold relative to each topic's spread, so it needs no encoder-specific constant.
 */
export function nearestTopicOutliers(
  model: TopicModel,
  labels: Int32Array,
  quantile: number,
  space: "embeddings" | "reduced" = "embeddings",
): Int32Array {
  const inc = included(model);
  const m = space === "embeddings" ? model.embeddings! : model.reduced!;
  const { cols } = m;
  const ids = [...new Set(labels)].filter((l) => l >= 0).sort((a, b) => a - b);
  const row = new Map(ids.map((id, r) => [id, r]));
  const unit = normaliseRows(m);
  const centroids = new Float64Array(ids.length * cols);
  for (let i = 0; i < labels.length; i++) {
    const r = row.get(labels[i]);
    if (r === undefined || !inc[i]) continue;
    for (let j = 0; j < cols; j++) centroids[r * cols + j] += unit[i * cols + j];
  }
  for (let r = 0; r < ids.length; r++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += centroids[r * cols + j] ** 2;
    const norm = Math.sqrt(s) || 1;
    for (let j = 0; j < cols; j++) centroids[r * cols + j] /= norm;
  }
  const sim = (i: number, r: number) => {
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += unit[i * cols + j] * centroids[r * cols + j];
    return dot;
  };
  const members: number[][] = ids.map(() => []);
  for (let i = 0; i < labels.length; i++) {
    const r = row.get(labels[i]);
    if (r !== undefined && inc[i]) members[r].push(sim(i, r));
  }
  const threshold = members.map((s) => {
    s.sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(quantile * s.length))];
  });
  const out = labels.slice();
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== -1 || !inc[i]) continue;
    let best = -1;
    let bestSim = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < ids.length; r++) {
      const s = sim(i, r);
      if (s > bestSim) {
        bestSim = s;
        best = r;
      }
    }
    if (best >= 0 && bestSim >= threshold[best]) out[i] = ids[best];
  }
  return out;
}

/** The topics HDBSCAN gave before the outlier rule (what `outliers: "keep"` assigns). */
export function hdbscanTopics(model: TopicModel): Int32Array {
  return model.clusterLabels!.map((c) => (c >= 0 ? (model.clusterTopic.get(c) ?? -1) : -1));
}

/** Old words (from the clusters' cores), new sizes: BERTopic's reduce_outliers without update_topics. */
export function keepWords(old: readonly Topic[], labels: Int32Array): Variant {
  const sizes = new Map<number, number>();
  for (const l of labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  return { topics: old.map((t) => ({ ...t, size: sizes.get(t.id) ?? 0 })), labels };
}

/** Cosine distances between the sparse c-TF-IDF rows of the real topics. */
function ctfidfDistances(model: TopicModel, ids: readonly number[]): { n: number; data: Float64Array } {
  const rep = model.representation!;
  const { indptr, indices, data } = rep.ctfidf.matrix;
  const rows = ids.map((id) => {
    const r = rep.topicIds.indexOf(id);
    const map = new Map<number, number>();
    let s = 0;
    for (let p = indptr[r]; p < indptr[r + 1]; p++) {
      map.set(indices[p], data[p]);
      s += data[p] ** 2;
    }
    return { map, norm: Math.sqrt(s) || 1 };
  });
  const n = ids.length;
  const out = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) {
      const [small, large] = rows[a].map.size < rows[b].map.size ? [rows[a], rows[b]] : [rows[b], rows[a]];
      let dot = 0;
      for (const [c, v] of small.map) dot += v * (large.map.get(c) ?? 0);
      const d = Math.max(0, 1 - dot / (rows[a].norm * rows[b].norm));
      out[a * n + b] = d;
      out[b * n + a] = d;
    }
  return { n, data: out };
}

/** BERTopic's reduce_topics(use_ctfidf=True): average linkage on c-TF-IDF cosine distances. */
export function reduceByCtfidf(model: TopicModel, k: number): Int32Array {
  const ids = model.topics.filter((t) => t.id >= 0).map((t) => t.id);
  if (k >= ids.length) return model.labels.slice();
  const groups = cutTree(linkage(ctfidfDistances(model, ids), "average"), ids.length, k);
  const target = new Map(ids.map((id, i) => [id, groups[i]]));
  return model.labels.map((l) => (l >= 0 ? target.get(l)! : -1));
}

/**
 * Top2Vec-style: repeatedly merge the smallest topic into its most similar one (cosine of
 * size-weighted mean embeddings) until k remain; big coherent topics absorb small ones instead of
 * big ones fusing with each other.
 */
export function reduceSmallestIntoNearest(model: TopicModel, k: number, labels = model.labels): Int32Array {
  const inc = included(model);
  const e = model.embeddings!;
  const { cols } = e;
  const unit = normaliseRows(e);
  const sums = new Map<number, Float64Array>();
  const sizes = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l < 0 || !inc[i]) continue;
    if (!sums.has(l)) sums.set(l, new Float64Array(cols));
    const s = sums.get(l)!;
    for (let j = 0; j < cols; j++) s[j] += unit[i * cols + j];
    sizes.set(l, (sizes.get(l) ?? 0) + 1);
  }
  const parent = new Map<number, number>();
  const cos = (a: Float64Array, b: Float64Array) => {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let j = 0; j < cols; j++) {
      dot += a[j] * b[j];
      na += a[j] * a[j];
      nb += b[j] * b[j];
    }
    return dot / (Math.sqrt(na * nb) || 1);
  };
  while (sums.size > k) {
    let smallest = -1;
    for (const [id, size] of sizes)
      if (smallest === -1 || size < sizes.get(smallest)! || (size === sizes.get(smallest)! && id > smallest))
        smallest = id;
    const s = sums.get(smallest)!;
    let best = -1;
    let bestSim = Number.NEGATIVE_INFINITY;
    for (const [id, other] of sums) {
      if (id === smallest) continue;
      const c = cos(s, other);
      if (c > bestSim) {
        bestSim = c;
        best = id;
      }
    }
    const t = sums.get(best)!;
    for (let j = 0; j < cols; j++) t[j] += s[j];
    sizes.set(best, sizes.get(best)! + sizes.get(smallest)!);
    sums.delete(smallest);
    sizes.delete(smallest);
    parent.set(smallest, best);
  }
  const root = (id: number): number => {
    let r = id;
    while (parent.has(r)) r = parent.get(r)!;
    return r;
  };
  return labels.map((l) => (l >= 0 ? root(l) : -1));
}

/** Top-10 word shape statistics of a topic, for junk rules. */
export function wordShape(words: readonly string[]): { digits: number; short: number } {
  let digits = 0;
  let short = 0;
  for (const w of words) {
    if (/\p{N}/u.test(w)) digits++;
    if ([...w].length <= 2) short++;
  }
  return { digits, short };
}

/**
 * Outliers by a vote of their k nearest cluster members in the reduced (UMAP) space, the space the
 * clusters were found in: an outlier joins the topic holding at least `share` of its k neighbours.
 */
export function knnVoteOutliers(model: TopicModel, labels: Int32Array, k: number, share: number): Int32Array {
  const inc = included(model);
  const reduced = model.reduced!;
  const { cols } = reduced;
  const members: number[] = [];
  for (let i = 0; i < labels.length; i++) if (inc[i] && labels[i] >= 0) members.push(i);
  const points = new Float64Array(members.length * cols);
  members.forEach((m, r) => {
    for (let j = 0; j < cols; j++) points[r * cols + j] = reduced.data[m * cols + j];
  });
  const tree = new KdTree(points, members.length, cols);
  const q = new Float64Array(cols);
  const dist = new Float64Array(k);
  const index = new Int32Array(k);
  const out = labels.slice();
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== -1 || !inc[i]) continue;
    for (let j = 0; j < cols; j++) q[j] = reduced.data[i * cols + j];
    tree.query(q, 0, k, dist, index);
    const votes = new Map<number, number>();
    for (const r of index)
      if (r >= 0) votes.set(labels[members[r]], (votes.get(labels[members[r]]) ?? 0) + 1);
    let best = -1;
    let bestVotes = 0;
    for (const [topic, v] of votes)
      if (v > bestVotes || (v === bestVotes && topic < best)) {
        best = topic;
        bestVotes = v;
      }
    if (bestVotes >= share * k) out[i] = best;
  }
  return out;
}
