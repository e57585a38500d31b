/**
 * sentence-transformers' `ParaphraseMiningEvaluator` on vectors: mine the pairs (with the same
 * settings as `paraphraseMining`), walk them from the highest score down and report the average
 * precision over the known duplicate pairs, and the best F1 with its precision, recall and threshold
 * (the mean of that pair's score and the next one's).
 */
import type { Matrix } from "../../types.js";
import { UserError } from "../../util/errors.js";
import { type ParaphraseMiningOptions, paraphraseMining } from "../mining.js";

export interface ParaphraseMiningEvaluatorOptions extends ParaphraseMiningOptions {
  /** Make duplicates transitive: a~b and b~c give a~c (theirs: add_transitive_closure). */
  addTransitiveClosure?: boolean;
}

export async function evaluateParaphraseMining(
  embeddings: Matrix,
  duplicates: readonly (readonly [number, number])[],
  options: ParaphraseMiningEvaluatorOptions = {},
): Promise<Record<string, number>> {
  const n = embeddings.rows;
  const key = (a: number, b: number) => Math.min(a, b) * n + Math.max(a, b);
  let positives = new Set<number>();
  for (const [a, b] of duplicates) {
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= n || b >= n) {
      throw new UserError(`duplicate pair (${a}, ${b}) names a row outside 0..${n - 1}`);
    }
    if (a !== b) positives.add(key(a, b));
  }
  if (options.addTransitiveClosure) positives = transitiveClosure(duplicates, n, key);
  const total = positives.size;
  const pairs = await paraphraseMining(embeddings, options);
  let extracted = 0;
  let correct = 0;
  let best = { f1: 0, precision: 0, recall: 0, threshold: 0 };
  let averagePrecision = 0;
  pairs.forEach((pair, idx) => {
    extracted++;
    if (!positives.has(key(pair.i, pair.j))) return;
    correct++;
    const precision = correct / extracted;
    const recall = total > 0 ? correct / total : 0;
    const f1 = (2 * precision * recall) / (precision + recall);
    averagePrecision += precision;
    if (f1 > best.f1) {
      const next = pairs[Math.min(idx + 1, pairs.length - 1)];
      best = { f1, precision, recall, threshold: (pair.score + next.score) / 2 };
    }
  });
  return {
    average_precision: total > 0 ? averagePrecision / total : 0,
    f1: best.f1,
    precision: best.precision,
    recall: best.recall,
    threshold: best.threshold,
  };
}

/** Every pair within a connected group of duplicates. */
function transitiveClosure(
  duplicates: readonly (readonly [number, number])[],
  n: number,
  key: (a: number, b: number) => number,
): Set<number> {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const touched = new Set<number>();
  for (const [a, b] of duplicates) {
    parent[find(a)] = find(b);
    touched.add(a);
    touched.add(b);
  }
  const groups = new Map<number, number[]>();
  for (const x of touched) {
    const root = find(x);
    const group = groups.get(root) ?? [];
    group.push(x);
    groups.set(root, group);
  }
  const out = new Set<number>();
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i++)
      for (let j = i + 1; j < group.length; j++) out.add(key(group[i], group[j]));
  }
  return out;
}
