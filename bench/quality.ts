/**
 * Seed-robust topic quality: every configuration of bench/quality-configs.ts with several seeds on
 * BBC, AG News, 20 Newsgroups and the demo corpus (SOTU passages), mean ± sd over the seeds, next to
 * the reference pipeline on the same embeddings (bench/quality-reference.py: umap-learn → R
 * dbscan::hdbscan → scikit-learn CountVectorizer(stop_words="english") + BERTopic's c-TF-IDF),
 * all scored by the same evaluation code (src/evaluate, pinned to gensim and scikit-learn).
 *
 *   npm run bench:quality -- [bbc ag_news_test 20newsgroups demo] [--seeds 42,43,44]
 *     [--configs default,default→k,…] [--no-reference] [--baselines] [--json out.json]
 *
 * Coherence is counted on one reference corpus per corpus for every row: the corpus's own texts with
 * the c-TF-IDF tokenizer and *no* stop words removed, so every row's top words are scorable whatever
 * stop list chose them (a reference without the stopwords-iso words would silently drop "said" or
 * "year" from another configuration's topics instead of scoring them).
 *
 * Each corpus runs in its own child process (peak memory per corpus). Embeddings: <corpus>.npy in
 * $TOPICSCOPE_BENCH_EMBEDDINGS (default ../cache/embeddings) when present, else the embedding cache;
 * the demo corpus (5,000 passages, sample seed 42, as `topicscope demo`) always embeds through the cache.
 * Reference results are cached per (corpus, seed) in ../cache/quality/reference (keyed by the
 * embeddings' hash), so only the first run pays for umap-learn and R.
 * `--baselines` adds k-means (k = classes) and scikit-learn's LDA (bench/lda-baseline.py).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_SAMPLE } from "../src/cli/demo.js";
import { loadDemoCorpus } from "../src/corpus/demo.js";
import { evaluateTopicModel } from "../src/evaluate/evaluate-model.js";
import { coherenceTokenizer } from "../src/evaluate/model-folder.js";
import { type ReferenceCorpus, referenceCorpusFromTexts } from "../src/evaluate/reference-corpus.js";
import { writeNpy } from "../src/io/npy.js";
import { createTokenizer, stopwordsIsoEnglish } from "../src/text/tokenizer.js";
import { junkReason, topicWordStats } from "../src/topics/lifecycle/junk.js";
import { TopicModel } from "../src/topics/model.js";
import type { Topic } from "../src/topics/types.js";
import type { CorpusDocument, Matrix } from "../src/types.js";
import {
  type BenchCorpus,
  benchCacheDir,
  corpusEmbeddings,
  corpusPath,
  loadLabelledCorpus,
  printTable,
} from "./common.js";
import { type QualityConfig, selectConfigs } from "./quality-configs.js";

type QualityCorpus = BenchCorpus | "demo";
const ALL: QualityCorpus[] = ["bbc", "ag_news_test", "20newsgroups", "demo"];
const DEFAULT_SEEDS = [42, 43, 44];
export const REFERENCE_METHOD = "reference (umap-learn → R hdbscan → sklearn c-TF-IDF)";

interface QualityInput {
  name: QualityCorpus;
  ids: string[];
  texts: string[];
  /** Undefined for the demo corpus (parties are not topics). */
  labels: string[] | undefined;
  embeddings: Matrix;
  /** A JSONL file with a `text` field in corpus order, for the reference script. */
  jsonl: string;
  /** The embeddings as an .npy file, for the reference script. */
  npy: string;
}

/** One fit, scored. */
export interface SeedRow {
  corpus: string;
  method: string;
  seed: number;
  n: number;
  topics: number;
  outlierShare: number;
  /** Topics the junk rule (src/topics/junk.ts) flags. */
  junk: number;
  npmi: number | null;
  /** NPMI on the reference without stopwords-iso's English words (the scale of earlier tables). */
  npmiIso: number | null;
  cv: number | null;
  diversity: number | null;
  nmiAll: number | null;
  nmiAssigned: number | null;
  seconds: number;
  /** Per-topic NPMI with the topic's size and top words, for looking at what a rule changed. */
  perTopic?: { id: number; size: number; npmi: number | null; words: string[] }[];
}

const qualityCache = join(benchCacheDir, "quality");
const isoTokenizer = createTokenizer({ ngramRange: [1, 1], stopWords: [...stopwordsIsoEnglish()] });

async function loadInput(name: QualityCorpus): Promise<QualityInput> {
  if (name !== "demo") {
    const corpus = loadLabelledCorpus(name);
    const embeddings = await corpusEmbeddings(corpus);
    const npy = join(benchCacheDir, "embeddings", `${name}.npy`);
    if (!existsSync(npy)) {
      mkdirSync(join(benchCacheDir, "embeddings"), { recursive: true });
      writeNpy(npy, embeddings.data, [embeddings.rows, embeddings.cols]);
    }
    return { ...corpus, embeddings, jsonl: corpusPath(name), npy };
  }
  const corpus = await loadDemoCorpus({ sample: DEMO_SAMPLE, seed: 42 });
  const texts = corpus.documents.map((d) => d.text);
  const { embedDocuments } = await import("../src/embed/index.js");
  const { matrix } = await embedDocuments(texts, { model: "use-lite", cache: true });
  const folder = join(qualityCache, "demo");
  mkdirSync(folder, { recursive: true });
  const jsonl = join(folder, "demo.jsonl");
  const npy = join(folder, "demo.npy");
  writeFileSync(jsonl, `${texts.map((text) => JSON.stringify({ text })).join("\n")}\n`);
  writeNpy(npy, matrix.data, [matrix.rows, matrix.cols]);
  return {
    name,
    ids: corpus.documents.map((d) => d.id),
    texts,
    labels: undefined,
    embeddings: matrix,
    jsonl,
    npy,
  };
}

/** Coherence references: all tokens (the main one), and without stopwords-iso's English list (as before). */
interface References {
  all: ReferenceCorpus;
  iso: ReferenceCorpus;
}

function scoreRow(
  input: QualityInput,
  references: References,
  method: string,
  seed: number,
  topics: readonly Topic[],
  assignments: Int32Array,
  seconds: number,
): SeedRow {
  const metrics = evaluateTopicModel(
    {
      topics,
      assignments,
      labels: input.labels,
      labelSource: "corpus label",
      reference: references.all,
      referenceSource: input.name,
    },
    { topN: 10 },
  );
  const iso = evaluateTopicModel({ topics, assignments, reference: references.iso }, { topN: 10 });
  const sizes = new Map(topics.map((t) => [t.id, t.size]));
  const wordStats = topicWordStats(input.texts, assignments, topics, {
    stopWords: "english",
    dropNumbers: false,
  });
  const junk = [...wordStats.values()].filter((s) => junkReason(s) !== undefined).length;
  return {
    junk,
    corpus: input.name,
    method,
    seed,
    n: input.texts.length,
    topics: metrics.topics,
    outlierShare: metrics.outlierShare,
    npmi: metrics.coherence?.npmi ?? null,
    npmiIso: iso.coherence?.npmi ?? null,
    cv: metrics.coherence?.cv ?? null,
    diversity: metrics.diversity,
    nmiAll: metrics.labels?.all.nmi ?? null,
    nmiAssigned: metrics.labels?.nonOutliers?.nmi ?? null,
    seconds,
    perTopic: metrics.coherence?.perTopic.map((t) => ({
      id: t.topic,
      size: sizes.get(t.topic) ?? 0,
      npmi: t.npmi,
      words: t.words,
    })),
  };
}

/**
 * Runs the configurations on one seed: those with equal options share one fit; variants (which do
 * not change the model) run on it first, then at most one operation (`after`) reuses it; further
 * operations refit.
 */
async function runSeed(
  input: QualityInput,
  references: References,
  configs: readonly QualityConfig[],
  seed: number,
): Promise<SeedRow[]> {
  const documents: CorpusDocument[] = input.texts.map((text, i) => ({ id: input.ids[i], text }));
  const context = { classes: input.labels ? new Set(input.labels).size : undefined };
  const fit = async (config: QualityConfig) => {
    const started = performance.now();
    const model = await new TopicModel({ ...config.options, seed, cache: false }).fit(documents, {
      embeddings: input.embeddings,
      source: input.name,
    });
    return { model, seconds: (performance.now() - started) / 1000 };
  };
  const groups = new Map<string, QualityConfig[]>();
  for (const config of configs) {
    if (config.needsLabels && !input.labels) continue;
    const key = JSON.stringify(config.options ?? {});
    groups.set(key, [...(groups.get(key) ?? []), config]);
  }
  const rows: SeedRow[] = [];
  for (const group of groups.values()) {
    const ordered = [...group.filter((c) => !c.after), ...group.filter((c) => c.after)];
    let shared: Awaited<ReturnType<typeof fit>> | undefined;
    let used = false;
    for (const config of ordered) {
      process.stderr.write(`  ${input.name} seed ${seed}: ${config.name}\n`);
      if (!shared || (config.after && used)) shared = await fit(config);
      const { model, seconds: fitSeconds } = shared;
      const started = performance.now();
      let result: { topics: readonly Topic[]; labels: Int32Array };
      if (config.variant) result = config.variant(model, context);
      else {
        if (config.after) {
          await config.after(model, context);
          used = true;
        }
        result = { topics: model.topics, labels: model.labels };
      }
      const seconds = fitSeconds + (performance.now() - started) / 1000;
      rows.push(scoreRow(input, references, config.name, seed, result.topics, result.labels, seconds));
    }
  }
  return rows;
}

interface ReferenceResult {
  seed: number;
  embeddingsHash: string;
  labels: number[];
  topics: Record<string, [string, number][]>;
  seconds: Record<string, number>;
}

function fileHash(path: string): string {
  return createHash("sha1").update(readFileSync(path)).digest("hex");
}

/** The reference pipeline's result for (corpus, seed), from the cache or by running it. */
function referenceResult(input: QualityInput, seed: number): ReferenceResult {
  const folder = join(qualityCache, "reference");
  mkdirSync(folder, { recursive: true });
  const cached = join(folder, `${input.name}-seed${seed}.json`);
  const hash = fileHash(input.npy);
  if (existsSync(cached)) {
    const result = JSON.parse(readFileSync(cached, "utf8")) as ReferenceResult;
    if (result.embeddingsHash === hash && result.labels.length === input.texts.length) return result;
  }
  process.stderr.write(`  ${input.name} seed ${seed}: running the reference pipeline (umap-learn, R)…\n`);
  const script = fileURLToPath(new URL("./quality-reference.py", import.meta.url));
  const run = spawnSync("/usr/bin/python3", [script, input.npy, input.jsonl, String(seed), cached], {
    encoding: "utf8",
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (run.status !== 0) throw new Error(`quality-reference.py failed for ${input.name} seed ${seed}`);
  const result = JSON.parse(readFileSync(cached, "utf8")) as Omit<ReferenceResult, "embeddingsHash">;
  const withHash: ReferenceResult = { ...result, embeddingsHash: hash };
  writeFileSync(cached, JSON.stringify(withHash));
  return withHash;
}

function referenceRow(input: QualityInput, reference: References, seed: number): SeedRow {
  const result = referenceResult(input, seed);
  const assignments = Int32Array.from(result.labels);
  const sizes = new Map<number, number>();
  for (const label of assignments) sizes.set(label, (sizes.get(label) ?? 0) + 1);
  const topics: Topic[] = Object.entries(result.topics).map(([id, words]) => ({
    id: Number(id),
    size: sizes.get(Number(id)) ?? 0,
    label: id,
    words: words.map(([word, score]) => ({ word, score })),
    representativeDocs: [],
  }));
  const seconds = Object.values(result.seconds).reduce((a, b) => a + b, 0);
  return scoreRow(input, reference, REFERENCE_METHOD, seed, topics, assignments, seconds);
}

async function runBaselines(input: QualityInput, reference: References, seed: number): Promise<SeedRow[]> {
  if (!input.labels) return [];
  const k = new Set(input.labels).size;
  const documents: CorpusDocument[] = input.texts.map((text, i) => ({ id: input.ids[i], text }));
  let started = performance.now();
  const kmeans = await new TopicModel({
    seed,
    cache: false,
    reduce: { method: "none" },
    cluster: { method: "kmeans", nClusters: k, metric: "euclidean" },
  }).fit(documents, { embeddings: input.embeddings, source: input.name });
  const rows = [
    scoreRow(
      input,
      reference,
      "k-means (k = classes)",
      seed,
      kmeans.topics,
      kmeans.labels,
      (performance.now() - started) / 1000,
    ),
  ];
  started = performance.now();
  const lda = runLda(input.texts, k, seed);
  rows.push(
    scoreRow(input, reference, "LDA (sklearn, k = classes)", seed, lda.topics, lda.assignments, lda.seconds),
  );
  return rows;
}

/** Document-term counts from the coherence tokenizer → bench/lda-baseline.py → topics as Topic[]. */
function runLda(
  texts: readonly string[],
  k: number,
  seed: number,
): { topics: Topic[]; assignments: Int32Array; seconds: number } {
  const tokenize = coherenceTokenizer("english");
  const started = performance.now();
  const tokenized = texts.map(tokenize);
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
    const run = spawnSync("/usr/bin/python3", [script, folder, String(k), String(seed), "10"], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    if (run.status !== 0) throw new Error(`lda-baseline.py failed: ${run.stderr}`);
    const out = JSON.parse(run.stdout) as { topics: number[][]; assignments: number[] };
    const assignments = Int32Array.from(out.assignments);
    const sizes = new Array(k).fill(0);
    for (const a of assignments) if (a >= 0) sizes[a]++;
    const topics: Topic[] = out.topics.map((terms, id) => ({
      id,
      size: sizes[id],
      label: String(id),
      words: terms.map((t, r) => ({ word: vocabulary[t], score: 1 - r / terms.length })),
      representativeDocs: [],
    }));
    return { topics, assignments, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function runCorpus(
  name: QualityCorpus,
  seeds: readonly number[],
  configs: readonly QualityConfig[],
  flags: { reference: boolean; baselines: boolean },
): Promise<SeedRow[]> {
  const input = await loadInput(name);
  // All tokens, no stop words: see the header comment.
  const reference: References = {
    all: referenceCorpusFromTexts(input.texts, coherenceTokenizer("none")),
    iso: referenceCorpusFromTexts(input.texts, (text) => isoTokenizer.terms(text)),
  };
  const rows: SeedRow[] = [];
  for (const seed of seeds) {
    rows.push(...(await runSeed(input, reference, configs, seed)));
    if (flags.reference) rows.push(referenceRow(input, reference, seed));
    if (flags.baselines) rows.push(...(await runBaselines(input, reference, seed)));
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// aggregation and printing

function meanSd(values: readonly (number | null)[]): { mean: number; sd: number } | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (v.length === 0) return null;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, sd };
}

function cell(values: readonly (number | null)[], digits: number, scale = 1): string {
  const m = meanSd(values.map((x) => (x === null ? null : x * scale)));
  return m ? `${m.mean.toFixed(digits)} ± ${m.sd.toFixed(digits)}` : "n/a";
}

export function summarise(rows: readonly SeedRow[]): Record<string, string | number>[] {
  const groups = new Map<string, SeedRow[]>();
  for (const row of rows) {
    const key = `${row.corpus}\u0000${row.method}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((g) => ({
    corpus: g[0].corpus,
    method: g[0].method,
    seeds: g.length,
    topics: cell(
      g.map((r) => r.topics),
      1,
    ),
    junk: cell(
      g.map((r) => r.junk),
      1,
    ),
    "outlier %": cell(
      g.map((r) => r.outlierShare),
      1,
      100,
    ),
    NPMI: cell(
      g.map((r) => r.npmi),
      3,
    ),
    "NPMI iso": cell(
      g.map((r) => r.npmiIso),
      3,
    ),
    C_V: cell(
      g.map((r) => r.cv),
      3,
    ),
    diversity: cell(
      g.map((r) => r.diversity),
      3,
    ),
    "NMI all": cell(
      g.map((r) => r.nmiAll),
      3,
    ),
    "NMI assigned": cell(
      g.map((r) => r.nmiAssigned),
      3,
    ),
    "s / fit": cell(
      g.map((r) => r.seconds),
      1,
    ),
  }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const seeds = (value("--seeds") ?? DEFAULT_SEEDS.join(",")).split(",").map(Number);
  const configNames = value("--configs")?.split(",");
  const configs = selectConfigs(configNames);
  const flags = { reference: !args.includes("--no-reference"), baselines: args.includes("--baselines") };
  const child = value("--child");
  if (child) {
    const rows = await runCorpus(child as QualityCorpus, seeds, configs, flags);
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  const valued = new Set(["--seeds", "--configs", "--json", "--child"]);
  const corpora = args.filter((a, i) => !a.startsWith("--") && !valued.has(args[i - 1])) as QualityCorpus[];
  const selected = corpora.length > 0 ? corpora : ALL;
  const rows: SeedRow[] = [];
  const started = performance.now();
  const loads: number[] = [loadavg()[0]];
  for (const name of selected) {
    if (!ALL.includes(name)) throw new Error(`unknown corpus ${name}; choose from ${ALL.join(", ")}`);
    process.stderr.write(`${name}: seeds ${seeds.join(", ")}, ${configs.map((c) => c.name).join(", ")}\n`);
    const forward = args.filter((a, i) => a.startsWith("--") || valued.has(args[i - 1]));
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", fileURLToPath(import.meta.url), ...forward, "--child", name],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 1 << 28,
      },
    );
    if (run.status !== 0) throw new Error(`${name}: child exited with ${run.status}`);
    const lines = run.stdout.trim().split("\n");
    const corpusRows = JSON.parse(lines[lines.length - 1]) as SeedRow[];
    rows.push(...corpusRows);
    printTable(summarise(corpusRows));
    process.stderr.write("\n");
    loads.push(loadavg()[0]);
  }
  const json = value("--json");
  if (json) writeFileSync(json, JSON.stringify(rows));
  console.log(
    `\n${seeds.length} seeds (${seeds.join(", ")}); mean ± sd over seeds; ${((performance.now() - started) / 60000).toFixed(1)} min; ` +
      `1-min load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${(await import("node:os")).cpus().length} cores`,
  );
  printTable(summarise(rows));
  console.log("");
  for (const c of configs) console.log(`${c.name}: ${c.about}`);
  if (flags.reference)
    console.log(
      `${REFERENCE_METHOD}: bench/quality-reference.py on the same embeddings (BERTopic's defaults with CountVectorizer(stop_words="english"))`,
    );
}

await main();
