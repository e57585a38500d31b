/**
 * The trainable part: sentence-transformers' Dense module followed by Normalize, on a batch of frozen
 * base vectors — u = normalise(act(W·x + b)) — with its gradient derived by hand (checked against
 * finite differences in test/train/gradients.test.ts):
 *
 *   z = W·x + b,  h = act(z),  u = h / |h|
 *   dL/dh = (g − u·(u·g)) / |h|            where g = dL/du
 *   dL/dz = dL/dh ⊙ act'(z)                 (tanh' = 1 − h²)
 *   dL/dW += dL/dz · xᵀ,  dL/db += dL/dz
 */
import type { AdapterActivation } from "../embed/adapter.js";

export interface DenseParameters {
  inputDimension: number;
  outputDimension: number;
  activation: AdapterActivation;
  /** outputDimension × inputDimension, row-major. */
  weight: Float32Array;
  bias: Float32Array;
}

/** What the backward pass needs of a forward pass. */
export interface DenseForward {
  rows: number;
  /** rows × inputDimension (the input, kept by reference). */
  input: Float32Array;
  /** rows × outputDimension, activated outputs before normalisation. */
  hidden: Float32Array;
  /** rows × outputDimension, unit rows (zero for a zero `hidden` row). */
  output: Float32Array;
  /** |h| per row. */
  norms: Float64Array;
}

export function denseForward(params: DenseParameters, input: Float32Array, rows: number): DenseForward {
  const { inputDimension: d, outputDimension: o, weight, bias } = params;
  const hidden = new Float32Array(rows * o);
  const output = new Float32Array(rows * o);
  const norms = new Float64Array(rows);
  // four rows at a time: each weight row is read once per four inputs (the product is memory-bound)
  for (let r0 = 0; r0 < rows; r0 += 4) {
    const count = Math.min(4, rows - r0);
    const x0 = r0 * d;
    const x1 = count > 1 ? x0 + d : x0;
    const x2 = count > 2 ? x0 + 2 * d : x0;
    const x3 = count > 3 ? x0 + 3 * d : x0;
    for (let i = 0; i < o; i++) {
      const w = i * d;
      let s0 = bias[i];
      let s1 = s0;
      let s2 = s0;
      let s3 = s0;
      for (let k = 0; k < d; k++) {
        const wk = weight[w + k];
        s0 += wk * input[x0 + k];
        s1 += wk * input[x1 + k];
        s2 += wk * input[x2 + k];
        s3 += wk * input[x3 + k];
      }
      const sums = [s0, s1, s2, s3];
      for (let t = 0; t < count; t++) {
        hidden[(r0 + t) * o + i] = params.activation === "tanh" ? Math.tanh(sums[t]) : sums[t];
      }
    }
  }
  for (let r = 0; r < rows; r++) {
    const yOffset = r * o;
    let norm = 0;
    for (let i = 0; i < o; i++) norm += hidden[yOffset + i] * hidden[yOffset + i];
    norm = Math.sqrt(norm);
    norms[r] = norm;
    if (norm > 0) for (let i = 0; i < o; i++) output[yOffset + i] = hidden[yOffset + i] / norm;
  }
  return { rows, input, hidden, output, norms };
}

/**
 * Adds the gradient of the loss with respect to W and b, given `gradOutput` = dL/du (rows ×
 * outputDimension), into `gradWeight` and `gradBias`.
 */
export function denseBackward(
  params: DenseParameters,
  forward: DenseForward,
  gradOutput: Float32Array,
  gradWeight: Float32Array,
  gradBias: Float32Array,
): void {
  const { inputDimension: d, outputDimension: o } = params;
  const rows = forward.rows;
  // dL/dz for every row first, then dW += dZᵀ·X four rows at a time (each gradient row read and
  // written once per four inputs)
  const gradZ = new Float64Array(rows * o);
  for (let r = 0; r < rows; r++) {
    const norm = forward.norms[r];
    if (norm === 0) continue;
    const yOffset = r * o;
    let dot = 0;
    for (let i = 0; i < o; i++) dot += forward.output[yOffset + i] * gradOutput[yOffset + i];
    for (let i = 0; i < o; i++) {
      let g = (gradOutput[yOffset + i] - forward.output[yOffset + i] * dot) / norm;
      if (params.activation === "tanh") {
        const h = forward.hidden[yOffset + i];
        g *= 1 - h * h;
      }
      gradZ[yOffset + i] = g;
    }
  }
  const input = forward.input;
  for (let r0 = 0; r0 < rows; r0 += 4) {
    const count = Math.min(4, rows - r0);
    const x0 = r0 * d;
    const x1 = count > 1 ? x0 + d : x0;
    const x2 = count > 2 ? x0 + 2 * d : x0;
    const x3 = count > 3 ? x0 + 3 * d : x0;
    for (let i = 0; i < o; i++) {
      const g0 = gradZ[r0 * o + i];
      const g1 = count > 1 ? gradZ[(r0 + 1) * o + i] : 0;
      const g2 = count > 2 ? gradZ[(r0 + 2) * o + i] : 0;
      const g3 = count > 3 ? gradZ[(r0 + 3) * o + i] : 0;
      if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0) continue;
      gradBias[i] += g0 + g1 + g2 + g3;
      const w = i * d;
      for (let k = 0; k < d; k++) {
        gradWeight[w + k] +=
          g0 * input[x0 + k] + g1 * input[x1 + k] + g2 * input[x2 + k] + g3 * input[x3 + k];
      }
    }
  }
}
