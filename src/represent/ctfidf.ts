/**
 * BERTopic's class-based TF-IDF (`ClassTfidfTransformer`). Rows of X are classes (topics), each the
 * term counts of all its documents joined together.
 *   fit:        f_x = column sums of X (frequency of term x over all classes),
 *               A   = int(mean row sum)   (average number of words per class),
 *               idf = log(A / f_x + 1),  or with bm25Weighting  log(1 + (A − f_x + 0.5) / (f_x + 0.5)).
 *   transform:  L1-normalise each row, take the square root if reduceFrequentWords, multiply by idf.
 * All in float64, as scikit-learn/numpy compute it.
 */
import { columnSums, rowSums, type SparseMatrix } from "./sparse.js";

export interface ClassTfidfOptions {
  bm25Weighting: boolean;
  reduceFrequentWords: boolean;
}

export interface ClassTfidfJSON {
  options: ClassTfidfOptions;
  /** A plain array from toJSON; a typed one as a model folder reads it. */
  idf: ArrayLike<number>;
  averageWords: number;
}

export class ClassTfidfTransformer {
  readonly options: ClassTfidfOptions;
  idf: Float64Array = new Float64Array(0);
  /** A: the truncated mean number of words per class seen in fit. */
  averageWords = 0;

  constructor(options: ClassTfidfOptions) {
    this.options = { bm25Weighting: options.bm25Weighting, reduceFrequentWords: options.reduceFrequentWords };
  }

  /** `multiplier` scales idf per term (BERTopic's seed-word boost). */
  fit(X: SparseMatrix, multiplier?: Float64Array): this {
    const df = columnSums(X);
    const sums = rowSums(X);
    let total = 0;
    for (const s of sums) total += s;
    const A = X.rows === 0 ? 0 : Math.trunc(total / X.rows);
    const idf = new Float64Array(X.cols);
    for (let j = 0; j < X.cols; j++) {
      const f = df[j];
      idf[j] = this.options.bm25Weighting ? Math.log(1 + (A - f + 0.5) / (f + 0.5)) : Math.log(A / f + 1);
      if (multiplier) idf[j] *= multiplier[j];
    }
    this.idf = idf;
    this.averageWords = A;
    return this;
  }

  transform(X: SparseMatrix): SparseMatrix {
    if (X.cols !== this.idf.length) {
      throw new RangeError(
        `c-TF-IDF was fitted on ${this.idf.length} terms, got a matrix with ${X.cols} columns`,
      );
    }
    const data = new Float64Array(X.data.length);
    const { reduceFrequentWords } = this.options;
    for (let r = 0; r < X.rows; r++) {
      const start = X.indptr[r];
      const end = X.indptr[r + 1];
      let norm = 0;
      for (let k = start; k < end; k++) norm += Math.abs(X.data[k]);
      // scikit-learn's normalize leaves all-zero rows as they are.
      const scale = norm === 0 ? 1 : norm;
      for (let k = start; k < end; k++) {
        const tf = X.data[k] / scale;
        data[k] = (reduceFrequentWords ? Math.sqrt(tf) : tf) * this.idf[X.indices[k]];
      }
    }
    return { rows: X.rows, cols: X.cols, indptr: X.indptr.slice(), indices: X.indices.slice(), data };
  }

  toJSON(): ClassTfidfJSON {
    return { options: this.options, idf: Array.from(this.idf), averageWords: this.averageWords };
  }

  static fromJSON(json: ClassTfidfJSON): ClassTfidfTransformer {
    const transformer = new ClassTfidfTransformer(json.options);
    transformer.idf = Float64Array.from(json.idf);
    transformer.averageWords = json.averageWords;
    return transformer;
  }
}
