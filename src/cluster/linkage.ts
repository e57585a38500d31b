/**
 * Agglomerative clustering of a few hundred items (topics) from a distance matrix, with scipy's
 * `linkage` output: row i = [left, right, distance, count], where ids < n are the items and id n + i
 * is the cluster made at row i. Distances between a new cluster and the others follow the
 * Lance–Williams updates of scipy (single, complete, average, ward). Quadratic memory, cubic time:
 * meant for topics, not documents.
 */

export const LINKAGE_METHODS = ["ward", "average", "complete", "single"] as const;
export type LinkageMethod = (typeof LINKAGE_METHODS)[number];

/** One merge: the two children (item ids < n, cluster ids ≥ n), their distance, the items below. */
export type LinkageRow = [left: number, right: number, distance: number, count: number];

/** Full symmetric n×n distance matrix, row-major. */
export interface DistanceMatrix {
  n: number;
  data: Float64Array;
}

export function linkage(distances: DistanceMatrix, method: LinkageMethod): LinkageRow[] {
  const { n } = distances;
  if (n < 2) return [];
  const d = Float64Array.from(distances.data);
  const active = new Uint8Array(n).fill(1);
  const size = new Float64Array(n).fill(1);
  const nodeId = Int32Array.from({ length: n }, (_, i) => i);
  const rows: LinkageRow[] = [];
  for (let step = 0; step < n - 1; step++) {
    let bi = -1;
    let bj = -1;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (!active[j]) continue;
        const v = d[i * n + j];
        if (v < best) {
          best = v;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0) {
      // NaN distances (e.g. zero vectors): merge the first two remaining items at distance 0.
      const rest = [...active.keys()].filter((k) => active[k]);
      bi = rest[0];
      bj = rest[1];
      best = 0;
    }
    const ni = size[bi];
    const nj = size[bj];
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === bi || k === bj) continue;
      const dki = d[k * n + bi];
      const dkj = d[k * n + bj];
      let v: number;
      switch (method) {
        case "single":
          v = Math.min(dki, dkj);
          break;
        case "complete":
          v = Math.max(dki, dkj);
          break;
        case "average":
          v = (ni * dki + nj * dkj) / (ni + nj);
          break;
        case "ward": {
          const nk = size[k];
          const t = nk + ni + nj;
          v = Math.sqrt(Math.max(0, ((nk + ni) * dki * dki + (nk + nj) * dkj * dkj - nk * best * best) / t));
          break;
        }
      }
      d[k * n + bi] = v;
      d[bi * n + k] = v;
    }
    const left = Math.min(nodeId[bi], nodeId[bj]);
    const right = Math.max(nodeId[bi], nodeId[bj]);
    rows.push([left, right, best, ni + nj]);
    size[bi] = ni + nj;
    nodeId[bi] = n + step;
    active[bj] = 0;
  }
  // scipy returns merges by increasing distance; with these (reducible) methods the greedy order
  // already is, except for float ties, which a stable sort keeps in merge order.
  return rows;
}

/**
 * Flat clusters after the first `n − k` merges (sklearn's AgglomerativeClustering(n_clusters=k)):
 * one label per item, 0..k-1 in order of each cluster's smallest item.
 */
export function cutTree(rows: readonly LinkageRow[], n: number, k: number): Int32Array {
  if (k < 1 || k > n) throw new RangeError(`cannot cut ${n} items into ${k} clusters`);
  const parent = Int32Array.from({ length: 2 * n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let step = 0; step < n - k; step++) {
    const [a, b] = rows[step];
    parent[find(a)] = n + step;
    parent[find(b)] = n + step;
  }
  const labelOf = new Map<number, number>();
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const root = find(i);
    if (!labelOf.has(root)) labelOf.set(root, labelOf.size);
    labels[i] = labelOf.get(root)!;
  }
  return labels;
}

/** The items (leaf ids < n) under each node id of a linkage (ids 0..2n-2). */
export function leavesUnder(rows: readonly LinkageRow[], n: number): number[][] {
  const leaves: number[][] = Array.from({ length: n }, (_, i) => [i]);
  for (const [a, b] of rows) leaves.push([...leaves[a], ...leaves[b]].sort((x, y) => x - y));
  return leaves;
}

/** 1 − cosine similarity between rows (clamped at 0, diagonal 0), as BERTopic's topic distances. */
export function cosineDistances(vectors: {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}): DistanceMatrix {
  const { rows: n, cols, data } = vectors;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += data[i * cols + j] ** 2;
    norms[i] = Math.sqrt(s);
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = i + 1; k < n; k++) {
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += data[i * cols + j] * data[k * cols + j];
      const sim = norms[i] === 0 || norms[k] === 0 ? 0 : dot / (norms[i] * norms[k]);
      const v = Math.max(0, 1 - sim);
      out[i * n + k] = v;
      out[k * n + i] = v;
    }
  }
  return { n, data: out };
}
