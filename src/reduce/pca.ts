/**
 * PCA reducer: centre the rows, take the top eigenvectors of the d×d covariance (block power
 * iteration with Gram–Schmidt, seeded start), project. Deterministic for a seed, O(n·d·k) per
 * iteration, so it is the fast alternative to UMAP when a linear map is good enough.
 */

import type { Matrix, StageState } from "../types.js";
import { UserError } from "../util/errors.js";
import { symmetricEigen } from "../util/linalg.js";
import { createRng } from "../util/rng.js";
import type { FittedReduction, Reducer, ReducerFactory, ReducerFitOptions, ReducerOptions } from "./types.js";
import { assertFiniteRows } from "./validate.js";

export interface PcaModel {
  mean: Float64Array;
  /** k×d row-major principal axes, unit length, ordered by explained variance. */
  components: Float64Array;
  /** Variance along each axis (eigenvalues of the covariance, divisor n - 1). */
  explainedVariance: Float64Array;
  nComponents: number;
  cols: number;
}

/** Covariance (d×d, float64) of the rows around their mean. */
function covariance(data: Matrix, mean: Float64Array): Float64Array {
  const { rows, cols } = data;
  const cov = new Float64Array(cols * cols);
  const centred = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) centred[j] = data.data[base + j] - mean[j];
    for (let a = 0; a < cols; a++) {
      const va = centred[a];
      if (va === 0) continue;
      const rowA = a * cols;
      for (let b = a; b < cols; b++) cov[rowA + b] += va * centred[b];
    }
  }
  const divisor = Math.max(1, rows - 1);
  for (let a = 0; a < cols; a++) {
    for (let b = a; b < cols; b++) {
      const v = cov[a * cols + b] / divisor;
      cov[a * cols + b] = v;
      cov[b * cols + a] = v;
    }
  }
  return cov;
}

function orthonormalise(basis: Float64Array, k: number, d: number): void {
  for (let c = 0; c < k; c++) {
    const vc = c * d;
    for (let p = 0; p < c; p++) {
      const vp = p * d;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += basis[vc + j] * basis[vp + j];
      for (let j = 0; j < d; j++) basis[vc + j] -= dot * basis[vp + j];
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += basis[vc + j] * basis[vc + j];
    norm = Math.sqrt(norm);
    if (norm < 1e-300) {
      // degenerate direction (rank-deficient data): any unit vector orthogonal to the others will do
      for (let j = 0; j < d; j++) basis[vc + j] = j === c % d ? 1 : 0;
      c--;
      continue;
    }
    for (let j = 0; j < d; j++) basis[vc + j] /= norm;
  }
}

/** Top-k symmetric eigenpairs by subspace iteration with Rayleigh–Ritz (Jacobi on the small k×k problem). */
export function symmetricTopEigen(
  matrix: Float64Array,
  d: number,
  k: number,
  seed: number,
  iterations = 300,
): { vectors: Float64Array; values: Float64Array } {
  const rng = createRng(seed);
  // a few extra vectors speed up convergence of the k wanted ones
  const m = Math.min(d, k + Math.min(10, k));
  let basis: Float64Array = new Float64Array(m * d);
  for (let i = 0; i < basis.length; i++) basis[i] = rng.nextGaussian();
  orthonormalise(basis, m, d);
  let next: Float64Array = new Float64Array(m * d);
  let previous: Float64Array = new Float64Array(k);
  let values: Float64Array = new Float64Array(m);
  for (let iter = 0; iter < iterations; iter++) {
    for (let c = 0; c < m; c++) {
      const vc = c * d;
      for (let r = 0; r < d; r++) {
        let s = 0;
        const row = r * d;
        for (let j = 0; j < d; j++) s += matrix[row + j] * basis[vc + j];
        next[vc + r] = s;
      }
    }
    [basis, next] = [next, basis];
    orthonormalise(basis, m, d);
    const rr = rayleighRitz(matrix, basis, m, d);
    basis = rr.vectors;
    values = rr.values;
    let change = 0;
    // eigenvalues that are numerically zero (rank-deficient data: fewer rows than k + 1) have no
    // direction to converge to and would keep the loop going to its cap (12 s for 3 rows × 512)
    const negligible = 1e-10 * Math.abs(values[0]);
    for (let c = 0; c < k; c++) {
      if (Math.abs(values[c]) <= negligible) continue;
      change = Math.max(change, Math.abs(values[c] - previous[c]) / Math.max(1e-300, Math.abs(values[c])));
    }
    previous = values.slice(0, k);
    if (iter > 3 && change < 1e-12) break;
  }
  return { vectors: basis.slice(0, k * d), values: values.slice(0, k) };
}

/** Rotates the basis to the eigenvectors of its projection, ordered by decreasing eigenvalue. */
function rayleighRitz(
  matrix: Float64Array,
  basis: Float64Array,
  m: number,
  d: number,
): { vectors: Float64Array; values: Float64Array } {
  const av = new Float64Array(m * d);
  for (let c = 0; c < m; c++) {
    for (let r = 0; r < d; r++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += matrix[r * d + j] * basis[c * d + j];
      av[c * d + r] = s;
    }
  }
  const small = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += basis[a * d + j] * av[b * d + j];
      small[a * m + b] = s;
    }
  }
  const { values, vectors } = symmetricEigen(small, m);
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => values[y] - values[x]);
  const rotated = new Float64Array(m * d);
  const sortedValues = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    const src = order[c];
    sortedValues[c] = values[src];
    for (let a = 0; a < m; a++) {
      const w = vectors[a * m + src];
      if (w === 0) continue;
      for (let j = 0; j < d; j++) rotated[c * d + j] += w * basis[a * d + j];
    }
  }
  return { vectors: rotated, values: sortedValues };
}

export function fitPca(data: Matrix, nComponents: number, seed: number): PcaModel {
  const { rows, cols } = data;
  const k = Math.min(nComponents, cols);
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data.data[i * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= Math.max(1, rows);
  const cov = covariance(data, mean);
  const { vectors, values } = symmetricTopEigen(cov, cols, k, seed);
  // sklearn's sign convention (svd_flip): the largest-magnitude loading of each axis is positive
  for (let c = 0; c < k; c++) {
    let best = 0;
    for (let j = 0; j < cols; j++)
      if (Math.abs(vectors[c * cols + j]) > Math.abs(best)) best = vectors[c * cols + j];
    if (best < 0) for (let j = 0; j < cols; j++) vectors[c * cols + j] = -vectors[c * cols + j];
  }
  return { mean, components: vectors, explainedVariance: values, nComponents: k, cols };
}

export function projectPca(model: PcaModel, data: Matrix): Matrix {
  const { rows, cols } = data;
  const k = model.nComponents;
  const out = new Float32Array(rows * k);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < cols; j++)
        s += (data.data[i * cols + j] - model.mean[j]) * model.components[c * cols + j];
      out[i * k + c] = s;
    }
  }
  return { data: out, rows, cols: k };
}

function createPcaReducer(options: ReducerOptions, fitted?: PcaModel): Reducer {
  let model = fitted;
  return {
    name: "pca",
    async fit(data: Matrix, fitOptions: ReducerFitOptions = {}): Promise<Matrix> {
      assertFiniteRows(data);
      if (data.rows < 2) throw new UserError(`PCA needs at least 2 documents, got ${data.rows}`);
      if (options.nComponents > data.cols) {
        throw new UserError(
          `PCA cannot make ${options.nComponents} components from ${data.cols}-dimensional vectors; lower --n-components`,
        );
      }
      model = fitPca(data, options.nComponents, options.seed);
      fitOptions.onProgress?.(1, 1);
      return projectPca(model, data);
    },
    async transform(data: Matrix): Promise<Matrix> {
      if (!model) throw new Error("PCA reducer: call fit before transform");
      assertFiniteRows(data);
      if (data.cols !== model.cols)
        throw new UserError(`expected ${model.cols}-dimensional vectors, got ${data.cols}`);
      return projectPca(model, data);
    },
    toState(): StageState {
      if (!model) throw new Error("PCA reducer: call fit before toState");
      const { nComponents, cols } = model;
      return {
        method: "pca",
        options: { nComponents: options.nComponents, seed: options.seed },
        arrays: {
          mean: { data: model.mean, shape: [cols] },
          components: { data: model.components, shape: [nComponents, cols] },
          explainedVariance: { data: model.explainedVariance, shape: [nComponents] },
        },
      };
    },
  };
}

/** PCA's state is its axes (float64); without them (older folders) PCA is refitted — it is deterministic. */
export const pcaFactory: ReducerFactory = {
  create: (options) => createPcaReducer(options),
  minimumRows: () => 2,
  async restore(state: StageState, fitted: FittedReduction, options: ReducerOptions): Promise<Reducer> {
    const arrays = state.arrays;
    if (arrays?.mean && arrays.components && arrays.explainedVariance) {
      const [nComponents, cols] = arrays.components.shape;
      return createPcaReducer(options, {
        mean: Float64Array.from(arrays.mean.data),
        components: Float64Array.from(arrays.components.data),
        explainedVariance: Float64Array.from(arrays.explainedVariance.data),
        nComponents,
        cols,
      });
    }
    return createPcaReducer(options, fitPca(fitted.input, options.nComponents, options.seed));
  },
};
