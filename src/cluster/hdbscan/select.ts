/**
 * Flat clusters from the condensed tree, as hdbscan's `compute_stability` + `get_clusters` +
 * `do_labelling` (the scikit-learn-contrib package, `match_reference_implementation=False`):
 * excess of mass (`eom`) or leaves (`leaf`), `cluster_selection_epsilon`, `allow_single_cluster`,
 * `max_cluster_size`.
 */
import type { CondensedTree } from "./condense.js";

export type SelectionMethod = "eom" | "leaf";

export interface SelectionOptions {
  method: SelectionMethod;
  /** cluster_selection_epsilon: splits below this distance are not honoured (0 = off). */
  epsilon: number;
  allowSingleCluster: boolean;
  /** Clusters larger than this are split by eom (0 or Infinity = no limit). */
  maxClusterSize: number;
}

/** Per-cluster facts derived from the condensed tree, indexed by cluster id − nPoints. */
export interface ClusterHierarchy {
  /** Parent cluster index, −1 for the root. */
  parent: Int32Array;
  /** The two child cluster indices, −1 when the cluster is a leaf of the cluster tree. */
  firstChild: Int32Array;
  secondChild: Int32Array;
  /** Lambda at which the cluster was born (0 for the root). */
  birth: Float64Array;
  /** Largest lambda among the cluster's direct rows (hdbscan's `max_lambdas`). */
  death: Float64Array;
  /** Points in the cluster at birth (the root: see `selectClusters`). */
  size: Int32Array;
  stability: Float64Array;
}

export interface Selection {
  /** Label per point, −1 = noise. */
  labels: Int32Array;
  /** Condensed-tree cluster id of each label, ascending (label i ↔ selected[i]). */
  selected: Int32Array;
  /** Stability of each selected cluster (as hdbscan's dict after selection). */
  stability: Float64Array;
}

export function clusterHierarchy(tree: CondensedTree): ClusterHierarchy {
  const n = tree.nPoints;
  const count = tree.clusterCount;
  const parent = new Int32Array(count).fill(-1);
  const firstChild = new Int32Array(count).fill(-1);
  const secondChild = new Int32Array(count).fill(-1);
  const birth = new Float64Array(count);
  const death = new Float64Array(count);
  const size = new Int32Array(count);
  for (let r = 0; r < tree.parent.length; r++) {
    const p = tree.parent[r] - n;
    const l = tree.lambda[r];
    if (l > death[p]) death[p] = l;
    const c = tree.child[r];
    if (c >= n) {
      const ci = c - n;
      parent[ci] = p;
      birth[ci] = l;
      size[ci] = tree.childSize[r];
      if (firstChild[p] < 0) firstChild[p] = ci;
      else secondChild[p] = ci;
    }
  }
  const stability = new Float64Array(count);
  for (let r = 0; r < tree.parent.length; r++) {
    const p = tree.parent[r] - n;
    stability[p] += (tree.lambda[r] - birth[p]) * tree.childSize[r];
  }
  return { parent, firstChild, secondChild, birth, death, size, stability };
}

export function selectClusters(
  tree: CondensedTree,
  h: ClusterHierarchy,
  options: SelectionOptions,
): Selection {
  const n = tree.nPoints;
  const count = tree.clusterCount;
  const { method, epsilon, allowSingleCluster } = options;
  const hasSplits = count > 1;
  const maxSize = options.maxClusterSize > 0 ? options.maxClusterSize : n + 1;
  // Candidates: every cluster except the root, unless a single cluster is allowed.
  const candidate = (c: number) => c > 0 || allowSingleCluster;
  // hdbscan sizes the root, for max_cluster_size only, by its child clusters.
  const size = Int32Array.from(h.size);
  if (allowSingleCluster) size[0] = hasSplits ? h.size[h.firstChild[0]] + h.size[h.secondChild[0]] : 0;

  let chosen: Uint8Array = new Uint8Array(count);
  // eom overwrites a cluster's stability with its children's when they win, as hdbscan does.
  const stability = Float64Array.from(h.stability);
  if (method === "eom") {
    const chooses = new Uint8Array(count);
    for (let c = count - 1; c >= 0; c--) {
      if (!candidate(c)) continue;
      const a = h.firstChild[c];
      // hdbscan sums the children's stability into a C float (float32) before comparing.
      const subtree = a < 0 ? 0 : Math.fround(stability[a] + stability[h.secondChild[c]]);
      if (subtree > stability[c] || size[c] > maxSize) {
        stability[c] = subtree;
      } else {
        chooses[c] = 1;
      }
    }
    // A cluster stays selected unless an ancestor selected itself later (bottom-up pass above).
    const blocked = new Uint8Array(count);
    for (let c = 0; c < count; c++) {
      const p = h.parent[c];
      if (p >= 0) blocked[c] = blocked[p] | chooses[p];
      chosen[c] = chooses[c] && !blocked[c] ? 1 : 0;
    }
    if (epsilon !== 0 && hasSplits) {
      const eomClusters = indicesOf(chosen);
      if (eomClusters.length === 1 && eomClusters[0] === 0) {
        if (!allowSingleCluster) chosen = new Uint8Array(count);
      } else {
        chosen = restrict(epsilonSearch(eomClusters, h, epsilon, allowSingleCluster), candidate, count);
      }
    }
  } else {
    const leaves: number[] = [];
    for (let c = 1; c < count; c++) if (h.firstChild[c] < 0) leaves.push(c);
    const selected = epsilon !== 0 ? epsilonSearch(leaves, h, epsilon, allowSingleCluster) : leaves;
    // With no splits there are no leaves, and hdbscan's leaf method selects nothing.
    chosen = restrict(selected, candidate, count);
  }

  const selected = Int32Array.from(indicesOf(chosen), (c) => c + n);
  const labelOf = new Int32Array(count).fill(-1);
  for (let i = 0; i < selected.length; i++) labelOf[selected[i] - n] = i;
  // Nearest selected ancestor-or-self, top-down (parents have smaller ids).
  const resolved = new Int32Array(count).fill(-1);
  for (let c = 0; c < count; c++) {
    if (chosen[c]) resolved[c] = c;
    else if (h.parent[c] >= 0) resolved[c] = resolved[h.parent[c]];
  }
  const labels = new Int32Array(n).fill(-1);
  const singleRoot = selected.length === 1 && selected[0] === n && allowSingleCluster;
  const rootThreshold = epsilon !== 0 ? 1 / epsilon : h.death[0];
  for (let r = 0; r < tree.parent.length; r++) {
    const point = tree.child[r];
    if (point >= n) continue;
    const c = resolved[tree.parent[r] - n];
    if (c < 0) continue;
    if (c === 0) {
      // The root as the only cluster keeps only points that stay until its densest level.
      if (singleRoot && tree.lambda[r] >= rootThreshold) labels[point] = labelOf[0];
      continue;
    }
    labels[point] = labelOf[c];
  }
  return { labels, selected, stability: Float64Array.from(selected, (id) => stability[id - n]) };
}

function indicesOf(flags: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) out.push(i);
  return out;
}

function restrict(selected: Iterable<number>, allowed: (c: number) => boolean, count: number): Uint8Array {
  const flags = new Uint8Array(count);
  for (const c of selected) if (allowed(c)) flags[c] = 1;
  return flags;
}

/** hdbscan's `epsilon_search`: clusters born below epsilon are replaced by their ancestor born above it. */
function epsilonSearch(
  clusters: readonly number[],
  h: ClusterHierarchy,
  epsilon: number,
  allowSingleCluster: boolean,
): Set<number> {
  const selected = new Set<number>();
  const processed = new Set<number>();
  for (const leaf of clusters) {
    const eps = 1 / h.birth[leaf];
    if (eps < epsilon) {
      if (processed.has(leaf)) continue;
      const up = traverseUpwards(h, epsilon, leaf, allowSingleCluster);
      selected.add(up);
      const stack = [up];
      while (stack.length > 0) {
        const c = stack.pop()!;
        if (c !== up) processed.add(c);
        if (h.firstChild[c] >= 0) stack.push(h.firstChild[c], h.secondChild[c]);
      }
    } else {
      selected.add(leaf);
    }
  }
  return selected;
}

function traverseUpwards(
  h: ClusterHierarchy,
  epsilon: number,
  leaf: number,
  allowSingleCluster: boolean,
): number {
  let node = leaf;
  for (;;) {
    const parent = h.parent[node];
    if (parent === 0) return allowSingleCluster ? parent : node;
    if (1 / h.birth[parent] > epsilon) return parent;
    node = parent;
  }
}
