/**
 * Corpora the pipeline cannot tell apart, handled honestly instead of with spurious topics:
 *
 * - Too few distinct texts. 2,000 copies of one text are one point; UMAP spreads the copies over a
 *   random layout and HDBSCAN then finds a dozen "topics" with identical words. When the distinct
 *   texts are fewer than the pipeline needs (n_neighbors + 1, min_cluster_size), the documents are
 *   grouped by text instead: each distinct text with at least min_cluster_size copies is a topic, the
 *   rest are outliers, and the model says so.
 * - Topics that c-TF-IDF cannot tell apart. 500 documents over the same 5 words give clusters whose
 *   top words are the same words; topics with identical (non-empty) top-word sets are merged into one.
 * - No cluster at all. HDBSCAN (without allow_single_cluster, as BERTopic) leaves every point an
 *   outlier when the corpus is one theme or its themes are smaller than min_cluster_size; the model
 *   then has no topic, and says what to change instead of leaving an empty report unexplained.
 */
import type { ClustererOptions } from "../../cluster/types.js";
import type { Topic } from "../types.js";

export interface TextGroups {
  /** Group (distinct text) of each document, in order of first appearance; -1 for excluded documents. */
  groupOf: Int32Array;
  /** Documents per group. */
  sizes: number[];
}

/** Identical texts among the included documents. */
export function groupIdenticalTexts(texts: readonly string[], included: Uint8Array): TextGroups {
  const index = new Map<string, number>();
  const sizes: number[] = [];
  const groupOf = new Int32Array(texts.length).fill(-1);
  for (let i = 0; i < texts.length; i++) {
    if (!included[i]) continue;
    let group = index.get(texts[i]);
    if (group === undefined) {
      group = sizes.length;
      index.set(texts[i], group);
      sizes.push(0);
    }
    sizes[group]++;
    groupOf[i] = group;
  }
  return { groupOf, sizes };
}

/** Labels by identity: a group with at least `minClusterSize` documents is a cluster, the rest -1. */
export function identityLabels(groups: TextGroups, minClusterSize: number): Int32Array {
  return groups.groupOf.map((g) => (g >= 0 && groups.sizes[g] >= minClusterSize ? g : -1));
}

/** "2,000 documents are 1 distinct text: …" — the warning of an identity fit. */
export function identityWarning(
  documents: number,
  groups: TextGroups,
  minimum: number,
  minClusterSize: number,
): string {
  const distinct = groups.sizes.length;
  const what =
    distinct === 1
      ? "they form one topic"
      : `each text with at least ${minClusterSize} copies is a topic (${groups.sizes.filter((s) => s >= minClusterSize).length}), the others are outliers`;
  return `${count(documents)} documents are ${count(distinct)} distinct text${distinct === 1 ? "" : "s"}, too few to reduce and cluster (the pipeline needs ${minimum}): ${what}`;
}

/** "no topics: HDBSCAN left all 40 documents as outliers …" — a fit whose clusterer found nothing. */
export function noClusterWarning(
  documents: number,
  options: Pick<ClustererOptions, "method" | "minClusterSize">,
): string {
  const why =
    options.method === "hdbscan"
      ? `the corpus may hold one theme only, or themes smaller than min_cluster_size ${options.minClusterSize}: try a smaller --min-cluster-size (e.g. ${Math.max(2, Math.min(options.minClusterSize - 1, Math.round(documents / 10)))})`
      : `try other --clusterer settings`;
  return `no topics: ${options.method} left all ${count(documents)} clustered documents as outliers; ${why}`;
}

/**
 * Groups of real topics whose top-word sets are identical and non-empty, each group listed by id
 * (ascending); singletons are left out. The first id of a group is the one the others join.
 */
export function indistinguishableTopics(topics: readonly Topic[]): number[][] {
  const byWords = new Map<string, number[]>();
  for (const topic of [...topics].sort((a, b) => a.id - b.id)) {
    if (topic.id < 0 || topic.words.length === 0) continue;
    const key = JSON.stringify(topic.words.map((w) => w.word).sort());
    const group = byWords.get(key);
    if (group) group.push(topic.id);
    else byWords.set(key, [topic.id]);
  }
  return [...byWords.values()].filter((group) => group.length > 1);
}

/** "29 topics had the same top words (…) and were merged into 1". */
export function mergedWarning(groups: readonly number[][], vocabulary: number): string {
  const merged = groups.reduce((sum, g) => sum + g.length, 0);
  return `${merged} topics had the same top words (the corpus has a vocabulary of ${count(vocabulary)} term${vocabulary === 1 ? "" : "s"}) and were merged into ${groups.length}`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
