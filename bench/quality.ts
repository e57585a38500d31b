/**
 * Quality and speed of the default pipeline on the labelled corpora, next to two baselines scored the
 * same way (same reference corpus and tokenization for coherence, same labels):
 *
 *   topicscope  the default pipeline (UMAP → HDBSCAN → c-TF-IDF) on the cached USE-lite embeddings
 *   topicscope --no-numbers  the same fit (same seed and embeddings, so the same clusters) with
 *               `represent: { dropNumbers: true }`: only the topic words differ
 *   k-means     the same embeddings, no reduction, k-means with k = number of labels, c-TF-IDF words
 *   LDA         scikit-learn's LatentDirichletAllocation (bench/lda-baseline.py), k = number of labels,
 *               on counts of the coherence tokenizer's tokens (min_df 2, max_df 0.95)
 *
 *   npx tsx bench/quality.ts [bbc ag_news_test 20newsgroups] [--no-lda]
 *
 * Each corpus runs in its own child process, so the peak memory column is that corpus's own.
 * Embeddings: $TOPICSCOPE_BENCH_EMBEDDINGS/<corpus>.npy (default ../cache/embeddings) when present,
 * else the embedding cache (slow the first time).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { evaluateTopicModel, type ModelMetrics } from "../src/evaluate/evaluate-model.js";
import { coherenceTokenizer, referenceCorpusForModel } from "../src/evaluate/model-folder.js";
import { formatBytes } from "../src/evaluate/table.js";
import { writeNpy } from "../src/io/npy.js";
import { TopicModel } from "../src/topics/model.js";
import type { Topic } from "../src/topics/types.js";
import type { CorpusDocument } from "../src/types.js";
import {
  type BenchCorpus,
  benchEmbeddingsDir,
  corpusEmbeddings,
  type LabelledCorpus,
  loadLabelledCorpus,
  printTable,
} from "./common.js";

const ALL: BenchCorpus[] = ["bbc", "ag_news_test", "20newsgroups"];
const SEED = 42;

interface ResultRow {
  corpus: string;
  method: string;
  n: number;
  metrics: ModelMetrics;
  /** Wall time of the whole fit (all stages), and of the evaluation. */
  fitSeconds: number;
  evaluateSeconds: number;
  peakRssBytes: number | null;
}

async function runCorpus(name: BenchCorpus, withLda: boolean): Promise<ResultRow[]> {
  const corpus = loadLabelledCorpus(name);
  const embeddings = await corpusEmbeddings(corpus);
  const k = new Set(corpus.labels).size;
  const documents: CorpusDocument[] = corpus.texts.map((text, i) => ({
    id: corpus.ids[i],
    text,
    label: corpus.labels[i],
  }));
  const rows: ResultRow[] = [];

  // The reference corpus is built once; every method is scored on it — the --no-numbers row too,
  // although `evaluate` on its folder would drop digit-only tokens from the reference: keeping one
  // tokenization for all rows makes the coherence columns compare like with like.
  let started = performance.now();
  const reference = referenceCorpusForModel(corpus.texts);
  const referenceSeconds = (performance.now() - started) / 1000;

  const score = (method: string, topics: readonly Topic[], assignments: Int32Array, fitSeconds: number) => {
    const t0 = performance.now();
    const metrics = evaluateTopicModel(
      {
        topics,
        assignments,
        labels: corpus.labels,
        labelSource: "corpus label",
        reference,
        referenceSource: name,
      },
      { topN: 10 },
    );
    // Tokenizing the reference corpus is part of every evaluation's cost.
    const evaluateSeconds = referenceSeconds + (performance.now() - t0) / 1000;
    const row: ResultRow = {
      corpus: name,
      method,
      n: corpus.texts.length,
      metrics,
      fitSeconds,
      evaluateSeconds,
      peakRssBytes: null,
    };
    rows.push(row);
    return row;
  };

  started = performance.now();
  const model = await new TopicModel({ seed: SEED, cache: false }).fit(documents, {
    embeddings,
    source: name,
  });
  const fitSeconds = (performance.now() - started) / 1000;
  const row = score("topicscope", model.topics, model.labels, fitSeconds);
  row.metrics.timings = model.timings;
  row.metrics.peakRssBytes = model.peakRssBytes;
  row.peakRssBytes = model.peakRssBytes;

  started = performance.now();
  const noNumbers = await new TopicModel({ seed: SEED, cache: false, represent: { dropNumbers: true } }).fit(
    documents,
    { embeddings, source: name },
  );
  const noNumbersRow = score(
    "topicscope --no-numbers",
    noNumbers.topics,
    noNumbers.labels,
    (performance.now() - started) / 1000,
  );
  noNumbersRow.metrics.timings = noNumbers.timings;

  // Like for like with the baselines (and with BERTopic's published protocol, which reduces the
  // number of topics): the same fitted model with its topics merged down to k = number of labels.
  started = performance.now();
  await model.reduceTopics(k);
  score(
    `topicscope → ${k} topics`,
    model.topics,
    model.labels,
    fitSeconds + (performance.now() - started) / 1000,
  );

  started = performance.now();
  const kmeans = await new TopicModel({
    seed: SEED,
    cache: false,
    reduce: { method: "none" },
    cluster: { method: "kmeans", nClusters: k, metric: "euclidean" },
  }).fit(documents, { embeddings, source: name });
  score("k-means", kmeans.topics, kmeans.labels, (performance.now() - started) / 1000);

  if (withLda) {
    const lda = runLda(corpus, k);
    score("LDA (sklearn)", lda.topics, lda.assignments, lda.seconds);
  }
  return rows;
}

/** Document-term counts from the coherence tokenizer → bench/lda-baseline.py → topics as Topic[]. */
function runLda(
  corpus: LabelledCorpus,
  k: number,
): { topics: Topic[]; assignments: Int32Array; seconds: number } {
  const tokenize = coherenceTokenizer("english");
  const started = performance.now();
  const tokenized = corpus.texts.map(tokenize);
  const documentFrequency = new Map<string, number>();
  for (const tokens of tokenized)
    for (const token of new Set(tokens))
      documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
  const maxDf = 0.95 * tokenized.length;
  const vocabulary = [...documentFrequency].filter(([, df]) => df >= 2 && df <= maxDf).map(([term]) => term);
  const column = new Map(vocabulary.map((term, i) => [term, i]));
  const indptr = new Int32Array(tokenized.length + 1);
  const indices: number[] = [];
  const counts: number[] = [];
  tokenized.forEach((tokens, d) => {
    const row = new Map<number, number>();
    for (const token of tokens) {
      const c = column.get(token);
      if (c !== undefined) row.set(c, (row.get(c) ?? 0) + 1);
    }
    for (const [c, count] of [...row].sort((a, b) => a[0] - b[0])) {
      indices.push(c);
      counts.push(count);
    }
    indptr[d + 1] = indices.length;
  });
  const folder = mkdtempSync(join(tmpdir(), "topicscope-lda-"));
  try {
    writeNpy(join(folder, "indptr.npy"), indptr, [indptr.length]);
    writeNpy(join(folder, "indices.npy"), Int32Array.from(indices), [indices.length]);
    writeNpy(join(folder, "counts.npy"), Int32Array.from(counts), [counts.length]);
    const script = fileURLToPath(new URL("./lda-baseline.py", import.meta.url));
    const run = spawnSync("/usr/bin/python3", [script, folder, String(k), String(SEED), "10"], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    if (run.status !== 0) throw new Error(`lda-baseline.py failed: ${run.stderr}`);
    const out = JSON.parse(run.stdout) as { topics: number[][]; assignments: number[]; seconds: number };
    const assignments = Int32Array.from(out.assignments);
    const sizes = new Array(k).fill(0);
    for (const a of assignments) if (a >= 0) sizes[a]++;
    const topics: Topic[] = out.topics.map((terms, id) => ({
      id,
      size: sizes[id],
      label: `${id}_${terms
        .slice(0, 3)
        .map((t) => vocabulary[t])
        .join("_")}`,
      words: terms.map((t, r) => ({ word: vocabulary[t], score: 1 - r / terms.length })),
      representativeDocs: [],
    }));
    return { topics, assignments, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function stageSeconds(row: ResultRow, stage: string): string {
  const timing = row.metrics.timings.find((t) => t.stage === stage);
  return timing ? timing.seconds.toFixed(1) : "–";
}

const f4 = (value: number | null | undefined): string =>
  value === null || value === undefined ? "–" : value.toFixed(3);

function printRows(rows: ResultRow[]): void {
  printTable(
    rows.map((r) => ({
      corpus: r.corpus,
      method: r.method,
      n: r.n,
      topics: r.metrics.topics,
      "outlier %": (100 * r.metrics.outlierShare).toFixed(1),
      NPMI: f4(r.metrics.coherence?.npmi),
      C_V: f4(r.metrics.coherence?.cv),
      diversity: f4(r.metrics.diversity),
      "NMI all": f4(r.metrics.labels?.all.nmi),
      "NMI non-out": f4(r.metrics.labels?.nonOutliers?.nmi),
      "ARI all": f4(r.metrics.labels?.all.ari),
      "ARI non-out": f4(r.metrics.labels?.nonOutliers?.ari),
      "reduce s": stageSeconds(r, "reduce"),
      "cluster s": stageSeconds(r, "cluster"),
      "represent s": stageSeconds(r, "represent"),
      "fit s": r.fitSeconds.toFixed(1),
      "eval s": r.evaluateSeconds.toFixed(1),
      "peak RSS": formatBytes(r.peakRssBytes),
    })),
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const withLda = !args.includes("--no-lda");
  const childIndex = args.indexOf("--child");
  if (childIndex >= 0) {
    const rows = await runCorpus(args[childIndex + 1] as BenchCorpus, withLda);
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  const corpora = args.filter((a) => !a.startsWith("--")) as BenchCorpus[];
  const selected = corpora.length > 0 ? corpora : ALL;
  const rows: ResultRow[] = [];
  for (const name of selected) {
    if (!ALL.includes(name)) throw new Error(`unknown corpus ${name}; choose from ${ALL.join(", ")}`);
    const cached = join(benchEmbeddingsDir, `${name}.npy`);
    process.stderr.write(
      `${name}: fitting (${existsSync(cached) ? "cached embeddings" : "embedding first"})…\n`,
    );
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", fileURLToPath(import.meta.url), "--child", name, ...(withLda ? [] : ["--no-lda"])],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 28 },
    );
    if (child.status !== 0) throw new Error(`${name}: child exited with ${child.status}`);
    const lines = child.stdout.trim().split("\n");
    rows.push(...(JSON.parse(lines[lines.length - 1]) as ResultRow[]));
    printRows(rows.filter((r) => r.corpus === name));
    process.stderr.write("\n");
  }
  console.log(
    `\nload: ${(await import("node:os"))
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  printRows(rows);
}

await main();
