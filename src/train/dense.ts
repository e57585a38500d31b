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
  for (let r = 0; r < rows; r++) {
    const xOffset = r * d;
    const yOffset = r * o;
    let norm = 0;
    for (let i = 0; i < o; i++) {
      const wOffset = i * d;
      let sum = bias[i];
      for (let k = 0; k < d; k++) sum += weight[wOffset + k] * input[xOffset + k];
      const h = params.activation === "tanh" ? Math.tanh(sum) : sum;
      hidden[yOffset + i] = h;
      norm += h * h;
    }
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
  const gradZ = new Float64Array(o);
  for (let r = 0; r < forward.rows; r++) {
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
      gradZ[i] = g;
    }
    const xOffset = r * d;
    for (let i = 0; i < o; i++) {
      const g = gradZ[i];
      if (g === 0) continue;
      gradBias[i] += g;
      const wOffset = i * d;
      for (let k = 0; k < d; k++) gradWeight[wOffset + k] += g * forward.input[xOffset + k];
    }
  }
}
