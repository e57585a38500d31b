/**
 * Experiment (issue 16): does fitting the static piece vectors to the encoder's sentence vectors —
 * Model2Vec's Tokenlearn idea, as one ridge regression — close use-lite-static's quality gap?
 * Training texts: sentences of the project's own demo corpus (State of the Union), never a benchmark
 * corpus. Each sentence's mean of piece vectors should equal its USE-lite vector:
 *   min ‖A·V − T‖² + λ‖V − s·V0‖²
 * A: mean-pooling weights (sentence × piece), T: USE-lite sentence vectors, V0: the distilled,
 * SIF-weighted piece vectors (512-d), s: the scale that fits V0 best. Conjugate gradients on the
 * normal equations; λ chosen on held-out demo sentences (cosine to the teacher), not on SICK. Then
 * PCA to the table's size as the distillation does, and SICK Spearman beside the distilled table's.
 *
 *   npx tsx bench/static-tokenlearn.ts [--sentences 20000]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { demoPassages } from "../src/corpus/demo.js";
import { embedDocuments } from "../src/embed/index.js";
import { loadUseLiteTokenizer } from "../src/embed/use-lite.js";
import { buildStaticTable, embedPieces, embedStatic } from "../src/embed/use-lite-static.js";
import { splitSentences } from "../src/text/sentences.js";
import type { Matrix } from "../src/types.js";
import { createRng } from "../src/util/rng.js";
import { corporaDir, printTable } from "./common.js";
import { spearman } from "./static-quality-lib.js";

const { values } = parseArgs({ options: { sentences: { type: "string", default: "20000" } } });
const D = 512;
const RESERVED = 6;
const SIF = 1e-4;
const DIMS = 256;

// training sentences: demo passages cut into sentences of 4–60 words, a seeded sample
const rng = createRng(7);
const all = demoPassages()
  .flatMap((d) => splitSentences(d.text))
  .map((s) => s.trim())
  .filter((s) => {
    const words = s.split(/\s+/).length;
    return words >= 4 && words <= 60;
  });
for (let i = all.length - 1; i > 0; i--) {
  const j = rng.nextInt(i + 1);
  [all[i], all[j]] = [all[j], all[i]];
}
const total = Math.min(Number(values.sentences), all.length);
const sentences = all.slice(0, total);
const heldOut = Math.round(total * 0.1);
console.log(`${all.length} demo sentences, ${total} used (${heldOut} held out)`);

let clock = performance.now();
const teacher = (await embedDocuments(sentences, { model: "use-lite", cache: true })).matrix;
console.log(`teacher vectors: ${((performance.now() - clock) / 1000).toFixed(1)} s`);

clock = performance.now();
const { raw, vocabulary } = await embedPieces();
const V = vocabulary.length;
const P = V - RESERVED;
// V0: SIF-weighted piece vectors (what the distilled table holds before its PCA)
const v0 = new Float64Array(P * D);
for (let p = 0; p < P; p++) {
  const w = SIF / (SIF + Math.exp(vocabulary[p + RESERVED][1]));
  for (let j = 0; j < D; j++) v0[p * D + j] = raw[p * D + j] * w;
}
console.log(`piece vectors: ${((performance.now() - clock) / 1000).toFixed(1)} s`);

// A as CSR over pieces (reserved ids dropped), mean pooling
const tokenizer = loadUseLiteTokenizer();
const indptr = new Int32Array(total + 1);
const cols: number[] = [];
const vals: number[] = [];
for (let d = 0; d < total; d++) {
  const ids = tokenizer.encode(sentences[d], 512);
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const [id, c] of counts) {
    if (id < RESERVED) continue;
    cols.push(id - RESERVED);
    vals.push(c / ids.length);
  }
  indptr[d + 1] = cols.length;
}
const aCols = Int32Array.from(cols);
const aVals = Float64Array.from(vals);

/** out (rows × D) = A[rows] · X (P × D) */
function aTimes(x: Float64Array, from: number, to: number): Float64Array {
  const out = new Float64Array((to - from) * D);
  for (let d = from; d < to; d++) {
    const o = (d - from) * D;
    for (let q = indptr[d]; q < indptr[d + 1]; q++) {
      const w = aVals[q];
      const b = aCols[q] * D;
      for (let j = 0; j < D; j++) out[o + j] += w * x[b + j];
    }
  }
  return out;
}
/** out (P × D) = A[rows]ᵀ · Y (rows × D) */
function aTransposeTimes(y: Float64Array, from: number, to: number): Float64Array {
  const out = new Float64Array(P * D);
  for (let d = from; d < to; d++) {
    const o = (d - from) * D;
    for (let q = indptr[d]; q < indptr[d + 1]; q++) {
      const w = aVals[q];
      const b = aCols[q] * D;
      for (let j = 0; j < D; j++) out[b + j] += w * y[o + j];
    }
  }
  return out;
}

const train = [heldOut, total] as const;
const t = new Float64Array(teacher.data);
const tTrain = t.subarray(heldOut * D, total * D);
// the scale s that fits V0 best on the training rows
const av0 = aTimes(v0, ...train);
let num = 0;
let den = 0;
for (let i = 0; i < av0.length; i++) {
  num += av0[i] * tTrain[i];
  den += av0[i] * av0[i];
}
const s = num / den;
const prior = v0.map((x) => x * s);
// diag(AᵀA) on average, to put λ on its scale
let diagSum = 0;
for (let q = indptr[heldOut]; q < indptr[total]; q++) diagSum += aVals[q] * aVals[q];
const diagMean = diagSum / P;
console.log(`scale s = ${s.toFixed(3)}, mean diag(AᵀA) = ${diagMean.toExponential(2)}`);

/** Ridge solution by conjugate gradients, one system per column, sharing the products. */
function solve(lambda: number, iterations: number): Float64Array {
  const apply = (x: Float64Array) => {
    const out = aTransposeTimes(aTimes(x, ...train), ...train);
    for (let i = 0; i < out.length; i++) out[i] += lambda * x[i];
    return out;
  };
  const rhs = aTransposeTimes(tTrain, ...train);
  for (let i = 0; i < rhs.length; i++) rhs[i] += lambda * prior[i];
  const x = prior.slice();
  const ax = apply(x);
  const r = rhs.map((v, i) => v - ax[i]);
  const p = r.slice();
  const rr = new Float64Array(D);
  for (let i = 0; i < P; i++) for (let j = 0; j < D; j++) rr[j] += r[i * D + j] ** 2;
  for (let it = 0; it < iterations; it++) {
    const ap = apply(p);
    const pap = new Float64Array(D);
    for (let i = 0; i < P; i++) for (let j = 0; j < D; j++) pap[j] += p[i * D + j] * ap[i * D + j];
    const alpha = rr.map((v, j) => (pap[j] > 0 ? v / pap[j] : 0));
    const next = new Float64Array(D);
    for (let i = 0; i < P; i++)
      for (let j = 0; j < D; j++) {
        x[i * D + j] += alpha[j] * p[i * D + j];
        r[i * D + j] -= alpha[j] * ap[i * D + j];
        next[j] += r[i * D + j] ** 2;
      }
    const beta = next.map((v, j) => (rr[j] > 0 ? v / rr[j] : 0));
    for (let i = 0; i < P; i++)
      for (let j = 0; j < D; j++) p[i * D + j] = r[i * D + j] + beta[j] * p[i * D + j];
    rr.set(next);
  }
  return x;
}

/** Mean cosine between the pooled vectors and the teacher on the held-out sentences. */
function heldOutCosine(x: Float64Array): number {
  const pred = aTimes(x, 0, heldOut);
  let sum = 0;
  for (let d = 0; d < heldOut; d++) {
    let dot = 0;
    let nn = 0;
    for (let j = 0; j < D; j++) {
      dot += pred[d * D + j] * t[d * D + j];
      nn += pred[d * D + j] ** 2;
    }
    sum += nn > 0 ? dot / Math.sqrt(nn) : 0;
  }
  return sum / heldOut;
}

// SICK relatedness with a table made from 512-d piece vectors
const pairs = readFileSync(join(corporaDir, "sick-test.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.length > 0)
  .map((l) => JSON.parse(l) as { sentence1: string; sentence2: string; score: number });
/** `pieces`: (vocabulary − reserved) × 512; `sif` 0 when the weights are inside them already. */
function sick(pieces: Float64Array, sif: number): number {
  const table = buildStaticTable(pieces, vocabulary, DIMS, sif);
  const embed = (texts: string[]): Matrix => embedStatic(table, tokenizer, texts, 512);
  const a = embed(pairs.map((p) => p.sentence1));
  const b = embed(pairs.map((p) => p.sentence2));
  const cos = new Float64Array(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    let dot = 0;
    for (let j = 0; j < DIMS; j++) dot += a.data[i * DIMS + j] * b.data[i * DIMS + j];
    cos[i] = dot;
  }
  return spearman(
    cos,
    pairs.map((p) => p.score),
  );
}

const rows: Record<string, string | number>[] = [
  {
    table: "distilled (today)",
    "held-out cosine": heldOutCosine(prior).toFixed(4),
    "SICK × 100": (100 * sick(raw, SIF)).toFixed(2),
  },
];
for (const factor of [0.01, 0.1, 1]) {
  clock = performance.now();
  const x = solve(factor * diagMean, 25);
  rows.push({
    table: `fitted, λ = ${factor} · mean diag`,
    "held-out cosine": heldOutCosine(x).toFixed(4),
    "SICK × 100": (100 * sick(x, 0)).toFixed(2),
    "solve s": ((performance.now() - clock) / 1000).toFixed(1),
  });
  console.log(rows[rows.length - 1]);
}
printTable(rows);
