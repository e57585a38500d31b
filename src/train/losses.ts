/**
 * The three training objectives, as sentence-transformers defines them, on a batch of unit vectors
 * u_i (first texts) and v_i (second texts), B × d row-major. Each returns the loss and its gradient
 * with respect to u and v (and the softmax classifier's parameters), derived by hand and checked
 * against finite differences in the tests.
 *
 * - SoftmaxLoss (the SBERT paper's NLI objective): features (u, v, |u − v|) [, u ⊙ v] → linear → labels,
 *   mean cross-entropy. ∂|a|/∂a is sign(a), 0 at 0 (as torch).
 * - MultipleNegativesRankingLoss: S = scale · cos(u_i, v_j); mean cross-entropy of row i against
 *   target i — every other v_j in the batch is a negative for u_i.
 * - CoSENTLoss: s_i = scale · cos(u_i, v_i); log(1 + Σ_{y_i < y_j} exp(s_i − s_j)) — only the order of
 *   the gold scores matters.
 */

export interface LossResult {
  loss: number;
  gradU: Float32Array;
  gradV: Float32Array;
}

/** sentence-transformers' default scale of MNRL and CoSENT (temperature 0.05). */
export const DEFAULT_SCALE = 20;

function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, d: number): number {
  let sum = 0;
  for (let k = 0; k < d; k++) sum += a[aOffset + k] * b[bOffset + k];
  return sum;
}

/** CoSENT on B pairs with gold scores `y`. */
export function cosentLoss(
  u: Float32Array,
  v: Float32Array,
  y: ArrayLike<number>,
  rows: number,
  d: number,
  scale = DEFAULT_SCALE,
): LossResult {
  const s = new Float64Array(rows);
  for (let i = 0; i < rows; i++) s[i] = scale * dot(u, i * d, v, i * d, d);
  // logsumexp over [0, s_i − s_j for every y_i < y_j], max-shifted
  let max = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < rows; j++) if (y[i] < y[j]) max = Math.max(max, s[i] - s[j]);
  let z = Math.exp(-max);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < rows; j++) if (y[i] < y[j]) z += Math.exp(s[i] - s[j] - max);
  const loss = max + Math.log(z);
  const gradS = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < rows; j++) {
      if (!(y[i] < y[j])) continue;
      const p = Math.exp(s[i] - s[j] - max) / z;
      gradS[i] += p;
      gradS[j] -= p;
    }
  }
  const gradU = new Float32Array(rows * d);
  const gradV = new Float32Array(rows * d);
  for (let i = 0; i < rows; i++) {
    const g = gradS[i] * scale;
    if (g === 0) continue;
    for (let k = 0; k < d; k++) {
      gradU[i * d + k] = g * v[i * d + k];
      gradV[i * d + k] = g * u[i * d + k];
    }
  }
  return { loss, gradU, gradV };
}

/** Multiple-negatives ranking with in-batch negatives: (u_i, v_i) are positives, v_j (j ≠ i) negatives. */
export function mnrlLoss(
  u: Float32Array,
  v: Float32Array,
  rows: number,
  d: number,
  scale = DEFAULT_SCALE,
): LossResult {
  const logits = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < rows; j++) logits[i * rows + j] = scale * dot(u, i * d, v, j * d, d);
  let loss = 0;
  const g = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < rows; j++) max = Math.max(max, logits[i * rows + j]);
    let sum = 0;
    for (let j = 0; j < rows; j++) sum += Math.exp(logits[i * rows + j] - max);
    const lse = max + Math.log(sum);
    loss += lse - logits[i * rows + i];
    for (let j = 0; j < rows; j++) {
      g[i * rows + j] = (Math.exp(logits[i * rows + j] - lse) - (i === j ? 1 : 0)) / rows;
    }
  }
  const gradU = new Float32Array(rows * d);
  const gradV = new Float32Array(rows * d);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < rows; j++) {
      const gij = g[i * rows + j] * scale;
      for (let k = 0; k < d; k++) {
        gradU[i * d + k] += gij * v[j * d + k];
        gradV[j * d + k] += gij * u[i * d + k];
      }
    }
  }
  return { loss: loss / rows, gradU, gradV };
}

/** The softmax classifier SoftmaxLoss trains alongside the adapter (discarded afterwards). */
export interface Classifier {
  numLabels: number;
  /** Feature size: 3d, or 4d with u ⊙ v. */
  features: number;
  multiplication: boolean;
  /** numLabels × features, row-major. */
  weight: Float32Array;
  bias: Float32Array;
}

/** torch.nn.Linear's initialisation: weights and bias uniform in ±1/√fan_in. */
export function createClassifier(
  d: number,
  numLabels: number,
  multiplication: boolean,
  uniform: () => number,
): Classifier {
  const features = (multiplication ? 4 : 3) * d;
  const bound = 1 / Math.sqrt(features);
  const weight = Float32Array.from({ length: numLabels * features }, () => (2 * uniform() - 1) * bound);
  const bias = Float32Array.from({ length: numLabels }, () => (2 * uniform() - 1) * bound);
  return { numLabels, features, multiplication, weight, bias };
}

export interface SoftmaxLossResult extends LossResult {
  gradWeight: Float32Array;
  gradBias: Float32Array;
  /** Logits, rows × numLabels. */
  logits: Float64Array;
}

function features(
  u: Float32Array,
  v: Float32Array,
  i: number,
  d: number,
  multiplication: boolean,
): Float64Array {
  const f = new Float64Array((multiplication ? 4 : 3) * d);
  for (let k = 0; k < d; k++) {
    const a = u[i * d + k];
    const b = v[i * d + k];
    f[k] = a;
    f[d + k] = b;
    f[2 * d + k] = Math.abs(a - b);
    if (multiplication) f[3 * d + k] = a * b;
  }
  return f;
}

/** Classifier logits for each pair (rows × numLabels). */
export function classifierLogits(
  classifier: Classifier,
  u: Float32Array,
  v: Float32Array,
  rows: number,
  d: number,
): Float64Array {
  const { numLabels: c, features: n, weight, bias } = classifier;
  const logits = new Float64Array(rows * c);
  for (let i = 0; i < rows; i++) {
    const f = features(u, v, i, d, classifier.multiplication);
    for (let l = 0; l < c; l++) {
      let sum = bias[l];
      for (let k = 0; k < n; k++) sum += weight[l * n + k] * f[k];
      logits[i * c + l] = sum;
    }
  }
  return logits;
}

/** SBERT's SoftmaxLoss: mean cross-entropy of the classifier on (u, v, |u − v| [, u ⊙ v]). */
export function softmaxLoss(
  classifier: Classifier,
  u: Float32Array,
  v: Float32Array,
  labels: ArrayLike<number>,
  rows: number,
  d: number,
): SoftmaxLossResult {
  const { numLabels: c, features: n, weight, multiplication } = classifier;
  const logits = classifierLogits(classifier, u, v, rows, d);
  const gradWeight = new Float32Array(c * n);
  const gradBias = new Float32Array(c);
  const gradU = new Float32Array(rows * d);
  const gradV = new Float32Array(rows * d);
  let loss = 0;
  const g = new Float64Array(c);
  for (let i = 0; i < rows; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let l = 0; l < c; l++) max = Math.max(max, logits[i * c + l]);
    let sum = 0;
    for (let l = 0; l < c; l++) sum += Math.exp(logits[i * c + l] - max);
    const lse = max + Math.log(sum);
    loss += lse - logits[i * c + labels[i]];
    for (let l = 0; l < c; l++) g[l] = (Math.exp(logits[i * c + l] - lse) - (l === labels[i] ? 1 : 0)) / rows;
    const f = features(u, v, i, d, multiplication);
    for (let l = 0; l < c; l++) {
      gradBias[l] += g[l];
      for (let k = 0; k < n; k++) gradWeight[l * n + k] += g[l] * f[k];
    }
    for (let k = 0; k < d; k++) {
      let du = 0;
      let dv = 0;
      let dAbs = 0;
      let dMul = 0;
      for (let l = 0; l < c; l++) {
        const row = l * n;
        du += g[l] * weight[row + k];
        dv += g[l] * weight[row + d + k];
        dAbs += g[l] * weight[row + 2 * d + k];
        if (multiplication) dMul += g[l] * weight[row + 3 * d + k];
      }
      const a = u[i * d + k];
      const b = v[i * d + k];
      const sign = a > b ? 1 : a < b ? -1 : 0;
      gradU[i * d + k] = du + sign * dAbs + b * dMul;
      gradV[i * d + k] = dv - sign * dAbs + a * dMul;
    }
  }
  return { loss: loss / rows, gradU, gradV, gradWeight, gradBias, logits };
}
