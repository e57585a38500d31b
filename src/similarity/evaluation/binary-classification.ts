/**
 * sentence-transformers' `BinaryClassificationEvaluator`: for each similarity function, the
 * threshold on the pair score that gives the best accuracy, the one that gives the best F1 (with its
 * precision and recall), the average precision of the scores, and the Matthews correlation at the F1
 * threshold. Names: `cosine_accuracy`, `cosine_accuracy_threshold`, `cosine_f1`, `cosine_f1_threshold`,
 * `cosine_precision`, `cosine_recall`, `cosine_ap`, `cosine_mcc`, …; with several functions also
 * `max_<metric>` (the maximum over functions, thresholds included, as theirs).
 *
 * Manhattan and euclidean are scored as distances (smaller = more similar), as theirs. Thresholds are
 * the float32 midpoint of two neighbouring scores, as theirs (numpy float32 arithmetic).
 */
import type { Matrix } from "../../types.js";
import { UserError } from "../../util/errors.js";
import { averagePrecision, matthewsCorrelation } from "../../util/stats.js";
import { checkSimilarityFunctions, pairwiseSimilarity, type SimilarityFunction } from "./pairwise.js";

export interface BinaryClassificationOptions {
  similarityFunctions?: readonly SimilarityFunction[];
}

const METRICS = [
  "accuracy",
  "accuracy_threshold",
  "f1",
  "f1_threshold",
  "precision",
  "recall",
  "ap",
  "mcc",
] as const;

export function evaluateBinaryClassification(
  embeddings1: Matrix,
  embeddings2: Matrix,
  labels: ArrayLike<number>,
  options: BinaryClassificationOptions = {},
): Record<string, number> {
  const fns = checkSimilarityFunctions(options.similarityFunctions ?? ["cosine"]);
  if (labels.length !== embeddings1.rows) {
    throw new UserError(`${labels.length} labels for ${embeddings1.rows} pairs`);
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) {
      throw new UserError(`pair ${i}: label ${labels[i]} is not binary (0 or 1)`);
    }
  }
  const metrics: Record<string, number> = {};
  for (const fn of fns) {
    const similarity = pairwiseSimilarity(embeddings1, embeddings2, fn);
    const greaterIsBetter = fn === "cosine" || fn === "dot";
    // their manhattan / euclidean scores are distances: the negated similarity
    const scores = greaterIsBetter ? similarity : similarity.map((s) => -s);
    const result = binaryMetrics(scores, labels, greaterIsBetter);
    for (const metric of METRICS) metrics[`${fn}_${metric}`] = result[metric];
  }
  if (fns.length > 1) {
    for (const metric of METRICS) {
      metrics[`max_${metric}`] = Math.max(...fns.map((fn) => metrics[`${fn}_${metric}`]));
    }
  }
  return metrics;
}

export function binaryMetrics(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  greaterIsBetter: boolean,
): Record<(typeof METRICS)[number], number> {
  const accuracy = bestAccuracy(scores, labels, greaterIsBetter);
  const f1 = bestF1(scores, labels, greaterIsBetter);
  const sign = greaterIsBetter ? 1 : -1;
  const ap = averagePrecision(
    labels,
    Array.from(scores, (s) => sign * s),
  );
  const predicted = Array.from(scores, (s) =>
    (greaterIsBetter ? s >= f1.threshold : s <= f1.threshold) ? 1 : 0,
  );
  return {
    accuracy: accuracy.accuracy,
    accuracy_threshold: accuracy.threshold,
    f1: f1.f1,
    f1_threshold: f1.threshold,
    precision: f1.precision,
    recall: f1.recall,
    ap,
    mcc: matthewsCorrelation(labels, predicted),
  };
}

/** Their sort: by score, highest first when greater is better, lowest first otherwise; stable. */
function sortedRows(scores: ArrayLike<number>, greaterIsBetter: boolean): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => (greaterIsBetter ? scores[b] - scores[a] : scores[a] - scores[b]));
}

const midpoint = (a: number, b: number) => Math.fround(Math.fround(a + b) / 2);

function bestAccuracy(scores: ArrayLike<number>, labels: ArrayLike<number>, greaterIsBetter: boolean) {
  const rows = sortedRows(scores, greaterIsBetter);
  let best = 0;
  let threshold = -1;
  let positives = 0;
  let remainingNegatives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 0) remainingNegatives++;
  for (let i = 0; i < rows.length - 1; i++) {
    if (labels[rows[i]] === 1) positives++;
    else remainingNegatives--;
    const accuracy = (positives + remainingNegatives) / labels.length;
    if (accuracy > best) {
      best = accuracy;
      threshold = midpoint(scores[rows[i]], scores[rows[i + 1]]);
    }
  }
  return { accuracy: best, threshold };
}

function bestF1(scores: ArrayLike<number>, labels: ArrayLike<number>, greaterIsBetter: boolean) {
  const rows = sortedRows(scores, greaterIsBetter);
  let total = 0;
  for (let i = 0; i < labels.length; i++) total += labels[i];
  let best = { f1: 0, precision: 0, recall: 0, threshold: 0 };
  let extracted = 0;
  let correct = 0;
  for (let i = 0; i < rows.length - 1; i++) {
    extracted++;
    if (labels[rows[i]] === 1) correct++;
    if (correct > 0) {
      const precision = correct / extracted;
      const recall = correct / total;
      const f1 = (2 * precision * recall) / (precision + recall);
      if (f1 > best.f1) {
        best = { f1, precision, recall, threshold: midpoint(scores[rows[i]], scores[rows[i + 1]]) };
      }
    }
  }
  return best;
}
