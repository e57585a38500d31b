/**
 * `tfidf`: latent semantic analysis vectors for corpora too big (or machines too slow) for a neural
 * encoder. Sublinear TF-IDF (scikit-learn's TfidfVectorizer(sublinear_tf=True) weighting, unigrams,
 * English stop words) reduced by a seeded randomized truncated SVD (Halko, Martinsson & Tropp 2011:
 * range finder with power iterations, CholeskyQR2 orthonormalisation, eigen-decomposition of the
 * small projected Gram matrix). Rows are U·Σ, L2-normalised, as TruncatedSVD.fit_transform gives.
 *
 * A document's vector depends on the whole corpus, so the embedder sees the corpus at once and the
 * cache is bypassed. Memory: about 8·n·(d+10) bytes for the range basis plus the sparse matrix.
 */

import { createTokenizer } from "../text/tokenizer.js";
import type { Matrix } from "../types.js";
import { symmetricEigen } from "../util/linalg.js";
import { createRng } from "../util/rng.js";
import { normalizeRows } from "./batching.js";
import type { Embedder } from "./types.js";

export interface TfidfOptions {
  /** Number of LSA components (default 128). */
  dimension?: number;
  seed?: number;
  /** Terms in fewer documents are dropped (default 2; 1 for corpora under 50 documents). */
  minDf?: number;
  /** Keep at most this many terms, the most frequent by document frequency (default 20,000). */
  maxFeatures?: number;
  /** Power iterations of the range finder (default 4). */
  powerIterations?: number;
}

const OVERSAMPLE = 10;

interface Csr {
  rows: number;
  cols: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float64Array;
}

export function createTfidfEmbedder(options: TfidfOptions = {}): Embedder {
  const dimension = options.dimension ?? 128;
  const seed = options.seed ?? 42;
  return {
    id: `tfidf-lsa;dim=${dimension};seed=${seed}`,
    dimension,
    maxTokens: Number.POSITIVE_INFINITY,
    cacheable: false,
    async embed(texts, embedOptions) {
      const matrix = tfidfLsa(texts, { ...options, dimension, seed });
      embedOptions?.onProgress?.(texts.length, texts.length);
      return matrix;
    },
  };
}

/** Sublinear TF-IDF, rows L2-normalised (blank documents stay all-zero). */
export function tfidfMatrix(texts: readonly string[], options: TfidfOptions = {}): Csr & { terms: string[] } {
  const tokenizer = createTokenizer({ ngramRange: [1, 1], stopWords: "english" });
  const n = texts.length;
  const docCounts: Map<string, number>[] = [];
  const df = new Map<string, number>();
  for (const text of texts) {
    const counts = new Map<string, number>();
    tokenizer.forEachTerm(text, (term) => counts.set(term, (counts.get(term) ?? 0) + 1));
    for (const term of counts.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    docCounts.push(counts);
  }
  const minDf = options.minDf ?? (n < 50 ? 1 : 2);
  const terms = [...df.entries()]
    .filter(([, f]) => f >= minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxFeatures ?? 20000)
    .map(([term]) => term)
    .sort();
  const column = new Map(terms.map((term, j) => [term, j]));
  const idf = terms.map((term) => Math.log((1 + n) / (1 + df.get(term)!)) + 1);
  const rowPtr = new Int32Array(n + 1);
  const colIdx: number[] = [];
  const values: number[] = [];
  docCounts.forEach((counts, i) => {
    const entries: Array<[number, number]> = [];
    for (const [term, count] of counts) {
      const j = column.get(term);
      if (j !== undefined) entries.push([j, (1 + Math.log(count)) * idf[j]]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const norm = Math.sqrt(entries.reduce((sum, [, v]) => sum + v * v, 0)) || 1;
    for (const [j, v] of entries) {
      colIdx.push(j);
      values.push(v / norm);
    }
    rowPtr[i + 1] = colIdx.length;
  });
  return {
    rows: n,
    cols: terms.length,
    rowPtr,
    colIdx: Int32Array.from(colIdx),
    values: Float64Array.from(values),
    terms,
  };
}

/** A·X for row-major X (cols × m) → rows × m. */
function multiply(a: Csr, x: Float64Array, m: number): Float64Array {
  const out = new Float64Array(a.rows * m);
  for (let i = 0; i < a.rows; i++) {
    const o = i * m;
    for (let p = a.rowPtr[i]; p < a.rowPtr[i + 1]; p++) {
      const v = a.values[p];
      const xo = a.colIdx[p] * m;
      for (let c = 0; c < m; c++) out[o + c] += v * x[xo + c];
    }
  }
  return out;
}

/** Aᵀ·Y for row-major Y (rows × m) → cols × m. */
function multiplyTransposed(a: Csr, y: Float64Array, m: number): Float64Array {
  const out = new Float64Array(a.cols * m);
  for (let i = 0; i < a.rows; i++) {
    const yo = i * m;
    for (let p = a.rowPtr[i]; p < a.rowPtr[i + 1]; p++) {
      const v = a.values[p];
      const o = a.colIdx[p] * m;
      for (let c = 0; c < m; c++) out[o + c] += v * y[yo + c];
    }
  }
  return out;
}

/** Gram matrix YᵀY (m × m) of a row-major n × m matrix. */
function gram(y: Float64Array, n: number, m: number): Float64Array {
  const g = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let a = 0; a < m; a++) {
      const ya = y[o + a];
      if (ya === 0) continue;
      for (let b = a; b < m; b++) g[a * m + b] += ya * y[o + b];
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) g[a * m + b] = g[b * m + a];
  return g;
}

/**
 * Orthonormalises the columns of a row-major n × m matrix in place (CholeskyQR, applied twice for
 * stability). Directions the data does not span come out as zero columns.
 */
function orthonormalize(y: Float64Array, n: number, m: number): void {
  for (let pass = 0; pass < 2; pass++) {
    const g = gram(y, n, m);
    let trace = 0;
    for (let a = 0; a < m; a++) trace += g[a * m + a];
    const ridge = (trace / m) * 1e-12 + 1e-300;
    // Cholesky G = Rᵀ R (R upper triangular)
    const r = new Float64Array(m * m);
    for (let a = 0; a < m; a++) {
      for (let b = a; b < m; b++) {
        let sum = g[a * m + b] + (a === b ? ridge : 0);
        for (let k = 0; k < a; k++) sum -= r[k * m + a] * r[k * m + b];
        if (a === b) r[a * m + a] = sum > ridge ? Math.sqrt(sum) : 0;
        else r[a * m + b] = r[a * m + a] > 0 ? sum / r[a * m + a] : 0;
      }
    }
    // each row x of Q solves x·R = y
    for (let i = 0; i < n; i++) {
      const o = i * m;
      for (let b = 0; b < m; b++) {
        let sum = y[o + b];
        for (let k = 0; k < b; k++) sum -= y[o + k] * r[k * m + b];
        y[o + b] = r[b * m + b] > 0 ? sum / r[b * m + b] : 0;
      }
    }
  }
}

/** TF-IDF → randomized truncated SVD: n × dimension rows U·Σ (zero columns where the corpus has fewer). */
export function tfidfLsa(
  texts: readonly string[],
  options: TfidfOptions & { dimension: number; seed: number },
): Matrix {
  const a = tfidfMatrix(texts, options);
  const n = a.rows;
  const d = options.dimension;
  const out = new Float32Array(n * d);
  const k = Math.min(d, n, a.cols);
  if (k === 0) return { data: out, rows: n, cols: d };
  const m = Math.min(k + OVERSAMPLE, n, a.cols);
  const rng = createRng(options.seed);
  const omega = Float64Array.from({ length: a.cols * m }, () => rng.nextGaussian());
  let q = multiply(a, omega, m);
  orthonormalize(q, n, m);
  for (let it = 0; it < (options.powerIterations ?? 4); it++) {
    const z = multiplyTransposed(a, q, m);
    orthonormalize(z, a.cols, m);
    q = multiply(a, z, m);
    orthonormalize(q, n, m);
  }
  // A ≈ Q·B with B = QᵀA; B·Bᵀ = WᵀW for W = AᵀQ gives B's left singular vectors and σ²
  const w = multiplyTransposed(a, q, m);
  const { values, vectors } = symmetricEigen(gram(w, a.cols, m), m);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let j = 0; j < m; j++) sum += q[i * m + j] * vectors[j * m + c];
      out[i * d + c] = sum * Math.sqrt(Math.max(values[c], 0));
    }
  }
  // a deterministic sign per component (the largest-magnitude entry positive), as sklearn's svd_flip
  for (let c = 0; c < k; c++) {
    let best = 0;
    for (let i = 0; i < n; i++) if (Math.abs(out[i * d + c]) > Math.abs(best)) best = out[i * d + c];
    if (best < 0) for (let i = 0; i < n; i++) out[i * d + c] = -out[i * d + c];
  }
  normalizeRows(out, d);
  return { data: out, rows: n, cols: d };
}
