/**
 * The vector store (src/store) on real and synthetic vectors:
 *
 *  1. index AG News (7,600) and 20 Newsgroups (18,846) into a fresh store through the embedding
 *     cache (warm: run `npm run bench:embed` or `topicscope embed` on them once first);
 *  2. query latency p50/p95 over --queries queries (AG News vectors as queries) at 18,846 rows:
 *     exact scan vs the approximate index, with recall@10 of the index against exact search;
 *  3. where an index pays off: flat vs indexed p50 at growing table sizes;
 *  4. --big rows of SYNTHETIC vectors (real USE-lite AG News vectors + Gaussian jitter, re-normalised):
 *     write, index build, p50/p95 and recall@10 against an exact search computed alongside.
 *
 *   npm run bench:store                         # everything (1,000,000 synthetic rows: ~2 GB, minutes)
 *   npm run bench:store -- --big 200000         # smaller synthetic table
 *   npm run bench:store -- --big 0 --kinds ivf-pq,hnsw-sq
 *
 * Latencies are per query, sequential, from one warm process (the CLI adds start-up time).
 */
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { corpusFromDocuments } from "../src/corpus/index.js";
import { createEmbedder } from "../src/embed/index.js";
import { knnQuery } from "../src/neighbors/index.js";
import {
  INDEX_KINDS,
  type IndexKind,
  indexDocuments,
  openStore,
  type VectorStore,
} from "../src/store/index.js";
import type { Matrix } from "../src/types.js";
import { createRng } from "../src/util/rng.js";
import { corpusEmbeddings, loadLabelledCorpus, peakRssMiB, printTable } from "./common.js";

const { values: args } = parseArgs({
  options: {
    big: { type: "string", default: "1000000" },
    queries: { type: "string", default: "1000" },
    kinds: { type: "string", default: INDEX_KINDS.join(",") },
    sweep: { type: "string", default: "1000,2000,5000,10000,18846" },
    "skip-index-corpora": { type: "boolean", default: false },
  },
});
const bigRows = Number(args.big);
const queryCount = Number(args.queries);
const kinds = args.kinds.split(",") as IndexKind[];
const sweep = args.sweep.split(",").filter(Boolean).map(Number);

const work = await mkdtemp(join(tmpdir(), "topicscope-bench-store-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const embedding = {
  embedderId: "use-lite@0.2.0;max_tokens=128;normalize",
  dimension: 512,
  model: "use-lite",
};
const log = (m: string) => process.stderr.write(`${m}\n`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function row(matrix: Matrix, i: number): Float32Array {
  return matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols);
}

/** Sequential latency (ms) of `count` searches, and their result ids. */
async function timeSearches(
  store: VectorStore,
  queries: Matrix,
  count: number,
  options: { exact?: boolean; where?: string } = {},
): Promise<{ p50: number; p95: number; ids: string[][] }> {
  const times: number[] = [];
  const ids: string[][] = [];
  for (let q = 0; q < count; q++) {
    const t = performance.now();
    const hits = await store.search(row(queries, q % queries.rows), { k: 10, ...options });
    times.push(performance.now() - t);
    ids.push(hits.map((h) => h.id));
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), ids };
}

function recallAt10(found: string[][], truth: string[][]): number {
  let hit = 0;
  let total = 0;
  found.forEach((ids, q) => {
    const want = new Set(truth[q]);
    total += want.size;
    for (const id of ids) if (want.has(id)) hit++;
  });
  return hit / Math.max(total, 1);
}

/** Exact top-10 ids of each query among `base` rows (ids = `prefix + row`), via the project's exact kNN. */
async function exactTop10(base: Matrix, queries: Matrix, ids: readonly string[]): Promise<string[][]> {
  const { indices, k } = await knnQuery(base, queries, 10, { method: "exact" });
  return Array.from({ length: queries.rows }, (_, q) =>
    Array.from(indices.subarray(q * k, (q + 1) * k), (i) => ids[i]),
  );
}

function subMatrix(m: Matrix, rows: readonly number[]): Matrix {
  const data = new Float32Array(rows.length * m.cols);
  rows.forEach((r, i) => {
    data.set(row(m, r), i * m.cols);
  });
  return { data, rows: rows.length, cols: m.cols };
}

// ---------------------------------------------------------------------------------------------
log("loading corpora and their embeddings (embedding cache) …");
const ag = loadLabelledCorpus("ag_news_test");
const ng = loadLabelledCorpus("20newsgroups");
const agVectors = await corpusEmbeddings(ag);
const ngVectors = await corpusEmbeddings(ng);
const nonBlank = (texts: string[]) => [...texts.keys()].filter((i) => texts[i].trim() !== "");
const ngRows = nonBlank(ng.texts);
const queries = subMatrix(agVectors, nonBlank(ag.texts).slice(0, queryCount));

// 1. indexing from a warm cache --------------------------------------------------------------
if (!args["skip-index-corpora"]) {
  const indexRows: Record<string, string | number>[] = [];
  const embedder = await createEmbedder({ model: "use-lite" });
  for (const corpus of [ag, ng]) {
    const documents = corpus.ids.map((id, i) => ({ id, text: corpus.texts[i], label: corpus.labels[i] }));
    corpusFromDocuments(documents, corpus.name); // the same checks the CLI runs
    const store = await openStore(join(work, `index-${corpus.name}`), { create: true, embedding });
    const t = performance.now();
    const result = await indexDocuments(store, documents, embedder, { source: corpus.name });
    const total = (performance.now() - t) / 1000;
    const again = performance.now();
    const second = await indexDocuments(store, documents, embedder, { source: corpus.name });
    indexRows.push({
      corpus: corpus.name,
      documents: documents.length,
      stored: result.added,
      blank: result.blank,
      "from cache": result.cached,
      computed: result.computed,
      "embed s": result.seconds.embed,
      "write s": result.seconds.write,
      index: result.index,
      "index s": result.seconds.index,
      "total s": total,
      "re-index s": (performance.now() - again) / 1000,
      "re-index adds": second.added,
    });
    await store.close();
  }
  await embedder.dispose?.();
  console.log("\n## Indexing a corpus (embedding cache warm)\n");
  printTable(indexRows);
}

// 2 + 3. latency at 18,846 rows and the size where an index pays off ---------------------------
if (sweep.length > 0)
  console.log("\n## Query latency and recall@10 by table size (real USE-lite vectors; AG News queries)\n");
const sweepRows: Record<string, string | number>[] = [];
for (const size of sweep) {
  const take = ngRows.length >= size ? ngRows.slice(0, size) : ngRows;
  // tables above the corpus size borrow AG News rows
  const extra =
    size > take.length ? nonBlank(ag.texts).slice(queryCount, queryCount + size - take.length) : [];
  const base: Matrix = {
    data: new Float32Array([...subMatrix(ngVectors, take).data, ...subMatrix(agVectors, extra).data]),
    rows: take.length + extra.length,
    cols: 512,
  };
  const ids = Array.from({ length: base.rows }, (_, i) => String(i));
  const store = await openStore(join(work, `sweep-${size}`), { create: true, embedding });
  for (let start = 0; start < base.rows; start += 4096) {
    const end = Math.min(base.rows, start + 4096);
    await store.add(
      ids.slice(start, end).map((id, i) => ({
        id,
        text: `row ${id}`,
        vector: row(base, start + i),
        label: String((start + i) % 4),
      })),
    );
  }
  const n = size >= 18000 ? queryCount : Math.min(queryCount, 200);
  const truth = await exactTop10(base, queries, ids);
  const flat = await timeSearches(store, queries, n, { exact: true });
  const flatFiltered = await timeSearches(store, queries, Math.min(n, 200), {
    exact: true,
    where: "label = '1'",
  });
  sweepRows.push({
    rows: base.rows,
    search: "exact scan",
    "build s": 0,
    queries: n,
    "p50 ms": flat.p50,
    "p95 ms": flat.p95,
    "filtered p50 ms": flatFiltered.p50,
    "recall@10": recallAt10(flat.ids, truth.slice(0, n)),
  });
  for (const kind of kinds) {
    const t = performance.now();
    await store.buildIndex(kind);
    const build = (performance.now() - t) / 1000;
    const indexed = await timeSearches(store, queries, n);
    const filtered = await timeSearches(store, queries, Math.min(n, 200), { where: "label = '1'" });
    sweepRows.push({
      rows: base.rows,
      search: kind,
      "build s": build,
      queries: n,
      "p50 ms": indexed.p50,
      "p95 ms": indexed.p95,
      "filtered p50 ms": filtered.p50,
      "recall@10": recallAt10(indexed.ids, truth.slice(0, n)),
    });
  }
  await store.close();
  rmSync(join(work, `sweep-${size}`), { recursive: true, force: true });
  log(`  ${size} rows done`);
}
if (sweepRows.length > 0) printTable(sweepRows);

// 4. a million synthetic rows --------------------------------------------------------------------
if (bigRows > 0) {
  const rng = createRng(42);
  const dim = 512;
  const sigma = 0.03; // noise norm ≈ σ√512 ≈ 0.68: each synthetic row has cosine ≈ 0.83 to its seed row
  const seeds = agVectors;
  const synthesize = (count: number): Matrix => {
    const data = new Float32Array(count * dim);
    for (let i = 0; i < count; i++) {
      const seed = row(seeds, rng.nextInt(seeds.rows));
      let norm = 0;
      for (let j = 0; j < dim; j++) {
        const v = seed[j] + sigma * rng.nextGaussian();
        data[i * dim + j] = v;
        norm += v * v;
      }
      const inv = 1 / Math.sqrt(norm);
      for (let j = 0; j < dim; j++) data[i * dim + j] *= inv;
    }
    return { data, rows: count, cols: dim };
  };
  const bigQueries = synthesize(queryCount);
  const store = await openStore(join(work, "big"), { create: true, embedding });
  // exact top-10 kept while the rows stream in: a million 512-d rows never sit in memory at once
  const best = Array.from({ length: queryCount }, () => [] as { id: string; d: number }[]);
  const batch = 50_000;
  let t = performance.now();
  let exactSeconds = 0;
  for (let start = 0; start < bigRows; start += batch) {
    const count = Math.min(batch, bigRows - start);
    const m = synthesize(count);
    await store.add(
      Array.from({ length: count }, (_, i) => ({
        id: `s${start + i}`,
        text: `synthetic ${start + i}`,
        vector: row(m, i),
        label: String((start + i) % 4),
      })),
    );
    const te = performance.now();
    const { indices, distances, k } = await knnQuery(m, bigQueries, 10, { method: "exact" });
    for (let q = 0; q < queryCount; q++) {
      for (let j = 0; j < k; j++)
        best[q].push({ id: `s${start + indices[q * k + j]}`, d: distances[q * k + j] });
      best[q].sort((a, b) => a.d - b.d);
      best[q].length = Math.min(best[q].length, 10);
    }
    exactSeconds += (performance.now() - te) / 1000;
    log(`  synthetic: ${start + count}/${bigRows} rows written`);
  }
  const writeSeconds = (performance.now() - t) / 1000 - exactSeconds;
  const truth = best.map((list) => list.map((e) => e.id));
  const bigTable: Record<string, string | number>[] = [];
  const flat = await timeSearches(store, bigQueries, 20, { exact: true });
  bigTable.push({
    rows: bigRows,
    search: "exact scan",
    "write s": writeSeconds,
    "build s": 0,
    queries: 20,
    "p50 ms": flat.p50,
    "p95 ms": flat.p95,
    "recall@10": recallAt10(flat.ids, truth.slice(0, 20)),
  });
  for (const kind of kinds) {
    t = performance.now();
    await store.buildIndex(kind);
    const build = (performance.now() - t) / 1000;
    const indexed = await timeSearches(store, bigQueries, queryCount);
    const filtered = await timeSearches(store, bigQueries, Math.min(queryCount, 200), {
      where: "label = '1'",
    });
    bigTable.push({
      rows: bigRows,
      search: kind,
      "write s": writeSeconds,
      "build s": build,
      queries: queryCount,
      "p50 ms": indexed.p50,
      "p95 ms": indexed.p95,
      "filtered p50 ms": filtered.p50,
      "recall@10": recallAt10(indexed.ids, truth),
    });
    log(`  ${kind} done`);
  }
  await store.close();
  console.log(
    `\n## ${bigRows} synthetic rows (AG News USE-lite vectors + N(0, ${sigma}²) jitter, re-normalised)\n`,
  );
  printTable(bigTable);
}
console.log(
  `\npeak RSS ${peakRssMiB().toFixed(0)} MiB; load average ${(await import("node:os"))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
