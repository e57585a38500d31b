/**
 * Similarity benchmarks (not tests): paraphrase mining and quantized search.
 *
 * 1. Mining the top-100 pairs per row (sentence-transformers' defaults: top_k 100, max_pairs 500,000)
 *    among 1,000 and 10,000 seeded synthetic 512-d rows and the 7,600 AG News USE-lite embeddings:
 *    ours (median of 3 runs, wall and CPU seconds over all threads) against sentence-transformers'
 *    own `paraphrase_mining_embeddings` (torch, 2 threads, best of 2) run back to back in the venv, and
 *    both checked against a float64 brute force (bench/mining_reference.py).
 * 2. Quantized search: memory of the corpus and recall@10 against exact float32 search, per precision,
 *    with and without rescoring, on AG News and 20 Newsgroups (1,000 held-out rows as queries).
 *
 *   npm run bench:mining [-- --sizes 1000,10000] [--skip-reference] [--skip-mining] [--skip-quantization]
 *     [--queries 1000] [--python /work/venv-st/bin/python]
 * The machine is shared: the load average is printed with the tables.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { writeMatrixNpy } from "../src/io/npy.js";
import {
  type Precision,
  paraphraseMining,
  quantizedBytes,
  quantizedSearch,
  quantizeEmbeddings,
  type ScoredPair,
  semanticSearch,
} from "../src/similarity/index.js";
import { type Matrix, selectRows } from "../src/types.js";
import { createRng } from "../src/util/rng.js";
import { type BenchCorpus, corpusEmbeddings, loadLabelledCorpus, printTable } from "./common.js";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const sizes = value("--sizes", "1000,10000").split(",").map(Number);
const python = value("--python", "/work/venv-st/bin/python");
const queryCount = Number(value("--queries", "1000"));
const TOP_K = 100;
const MAX_PAIRS = 500000;

interface Timing {
  wall: number;
  cpu: number;
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; time: Timing }> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const result = await run();
  const cpu = process.cpuUsage(cpu0);
  return { result, time: { wall: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6 } };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg()[0].toFixed(1);

/** Seeded clustered rows: 50 centres, Gaussian noise, unit length (so that near-duplicates exist). */
function synthetic(n: number, d: number, seed: number): Matrix {
  const rng = createRng(seed);
  const centres = Float32Array.from({ length: 50 * d }, () => rng.nextGaussian());
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.nextInt(50);
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = centres[c * d + j] + 1.5 * rng.nextGaussian();
      data[i * d + j] = v;
      s += v * v;
    }
    for (let j = 0; j < d; j++) data[i * d + j] /= Math.sqrt(s);
  }
  return { data, rows: n, cols: d };
}

function nonZero(m: Matrix): Matrix {
  const keep: number[] = [];
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      if (m.data[i * m.cols + j] !== 0) {
        keep.push(i);
        break;
      }
    }
  }
  return selectRows(m, keep);
}

/** How two pair lists differ: pairs only on one side, score differences, order beyond near-ties. */
function compare(ours: ScoredPair[], theirs: [number, number, number][]): string {
  const theirScore = new Map(theirs.map(([s, i, j]) => [`${i},${j}`, s]));
  const ourKeys = new Set(ours.map((p) => `${p.i},${p.j}`));
  const extra = ours.filter((p) => !theirScore.has(`${p.i},${p.j}`)).length;
  const missing = theirs.filter(([, i, j]) => !ourKeys.has(`${i},${j}`)).length;
  let maxDiff = 0;
  let misordered = 0;
  ours.forEach((p, r) => {
    const s = theirScore.get(`${p.i},${p.j}`);
    if (s === undefined) return;
    maxDiff = Math.max(maxDiff, Math.abs(s - p.score));
    const t = theirs[r];
    if (t && (t[1] !== p.i || t[2] !== p.j) && Math.abs(t[0] - s) > 1e-6) misordered++;
  });
  const same = extra === 0 && missing === 0 && misordered === 0;
  return `${same ? "equal" : `+${extra}/-${missing}, ${misordered} misordered`} (Δ ≤ ${maxDiff.toExponential(1)})`;
}

async function miningTable(): Promise<void> {
  const datasets: { name: string; matrix: Matrix }[] = sizes.map((n) => ({
    name: "synthetic",
    matrix: synthetic(n, 512, 42 + n),
  }));
  try {
    datasets.push({
      name: "AG News",
      matrix: nonZero(await corpusEmbeddings(loadLabelledCorpus("ag_news_test"))),
    });
  } catch (error) {
    console.error(`AG News embeddings unavailable (${(error as Error).message}); synthetic rows only`);
  }
  const rows: Record<string, string | number>[] = [];
  const loadBefore = load();
  for (const { name, matrix } of datasets) {
    const runs: Timing[] = [];
    let pairs: ScoredPair[] = [];
    for (let r = 0; r < 3; r++) {
      const { result, time } = await timed(() =>
        paraphraseMining(matrix, { topK: TOP_K, maxPairs: MAX_PAIRS }),
      );
      pairs = result;
      runs.push(time);
    }
    const row: Record<string, string | number> = {
      rows: `${name} ${matrix.rows} × ${matrix.cols}`,
      pairs: pairs.length,
      "ours wall s": median(runs.map((t) => t.wall)),
      "ours cpu s": median(runs.map((t) => t.cpu)),
    };
    if (!flag("--skip-reference") && existsSync(python)) {
      const dir = mkdtempSync(join(tmpdir(), "topicscope-mining-"));
      try {
        const npy = join(dir, "rows.npy");
        writeMatrixNpy(npy, matrix);
        const out = join(dir, "out.json");
        const run = spawnSync(
          python,
          [join(import.meta.dirname, "mining_reference.py"), npy, String(TOP_K), String(MAX_PAIRS), out],
          {
            encoding: "utf8",
            stdio: ["ignore", "ignore", "pipe"],
          },
        );
        if (run.status !== 0) throw new Error(run.stderr);
        const ref = JSON.parse(readFileSync(out, "utf8")) as {
          st_seconds: number[];
          st_pairs: [number, number, number][];
          brute_pairs: [number, number, number][];
        };
        const st = Math.min(...ref.st_seconds);
        row["s-t wall s"] = st;
        row["s-t / ours"] = st / (row["ours wall s"] as number);
        row["vs brute force"] = compare(pairs, ref.brute_pairs);
        row["vs s-t"] = compare(pairs, ref.st_pairs);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    rows.push(row);
  }
  console.log(
    `\nParaphrase mining, top_k ${TOP_K}, max_pairs ${MAX_PAIRS} (load average ${loadBefore} → ${load()})`,
  );
  printTable(rows);
}

async function quantizationTable(): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  const loadBefore = load();
  for (const name of ["ag_news_test", "20newsgroups"] as BenchCorpus[]) {
    let all: Matrix;
    try {
      all = nonZero(await corpusEmbeddings(loadLabelledCorpus(name)));
    } catch (error) {
      console.error(`${name}: embeddings unavailable (${(error as Error).message})`);
      continue;
    }
    // held-out queries: a seeded shuffle, the first rows query the rest
    const rng = createRng(7);
    const order = Array.from({ length: all.rows }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const queries = selectRows(all, order.slice(0, queryCount));
    const corpus = selectRows(all, order.slice(queryCount));
    const exact = await semanticSearch(queries, corpus, { topK: 10 });
    const truth = exact.map((hits) => new Set(hits.map((h) => h.corpusId)));
    const settings: [Precision, boolean, number][] = [
      ["float32", false, 1],
      ["int8", false, 1],
      ["int8", true, 2],
      ["int8", true, 4],
      ["uint8", true, 2],
      ["binary", false, 1],
      ["binary", true, 2],
      ["binary", true, 4],
      ["ubinary", true, 2],
    ];
    for (const [precision, rescore, multiplier] of settings) {
      const q = quantizeEmbeddings(corpus, precision);
      const { result, time } = await timed(() =>
        quantizedSearch(queries, q, { topK: 10, rescore, rescoreMultiplier: multiplier }),
      );
      let found = 0;
      result.forEach((hits, r) => {
        for (const h of hits) if (truth[r].has(h.corpusId)) found++;
      });
      rows.push({
        corpus: `${name} (${corpus.rows} + ${queries.rows} queries)`,
        precision,
        rescore: rescore ? `×${multiplier}` : "no",
        "corpus MB": quantizedBytes(q) / 2 ** 20,
        "vs float32": `${((100 * quantizedBytes(q)) / (corpus.rows * corpus.cols * 4)).toFixed(1)}%`,
        "recall@10": found / (10 * queries.rows),
        "search s": time.wall,
      });
    }
  }
  console.log(
    `\nQuantized search: recall@10 against exact float32 search, USE-lite embeddings (load average ${loadBefore} → ${load()})`,
  );
  printTable(rows);
}

if (!flag("--skip-mining")) await miningTable();
if (!flag("--skip-quantization")) await quantizationTable();
