/**
 * `tfidf`: latent semantic analysis vectors, the offline encoder for any language and for corpora too
 * big (or machines too slow) for a neural encoder. Sublinear TF-IDF (scikit-learn's
 * TfidfVectorizer(sublinear_tf=True) weighting) over
 * - words: the shared tokenizer (scikit-learn's token pattern in spaced scripts, Intl.Segmenter words
 *   in scripts written without spaces) minus the stop words of the corpus language, and
 * - character n-grams inside runs of scripts where a space-delimited token is not a word — 1–2
 *   characters for Chinese, Japanese and Korean (a character is a syllable or a morpheme), 2–3 for
 *   Thai, Lao, Khmer and Burmese — so texts that share a character stem are close even when the
 *   segmenter cut their words differently (我喜欢猫 / 我爱小猫 share 猫 though their words differ),
 * reduced by a seeded randomized truncated SVD (Halko, Martinsson & Tropp 2011: range finder with
 * power iterations, CholeskyQR2 orthonormalisation, eigen-decomposition of the small projected Gram
 * matrix).
 *
 * The first `embed` call fits (vocabulary, idf, projection V) on the texts it gets — the corpus, which
 * the embedder sees at once, bypassing the cache; later calls, and an embedder restored from a saved
 * state, project new texts with the fitted V: row = normalise(normalise(tfidf(x)) · Vᵀ). Fitted rows
 * are computed the same way (A·V, which equals TruncatedSVD's U·Σ up to the randomized range's
 * error), so a training text embedded again gives its own row back, bit for bit.
 * Memory: about 8·n·(d+10) bytes for the range basis plus the sparse matrix.
 */

import { detectLanguage } from "../text/language.js";
import { type StopWordsOption, stopWordsForLanguage } from "../text/stopwords.js";
import { createTokenizer, type Tokenizer } from "../text/tokenizer.js";
import type { Matrix } from "../types.js";
import { symmetricEigen } from "../util/linalg.js";
import { createRng } from "../util/rng.js";
import { normalizeRows } from "./batching.js";
import type { Embedder, EmbedderState } from "./types.js";

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
  /** Language of the corpus (stop words, segmenter locale); default: detected from the fitted texts. */
  language?: string;
  /** Stop words: default the corpus language's list ("english" for English, as before). */
  stopWords?: StopWordsOption;
}

/** What `tfidf` keeps after fitting: enough to embed new texts into the fitted space. */
export interface TfidfFit {
  dimension: number;
  seed: number;
  language: string;
  stopWords: StopWordsOption;
  terms: string[];
  idf: Float64Array;
  /** k × terms (k ≤ dimension), float32 values: row c is the c-th right singular vector. */
  components: Matrix;
}

const OVERSAMPLE = 10;
export const TFIDF_STATE_FORMAT = "topicscope-tfidf-lsa";

interface Csr {
  rows: number;
  cols: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float64Array;
}

// Runs where a space-delimited token is not a word, and the character n-gram sizes used in them.
const CHARACTER_RUNS: ReadonlyArray<readonly [RegExp, number, number]> = [
  [/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc\p{Script=Hangul}]+/gu, 1, 2],
  [/[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]+/gu, 2, 3],
];
const HAS_CHARACTER_RUN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/**
 * Word and character n-gram counts of one text; character grams carry a "#" (never part of a word
 * token), and those that are stop words themselves (的, 了, 我) are left out like the words.
 */
export function featureCounts(text: string, tokenizer: Tokenizer): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (term: string) => counts.set(term, (counts.get(term) ?? 0) + 1);
  tokenizer.forEachToken(text, add);
  const lower = text.toLowerCase();
  if (!HAS_CHARACTER_RUN.test(lower)) return counts;
  for (const [pattern, minN, maxN] of CHARACTER_RUNS) {
    for (const match of lower.matchAll(pattern)) {
      const chars = Array.from(match[0]);
      for (let n = minN; n <= maxN; n++) {
        for (let i = 0; i + n <= chars.length; i++) {
          const gram = chars.slice(i, i + n).join("");
          if (!tokenizer.stopWords.has(gram)) add(`#${gram}`);
        }
      }
    }
  }
  return counts;
}

function tokenizerFor(language: string, stopWords: StopWordsOption): Tokenizer {
  return createTokenizer({
    ngramRange: [1, 1],
    stopWords,
    language: language === "und" ? undefined : language,
  });
}

/** Sublinear TF-IDF of texts against a fitted vocabulary, rows L2-normalised (blank or unknown texts stay all-zero). */
function weigh(
  docCounts: readonly Map<string, number>[],
  column: ReadonlyMap<string, number>,
  idf: Float64Array,
): Csr {
  const n = docCounts.length;
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
    cols: idf.length,
    rowPtr,
    colIdx: Int32Array.from(colIdx),
    values: Float64Array.from(values),
  };
}

/** Sublinear TF-IDF, rows L2-normalised (blank documents stay all-zero), with the fitted vocabulary. */
export function tfidfMatrix(
  texts: readonly string[],
  options: TfidfOptions = {},
): Csr & { terms: string[]; idf: Float64Array; language: string; stopWords: StopWordsOption } {
  const language = options.language ?? detectLanguage(texts).language;
  const stopWords = options.stopWords ?? stopWordsForLanguage(language);
  const tokenizer = tokenizerFor(language, stopWords);
  const n = texts.length;
  const docCounts = texts.map((text) => featureCounts(text, tokenizer));
  const df = new Map<string, number>();
  for (const counts of docCounts) for (const term of counts.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const minDf = options.minDf ?? (n < 50 ? 1 : 2);
  const terms = [...df.entries()]
    .filter(([, f]) => f >= minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxFeatures ?? 20000)
    .map(([term]) => term)
    .sort();
  const column = new Map(terms.map((term, j) => [term, j]));
  const idf = Float64Array.from(terms, (term) => Math.log((1 + n) / (1 + df.get(term)!)) + 1);
  return { ...weigh(docCounts, column, idf), terms, idf, language, stopWords };
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

/**
 * Projects TF-IDF rows onto the components: n × dimension rows (zero columns past k), L2-normalised
 * unless told otherwise.
 * The one projection of fitted and new texts, so both give identical rows for identical text.
 */
function project(a: Csr, components: Matrix, dimension: number, normalize = true): Matrix {
  const n = a.rows;
  const k = components.rows;
  const t = components.cols;
  const out = new Float32Array(n * dimension);
  const sums = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let p = a.rowPtr[i]; p < a.rowPtr[i + 1]; p++) {
      const v = a.values[p];
      const j = a.colIdx[p];
      for (let c = 0; c < k; c++) sums[c] += v * components.data[c * t + j];
    }
    for (let c = 0; c < k; c++) out[i * dimension + c] = sums[c];
  }
  if (normalize) normalizeRows(out, dimension);
  return { data: out, rows: n, cols: dimension };
}

/** Fits TF-IDF + randomized truncated SVD on a corpus: its rows and what is needed to embed new texts. */
export function fitTfidfLsa(
  texts: readonly string[],
  options: TfidfOptions & { dimension: number; seed: number },
): { matrix: Matrix; fit: TfidfFit } {
  const a = tfidfMatrix(texts, options);
  const n = a.rows;
  const d = options.dimension;
  const k = Math.min(d, n, a.cols);
  const components: Matrix = { data: new Float32Array(k * a.cols), rows: k, cols: a.cols };
  const fit: TfidfFit = {
    dimension: d,
    seed: options.seed,
    language: a.language,
    stopWords: a.stopWords,
    terms: a.terms,
    idf: a.idf,
    components,
  };
  if (k === 0) return { matrix: { data: new Float32Array(n * d), rows: n, cols: d }, fit };
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
  // A ≈ Q·B with B = QᵀA = Wᵀ for W = AᵀQ; B·Bᵀ = WᵀW gives B's left singular vectors Ub and σ²,
  // and the right singular vectors are V = W·Ub·Σ⁻¹
  const w = multiplyTransposed(a, q, m);
  const { values, vectors } = symmetricEigen(gram(w, a.cols, m), m);
  const cols = a.cols;
  for (let c = 0; c < k; c++) {
    const sigma = Math.sqrt(Math.max(values[c], 0));
    if (!(sigma > 1e-10 * Math.sqrt(Math.max(values[0], 0)))) continue; // a direction the corpus lacks
    for (let t = 0; t < cols; t++) {
      let sum = 0;
      for (let j = 0; j < m; j++) sum += w[t * m + j] * vectors[j * m + c];
      components.data[c * cols + t] = sum / sigma;
    }
  }
  // a deterministic sign per component (the largest-magnitude entry of U·Σ positive), as sklearn's svd_flip
  const raw = project(a, components, k, false);
  for (let c = 0; c < k; c++) {
    let best = 0;
    for (let i = 0; i < n; i++)
      if (Math.abs(raw.data[i * k + c]) > Math.abs(best)) best = raw.data[i * k + c];
    if (best < 0)
      for (let t = 0; t < cols; t++) components.data[c * cols + t] = -components.data[c * cols + t];
  }
  return { matrix: project(a, components, d), fit };
}

/** TF-IDF → randomized truncated SVD: n × dimension rows (≈ U·Σ), L2-normalised; zero columns where the corpus has fewer. */
export function tfidfLsa(
  texts: readonly string[],
  options: TfidfOptions & { dimension: number; seed: number },
): Matrix {
  return fitTfidfLsa(texts, options).matrix;
}

/** Embeds new texts into a fitted space (unknown terms are ignored; a text with none is a zero row). */
export function transformTfidfLsa(fit: TfidfFit, texts: readonly string[]): Matrix {
  const tokenizer = tokenizerFor(fit.language, fit.stopWords);
  const column = new Map(fit.terms.map((term, j) => [term, j]));
  const a = weigh(
    texts.map((text) => featureCounts(text, tokenizer)),
    column,
    fit.idf,
  );
  return project(a, fit.components, fit.dimension);
}

export function tfidfState(fit: TfidfFit): EmbedderState {
  return {
    method: "tfidf",
    options: {
      format: TFIDF_STATE_FORMAT,
      version: 1,
      dimension: fit.dimension,
      seed: fit.seed,
      language: fit.language,
      stopWords: fit.stopWords,
      terms: fit.terms,
      idf: Array.from(fit.idf),
    },
    arrays: { components: { data: fit.components.data, shape: [fit.components.rows, fit.components.cols] } },
  };
}

/** The fit saved by `tfidfState`; a state of another method or format is an error naming it. */
export function tfidfFitFromState(state: EmbedderState): TfidfFit {
  const json = state.options;
  const components = state.arrays?.components;
  if (state.method !== "tfidf" || json.format !== TFIDF_STATE_FORMAT || json.version !== 1 || !components) {
    throw new Error(
      `not a tfidf state (method ${state.method}, format ${String(json.format)} v${String(json.version)})`,
    );
  }
  const terms = json.terms as string[];
  const idf = Float64Array.from(json.idf as number[]);
  const [rows, cols] = components.shape;
  if (terms.length !== idf.length || cols !== terms.length || components.data.length !== rows * cols) {
    throw new Error(
      `tfidf state is inconsistent: ${terms.length} terms, ${idf.length} idf values, components ${components.shape.join(" × ")}`,
    );
  }
  return {
    dimension: json.dimension as number,
    seed: json.seed as number,
    language: json.language as string,
    stopWords: json.stopWords as StopWordsOption,
    terms,
    idf,
    components: { data: Float32Array.from(components.data), rows, cols },
  };
}

export function createTfidfEmbedder(options: TfidfOptions = {}, state?: EmbedderState): Embedder {
  let fit = state ? tfidfFitFromState(state) : undefined;
  const dimension = fit?.dimension ?? options.dimension ?? 128;
  const seed = fit?.seed ?? options.seed ?? 42;
  return {
    id: `tfidf-lsa@2;dim=${dimension};seed=${seed}`,
    dimension,
    maxTokens: Number.POSITIVE_INFINITY,
    cacheable: false,
    async embed(texts, embedOptions) {
      let matrix: Matrix;
      if (fit === undefined) {
        // the first texts are the corpus: they define the space
        const fitted = fitTfidfLsa(texts, { ...options, dimension, seed });
        fit = fitted.fit;
        matrix = fitted.matrix;
      } else {
        matrix = transformTfidfLsa(fit, texts);
      }
      embedOptions?.onProgress?.(texts.length, texts.length);
      return matrix;
    },
    fittedState: () => (fit ? tfidfState(fit) : undefined),
  };
}
