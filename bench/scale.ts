/**
 * The scale targets of issue 16, side by side in one run, printed as one table:
 *   kNN       exact (onnxruntime GEMM + TopK) vs NN-descent (2 worker threads, and 1), recall@15
 *             against exact — target: NN-descent ≥ 4× faster, recall ≥ 0.98
 *   UMAP      topicscope reduce (auto kNN; layout sequential and in 2 blocks on 2 threads) vs umap-learn (seeded,
 *             one run after numba compiled), trustworthiness@15 on a fixed 5,000-row sample —
 *             target: ours ≤ 0.5× umap-learn's time, trust within 0.01
 *   embed     documents/s of use-lite vs use-lite-static on AG News texts — target ≥ 50×
 * on the synthetic corpus of bench/synthetic.ts (made if missing).
 *
 *   npx tsx bench/scale.ts [--rows 100000] [--only knn,umap,embed] [--skip-umap-learn]
 *
 * Wall and CPU seconds (all threads of the process) are both printed, with the load average: on the
 * shared 2-core machine wall time depends on what else runs.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createEmbedder } from "../src/embed/index.js";
import { readMatrixNpy, writeNpy } from "../src/io/npy.js";
import { knn } from "../src/neighbors/index.js";
import { createReducer } from "../src/reduce/index.js";
import { trustworthiness } from "../src/reduce/trustworthiness.js";
import type { Matrix } from "../src/types.js";
import { createRng } from "../src/util/rng.js";
import { benchCacheDir, loadLabelledCorpus, printTable } from "./common.js";
import { writeSynthetic } from "./synthetic.js";

const args = process.argv.slice(2);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const rows = Number(value("--rows", "100000"));
const only = new Set(value("--only", "knn,umap,embed").split(","));
const skipUmapLearn = args.includes("--skip-umap-learn");
const K = 15;

type Row = Record<string, string | number>;
const table: Row[] = [];
const load = () => loadavg()[0].toFixed(1);

async function timed<T>(run: () => Promise<T> | T): Promise<{ value: T; wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await run();
  const cpu = process.cpuUsage(cpu0);
  return { value: out, wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

function recall(truth: Int32Array, got: Int32Array, n: number): number {
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const want = new Set(truth.subarray(i * K, i * K + K));
    for (let j = 0; j < K; j++) if (want.has(got[i * K + j])) hits++;
  }
  return hits / (n * K);
}

function dataset(): { path: string; matrix: Matrix } {
  const dir = join(benchCacheDir, "scale");
  const path = join(dir, `synthetic-${rows}.npy`);
  if (!existsSync(path)) writeSynthetic({ rows, dim: 384, topics: 200, seed: 42 }, dir);
  return { path, matrix: readMatrixNpy(path) };
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);

async function benchKnn(matrix: Matrix): Promise<void> {
  const exact = await timed(() => knn(matrix, K, { method: "exact" }));
  writeNpy(join(benchCacheDir, "scale", `exact-${rows}-k${K}.npy`), exact.value.indices, [rows, K]);
  table.push({
    stage: "kNN",
    what: "exact (onnxruntime)",
    wall: fmt(exact.wall),
    cpu: fmt(exact.cpu),
    quality: "recall 1",
    "vs exact": "1×",
    load: load(),
  });
  for (const threads of [2, 1]) {
    const nnd = await timed(() => knn(matrix, K, { method: "nndescent", threads, seed: 42 }));
    table.push({
      stage: "kNN",
      what: `NN-descent, ${threads} thread${threads > 1 ? "s" : ""}`,
      wall: fmt(nnd.wall),
      cpu: fmt(nnd.cpu),
      quality: `recall ${recall(exact.value.indices, nnd.value.indices, rows).toFixed(4)}`,
      "vs exact": `${fmt(exact.wall / nnd.wall)}× faster`,
      load: load(),
    });
  }
}

async function benchUmap(path: string, matrix: Matrix): Promise<void> {
  const rng = createRng(7);
  const sampleRows = Math.min(5000, rows);
  const sample = new Set<number>();
  while (sample.size < sampleRows) sample.add(rng.nextInt(rows));
  const picked = [...sample].sort((a, b) => a - b);
  const pick = (m: Matrix): Matrix => {
    const out = new Float32Array(picked.length * m.cols);
    for (let i = 0; i < picked.length; i++)
      out.set(m.data.subarray(picked[i] * m.cols, (picked[i] + 1) * m.cols), i * m.cols);
    return { data: out, rows: picked.length, cols: m.cols };
  };
  const original = pick(matrix);
  const results: { what: string; wall: number; cpu: number; trust: number }[] = [];
  // one block: umap-learn's sequential layout; the default: two blocks on two threads (optimize-blocks.ts)
  for (const layoutBlocks of [1, undefined]) {
    const run = await timed(() => createReducer({ seed: 42, layoutBlocks }).fit(matrix));
    results.push({
      what: `topicscope reduce (layout ${layoutBlocks === 1 ? "sequential: --layout-blocks 1" : "default: 2 blocks, 2 threads, seeded"})`,
      wall: run.wall,
      cpu: run.cpu,
      trust: trustworthiness(original, pick(run.value), K),
    });
  }
  let reference: { wall: number; trust: number } | undefined;
  if (!skipUmapLearn) {
    const dir = mkdtempSync(join(tmpdir(), "topicscope-scale-"));
    try {
      const out = join(dir, "umap-learn.npy");
      const child = spawnSync(
        "/usr/bin/python3",
        [join(import.meta.dirname, "scale_umap_learn.py"), path, out, "42"],
        {
          encoding: "utf8",
          maxBuffer: 1 << 24,
        },
      );
      if (child.status !== 0) throw new Error(`umap-learn failed: ${child.stderr}`);
      const report = JSON.parse(child.stdout.trim().split("\n").pop() as string) as {
        seconds: number;
        cpu_seconds: number;
        version: string;
      };
      const trust = trustworthiness(original, pick(readMatrixNpy(out)), K);
      reference = { wall: report.seconds, trust };
      table.push({
        stage: "UMAP",
        what: `umap-learn ${report.version} (seeded)`,
        wall: fmt(report.seconds),
        cpu: fmt(report.cpu_seconds),
        quality: `trust ${trust.toFixed(4)}`,
        "vs exact": "",
        load: load(),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  for (const r of results) {
    table.push({
      stage: "UMAP",
      what: r.what,
      wall: fmt(r.wall),
      cpu: fmt(r.cpu),
      quality: `trust ${r.trust.toFixed(4)}${reference ? ` (${r.trust - reference.trust >= 0 ? "+" : ""}${(r.trust - reference.trust).toFixed(4)})` : ""}`,
      "vs exact": reference ? `${fmt(r.wall / reference.wall, 2)}× umap-learn's time` : "",
      load: load(),
    });
  }
}

async function benchEmbed(): Promise<void> {
  const texts = loadLabelledCorpus("ag_news_test").texts;
  // no cache: both embedders run on every text
  const full = await createEmbedder({ model: "use-lite" });
  const fullTexts = texts.slice(0, 1500);
  await full.embed(fullTexts.slice(0, 64)); // load the model outside the timing
  const fullRun = await timed(() => full.embed(fullTexts));
  await full.dispose?.();
  const staticModel = await createEmbedder({ model: "use-lite-static" });
  const distil = await timed(() => staticModel.embed(["warm up: builds or loads the static table"]));
  const staticRun = await timed(async () => {
    for (let rep = 0; rep < 3; rep++) await staticModel.embed(texts);
  });
  const fullRate = fullTexts.length / fullRun.wall;
  const staticRate = (3 * texts.length) / staticRun.wall;
  table.push({
    stage: "embed",
    what: `use-lite (${fullTexts.length} AG News docs)`,
    wall: fmt(fullRun.wall),
    cpu: fmt(fullRun.cpu),
    quality: `${fmt(fullRate, 0)} docs/s`,
    "vs exact": "1×",
    load: load(),
  });
  table.push({
    stage: "embed",
    what: "use-lite-static: table load/build",
    wall: fmt(distil.wall),
    cpu: fmt(distil.cpu),
    quality: "",
    "vs exact": "",
    load: load(),
  });
  table.push({
    stage: "embed",
    what: `use-lite-static (${3 * texts.length} docs)`,
    wall: fmt(staticRun.wall),
    cpu: fmt(staticRun.cpu),
    quality: `${fmt(staticRate, 0)} docs/s`,
    "vs exact": `${fmt(staticRate / fullRate, 0)}× use-lite`,
    load: load(),
  });
}

const started = new Date().toISOString();
const startLoad = load();
if (only.has("knn") || only.has("umap")) {
  const { path, matrix } = dataset();
  if (only.has("knn")) await benchKnn(matrix);
  if (only.has("umap")) await benchUmap(path, matrix);
}
if (only.has("embed")) await benchEmbed();
console.log(
  `\nscale benchmark, ${rows} × 384 synthetic rows, started ${started} (load ${startLoad}), 2 cores shared\n`,
);
printTable(table);
