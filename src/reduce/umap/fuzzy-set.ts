/**
 * The fuzzy simplicial set of umap-learn (fuzzy_simplicial_set): per-point bandwidths from the
 * k-nearest-neighbour distances, directed memberships, then the fuzzy union A + Aᵀ − A∘Aᵀ. The graph is
 * kept as CSR (columns sorted per row) in typed arrays.
 */

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

export interface CsrGraph {
  n: number;
  /** Row i's entries are [indptr[i], indptr[i+1]). */
  indptr: Int32Array;
  indices: Int32Array;
  weights: Float64Array;
}

/**
 * σ_i and ρ_i of every row (umap-learn's smooth_knn_dist): ρ is the distance to the nearest
 * neighbour at non-zero distance (interpolated by local connectivity), σ solves
 * Σ_j exp(−max(0, d_ij − ρ_i)/σ_i) = log2(k) by bisection over the neighbours after the first.
 */
export function smoothKnnDist(
  distances: Float32Array,
  rows: number,
  k: number,
  localConnectivity = 1,
  nIterations = 64,
): { sigmas: Float64Array; rhos: Float64Array } {
  const target = Math.log2(k);
  const sigmas = new Float64Array(rows);
  const rhos = new Float64Array(rows);
  let meanAll = 0;
  for (let i = 0; i < rows * k; i++) meanAll += distances[i];
  meanAll /= rows * k;
  const nonZero = new Float64Array(k);
  for (let i = 0; i < rows; i++) {
    const row = i * k;
    let count = 0;
    let rowMean = 0;
    for (let j = 0; j < k; j++) {
      const d = distances[row + j];
      rowMean += d;
      if (d > 0) nonZero[count++] = d;
    }
    rowMean /= k;
    let rho = 0;
    if (count >= localConnectivity) {
      const index = Math.floor(localConnectivity);
      const interpolation = localConnectivity - index;
      if (index > 0) {
        rho = nonZero[index - 1];
        if (interpolation > SMOOTH_K_TOLERANCE) rho += interpolation * (nonZero[index] - nonZero[index - 1]);
      } else {
        rho = interpolation * nonZero[0];
      }
    } else if (count > 0) {
      rho = nonZero[0];
      for (let j = 1; j < count; j++) rho = Math.max(rho, nonZero[j]);
    }
    let lo = 0;
    let hi = Number.POSITIVE_INFINITY;
    let mid = 1;
    for (let iter = 0; iter < nIterations; iter++) {
      let psum = 0;
      for (let j = 1; j < k; j++) {
        const d = distances[row + j] - rho;
        psum += d > 0 ? Math.exp(-(d / mid)) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Number.POSITIVE_INFINITY ? mid * 2 : (lo + hi) / 2;
      }
    }
    const floor = MIN_K_DIST_SCALE * (rho > 0 ? rowMean : meanAll);
    sigmas[i] = Math.max(mid, floor);
    rhos[i] = rho;
  }
  return { sigmas, rhos };
}

/**
 * Directed memberships exp(−(d − ρ)/σ) as CSR with sorted columns. `bipartite` (transform) keeps an
 * entry even when the neighbour index equals the row index.
 */
export function membershipGraph(
  indices: Int32Array,
  distances: Float32Array,
  rows: number,
  k: number,
  sigmas: Float64Array,
  rhos: Float64Array,
  bipartite = false,
): { cols: Int32Array; weights: Float64Array } {
  const cols = new Int32Array(rows * k);
  const weights = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < k; j++) {
      const p = i * k + j;
      const idx = indices[p];
      cols[p] = idx;
      if (idx < 0 || (!bipartite && idx === i)) {
        weights[p] = 0;
        continue;
      }
      const d = distances[p] - rhos[i];
      weights[p] = d <= 0 || sigmas[i] === 0 ? 1 : Math.exp(-(d / sigmas[i]));
    }
  }
  return { cols, weights };
}

/** Builds a CSR from fixed-degree rows, dropping zero weights and sorting each row's columns. */
export function csrFromRows(n: number, k: number, cols: Int32Array, weights: Float64Array): CsrGraph {
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let j = 0; j < k; j++) if (weights[i * k + j] > 0 && cols[i * k + j] >= 0) c++;
    indptr[i + 1] = indptr[i] + c;
  }
  const outCols = new Int32Array(indptr[n]);
  const outWeights = new Float64Array(indptr[n]);
  for (let i = 0; i < n; i++) {
    let o = indptr[i];
    const start = o;
    for (let j = 0; j < k; j++) {
      const w = weights[i * k + j];
      const c = cols[i * k + j];
      if (!(w > 0) || c < 0) continue;
      // insertion into the sorted run; a repeated column keeps the larger weight
      let pos = o;
      while (pos > start && outCols[pos - 1] > c) pos--;
      if (pos > start && outCols[pos - 1] === c) {
        outWeights[pos - 1] = Math.max(outWeights[pos - 1], w);
        continue;
      }
      for (let q = o; q > pos; q--) {
        outCols[q] = outCols[q - 1];
        outWeights[q] = outWeights[q - 1];
      }
      outCols[pos] = c;
      outWeights[pos] = w;
      o++;
    }
    // duplicates shrink the row: shift the tail left later by compaction
    for (let q = o; q < indptr[i + 1]; q++) outCols[q] = -1;
  }
  return compact({ n, indptr, indices: outCols, weights: outWeights });
}

function compact(graph: CsrGraph): CsrGraph {
  const { n, indptr, indices, weights } = graph;
  let valid = 0;
  for (let p = 0; p < indices.length; p++) if (indices[p] >= 0 && weights[p] > 0) valid++;
  if (valid === indices.length) return graph;
  const newPtr = new Int32Array(n + 1);
  const newIdx = new Int32Array(valid);
  const newW = new Float64Array(valid);
  let o = 0;
  for (let i = 0; i < n; i++) {
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      if (indices[p] < 0 || !(weights[p] > 0)) continue;
      newIdx[o] = indices[p];
      newW[o] = weights[p];
      o++;
    }
    newPtr[i + 1] = o;
  }
  return { n, indptr: newPtr, indices: newIdx, weights: newW };
}

/** Transpose by counting sort; rows come out with sorted columns because sources are visited in order. */
export function transpose(graph: CsrGraph): CsrGraph {
  const { n, indptr, indices, weights } = graph;
  const counts = new Int32Array(n + 1);
  for (let p = 0; p < indices.length; p++) counts[indices[p] + 1]++;
  for (let i = 0; i < n; i++) counts[i + 1] += counts[i];
  const tPtr = counts.slice();
  const fill = counts.slice(0, n);
  const tIdx = new Int32Array(indices.length);
  const tW = new Float64Array(indices.length);
  for (let i = 0; i < n; i++) {
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const j = indices[p];
      const q = fill[j]++;
      tIdx[q] = i;
      tW[q] = weights[p];
    }
  }
  return { n, indptr: tPtr, indices: tIdx, weights: tW };
}

/** Fuzzy union A + Aᵀ − A∘Aᵀ (umap-learn with set_op_mix_ratio = 1), a symmetric graph. */
export function fuzzyUnion(graph: CsrGraph): CsrGraph {
  const t = transpose(graph);
  const { n } = graph;
  const indptr = new Int32Array(n + 1);
  // first pass: sizes of the merged rows
  for (let i = 0; i < n; i++) {
    let p = graph.indptr[i];
    let q = t.indptr[i];
    const pe = graph.indptr[i + 1];
    const qe = t.indptr[i + 1];
    let c = 0;
    while (p < pe || q < qe) {
      const a = p < pe ? graph.indices[p] : 0x7fffffff;
      const b = q < qe ? t.indices[q] : 0x7fffffff;
      if (a === b) {
        p++;
        q++;
      } else if (a < b) p++;
      else q++;
      c++;
    }
    indptr[i + 1] = indptr[i] + c;
  }
  const indices = new Int32Array(indptr[n]);
  const weights = new Float64Array(indptr[n]);
  for (let i = 0; i < n; i++) {
    let p = graph.indptr[i];
    let q = t.indptr[i];
    const pe = graph.indptr[i + 1];
    const qe = t.indptr[i + 1];
    let o = indptr[i];
    while (p < pe || q < qe) {
      const a = p < pe ? graph.indices[p] : 0x7fffffff;
      const b = q < qe ? t.indices[q] : 0x7fffffff;
      if (a === b) {
        const wa = graph.weights[p++];
        const wb = t.weights[q++];
        indices[o] = a;
        weights[o] = wa + wb - wa * wb;
      } else if (a < b) {
        indices[o] = a;
        weights[o] = graph.weights[p++];
      } else {
        indices[o] = b;
        weights[o] = t.weights[q++];
      }
      o++;
    }
  }
  return compact({ n, indptr, indices, weights });
}

/** umap-learn's fuzzy_simplicial_set on a precomputed kNN (self included as first neighbour). */
export function fuzzySimplicialSet(
  indices: Int32Array,
  distances: Float32Array,
  rows: number,
  k: number,
): CsrGraph {
  const { sigmas, rhos } = smoothKnnDist(distances, rows, k);
  const { cols, weights } = membershipGraph(indices, distances, rows, k, sigmas, rhos);
  return fuzzyUnion(csrFromRows(rows, k, cols, weights));
}

/**
 * Supervised UMAP with categorical labels (umap-learn's discrete_metric_simplicial_set_intersection
 * followed by reset_local_connectivity): edges between different labels are scaled by exp(−farDist),
 * edges touching an unlabelled point (−1) by exp(−unknownDist); rows are then max-normalised and
 * fuzzy-unioned again.
 */
export function intersectWithLabels(
  graph: CsrGraph,
  labels: Int32Array,
  farDist = 5,
  unknownDist = 1,
): CsrGraph {
  const { n, indptr, indices } = graph;
  const weights = graph.weights.slice();
  const unknown = Math.exp(-unknownDist);
  const far = Math.exp(-farDist);
  for (let i = 0; i < n; i++) {
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const j = indices[p];
      if (labels[i] === -1 || labels[j] === -1) weights[p] *= unknown;
      else if (labels[i] !== labels[j]) weights[p] *= far;
    }
  }
  for (let i = 0; i < n; i++) {
    let max = 0;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) max = Math.max(max, weights[p]);
    if (max > 0) for (let p = indptr[i]; p < indptr[i + 1]; p++) weights[p] /= max;
  }
  return fuzzyUnion(compact({ n, indptr, indices, weights }));
}
