/**
 * What the robustness rules (docs/robustness.md) cost, back to back in one process:
 *   1. loading a model folder of 20 Newsgroups size (18,846 documents) with the schema checks, and
 *      the checks alone;
 *   2. a cache lookup with 2,000 one-vector chunk files (a search loop before compaction) against the
 *      same store compacted, and the one-time compaction;
 *   3. saving finished batches every 3 s inside a chunk against once per chunk (files, time).
 *
 *   npm run bench:robustness        (prints a table; timings on a shared machine are noisy)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { cacheInfo, EmbeddingCache, textKey } from "../src/embed/cache.js";
import { embedWithCache } from "../src/embed/index.js";
import type { Embedder, EmbedOptions } from "../src/embed/types.js";
import { validate } from "../src/io/schema.js";
import { loadModelFolder, writeModelFiles } from "../src/topics/folder/format.js";
import { DOCUMENT_SCHEMA } from "../src/topics/folder/schemas.js";
import { DEFAULT_PARAMETERS } from "../src/topics/parameters.js";
import type { DocumentRecord, Topic } from "../src/topics/types.js";
import { corpusPath } from "./common.js";

const work = mkdtempSync(join(tmpdir(), "topicscope-bench-robustness-"));
const rows: [string, string, string][] = [];
const ms = (t: number) => `${(performance.now() - t).toFixed(1)} ms`;

try {
  // 1. model folder load
  const texts = readFileSync(corpusPath("20newsgroups"), "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => (JSON.parse(line) as { text: string }).text);
  const n = texts.length;
  const documents: DocumentRecord[] = texts.map((text, i) => ({
    id: String(i),
    text,
    topic: i % 20,
    probability: 0.5,
  }));
  const topics: Topic[] = Array.from({ length: 20 }, (_, id) => ({
    id,
    size: Math.floor(n / 20),
    label: `${id}_topic`,
    words: [{ word: "w", score: 1 }],
    representativeDocs: [id],
  }));
  const dim = 512;
  const folder = join(work, "model");
  mkdirSync(folder);
  writeModelFiles(folder, {
    manifest: {
      format: "topicscope-model",
      formatVersion: 1,
      version: "bench",
      createdAt: new Date().toISOString(),
      parameters: DEFAULT_PARAMETERS,
      embedder: { id: "bench", dimension: dim },
      corpus: { documents: n, emptyDocuments: 0 },
      timings: [],
      peakRssBytes: 0,
    },
    topics,
    documents,
    embeddings: { data: new Float32Array(n * dim), rows: n, cols: dim },
    reduced: { data: new Float32Array(n * 5), rows: n, cols: 5 },
  });
  loadModelFolder(folder); // warm the file cache
  let t = performance.now();
  const loaded = loadModelFolder(folder);
  rows.push([
    `load a model folder (${n.toLocaleString("en-US")} documents, ${dim}-d)`,
    "with schema checks",
    ms(t),
  ]);
  t = performance.now();
  for (const record of loaded.documents) validate(record, DOCUMENT_SCHEMA, "documents.jsonl", "");
  rows.push(["", "of which the per-line document checks", ms(t)]);

  // 2. many small chunks
  const root = join(work, "cache");
  const store = EmbeddingCache.open(root, "bench@1", dim);
  for (let i = 0; i < 2000; i++) store.append([textKey(`query ${i}`)], new Float32Array(dim).fill(i));
  const lookup = (cache: EmbeddingCache) => {
    const start = performance.now();
    cache.lookup([textKey("query 1999"), textKey("a new query")], new Float32Array(2 * dim));
    return ms(start);
  };
  rows.push(["cache lookup of one query", "2,000 one-vector chunk files", lookup(store)]);
  t = performance.now();
  const compacted = EmbeddingCache.open(root, "bench@1", dim);
  rows.push(["", `open + compaction → ${cacheInfo(root).models[0].chunks} file`, ms(t)]);
  rows.push(["", "same lookup, compacted", lookup(compacted)]);

  // 3. saving by time inside a chunk: a fake backend that takes 20 ms per batch of 64
  const batches = (count: number): Embedder => ({
    id: "slow@1",
    dimension: dim,
    maxTokens: 128,
    async embed(list: readonly string[], options: EmbedOptions = {}) {
      const data = new Float32Array(list.length * dim);
      for (let start = 0; start < list.length; start += 64) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const indices = Int32Array.from({ length: Math.min(64, list.length - start) }, (_, k) => start + k);
        options.onRows?.(indices, data.subarray(start * dim, (start + indices.length) * dim));
      }
      return { data, rows: count, cols: dim };
    },
  });
  const many = Array.from({ length: 2048 * 3 }, (_, i) => `text ${i}`);
  for (const [label, flushSeconds] of [
    ["once per 2,048-text chunk", Number.POSITIVE_INFINITY],
    ["every 0.2 s inside a chunk", 0.2],
  ] as const) {
    const cacheRoot = join(work, `flush-${flushSeconds}`);
    t = performance.now();
    await embedWithCache(batches(2048), many, { cache: cacheRoot, flushSeconds });
    rows.push([
      `embed ${many.length.toLocaleString("en-US")} texts (96 batches × 20 ms)`,
      `save ${label}: ${cacheInfo(cacheRoot).models[0].chunks} files`,
      ms(t),
    ]);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const width = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
console.log(`load average ${loadavg()[0].toFixed(1)} (shared machine: timings are noisy)\n`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(width[0])}  ${b.padEnd(width[1])}  ${c.padStart(10)}`);
