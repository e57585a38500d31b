/**
 * Reduce stage benchmark: our kNN (exact, HNSW) and UMAP against umap-js (with its own neighbour
 * search) and umap-learn (second run, after numba compiled), on the precomputed USE-lite embeddings.
 * Quality: trustworthiness (k = 15, sklearn's definition) on one fixed sample of rows, and the NMI of
 * the project's HDBSCAN labels (min_cluster_size 10; outliers count as one label) against the corpus
 * labels. Wall and CPU time (all threads) are both printed: the machine is shared.
 *
 *   npx tsx bench/reduce.ts [--corpora ag_news_test,20newsgroups] [--skip-umap-js] [--skip-umap-learn]
 *     [--skip-knn] [--sample 3000] [--seeds 42,1,2]   (extra seeds: ours and umap-learn again, for the spread)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createClusterer } from "../src/cluster/index.js";
import { normalizedMutualInfo } from "../src/evaluate/clustering.js";
import { readMatrixNpy, writeMatrixNpy } from "../src/io/npy.js";
import { knn } from "../src/neighbors/index.js";
import { createReducer } from "../src/reduce/index.js";
import { trustworthiness } from "../src/reduce/trustworthiness.js";
import type { Matrix } from "../src/types.js";
import { createRng } from "../src/util/rng.js";
import { type BenchCorpus, benchEmbeddingsDir, labelCodes, loadLabelledCorpus } from "./common.js";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const corpora = value("--corpora", "ag_news_test,20newsgroups").split(",") as BenchCorpus[];
const sampleSize = Number(value("--sample", "3000"));
const seeds = value("--seeds", "42").split(",").map(Number);
const embeddingsDir = benchEmbeddingsDir;

interface Timing {
  wall: number;
  cpu: number;
}

async function timed<T>(run: () => Promise<T> | T): Promise<{ result: T; time: Timing }> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const result = await run();
  const cpu = process.cpuUsage(cpu0);
  return { result, time: { wall: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6 } };
}

function nonZeroRows(m: Matrix): number[] {
  const keep: number[] = [];
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      if (m.data[i * m.cols + j] !== 0) {
        keep.push(i);
        break;
      }
    }
  }
  return keep;
}

function pick(m: Matrix, rows: number[]): Matrix {
  const data = new Float32Array(rows.length * m.cols);
  rows.forEach((r, i) => {
    data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  });
  return { data, rows: rows.length, cols: m.cols };
}

function recall(exact: Int32Array, approx: Int32Array, rows: number, k: number): number {
  let hits = 0;
  for (let i = 0; i < rows; i++) {
    const truth = new Set(exact.subarray(i * k, (i + 1) * k));
    for (let t = 0; t < k; t++) if (truth.has(approx[i * k + t])) hits++;
  }
  return hits / (rows * k);
}

/** umap-js through our reducer (src/reduce/umap-js.ts): its NN-descent and layout, our seeded RNG. */
function runUmapJs(m: Matrix, seed: number): Promise<Matrix> {
  return createReducer({
    method: "umap-js",
    nComponents: 5,
    nNeighbors: 15,
    minDist: 0,
    metric: "cosine",
    seed,
  }).fit(m);
}

interface Row {
  corpus: string;
  what: string;
  time?: Timing;
  recall?: number;
  trust?: number;
  nmi?: number;
  note?: string;
}

const rows: Row[] = [];
const fmt = (v: number | undefined, digits: number) => (v === undefined ? "" : v.toFixed(digits));

function printTable(): void {
  const header = ["corpus", "what", "wall s", "cpu s", "recall@15", "trust@15", "NMI(HDBSCAN)", "note"];
  const lines = rows.map((r) => [
    r.corpus,
    r.what,
    fmt(r.time?.wall, 2),
    fmt(r.time?.cpu, 2),
    fmt(r.recall, 4),
    fmt(r.trust, 4),
    fmt(r.nmi, 4),
    r.note ?? "",
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const l of lines) console.log(line(l));
}

function quality(
  original: Matrix,
  embedded: Matrix,
  sample: number[],
  labels: Int32Array,
): { trust: number; nmi: number } {
  const trust = trustworthiness(pick(original, sample), pick(embedded, sample), 15);
  const clusters = createClusterer({ method: "hdbscan", minClusterSize: 10 }).fit(embedded).labels;
  return { trust, nmi: normalizedMutualInfo(labels, clusters) };
}

const work = mkdtempSync(join(tmpdir(), "topicscope-bench-reduce-"));
try {
  for (const name of corpora) {
    const path = join(embeddingsDir, `${name}.npy`);
    if (!existsSync(path)) {
      console.error(`skip ${name}: ${path} not found`);
      continue;
    }
    const full = readMatrixNpy(path);
    const corpus = loadLabelledCorpus(name);
    const keep = nonZeroRows(full);
    const m = pick(full, keep);
    const allLabels = labelCodes(corpus.labels);
    const labels = Int32Array.from(keep, (r) => allLabels[r]);
    const sampleRng = createRng(123);
    const sample = Array.from({ length: m.rows }, (_, i) => i);
    for (let i = sample.length - 1; i > 0; i--) {
      const j = sampleRng.nextInt(i + 1);
      [sample[i], sample[j]] = [sample[j], sample[i]];
    }
    sample.length = Math.min(sampleSize, m.rows);
    console.error(
      `${name}: ${m.rows} rows (${full.rows - m.rows} all-zero rows dropped), load ${loadavg()[0].toFixed(1)}`,
    );

    if (!flag("--skip-knn")) {
      const exact = await timed(() => knn(m, 15, { method: "exact" }));
      rows.push({ corpus: name, what: "kNN exact (onnxruntime GEMM+TopK)", time: exact.time, recall: 1 });
      const exactJsRows = pick(m, sample.slice(0, 1000));
      const js = await timed(() => knn(exactJsRows, 15, { method: "exact", backend: "js" }));
      rows.push({ corpus: name, what: "kNN exact, JS kernel, 1,000 rows", time: js.time, note: "for scale" });
      const hnsw = await timed(() => knn(m, 15, { method: "hnsw" }));
      rows.push({
        corpus: name,
        what: "kNN HNSW (M 16, efC 100, ef 64)",
        time: hnsw.time,
        recall: recall(exact.result.indices, hnsw.result.indices, m.rows, 15),
      });
    }

    for (const seed of seeds) {
      const suffix = seeds.length > 1 ? `, seed ${seed}` : "";
      const ours = await timed(() => createReducer({ seed }).fit(m));
      rows.push({
        corpus: name,
        what: `topicscope reduce (kNN + UMAP)${suffix}`,
        time: ours.time,
        ...quality(m, ours.result, sample, labels),
      });
      console.error(`  ours ${ours.time.wall.toFixed(1)} s`);
      if (flag("--skip-umap-learn")) continue;
      const input = join(work, `${name}.npy`);
      const output = join(work, `${name}.umap-learn.npy`);
      writeMatrixNpy(input, m);
      const run = spawnSync(
        "/usr/bin/python3",
        [join(import.meta.dirname, "reduce_umap_learn.py"), input, output, String(seed)],
        { encoding: "utf8" },
      );
      if (run.status === 0) {
        const report = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as {
          seconds: number;
          cpu_seconds: number;
          first_seconds: number;
        };
        const q = quality(m, readMatrixNpy(output), sample, labels);
        rows.push({
          corpus: name,
          what: `umap-learn 0.5.3 (2nd run)${suffix}`,
          time: { wall: report.seconds, cpu: report.cpu_seconds },
          ...q,
          note: `1st run ${report.first_seconds.toFixed(1)} s`,
        });
      } else {
        rows.push({
          corpus: name,
          what: "umap-learn",
          note: `failed: ${run.stderr.split("\n").slice(-2).join(" ")}`,
        });
      }
      console.error("  umap-learn done");
    }

    if (!flag("--skip-umap-js")) {
      const umapJs = await timed(() => runUmapJs(m, 42));
      rows.push({
        corpus: name,
        what: "umap-js 1.4 (own NN-descent)",
        time: umapJs.time,
        ...quality(m, umapJs.result, sample, labels),
      });
      console.error("  umap-js done");
    }
    rows.push({
      corpus: name,
      what: `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
printTable();
