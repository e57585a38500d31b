/**
 * The hand-derived gradients of src/train/: against torch autograd on sentence-transformers' own losses
 * (test/fixtures/train/make_loss_fixture.py) and against central finite differences through the whole
 * chain W, b → Dense → normalise → loss.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, test } from "node:test";
import { type DenseParameters, denseBackward, denseForward } from "../../src/train/dense.js";
import { type Classifier, cosentLoss, mnrlLoss, softmaxLoss } from "../../src/train/losses.js";
import { createRng } from "../../src/util/rng.js";

interface LossFixture {
  u: number[][];
  v: number[][];
  scores: number[];
  labels: number[];
  cosent: { loss: number; grad_u: number[][]; grad_v: number[][] };
  mnrl: { loss: number; grad_u: number[][]; grad_v: number[][] };
  softmax: SoftmaxFixture;
  softmax_mul: SoftmaxFixture;
}
interface SoftmaxFixture {
  weight: number[][];
  bias: number[];
  loss: number;
  grad_u: number[][];
  grad_v: number[][];
  grad_weight: number[][];
  grad_bias: number[];
}

const fixture = JSON.parse(
  readFileSync(resolve(import.meta.dirname, "..", "fixtures", "train", "losses.json"), "utf8"),
) as LossFixture;
const B = fixture.u.length;
const D = fixture.u[0].length;
const u = Float32Array.from(fixture.u.flat());
const v = Float32Array.from(fixture.v.flat());

function close(actual: ArrayLike<number>, wanted: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, wanted.length, `${what}: length`);
  for (let i = 0; i < wanted.length; i++) {
    assert.ok(
      Math.abs(actual[i] - wanted[i]) <= tolerance * Math.max(1, Math.abs(wanted[i])),
      `${what}[${i}]: ${actual[i]} vs ${wanted[i]}`,
    );
  }
}

/** g − x(x·g) per row: the part of a gradient a unit vector can follow (what Dense's backward keeps). */
function tangent(g: ArrayLike<number>, x: Float32Array): Float64Array {
  const out = new Float64Array(g.length);
  for (let r = 0; r < B; r++) {
    let dot = 0;
    for (let k = 0; k < D; k++) dot += g[r * D + k] * x[r * D + k];
    for (let k = 0; k < D; k++) out[r * D + k] = g[r * D + k] - x[r * D + k] * dot;
  }
  return out;
}

describe("losses against sentence-transformers / torch autograd", () => {
  test("CoSENT (scale 20): loss and gradient on the unit sphere", () => {
    const result = cosentLoss(u, v, fixture.scores, B, D);
    close([result.loss], [fixture.cosent.loss], 1e-5, "loss");
    // torch's cos_sim normalises inside, so its gradient has no radial part; compare tangential parts
    close(tangent(result.gradU, u), tangent(fixture.cosent.grad_u.flat(), u), 1e-4, "grad u");
    close(tangent(result.gradV, v), tangent(fixture.cosent.grad_v.flat(), v), 1e-4, "grad v");
  });

  test("MultipleNegativesRankingLoss (scale 20): loss and gradient", () => {
    const result = mnrlLoss(u, v, B, D);
    close([result.loss], [fixture.mnrl.loss], 1e-5, "loss");
    close(tangent(result.gradU, u), tangent(fixture.mnrl.grad_u.flat(), u), 1e-4, "grad u");
    close(tangent(result.gradV, v), tangent(fixture.mnrl.grad_v.flat(), v), 1e-4, "grad v");
  });

  for (const multiplication of [false, true]) {
    test(`SoftmaxLoss (u, v, |u−v|${multiplication ? ", u*v" : ""}): loss and every gradient`, () => {
      const f = multiplication ? fixture.softmax_mul : fixture.softmax;
      const classifier: Classifier = {
        numLabels: f.bias.length,
        features: f.weight[0].length,
        multiplication,
        weight: Float32Array.from(f.weight.flat()),
        bias: Float32Array.from(f.bias),
      };
      const result = softmaxLoss(classifier, u, v, fixture.labels, B, D);
      close([result.loss], [f.loss], 1e-5, "loss");
      close(result.gradU, f.grad_u.flat(), 1e-4, "grad u");
      close(result.gradV, f.grad_v.flat(), 1e-4, "grad v");
      close(result.gradWeight, f.grad_weight.flat(), 1e-4, "grad weight");
      close(result.gradBias, f.grad_bias, 1e-4, "grad bias");
    });
  }

  test("CoSENT with all gold scores equal has nothing to order: loss log 1 = 0, zero gradient", () => {
    const result = cosentLoss(u, v, new Float32Array(B).fill(3), B, D);
    assert.equal(result.loss, 0);
    assert.ok(result.gradU.every((g) => g === 0));
  });
});

describe("finite differences through Dense → normalise → loss", () => {
  const d = 6;
  const o = 5;
  const rows = 4;
  const rng = createRng(3);
  const input = Float32Array.from({ length: rows * d }, () => rng.nextGaussian() * 0.5);
  const gold = [3, 1, 2, 2];
  const labels = [0, 2, 1, 0];

  type Objective = "cosent" | "mnrl" | "softmax";
  const classifier: Classifier = {
    numLabels: 3,
    features: 3 * o,
    multiplication: false,
    weight: Float32Array.from({ length: 3 * 3 * o }, () => rng.nextGaussian()),
    bias: Float32Array.from({ length: 3 }, () => rng.nextGaussian()),
  };

  /** Loss of the first two input rows paired with the last two, and its gradient w.r.t. W and b. */
  function evaluate(params: DenseParameters, objective: Objective, withGradient: boolean) {
    const half = rows / 2;
    const a = denseForward(params, input.subarray(0, half * d), half);
    const b = denseForward(params, input.subarray(half * d), half);
    const result =
      objective === "cosent"
        ? cosentLoss(a.output, b.output, gold.slice(0, half), half, o, 5)
        : objective === "mnrl"
          ? mnrlLoss(a.output, b.output, half, o, 5)
          : softmaxLoss(classifier, a.output, b.output, labels.slice(0, half), half, o);
    const gradWeight = new Float32Array(o * d);
    const gradBias = new Float32Array(o);
    if (withGradient) {
      denseBackward(params, a, result.gradU, gradWeight, gradBias);
      denseBackward(params, b, result.gradV, gradWeight, gradBias);
    }
    return { loss: result.loss, gradWeight, gradBias };
  }

  for (const activation of ["identity", "tanh"] as const) {
    for (const objective of ["cosent", "mnrl", "softmax"] as const) {
      test(`${objective}, ${activation} activation: ∂L/∂W and ∂L/∂b match central differences`, () => {
        const params: DenseParameters = {
          inputDimension: d,
          outputDimension: o,
          activation,
          weight: Float32Array.from({ length: o * d }, () => rng.nextGaussian() * 0.4),
          bias: Float32Array.from({ length: o }, () => rng.nextGaussian() * 0.1),
        };
        const analytic = evaluate(params, objective, true);
        // float32 parameters: a step of 1e-3 keeps the rounding error of the difference small
        const h = 1e-3;
        const check = (values: Float32Array, grads: Float32Array, what: string) => {
          let maxError = 0;
          let maxGrad = 0;
          for (let i = 0; i < values.length; i++) {
            const original = values[i];
            values[i] = original + h;
            const up = evaluate(params, objective, false).loss;
            values[i] = original - h;
            const down = evaluate(params, objective, false).loss;
            values[i] = original;
            const numeric = (up - down) / (2 * h);
            maxError = Math.max(maxError, Math.abs(numeric - grads[i]));
            maxGrad = Math.max(maxGrad, Math.abs(numeric));
          }
          assert.ok(maxGrad > 1e-3, `${what}: the loss depends on it`);
          assert.ok(
            maxError < 2e-3 * Math.max(1, maxGrad),
            `${what}: max error ${maxError} (max grad ${maxGrad})`,
          );
        };
        check(params.weight, analytic.gradWeight, "W");
        check(params.bias, analytic.gradBias, "b");
      });
    }
  }
});
