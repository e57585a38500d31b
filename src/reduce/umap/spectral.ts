/**
 * Spectral initialisation, as umap-learn's spectral_layout: the eigenvectors of the normalised
 * Laplacian I − D^−½ W D^−½ with the smallest eigenvalues (dropping the trivial one), i.e. the top
 * eigenvectors of N = D^−½ W D^−½. umap-learn calls ARPACK (eigsh, tol 1e-4, start vector of ones);
 * we run Lanczos with full reorthogonalisation from the same start vector, checking the Ritz
 * residuals every few steps. Disconnected graphs are laid out one component at a time around
 * well-separated anchor points (umap-learn's multi_component_layout).
 */
import type { Matrix } from "../../types.js";
import type { Rng } from "../../util/rng.js";
import { fitPca, projectPca } from "../pca.js";
import type { CsrGraph } from "./fuzzy-set.js";

/**
 * Eigen-decomposition of a symmetric tridiagonal matrix (implicit QL with Wilkinson shifts).
 * `fromRow` > 0 skips rotating the eigenvector rows above it (their entries are then meaningless):
 * each row is rotated on its own, so the rows kept are exactly those of the full decomposition —
 * Lanczos' convergence test reads only the last one.
 */
export function tridiagonalEigen(
  diagonal: Float64Array,
  offDiagonal: Float64Array,
  fromRow = 0,
): { values: Float64Array; vectors: Float64Array } {
  const m = diagonal.length;
  const d = diagonal.slice();
  // e[i] couples i and i+1; e[m-1] = 0
  const e = new Float64Array(m);
  for (let i = 0; i < m - 1; i++) e[i] = offDiagonal[i];
  const z = new Float64Array(m * m);
  for (let i = 0; i < m; i++) z[i * m + i] = 1;
  for (let l = 0; l < m; l++) {
    let iterations = 0;
    for (;;) {
      let mm = l;
      for (; mm < m - 1; mm++) {
        const dd = Math.abs(d[mm]) + Math.abs(d[mm + 1]);
        if (Math.abs(e[mm]) <= Number.EPSILON * dd) break;
      }
      if (mm === l) break;
      if (++iterations > 60) break;
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[mm] - d[l] + e[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
      let s = 1;
      let c = 1;
      let p = 0;
      let underflow = false;
      let i = mm - 1;
      for (; i >= l; i--) {
        let f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[mm] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        for (let k = fromRow; k < m; k++) {
          f = z[k * m + i + 1];
          z[k * m + i + 1] = s * z[k * m + i] + c * f;
          z[k * m + i] = c * z[k * m + i] - s * f;
        }
      }
      if (underflow) continue;
      d[l] -= p;
      e[l] = g;
      e[mm] = 0;
    }
  }
  return { values: d, vectors: z };
}

/** Multiplies by N = D^−½ W D^−½ (weights pre-scaled). */
function normalisedOperator(graph: CsrGraph): (x: Float64Array, y: Float64Array) => void {
  const { n, indptr, indices, weights } = graph;
  const degree = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let p = indptr[i]; p < indptr[i + 1]; p++) degree[i] += weights[p];
  const scaled = new Float64Array(weights.length);
  for (let i = 0; i < n; i++) {
    for (let p = indptr[i]; p < indptr[i + 1]; p++)
      scaled[p] = weights[p] / Math.sqrt(degree[i] * degree[indices[p]]);
  }
  return (x, y) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = indptr[i]; p < indptr[i + 1]; p++) s += scaled[p] * x[indices[p]];
      y[i] = s;
    }
  };
}

/** The share of its norm a vector must keep through one reorthogonalisation pass to skip the second. */
const DGKS_KEPT = Math.SQRT1_2;

function vectorNorm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/**
 * One modified Gram–Schmidt pass of `w` against the first `count` (≥ 1) basis vectors; returns ‖w‖ after.
 * Each sweep over w subtracts basis vector q and accumulates the dot product with q + 1 (the last
 * sweep, the norm): the same operations in the same order as a sweep for each, so the same bits, with
 * a basis vector read from memory once instead of twice (the basis outgrows the cache: 20 Newsgroups'
 * 110 steps are 16.6 MB).
 */
function reorthogonalise(w: Float64Array, basis: Float64Array, count: number, n: number): number {
  let dot = 0;
  for (let i = 0; i < n; i++) dot += w[i] * basis[i];
  for (let q = 0; q + 1 < count; q++) {
    const at = q * n;
    const next = at + n;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = w[i] - dot * basis[at + i];
      w[i] = x;
      sum += x * basis[next + i];
    }
    dot = sum;
  }
  const last = (count - 1) * n;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const x = w[i] - dot * basis[last + i];
    w[i] = x;
    norm += x * x;
  }
  return Math.sqrt(norm);
}

/**
 * The `want` algebraically largest eigenpairs of a symmetric operator by Lanczos with full
 * reorthogonalisation. Returns eigenvectors as columns of an n×want row-major array, largest first.
 */
export function lanczosLargest(
  apply: (x: Float64Array, y: Float64Array) => void,
  n: number,
  want: number,
  tolerance = 1e-4,
): { values: Float64Array; vectors: Float64Array } {
  const maxSteps = Math.min(n, Math.max(3 * want + 10, Math.min(200, Math.floor(4e7 / n))));
  const basis = new Float64Array(maxSteps * n);
  const alpha = new Float64Array(maxSteps);
  const beta = new Float64Array(maxSteps);
  const w = new Float64Array(n);
  const start = 1 / Math.sqrt(n);
  for (let i = 0; i < n; i++) basis[i] = start;
  let steps = 0;
  let converged = false;
  for (let j = 0; j < maxSteps; j++) {
    const vj = basis.subarray(j * n, (j + 1) * n);
    apply(vj, w);
    let a = 0;
    for (let i = 0; i < n; i++) a += w[i] * vj[i];
    alpha[j] = a;
    steps = j + 1;
    // the three-term recurrence, then full reorthogonalisation against every basis vector; a second
    // pass only when the first removed much of what was left (Daniel–Gragg–Kaufman–Stewart: "twice
    // is enough", and once is when the norm kept at least 1/√2 of itself)
    const previous = j > 0 ? basis.subarray((j - 1) * n, j * n) : undefined;
    const b = j > 0 ? beta[j - 1] : 0;
    for (let i = 0; i < n; i++) w[i] -= a * vj[i] + (previous ? b * previous[i] : 0);
    let norm = vectorNorm(w);
    for (let pass = 0; pass < 2; pass++) {
      const after = reorthogonalise(w, basis, j + 1, n);
      const enough = after >= DGKS_KEPT * norm;
      norm = after;
      if (enough) break;
    }
    beta[j] = norm;
    const check = steps >= want + 2 && (steps % 5 === 0 || steps === maxSteps || norm < 1e-10);
    if (check) {
      // the residual needs only the Ritz vectors' last row: O(steps²) per check instead of O(steps³)
      const ritz = tridiagonalEigen(alpha.subarray(0, steps), beta.subarray(0, steps - 1), steps - 1);
      const order = Array.from({ length: steps }, (_, i) => i).sort(
        (x, y) => ritz.values[y] - ritz.values[x],
      );
      converged = true;
      for (let t = 0; t < Math.min(want, steps); t++) {
        const col = order[t];
        const residual = Math.abs(norm * ritz.vectors[(steps - 1) * steps + col]);
        if (residual > tolerance) {
          converged = false;
          break;
        }
      }
    }
    if (converged || norm < 1e-10 || j === maxSteps - 1) break;
    const next = basis.subarray((j + 1) * n, (j + 2) * n);
    for (let i = 0; i < n; i++) next[i] = w[i] / norm;
  }
  const r = tridiagonalEigen(alpha.subarray(0, steps), beta.subarray(0, steps - 1));
  const order = Array.from({ length: steps }, (_, i) => i).sort((x, y) => r.values[y] - r.values[x]);
  const take = Math.min(want, steps);
  const values = new Float64Array(take);
  const vectors = new Float64Array(n * take);
  for (let t = 0; t < take; t++) {
    const col = order[t];
    values[t] = r.values[col];
    for (let q = 0; q < steps; q++) {
      const y = r.vectors[q * steps + col];
      if (y === 0) continue;
      const vq = q * n;
      for (let i = 0; i < n; i++) vectors[i * take + t] += y * basis[vq + i];
    }
  }
  return { values, vectors };
}

/** Connected components (union–find); returns a label per vertex and the component count. */
export function connectedComponents(graph: CsrGraph): { labels: Int32Array; count: number } {
  const { n, indptr, indices } = graph;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r];
    let y = x;
    while (parent[y] !== r) {
      const next = parent[y];
      parent[y] = r;
      y = next;
    }
    return r;
  };
  for (let i = 0; i < n; i++) {
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const a = find(i);
      const b = find(indices[p]);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const labels = new Int32Array(n).fill(-1);
  const rootLabel = new Int32Array(n).fill(-1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (rootLabel[r] < 0) rootLabel[r] = count++;
    labels[i] = rootLabel[r];
  }
  return { labels, count };
}

/** Spectral layout of one connected graph: dim columns, n×dim row-major. */
function connectedSpectral(graph: CsrGraph, dim: number): Float64Array {
  const { vectors } = lanczosLargest(normalisedOperator(graph), graph.n, dim + 1);
  const take = Math.min(dim + 1, vectors.length / graph.n);
  const out = new Float64Array(graph.n * dim);
  for (let i = 0; i < graph.n; i++)
    for (let c = 0; c < dim && c + 1 < take; c++) out[i * dim + c] = vectors[i * take + c + 1];
  return out;
}

function subgraph(graph: CsrGraph, members: Int32Array, localIndex: Int32Array): CsrGraph {
  const n = members.length;
  const indptr = new Int32Array(n + 1);
  const cols: number[] = [];
  const weights: number[] = [];
  for (let a = 0; a < n; a++) {
    const i = members[a];
    for (let p = graph.indptr[i]; p < graph.indptr[i + 1]; p++) {
      cols.push(localIndex[graph.indices[p]]);
      weights.push(graph.weights[p]);
    }
    indptr[a + 1] = cols.length;
  }
  return { n, indptr, indices: Int32Array.from(cols), weights: Float64Array.from(weights) };
}

/**
 * Spectral layout of the whole graph, n×dim row-major (float64). `data` (the input rows) places the
 * components of a disconnected graph relative to each other.
 */
export function spectralLayout(
  graph: CsrGraph,
  dim: number,
  data: Matrix,
  rng: Rng,
  seed: number,
): Float64Array {
  const { labels, count } = connectedComponents(graph);
  if (count === 1) return connectedSpectral(graph, dim);
  const n = graph.n;
  // anchors: ±unit axes when there are few components, else PCA of the component centroids
  const anchors = new Float64Array(count * dim);
  if (count <= 2 * dim) {
    for (let c = 0; c < count; c++) anchors[c * dim + (c % dim)] = c < dim ? 1 : -1;
  } else {
    const centroids = new Float32Array(count * data.cols);
    const sizes = new Float64Array(count);
    for (let i = 0; i < n; i++) {
      sizes[labels[i]]++;
      for (let j = 0; j < data.cols; j++)
        centroids[labels[i] * data.cols + j] += data.data[i * data.cols + j];
    }
    for (let c = 0; c < count; c++)
      for (let j = 0; j < data.cols; j++) centroids[c * data.cols + j] /= sizes[c];
    const centroidMatrix = { data: centroids, rows: count, cols: data.cols };
    const projected = projectPca(fitPca(centroidMatrix, Math.min(dim, data.cols), seed), centroidMatrix);
    let max = 0;
    for (let i = 0; i < projected.data.length; i++) max = Math.max(max, Math.abs(projected.data[i]));
    for (let c = 0; c < count; c++)
      for (let j = 0; j < projected.cols; j++)
        anchors[c * dim + j] = projected.data[c * projected.cols + j] / (max || 1);
  }
  const out = new Float64Array(n * dim);
  const members: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < n; i++) members[labels[i]].push(i);
  const localIndex = new Int32Array(n);
  for (let c = 0; c < count; c++) {
    let nearest = Number.POSITIVE_INFINITY;
    for (let o = 0; o < count; o++) {
      if (o === c) continue;
      let s = 0;
      for (let j = 0; j < dim; j++) s += (anchors[c * dim + j] - anchors[o * dim + j]) ** 2;
      if (s > 0) nearest = Math.min(nearest, Math.sqrt(s));
    }
    const range = Number.isFinite(nearest) ? nearest / 2 : 1;
    const ids = Int32Array.from(members[c]);
    if (ids.length < 2 * dim || ids.length <= dim + 1) {
      for (const i of ids)
        for (let j = 0; j < dim; j++) out[i * dim + j] = anchors[c * dim + j] + (rng.next() * 2 - 1) * range;
      continue;
    }
    ids.forEach((i, a) => {
      localIndex[i] = a;
    });
    const layout = connectedSpectral(subgraph(graph, ids, localIndex), dim);
    let max = 0;
    for (let t = 0; t < layout.length; t++) max = Math.max(max, Math.abs(layout[t]));
    const expansion = max > 0 ? range / max : 0;
    ids.forEach((i, a) => {
      for (let j = 0; j < dim; j++) out[i * dim + j] = layout[a * dim + j] * expansion + anchors[c * dim + j];
    });
  }
  return out;
}
