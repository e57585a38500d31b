/**
 * The trainer on synthetic pairs whose answer is known: 8-d vectors where only the first two
 * coordinates carry the gold similarity and the other six are loud noise. An adapter that learns to
 * weight the first two up must raise the held-out Spearman well above the base vectors'.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { denseBackward, denseForward } from "../../src/train/dense.js";
import { adaptVectors, preservationLoss, type TrainingPairs, trainAdapter } from "../../src/train/index.js";
import type { Matrix } from "../../src/types.js";
import { createRng } from "../../src/util/rng.js";
import { spearman } from "../../src/util/stats.js";

const D = 8;

function unit(v: number[]): number[] {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** Pairs whose gold score is the cosine of their first two coordinates; labels: 0 similar, 1 not. */
function synthetic(n: number, seed: number): TrainingPairs & { gold: number[] } {
  const rng = createRng(seed);
  const a = new Float32Array(n * D);
  const b = new Float32Array(n * D);
  const gold: number[] = [];
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const angle = rng.next() * 2 * Math.PI;
    const delta = rng.next() * Math.PI;
    const signal = (t: number) => [Math.cos(t), Math.sin(t)];
    const noise = () => Array.from({ length: D - 2 }, () => rng.nextGaussian() * 0.9);
    a.set(unit([...signal(angle), ...noise()]), i * D);
    b.set(unit([...signal(angle + delta), ...noise()]), i * D);
    gold.push(Math.cos(delta));
    labels[i] = Math.cos(delta) > 0 ? 0 : 1;
  }
  return {
    a: { data: a, rows: n, cols: D },
    b: { data: b, rows: n, cols: D },
    scores: Float32Array.from(gold),
    labels,
    numLabels: 2,
    keysA: Int32Array.from({ length: n }, (_, i) => i),
    keysB: Int32Array.from({ length: n }, (_, i) => n + i),
    gold,
  };
}

function pairCosines(a: Matrix, b: Matrix): number[] {
  return Array.from({ length: a.rows }, (_, i) => {
    let s = 0;
    for (let k = 0; k < a.cols; k++) s += a.data[i * a.cols + k] * b.data[i * b.cols + k];
    return s;
  });
}

/** The pairs with gold > 0.7. */
function positives(pairs: TrainingPairs): TrainingPairs {
  const keep = Array.from(pairs.scores!.keys()).filter((i) => pairs.scores![i] > 0.7);
  const rows = (m: Matrix): Matrix => {
    const data = new Float32Array(keep.length * D);
    keep.forEach((r, i) => {
      data.set(m.data.subarray(r * D, (r + 1) * D), i * D);
    });
    return { data, rows: keep.length, cols: D };
  };
  return {
    a: rows(pairs.a),
    b: rows(pairs.b),
    keysA: Int32Array.from(keep, (i) => pairs.keysA![i]),
    keysB: Int32Array.from(keep, (i) => pairs.keysB![i]),
  };
}

const train = synthetic(600, 1);
const validation = synthetic(150, 2);
const test_ = synthetic(300, 3);
const baseSpearman = spearman(pairCosines(test_.a, test_.b), test_.gold);

describe("trainAdapter on pairs with a known answer", () => {
  for (const loss of ["cosent", "mnrl", "softmax"] as const) {
    test(`${loss}: the adapter finds the signal (held-out Spearman rises), same seed same weights`, async () => {
      const options = { loss, epochs: 8, batchSize: 16, lr: 0.02, seed: 5 };
      // MNRL learns from positives only (as on NLI data, where the entailment pairs are used)
      const [trainSet, validationSet] =
        loss === "mnrl" ? [positives(train), positives(validation)] : [train, validation];
      const result = await trainAdapter(trainSet, validationSet, options);
      const adapted = spearman(
        pairCosines(adaptVectors(result.params, test_.a), adaptVectors(result.params, test_.b)),
        test_.gold,
      );
      assert.ok(baseSpearman < 0.45, `base Spearman ${baseSpearman}`);
      assert.ok(adapted > baseSpearman + 0.2, `${loss}: ${baseSpearman.toFixed(3)} → ${adapted.toFixed(3)}`);
      assert.ok(result.bestEpoch >= 1);
      assert.equal(result.history.length >= result.bestEpoch, true);
      const again = await trainAdapter(trainSet, validationSet, options);
      assert.deepEqual(again.params.weight, result.params.weight);
      const otherSeed = await trainAdapter(trainSet, validationSet, { ...options, seed: 6, epochs: 1 });
      assert.notDeepEqual(otherSeed.params.weight, result.params.weight);
    });
  }

  test("early stopping: with nothing to gain the identity is kept and training stops after `patience` epochs", async () => {
    const result = await trainAdapter(train, validation, { loss: "cosent", lr: 0, epochs: 10, patience: 2 });
    assert.equal(result.bestEpoch, 0);
    assert.equal(result.history.length, 2);
    assert.equal(result.stoppedEarly, true);
    for (let i = 0; i < D; i++) {
      for (let j = 0; j < D; j++) assert.equal(result.params.weight[i * D + j], i === j ? 1 : 0);
    }
  });

  test("the best epoch's weights are returned, not the last: by validation loss, or by Spearman (the default with scores)", async () => {
    const options = { loss: "cosent" as const, lr: 0.2, epochs: 6, patience: 6, batchSize: 16 };
    const byLoss = await trainAdapter(train, validation, { ...options, selectBy: "loss" });
    const losses = byLoss.history.map((e) => e.validationLoss!);
    assert.equal(byLoss.bestEpoch, losses.indexOf(Math.min(...losses)) + 1);
    const bySpearman = await trainAdapter(train, validation, options);
    const rhos = bySpearman.history.map((e) => e.validationSpearman!);
    assert.equal(bySpearman.bestEpoch, rhos.indexOf(Math.max(...rhos)) + 1);
    // the returned weights are that epoch's: their validation Spearman is the best one
    const rho = spearman(
      pairCosines(
        adaptVectors(bySpearman.params, validation.a),
        adaptVectors(bySpearman.params, validation.b),
      ),
      validation.gold,
    );
    assert.ok(Math.abs(rho - Math.max(...rhos)) < 1e-9, `${rho} vs ${Math.max(...rhos)}`);
  });

  test("softmax reports its classifier's validation accuracy", async () => {
    const result = await trainAdapter(train, validation, {
      loss: "softmax",
      epochs: 4,
      lr: 0.02,
      batchSize: 16,
    });
    const last = result.history[result.history.length - 1];
    assert.ok(
      last.validationAccuracy !== undefined && last.validationAccuracy > 0.6,
      `${last.validationAccuracy}`,
    );
    assert.ok(result.classifier !== undefined);
  });
});

test("preservation loss: zero at the identity, gradient matches central differences", () => {
  const rng = createRng(9);
  const d = 5;
  const n = 4;
  const x = Float32Array.from({ length: n * d }, () => rng.nextGaussian());
  const params = {
    inputDimension: d,
    outputDimension: d,
    activation: "identity" as const,
    weight: Float32Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0)),
    bias: new Float32Array(d),
  };
  assert.ok(preservationLoss(x, denseForward(params, x, n), d).loss < 1e-12);
  for (let i = 0; i < params.weight.length; i++) params.weight[i] += rng.nextGaussian() * 0.3;
  const forward = denseForward(params, x, n);
  const { grad } = preservationLoss(x, forward, d);
  const gradWeight = new Float32Array(d * d);
  denseBackward(params, forward, grad, gradWeight, new Float32Array(d));
  const h = 1e-3;
  let maxError = 0;
  for (let i = 0; i < params.weight.length; i++) {
    const original = params.weight[i];
    params.weight[i] = original + h;
    const up = preservationLoss(x, denseForward(params, x, n), d).loss;
    params.weight[i] = original - h;
    const down = preservationLoss(x, denseForward(params, x, n), d).loss;
    params.weight[i] = original;
    maxError = Math.max(maxError, Math.abs((up - down) / (2 * h) - gradWeight[i]));
  }
  assert.ok(maxError < 1e-3, `max error ${maxError}`);
});
