/**
 * Data contracts shared by every stage. Stages exchange dense row-major matrices, integer label
 * arrays (-1 = outlier) and plain objects; no stage knows about the stages around it.
 */

/** Dense row-major matrix: element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** One document of a corpus, in input order. Optional fields feed per-class / over-time views. */
export interface CorpusDocument {
  id: string;
  text: string;
  label?: string;
  timestamp?: string;
}

/** Output of a clustering stage, one entry per input row, in input order. */
export interface ClusterResult {
  /** Cluster id per point, -1 = outlier / noise. */
  labels: Int32Array;
  /** Membership strength in [0, 1] (0 for outliers). */
  probabilities: Float32Array;
  /** GLOSH-style outlier score in [0, 1] where the clusterer defines one, else zeros. */
  outlierScores: Float32Array;
}

/** Labels and membership strengths predicted for unseen points. */
export interface ClusterPrediction {
  labels: Int32Array;
  probabilities: Float32Array;
}

/** Called by long-running stages; `done` counts units of work out of `total`. */
export type ProgressCallback = (done: number, total: number) => void;

export function createMatrix(rows: number, cols: number, data?: Float32Array): Matrix {
  const buffer = data ?? new Float32Array(rows * cols);
  if (buffer.length !== rows * cols) {
    throw new RangeError(`matrix data has ${buffer.length} values, expected ${rows} × ${cols}`);
  }
  return { data: buffer, rows, cols };
}

/** A copy of the given rows, in the given order. */
export function selectRows(matrix: Matrix, rows: readonly number[]): Matrix {
  const { cols } = matrix;
  const data = new Float32Array(rows.length * cols);
  // runs of consecutive rows are copied in one call (a model's clustered rows are nearly all of them)
  for (let i = 0; i < rows.length; ) {
    let end = i + 1;
    while (end < rows.length && rows[end] === rows[end - 1] + 1) end++;
    data.set(matrix.data.subarray(rows[i] * cols, (rows[end - 1] + 1) * cols), i * cols);
    i = end;
  }
  return { data, rows: rows.length, cols };
}

/** A view of row `i` (shares memory with the matrix). */
export function matrixRow(matrix: Matrix, i: number): Float32Array {
  return matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols);
}

/** A numeric array a fitted stage keeps (written as NumPy .npy next to the model's other files). */
export interface StateArray {
  data: Float32Array | Float64Array | Int32Array;
  shape: number[];
}

/**
 * A fitted stage's description of itself: with the data it was fitted on (which the caller holds and
 * stores anyway), enough to rebuild it so that transform / predict give what the fitted stage gave.
 */
export interface StageState {
  /** The stage's method name, as in its registry. */
  method: string;
  /** JSON-serialisable settings. */
  options: Record<string, unknown>;
  /** Learned arrays a restore needs and cannot cheaply recompute (e.g. PCA axes, k-means centroids). */
  arrays?: Record<string, StateArray>;
}
