/**
 * HDBSCAN benchmark: ours against R's dbscan::hdbscan (C++), on seeded Gaussian blobs + uniform noise
 * in 5-d and on 5-d UMAP outputs of real sentence embeddings; plus one npm HDBSCAN package and
 * density-clustering's DBSCAN/OPTICS with and without our k-d tree.
 *
 *   npx tsx bench/hdbscan.ts [--sizes 2000,20000,100000 | 0] [--corpus 20newsgroups] [--min-pts 10]
 *                            [--no-r] [--no-extras] [--npm-limit 600]
 *
 * minPts = min_cluster_size = min_samples (R's minPts counts the point itself, as the Python
 * package's min_samples does). Each of our runs is a child process so its peak memory (max RSS) is
 * its own. R's time is its hdbscan() call only (file reading excluded), taken back to back with ours.
 * The text sets come from <bench cache>/reduced/<corpus>-umap5.npy (bench/common.ts: ../cache by default), made once by bench/hdbscan-umap.py
 * (umap-learn: n_neighbors 15, 5-d, min_dist 0, cosine, seed 42; all-zero rows dropped) from the cached
 * embeddings <bench cache>/embeddings/<corpus>.npy (20 Newsgroups, AG News test); the pipeline's own
 * reducer can write the same kind of file instead.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import densityClustering from "density-clustering";
import { fitHdbscan } from "../src/cluster/hdbscan/index.js";
import { createClusterer } from "../src/cluster/index.js";
import { readMatrixNpy, writeMatrixNpy } from "../src/io/npy.js";
import type { Matrix } from "../src/types.js";
import { benchCacheDir, benchEmbeddingsDir } from "./common.js";
import { makeBlobs } from "./hdbscan-data.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const work = join(tmpdir(), "topicscope-bench-hdbscan");
/** Cached sentence embeddings (USE-lite 512-d), reduced once to 5-d with umap-learn. */
const CORPORA = ["20newsgroups", "ag_news_test"];
const HDBSCAN_TS_DIR = process.env.HDBSCAN_TS_DIR ?? "/tmp/hdbts";

interface ChildResult {
  seconds: number;
  maxRssMb: number;
  labels: number[];
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Child mode: fit once, print timing, peak memory and labels as JSON. */
function child(file: string, minPts: number, matchReference: "python" | "r"): void {
  const points = readMatrixNpy(file);
  const start = performance.now();
  const model = fitHdbscan(points, { minClusterSize: minPts, minSamples: minPts, matchReference });
  const seconds = (performance.now() - start) / 1000;
  const result: ChildResult = {
    seconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    labels: Array.from(model.labels),
  };
  process.stdout.write(JSON.stringify(result));
}

/** npm-child mode: time hdbscan-ts on the file, and ours on the same points, and print one line. */
async function npmChild(file: string, minPts: number): Promise<void> {
  const points = readMatrixNpy(file);
  const tsPackage = join(HDBSCAN_TS_DIR, "node_modules", "hdbscan-ts", "dist", "index.js");
  const { HDBSCAN } = (await import(tsPackage)) as {
    HDBSCAN: new (o: {
      minClusterSize: number;
      minSamples: number;
    }) => { fit(d: number[][]): unknown; labels_: number[] };
  };
  const data = rows(points);
  const instance = new HDBSCAN({ minClusterSize: minPts, minSamples: minPts });
  const theirs = timeIt(() => instance.fit(data));
  const ours = timeIt(() => fitHdbscan(points, { minClusterSize: minPts }));
  const ari = adjustedRandIndex(instance.labels_, ours.value.labels);
  process.stdout.write(
    `${theirs.seconds.toFixed(2)} s (ours on the same points in the same process: ${ours.seconds.toFixed(2)} s; ARI between them ${ari.toFixed(3)})`,
  );
}

function runOurs(file: string, minPts: number, matchReference: "python" | "r" = "python"): ChildResult {
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "--child", file, String(minPts), matchReference],
    {
      maxBuffer: 1 << 28,
      encoding: "utf8",
    },
  );
  return JSON.parse(out) as ChildResult;
}

function runR(file: string, minPts: number): { seconds: number; labels: number[] } | { error: string } {
  const out = join(work, "r-labels.csv");
  const r = spawnSync("Rscript", [join(here, "hdbscan-r.R"), file, String(minPts), out], {
    encoding: "utf8",
  });
  if (r.status !== 0) {
    const line = (r.stderr || r.stdout).split("\n").find((l) => /Error|cannot/.test(l)) ?? `exit ${r.status}`;
    return { error: line.trim() };
  }
  const lines = readFileSync(out, "utf8")
    .split("\n")
    .filter((l) => l.length > 0);
  const seconds = Number(lines[0].replace("#seconds ", ""));
  return { seconds, labels: lines.slice(1).map((l) => Number(l.split(",")[0]) - 1) }; // R: 0 = noise
}

/** Adjusted Rand index (Hubert & Arabie), noise treated as one more label as usual. */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const pairs = new Map<string, number>();
  const rowSums = new Map<number, number>();
  const colSums = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]},${b[i]}`;
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
    rowSums.set(a[i], (rowSums.get(a[i]) ?? 0) + 1);
    colSums.set(b[i], (colSums.get(b[i]) ?? 0) + 1);
  }
  const c2 = (x: number) => (x * (x - 1)) / 2;
  let index = 0;
  for (const v of pairs.values()) index += c2(v);
  let sumA = 0;
  for (const v of rowSums.values()) sumA += c2(v);
  let sumB = 0;
  for (const v of colSums.values()) sumB += c2(v);
  const expected = (sumA * sumB) / c2(n);
  const max = (sumA + sumB) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

function summary(labels: ArrayLike<number>): { clusters: number; noise: number } {
  const set = new Set<number>();
  let noise = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0) noise++;
    else set.add(labels[i]);
  }
  return { clusters: set.size, noise: noise / labels.length };
}

function rows(points: Matrix): number[][] {
  return Array.from({ length: points.rows }, (_, i) =>
    Array.from(points.data.subarray(i * points.cols, (i + 1) * points.cols)),
  );
}

function timeIt<T>(run: () => T): { seconds: number; value: T } {
  const start = performance.now();
  const value = run();
  return { seconds: (performance.now() - start) / 1000, value };
}

async function main(): Promise<void> {
  if (process.argv.includes("--npm-child")) {
    await npmChild(argValue("--npm-child")!, Number(process.argv[process.argv.indexOf("--npm-child") + 2]));
    return;
  }
  if (process.argv.includes("--child")) {
    const at = process.argv.indexOf("--child");
    child(process.argv[at + 1], Number(process.argv[at + 2]), process.argv[at + 3] === "r" ? "r" : "python");
    return;
  }
  mkdirSync(work, { recursive: true });
  const sizes = (argValue("--sizes") ?? "2000,20000,100000")
    .split(",")
    .map(Number)
    .filter((n) => n > 0); // --sizes 0: only the text sets
  const onlyCorpus = argValue("--corpus");
  const minPts = Number(argValue("--min-pts") ?? 10);
  const withR = !process.argv.includes("--no-r");
  const extras = !process.argv.includes("--no-extras");
  const log = (s: string) => process.stdout.write(`${s}\n`);
  log(
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")} (2 cores, shared)`,
  );
  log(`minPts = min_cluster_size = min_samples = ${minPts}\n`);

  const sets: { name: string; file: string }[] = [];
  for (const n of sizes) {
    const file = join(work, `blobs-${n}.npy`);
    if (!existsSync(file)) writeMatrixNpy(file, makeBlobs({ n, dimensions: 5, seed: 1 }));
    sets.push({ name: `blobs+noise ${n / 1000}k`, file });
  }
  for (const corpus of CORPORA.filter((c) => onlyCorpus === undefined || c === onlyCorpus)) {
    const reduced = join(benchCacheDir, "reduced", `${corpus}-umap5.npy`);
    const embeddings = join(benchEmbeddingsDir, `${corpus}.npy`);
    if (!existsSync(reduced) && existsSync(embeddings)) {
      log(`reducing ${embeddings} with umap-learn (once) …`);
      execFileSync("/usr/bin/python3", [join(here, "hdbscan-umap.py"), embeddings, reduced], {
        stdio: "inherit",
      });
    }
    if (existsSync(reduced)) sets.push({ name: `${corpus} UMAP-5`, file: reduced });
    else log(`(skipping ${corpus}: neither ${reduced} nor ${embeddings} exists yet)`);
  }

  log(
    "| data | n | d | ours s | R s | R / ours | ARI vs R | ours `--match r` s | ARI vs R, `--match r` | ours clusters | ours noise | R clusters | R noise | ours max RSS MB |",
  );
  log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const set of sets) {
    const points = readMatrixNpy(set.file);
    const ours = runOurs(set.file, minPts);
    const o = summary(ours.labels);
    let rCells = ["–", "–", "–", "–", "–", "–", "–"];
    if (withR) {
      const r = runR(set.file, minPts);
      if ("error" in r) {
        rCells = [`failed: ${r.error}`, "–", "–", "–", "–", "–", "–"];
      } else {
        const s = summary(r.labels);
        const likeR = runOurs(set.file, minPts, "r");
        rCells = [
          r.seconds.toFixed(2),
          (r.seconds / ours.seconds).toFixed(1),
          adjustedRandIndex(ours.labels, r.labels).toFixed(4),
          likeR.seconds.toFixed(2),
          adjustedRandIndex(likeR.labels, r.labels).toFixed(4),
          String(s.clusters),
          `${(100 * s.noise).toFixed(1)}%`,
        ];
      }
    }
    log(
      `| ${set.name} | ${points.rows} | ${points.cols} | ${ours.seconds.toFixed(2)} | ${rCells.slice(0, 5).join(" | ")} | ${o.clusters} | ${(100 * o.noise).toFixed(1)}% | ${rCells[5]} | ${rCells[6]} | ${ours.maxRssMb.toFixed(0)} |`,
    );
  }
  log(
    `\nload average at end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  if (!extras) return;

  // One npm HDBSCAN package, for the record (installed outside the repo: see docs/clustering.md),
  // in a child process with a time limit.
  const small = sets[0].file;
  if (existsSync(join(HDBSCAN_TS_DIR, "node_modules", "hdbscan-ts"))) {
    const limit = Number(argValue("--npm-limit") ?? 600);
    const started = performance.now();
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", fileURLToPath(import.meta.url), "--npm-child", small, String(minPts)],
      {
        encoding: "utf8",
        timeout: limit * 1000,
      },
    );
    const wall = (performance.now() - started) / 1000;
    const lastError =
      (r.stderr ?? "")
        .trim()
        .split("\n")
        .filter((l) => l.length > 0)
        .pop() ?? "";
    const detail =
      r.status === 0
        ? r.stdout.trim()
        : r.signal === "SIGTERM" && wall >= limit - 1
          ? `did not finish within ${limit} s (killed)`
          : `failed after ${wall.toFixed(0)} s (${r.signal ?? `exit ${r.status}`}): ${lastError}`;
    log(`\nhdbscan-ts 1.0.17 on ${small}: ${detail} (child wall ${wall.toFixed(1)} s)`);
  } else {
    log(`\n(hdbscan-ts not found in ${HDBSCAN_TS_DIR}; npm install hdbscan-ts there to time it)`);
  }

  // density-clustering: its own O(n²) region queries against our k-d tree (same clusters).
  log("\n| density-clustering | n | plain s | with our k-d tree s | same labels |");
  log("|---|---|---|---|---|");
  const eps = 1.0;
  for (const set of sets.filter((s) => s.name.startsWith("blobs"))) {
    const points = readMatrixNpy(set.file);
    for (const method of ["dbscan", "optics"] as const) {
      const indexed = timeIt(() => {
        try {
          return createClusterer({ method, eps, minSamples: minPts }).fit(points).labels;
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      });
      let plainCell = "not run (O(n²), > 10 min expected)";
      let same = "–";
      if (points.rows <= 20000) {
        const data = rows(points);
        const plain = timeIt(() => {
          try {
            const algorithm =
              method === "dbscan" ? new densityClustering.DBSCAN() : new densityClustering.OPTICS();
            return algorithm.run(data, eps, minPts);
          } catch (error) {
            return error instanceof Error ? error.message : String(error);
          }
        });
        plainCell = typeof plain.value === "string" ? `failed: ${plain.value}` : plain.seconds.toFixed(2);
        if (typeof plain.value !== "string" && typeof indexed.value !== "string") {
          const labels = new Int32Array(points.rows).fill(-1);
          const minSize = method === "optics" ? Math.max(2, minPts) : 1;
          let next = 0;
          for (const g of plain.value) {
            if (g.length < minSize) continue;
            for (const p of g) labels[p] = next;
            next++;
          }
          same = adjustedRandIndex(labels, indexed.value) === 1 ? "yes" : "no";
        }
      }
      const indexedCell =
        typeof indexed.value === "string" ? `failed: ${indexed.value}` : indexed.seconds.toFixed(2);
      log(`| ${method} eps=${eps} | ${points.rows} | ${plainCell} | ${indexedCell} | ${same} |`);
    }
  }
  writeFileSync(join(work, "done"), new Date().toISOString());
}

await main();
