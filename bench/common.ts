/**
 * Shared by the benchmarks: the labelled corpora in ../shared/corpora (never copied into the
 * project) and their embeddings, computed once through the project's embedding cache.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readMatrixNpy } from "../src/io/npy.js";
import type { Matrix } from "../src/types.js";
import { packageRoot } from "../src/version.js";

export type BenchCorpus = "20newsgroups" | "bbc" | "ag_news_test";

export const corporaDir = resolve(
  process.env.TOPICSCOPE_CORPORA ?? join(packageRoot, "..", "shared", "corpora"),
);

/** Benchmark intermediates (embeddings, reduced matrices) kept outside the repo: ../cache by default. */
export const benchCacheDir = resolve(process.env.TOPICSCOPE_BENCH_CACHE ?? join(packageRoot, "..", "cache"));

/** Precomputed embeddings, <corpus>.npy in corpus order. */
export const benchEmbeddingsDir = resolve(
  process.env.TOPICSCOPE_BENCH_EMBEDDINGS ?? join(benchCacheDir, "embeddings"),
);

export interface LabelledCorpus {
  name: BenchCorpus;
  ids: string[];
  texts: string[];
  labels: string[];
}

export function corpusPath(name: BenchCorpus): string {
  const path = join(corporaDir, `${name}.jsonl`);
  if (!existsSync(path))
    throw new Error(`${path} not found: set TOPICSCOPE_CORPORA to the folder holding the corpora`);
  return path;
}

export function loadLabelledCorpus(name: BenchCorpus): LabelledCorpus {
  const rows = readFileSync(corpusPath(name), "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as { id: string | number; text: string; label: string | number });
  return {
    name,
    ids: rows.map((r) => String(r.id)),
    texts: rows.map((r) => r.text),
    labels: rows.map((r) => String(r.label)),
  };
}

/** Integer codes for string labels, in order of first appearance. */
export function labelCodes(labels: readonly string[]): Int32Array {
  const codes = new Map<string, number>();
  return Int32Array.from(labels, (label) => {
    if (!codes.has(label)) codes.set(label, codes.size);
    return codes.get(label)!;
  });
}

/**
 * USE-lite embeddings of a corpus in corpus order. Read from <benchEmbeddingsDir>/<name>.npy
 * when present (a folder of precomputed matrices), else computed through the embedding cache
 * (slow the first time: minutes for 20 Newsgroups; instant afterwards).
 */
export async function corpusEmbeddings(corpus: LabelledCorpus): Promise<Matrix> {
  const path = join(benchEmbeddingsDir, `${corpus.name}.npy`);
  if (existsSync(path)) {
    const matrix = readMatrixNpy(path);
    if (matrix.rows !== corpus.texts.length)
      throw new Error(`${path}: ${matrix.rows} rows, corpus has ${corpus.texts.length}`);
    return matrix;
  }
  const { embedDocuments } = await import("../src/embed/index.js");
  const result = await embedDocuments(corpus.texts, {
    model: "use-lite",
    cache: true,
    onProgress: (done, total) => {
      if (done === total || done % 1024 === 0)
        process.stderr.write(`  embedding ${corpus.name}: ${done}/${total}\r`);
    },
  });
  process.stderr.write("\n");
  return result.matrix;
}

/** Peak resident memory of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Prints rows as an aligned text table. */
export function printTable(rows: Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const cell = (v: string | number | undefined) => (typeof v === "number" ? formatNumber(v) : (v ?? ""));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padStart(widths[i])).join("  ");
  console.log(line(columns));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(columns.map((c) => cell(row[c]))));
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100
    ? value.toFixed(1)
    : Math.abs(value) >= 1
      ? value.toFixed(2)
      : value.toFixed(3);
}
