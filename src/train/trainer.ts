/**
 * Trains an adapter on frozen embeddings: the base model's vectors of both texts of every pair go
 * through the Dense layer (initialised at the identity) and one of sentence-transformers' objectives;
 * AdamW updates W and b (and the softmax classifier). Seeded shuffling, validation after every epoch,
 * early stopping on the validation loss with the best epoch's weights kept.
 *
 * `preserve` (optional): vectors of general-domain texts whose similarity structure the adapter must
 * keep. Each step adds `preserveWeight` · mean((cos'(x_i, x_j) − cos(x_i, x_j))²) over a batch of them —
 * distillation from the base model to itself, so that what was learned on the training pairs does not
 * redraw the rest of the space.
 */
import { type AdapterActivation, identityAdapter } from "../embed/adapter.js";
import type { Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import { createRng, type Rng } from "../util/rng.js";
import { spearman } from "../util/stats.js";
import { type DenseForward, type DenseParameters, denseBackward, denseForward } from "./dense.js";
import {
  type Classifier,
  classifierLogits,
  cosentLoss,
  createClassifier,
  DEFAULT_SCALE,
  type LossResult,
  mnrlLoss,
  softmaxLoss,
} from "./losses.js";
import { AdamW, type Parameter } from "./optimizer.js";

export const LOSSES = ["softmax", "mnrl", "cosent"] as const;
export type LossName = (typeof LOSSES)[number];

/** Base vectors of the pairs: row i of `a` and of `b` are the two texts of pair i. */
export interface TrainingPairs {
  a: Matrix;
  b: Matrix;
  /** Class per pair (softmax). */
  labels?: Int32Array;
  numLabels?: number;
  /** Gold similarity per pair (cosent; also reported for validation). */
  scores?: Float32Array;
  /** Text identity of each side (equal texts, equal keys): MNRL batches never hold a text twice. */
  keysA?: Int32Array;
  keysB?: Int32Array;
}

export interface TrainOptions {
  loss: LossName;
  /** Most epochs to run (early stopping may end sooner). */
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  activation?: AdapterActivation;
  /** Decoupled weight decay of W and b towards the identity adapter. */
  weightDecay?: number;
  /** Epochs without a better validation score before stopping. */
  patience?: number;
  /**
   * What picks the best epoch: "spearman" (cosine vs gold on the validation pairs, higher is better —
   * sentence-transformers' classic fit with an EmbeddingSimilarityEvaluator and save_best_model) or
   * "loss" (the validation loss, its trainer's default metric). Default: spearman when the validation
   * pairs have scores, else loss.
   */
  selectBy?: SelectBy;
  /** Scale of MNRL and CoSENT (sentence-transformers: 20). */
  scale?: number;
  /** SoftmaxLoss: also concatenate u ⊙ v. */
  multiplication?: boolean;
  preserve?: Matrix;
  preserveWeight?: number;
  /** Preservation texts compared per step (all pairs among them). */
  preserveBatch?: number;
  onProgress?: (progress: TrainProgress) => void;
  /** Called after every epoch with its record and the current weights (e.g. to evaluate them). */
  onEpochEnd?: (record: EpochRecord, params: DenseParameters) => void;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  /** Mean training loss of the epoch so far. */
  loss: number;
}

export const SELECT_BY = ["spearman", "loss"] as const;
export type SelectBy = (typeof SELECT_BY)[number];

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  validationLoss?: number;
  /** Spearman of cosine vs the validation pairs' gold scores (when they have scores). */
  validationSpearman?: number;
  /** Softmax: accuracy of the classifier on the validation pairs. */
  validationAccuracy?: number;
}

export interface TrainResult {
  params: DenseParameters;
  /** The softmax classifier (discarded by the CLI, kept here for evaluation). */
  classifier?: Classifier;
  history: EpochRecord[];
  /** Epoch whose weights were kept (0 = the identity: no epoch improved on it). */
  bestEpoch: number;
  stoppedEarly: boolean;
}

export const TRAIN_DEFAULTS = {
  epochs: 10,
  batchSize: 32,
  lr: 1e-3,
  seed: 42,
  activation: "identity" as AdapterActivation,
  weightDecay: 0,
  /** Generous: the validation score of 500 SICK pairs wobbles by ±0.5 between epochs (bench/train.ts). */
  patience: 5,
  /** Weight of the preservation term when a preservation corpus is given (chosen on bench/train.ts). */
  preserveWeight: 60,
  preserveBatch: 64,
} as const;

export async function trainAdapter(
  train: TrainingPairs,
  validation: TrainingPairs | undefined,
  options: TrainOptions,
): Promise<TrainResult> {
  const epochs = options.epochs ?? TRAIN_DEFAULTS.epochs;
  const batchSize = options.batchSize ?? TRAIN_DEFAULTS.batchSize;
  const lr = options.lr ?? TRAIN_DEFAULTS.lr;
  const patience = options.patience ?? TRAIN_DEFAULTS.patience;
  const scale = options.scale ?? DEFAULT_SCALE;
  const preserveWeight = options.preserve ? (options.preserveWeight ?? TRAIN_DEFAULTS.preserveWeight) : 0;
  const rng = createRng(options.seed ?? TRAIN_DEFAULTS.seed);
  const d = train.a.cols;
  checkPairs(train, options.loss, d, "training");
  if (validation) checkPairs(validation, options.loss, d, "validation");
  if (batchSize < 2) throw new UserError(`--batch-size must be ≥ 2 for training, got ${batchSize}`);
  if (options.preserve && options.preserve.cols !== d) {
    throw new UserError(`preservation vectors are ${options.preserve.cols}-d, the pairs ${d}-d`);
  }

  const identity = identityAdapter("", d);
  const params: DenseParameters = {
    inputDimension: d,
    outputDimension: d,
    activation: options.activation ?? TRAIN_DEFAULTS.activation,
    weight: Float32Array.from(identity.weight),
    bias: new Float32Array(d),
  };
  const gradWeight = new Float32Array(d * d);
  const gradBias = new Float32Array(d);
  const parameters: Parameter[] = [
    { values: params.weight, grad: gradWeight, anchor: identity.weight },
    { values: params.bias, grad: gradBias },
  ];
  let classifier: Classifier | undefined;
  let gradClassifierWeight: Float32Array | undefined;
  let gradClassifierBias: Float32Array | undefined;
  if (options.loss === "softmax") {
    classifier = createClassifier(d, train.numLabels!, options.multiplication === true, () => rng.next());
    gradClassifierWeight = new Float32Array(classifier.weight.length);
    gradClassifierBias = new Float32Array(classifier.bias.length);
    parameters.push(
      { values: classifier.weight, grad: gradClassifierWeight, decay: false },
      { values: classifier.bias, grad: gradClassifierBias, decay: false },
    );
  }
  const optimizer = new AdamW(parameters, {
    lr,
    weightDecay: options.weightDecay ?? TRAIN_DEFAULTS.weightDecay,
  });

  /** Loss of one batch; with `backward`, its gradients are added to the parameters' grads. */
  const step = (pairs: TrainingPairs, indices: Int32Array, backward: boolean): number => {
    const n = indices.length;
    const fa = denseForward(params, gather(pairs.a, indices), n);
    const fb = denseForward(params, gather(pairs.b, indices), n);
    let result: LossResult;
    if (options.loss === "cosent") {
      result = cosentLoss(fa.output, fb.output, gatherValues(pairs.scores!, indices), n, d, scale);
    } else if (options.loss === "mnrl") {
      result = mnrlLoss(fa.output, fb.output, n, d, scale);
    } else {
      const soft = softmaxLoss(classifier!, fa.output, fb.output, gatherValues(pairs.labels!, indices), n, d);
      if (backward) {
        addInto(gradClassifierWeight!, soft.gradWeight);
        addInto(gradClassifierBias!, soft.gradBias);
      }
      result = soft;
    }
    if (backward) {
      denseBackward(params, fa, result.gradU, gradWeight, gradBias);
      denseBackward(params, fb, result.gradV, gradWeight, gradBias);
    }
    return result.loss;
  };

  const preserveStep = (): number => {
    const p = options.preserve!;
    const size = Math.min(options.preserveBatch ?? TRAIN_DEFAULTS.preserveBatch, p.rows);
    const indices = Int32Array.from({ length: size }, () => rng.nextInt(p.rows));
    const x = gather(p, indices);
    const forward = denseForward(params, x, indices.length);
    const { loss, grad } = preservationLoss(x, forward, d);
    const weighted = grad.map((g) => g * preserveWeight);
    denseBackward(params, forward, weighted, gradWeight, gradBias);
    return preserveWeight * loss;
  };

  type Validation = Pick<EpochRecord, "validationLoss" | "validationSpearman" | "validationAccuracy">;
  const validate = (): Validation => {
    if (!validation) return {};
    const batches = makeBatches(validation, options.loss, batchSize, undefined);
    let total = 0;
    let count = 0;
    for (const batch of batches) {
      if (batch.length < 2) continue;
      total += step(validation, batch, false) * batch.length;
      count += batch.length;
    }
    const record: Validation = { validationLoss: count > 0 ? total / count : undefined };
    if (validation.scores) {
      const u = adaptVectors(params, validation.a);
      const v = adaptVectors(params, validation.b);
      const cosines = Array.from({ length: u.rows }, (_, i) => {
        let sum = 0;
        for (let k = 0; k < u.cols; k++) sum += u.data[i * u.cols + k] * v.data[i * u.cols + k];
        return sum;
      });
      record.validationSpearman = spearman(cosines, validation.scores);
    }
    if (classifier && validation.labels) {
      record.validationAccuracy = classifierAccuracy(params, classifier, validation);
    }
    return record;
  };

  const selectBy: SelectBy = options.selectBy ?? (validation?.scores ? "spearman" : "loss");
  if (selectBy === "spearman" && validation && !validation.scores) {
    throw new UserError("selecting the best epoch by Spearman needs validation pairs with scores");
  }
  // the score the best epoch maximises
  const scoreOf = (record: Validation): number | undefined =>
    selectBy === "spearman"
      ? record.validationSpearman
      : record.validationLoss === undefined
        ? undefined
        : -record.validationLoss;
  const history: EpochRecord[] = [];
  let best = scoreOf(validate()) ?? Number.NEGATIVE_INFINITY;
  let bestEpoch = 0;
  let bestWeights = { weight: Float32Array.from(params.weight), bias: Float32Array.from(params.bias) };
  let bestClassifier = classifier ? cloneClassifier(classifier) : undefined;
  let sinceBest = 0;
  let stoppedEarly = false;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const batches = makeBatches(train, options.loss, batchSize, rng).filter((b) => b.length >= 2);
    let total = 0;
    let count = 0;
    for (let s = 0; s < batches.length; s++) {
      optimizer.zeroGrad();
      const loss = step(train, batches[s], true);
      if (preserveWeight > 0) preserveStep();
      optimizer.update();
      total += loss * batches[s].length;
      count += batches[s].length;
      options.onProgress?.({ epoch, epochs, step: s + 1, steps: batches.length, loss: total / count });
      // let progress output and signals through between steps
      if (s % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
    }
    const record: EpochRecord = { epoch, trainLoss: count > 0 ? total / count : 0, ...validate() };
    history.push(record);
    options.onEpochEnd?.(record, params);
    const score = scoreOf(record);
    if (score === undefined) {
      bestEpoch = epoch;
      bestWeights = { weight: Float32Array.from(params.weight), bias: Float32Array.from(params.bias) };
      bestClassifier = classifier ? cloneClassifier(classifier) : undefined;
      continue;
    }
    if (score > best) {
      best = score;
      bestEpoch = epoch;
      bestWeights = { weight: Float32Array.from(params.weight), bias: Float32Array.from(params.bias) };
      bestClassifier = classifier ? cloneClassifier(classifier) : undefined;
      sinceBest = 0;
    } else if (++sinceBest >= patience) {
      stoppedEarly = epoch < epochs;
      break;
    }
  }
  params.weight.set(bestWeights.weight);
  params.bias.set(bestWeights.bias);
  return { params, classifier: bestClassifier, history, bestEpoch, stoppedEarly };
}

/** mean over i ≠ j of (u_i·u_j − x_i·x_j)², and its gradient with respect to u. */
export function preservationLoss(
  x: Float32Array,
  forward: DenseForward,
  d: number,
): { loss: number; grad: Float32Array } {
  const n = forward.rows;
  const u = forward.output;
  const grad = new Float32Array(n * d);
  let loss = 0;
  const pairs = n * (n - 1);
  if (pairs === 0) return { loss: 0, grad };
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < d; k++) sum += x[i * d + k] * x[i * d + k];
    norms[i] = Math.sqrt(sum) || 1;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      let adapted = 0;
      let base = 0;
      for (let k = 0; k < d; k++) {
        adapted += u[i * d + k] * u[j * d + k];
        base += x[i * d + k] * x[j * d + k];
      }
      const diff = adapted - base / (norms[i] * norms[j]);
      loss += diff * diff;
      // (i, j) and (j, i) both appear: each adds 2·diff·u_j to u_i's gradient
      const g = (2 * diff) / pairs;
      for (let k = 0; k < d; k++) grad[i * d + k] += 2 * g * u[j * d + k];
    }
  }
  return { loss: loss / pairs, grad };
}

function checkPairs(pairs: TrainingPairs, loss: LossName, d: number, what: string): void {
  if (pairs.a.rows !== pairs.b.rows || pairs.a.cols !== d || pairs.b.cols !== d) {
    throw new Error(`${what} pairs: mismatched vectors`);
  }
  if (pairs.a.rows < 2)
    throw new UserError(`${what} data has ${pairs.a.rows} pair(s); training needs at least 2`);
  if (loss === "cosent" && !pairs.scores)
    throw new UserError(`${what} pairs have no scores; cosent needs them`);
  if (loss === "softmax" && (!pairs.labels || !pairs.numLabels)) {
    throw new UserError(`${what} pairs have no labels; softmax needs them`);
  }
}

/**
 * Batches of pair indices: shuffled (with `rng`) or in order. MNRL batches skip a pair whose text is
 * already in the batch (sentence-transformers' NoDuplicatesBatchSampler), so no positive is also an
 * in-batch negative; skipped pairs wait for a later batch.
 */
function makeBatches(
  pairs: TrainingPairs,
  loss: LossName,
  batchSize: number,
  rng: Rng | undefined,
): Int32Array[] {
  const n = pairs.a.rows;
  const order = Array.from({ length: n }, (_, i) => i);
  if (rng) shuffle(order, rng);
  if (loss !== "mnrl" || !pairs.keysA || !pairs.keysB) {
    const batches: Int32Array[] = [];
    for (let start = 0; start < n; start += batchSize)
      batches.push(Int32Array.from(order.slice(start, start + batchSize)));
    return batches;
  }
  const keysA = pairs.keysA;
  const keysB = pairs.keysB;
  const batches: Int32Array[] = [];
  let remaining = order;
  while (remaining.length > 0) {
    const batch: number[] = [];
    const seen = new Set<number>();
    const deferred: number[] = [];
    for (const i of remaining) {
      if (batch.length < batchSize && !seen.has(keysA[i]) && !seen.has(keysB[i])) {
        batch.push(i);
        seen.add(keysA[i]);
        seen.add(keysB[i]);
      } else deferred.push(i);
    }
    batches.push(Int32Array.from(batch));
    remaining = deferred;
  }
  return batches;
}

function shuffle(values: number[], rng: Rng): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [values[i], values[j]] = [values[j], values[i]];
  }
}

function gather(matrix: Matrix, indices: Int32Array): Float32Array {
  const { cols } = matrix;
  const out = new Float32Array(indices.length * cols);
  indices.forEach((r, i) => {
    out.set(matrix.data.subarray(r * cols, (r + 1) * cols), i * cols);
  });
  return out;
}

function gatherValues<T extends Float32Array | Int32Array>(values: T, indices: Int32Array): number[] {
  return Array.from(indices, (i) => values[i]);
}

function addInto(target: Float32Array, values: Float32Array): void {
  for (let i = 0; i < target.length; i++) target[i] += values[i];
}

function cloneClassifier(c: Classifier): Classifier {
  return { ...c, weight: Float32Array.from(c.weight), bias: Float32Array.from(c.bias) };
}

/** Share of pairs whose arg-max class is the gold label. */
export function classifierAccuracy(
  params: DenseParameters,
  classifier: Classifier,
  pairs: TrainingPairs,
): number {
  const n = pairs.a.rows;
  const d = params.outputDimension;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const u = denseForward(params, gather(pairs.a, all), n).output;
  const v = denseForward(params, gather(pairs.b, all), n).output;
  const logits = classifierLogits(classifier, u, v, n, d);
  const c = classifier.numLabels;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let l = 1; l < c; l++) if (logits[i * c + l] > logits[i * c + best]) best = l;
    if (best === pairs.labels![i]) correct++;
  }
  return correct / n;
}

/** Applies trained Dense parameters to vectors (unit rows out), e.g. to evaluate before saving. */
export function adaptVectors(params: DenseParameters, input: Matrix): Matrix {
  const all = Int32Array.from({ length: input.rows }, (_, i) => i);
  return {
    data: denseForward(params, gather(input, all), input.rows).output,
    rows: input.rows,
    cols: params.outputDimension,
  };
}
