/**
 * Adapters trained on SICK (train; trial for validation and picking the best epoch) with each
 * objective, side by side:
 *
 *   npm run bench:train [-- --only cosent,cosent+preserve,...] [--epochs 10] [--preserve-weight 60]
 *     [--preserve-set mixed|20ng] [--batch-size 32] [--lr 0.001] [--patience 5]
 *
 * Columns: Spearman × 100 of cosine vs relatedness on SICK test (the bundled encoder: 70.2; target
 * ≥ 78), and the same on pairs from other sources — does the adapter keep general similarity? For
 * BBC, AG News and 20 Newsgroups (test split) we draw 10,000 pairs of documents of the same category
 * and 10,000 of different categories (seeded, blank documents left out) and take Spearman × 100 of
 * cosine vs same-category (1/0): a rank-biserial measure of how well similarity separates topics. The
 * target: no drop of more than 1 point.
 *
 * Rows "+preserve" add the preservation term. `--preserve-set mixed` (default): its texts are the
 * even-numbered documents of BBC and AG News plus 20 Newsgroups' train split, and the BBC / AG News
 * pairs are drawn from the odd-numbered documents only — no evaluated document was seen in training.
 * `--preserve-set 20ng`: 20NG train only, so BBC and AG News are unseen sources altogether.
 * The softmax rows also report the classifier's 3-way accuracy on SICK test.
 *
 * Single runs (seed 42) on a shared machine: the load average and seconds are printed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type Adapter, applyAdapter, embedDocuments } from "../src/embed/index.js";
import { classifierAccuracy, type LossName, TRAIN_DEFAULTS, trainFromFiles } from "../src/train/index.js";
import type { Matrix } from "../src/types.js";
import { createRng } from "../src/util/rng.js";
import { spearman } from "../src/util/stats.js";
import { corporaDir, corpusEmbeddings, loadLabelledCorpus, printTable } from "./common.js";

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const EPOCHS = Number(arg("--epochs") ?? TRAIN_DEFAULTS.epochs);
const PRESERVE_WEIGHT = Number(arg("--preserve-weight") ?? TRAIN_DEFAULTS.preserveWeight);
const BATCH_SIZE = arg("--batch-size") !== undefined ? Number(arg("--batch-size")) : undefined;
const LR = arg("--lr") !== undefined ? Number(arg("--lr")) : undefined;
const PATIENCE = arg("--patience") !== undefined ? Number(arg("--patience")) : undefined;
const only = arg("--only")?.split(",");
/** "20ng": preserve on 20 Newsgroups' train split (BBC and AG News stay unseen sources); "mixed": on
 * the even-numbered documents of BBC and AG News plus 20NG train, evaluating on the odd-numbered ones. */
const PRESERVE_SET = arg("--preserve-set") ?? "mixed";

interface Variant {
  name: string;
  loss: LossName;
  preserve: boolean;
}
const ALL_VARIANTS: Variant[] = [
  { name: "softmax", loss: "softmax", preserve: false },
  { name: "mnrl", loss: "mnrl", preserve: false },
  { name: "cosent", loss: "cosent", preserve: false },
  { name: "softmax+preserve", loss: "softmax", preserve: true },
  { name: "mnrl+preserve", loss: "mnrl", preserve: true },
  { name: "cosent+preserve", loss: "cosent", preserve: true },
];
const VARIANTS = ALL_VARIANTS.filter((v) => only === undefined || only.includes(v.name));

interface SickPair {
  sentence1: string;
  sentence2: string;
  score: number;
  label: string;
}
const sickFile = (split: string) => join(corporaDir, `sick-${split}.jsonl`);
const readSick = (split: string): SickPair[] =>
  readFileSync(sickFile(split), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as SickPair);

function rowDot(a: Matrix, i: number, b: Matrix, j: number): number {
  let s = 0;
  for (let k = 0; k < a.cols; k++) s += a.data[i * a.cols + k] * b.data[j * b.cols + k];
  return s;
}

/** Balanced same/different-category document pairs of a labelled corpus (blank documents left out). */
function categoryPairs(
  labels: readonly string[],
  vectors: Matrix,
  keep: (i: number) => boolean,
  seed: number,
) {
  const rng = createRng(seed);
  const usable: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    let zero = true;
    for (let k = 0; k < vectors.cols && zero; k++) zero = vectors.data[i * vectors.cols + k] === 0;
    if (!zero && keep(i)) usable.push(i);
  }
  const byLabel = new Map<string, number[]>();
  for (const i of usable) byLabel.set(labels[i], [...(byLabel.get(labels[i]) ?? []), i]);
  const pairs: [number, number, number][] = [];
  const per = 10_000;
  while (pairs.length < per) {
    const i = usable[rng.nextInt(usable.length)];
    const group = byLabel.get(labels[i])!;
    const j = group[rng.nextInt(group.length)];
    if (i !== j) pairs.push([i, j, 1]);
  }
  while (pairs.length < 2 * per) {
    const i = usable[rng.nextInt(usable.length)];
    const j = usable[rng.nextInt(usable.length)];
    if (labels[i] !== labels[j]) pairs.push([i, j, 0]);
  }
  return pairs;
}

function pairSpearman(vectors: Matrix, pairs: [number, number, number][]): number {
  return (
    100 *
    spearman(
      pairs.map(([i, j]) => rowDot(vectors, i, vectors, j)),
      pairs.map(([, , same]) => same),
    )
  );
}

async function main() {
  console.log(
    `# adapters on SICK — load average ${loadavg()[0].toFixed(1)} at start, epochs ≤ ${EPOCHS}, preservation set ${PRESERVE_SET}, weight ${PRESERVE_WEIGHT}, batch ${BATCH_SIZE ?? "default"}, lr ${LR ?? "default"}, patience ${PATIENCE ?? "default"}`,
  );
  // SICK test vectors (base model, through the cache)
  const test = readSick("test");
  const testTexts = test.flatMap((p) => [p.sentence1, p.sentence2]);
  const testBase = (await embedDocuments(testTexts, {})).matrix;
  const gold = test.map((p) => p.score);
  const sickSpearman = (m: Matrix) =>
    100 *
    spearman(
      test.map((_, i) => rowDot(m, 2 * i, m, 2 * i + 1)),
      gold,
    );

  // other sources
  const others: { name: string; vectors: Matrix; pairs: [number, number, number][] }[] = [];
  const heldOut = (i: number) => PRESERVE_SET !== "mixed" || i % 2 === 1;
  const preserveTexts: string[] = [];
  for (const name of ["bbc", "ag_news_test"] as const) {
    const corpus = loadLabelledCorpus(name);
    const vectors = await corpusEmbeddings(corpus);
    others.push({ name, vectors, pairs: categoryPairs(corpus.labels, vectors, heldOut, 7) });
    if (PRESERVE_SET === "mixed")
      preserveTexts.push(...corpus.texts.filter((t, i) => i % 2 === 0 && t.trim() !== ""));
  }
  const news = loadLabelledCorpus("20newsgroups");
  const newsVectors = await corpusEmbeddings(news);
  const split = readFileSync(join(corporaDir, "20newsgroups.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { split: string }).split);
  others.push({
    name: "20ng_test",
    vectors: newsVectors,
    pairs: categoryPairs(news.labels, newsVectors, (i) => split[i] === "test", 7),
  });
  // preservation corpus: 20 Newsgroups train split (+ the even half of BBC and AG News), non-blank
  preserveTexts.push(...news.texts.filter((t, i) => split[i] === "train" && t.trim() !== ""));
  const dir = mkdtempSync(join(tmpdir(), "bench-train-"));
  const preserveFile = join(dir, "preserve.jsonl");
  writeFileSync(preserveFile, preserveTexts.map((text) => JSON.stringify({ text })).join("\n"));

  const rows: Record<string, string | number>[] = [];
  const baseRow: Record<string, string | number> = {
    adapter: "none (USE-lite)",
    sick_test: sickSpearman(testBase),
  };
  for (const o of others) baseRow[o.name] = pairSpearman(o.vectors, o.pairs);
  baseRow.accuracy = "";
  baseRow.epochs = "";
  baseRow.seconds = "";
  rows.push(baseRow);

  for (const variant of VARIANTS) {
    const started = performance.now();
    const outcome = await trainFromFiles(sickFile("train"), {
      loss: variant.loss,
      validationFile: sickFile("trial"),
      epochs: EPOCHS,
      batchSize: BATCH_SIZE,
      lr: LR,
      patience: PATIENCE,
      positiveLabel: variant.loss === "mnrl" ? "entailment" : undefined,
      preserveCorpus: variant.preserve ? preserveFile : undefined,
      preserveWeight: variant.preserve ? PRESERVE_WEIGHT : undefined,
      onTrainProgress: (p) => {
        if (p.step === p.steps)
          process.stderr.write(`  ${variant.name}: epoch ${p.epoch} train loss ${p.loss.toFixed(4)}\n`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const adapter: Adapter = outcome.adapter;
    const row: Record<string, string | number> = {
      adapter: variant.name,
      sick_test: sickSpearman(applyAdapter(adapter, testBase)),
    };
    for (const o of others) row[o.name] = pairSpearman(applyAdapter(adapter, o.vectors), o.pairs);
    row.accuracy = "";
    if (outcome.result.classifier) {
      const labels = outcome.labelNames!;
      const n = test.length;
      // classifierAccuracy applies the adapter itself: it takes base vectors
      row.accuracy = (
        100 *
        classifierAccuracy(outcome.result.params, outcome.result.classifier, {
          a: pick(testBase, (i) => 2 * i, n),
          b: pick(testBase, (i) => 2 * i + 1, n),
          labels: Int32Array.from(test, (p) => labels.indexOf(p.label)),
          numLabels: labels.length,
        })
      ).toFixed(1);
    }
    row.epochs = `${outcome.result.bestEpoch}/${outcome.result.history.length}`;
    row.seconds = Math.round(seconds);
    rows.push(row);
    console.error(JSON.stringify(row));
  }
  rmSync(dir, { recursive: true, force: true });
  const base = rows[0];
  const withDeltas = rows.map((r, index) => {
    const out: Record<string, string | number> = { ...r };
    if (index > 0) {
      for (const key of ["sick_test", ...others.map((o) => o.name)]) {
        const delta = (r[key] as number) - (base[key] as number);
        out[key] = `${(r[key] as number).toFixed(2)} (${delta >= 0 ? "+" : ""}${delta.toFixed(2)})`;
      }
    }
    return out;
  });
  printTable(withDeltas);
  console.log(`load average at the end ${loadavg()[0].toFixed(1)}`);
}

function pick(m: Matrix, row: (i: number) => number, n: number): Matrix {
  const data = new Float32Array(n * m.cols);
  for (let i = 0; i < n; i++) data.set(m.data.subarray(row(i) * m.cols, (row(i) + 1) * m.cols), i * m.cols);
  return { data, rows: n, cols: m.cols };
}

await main();
