/**
 * Coherence at corpus scale, against gensim: C_NPMI and C_V of 20 topics (each 20 Newsgroups class's
 * ten most frequent tokens) on the whole tokenized corpus, computed by topicscope and by gensim's
 * CoherenceModel (bench/coherence-gensim.py, processes=1), with both timings and the largest
 * difference per topic. Also the same topics with "exact" window counting, to show what gensim's
 * window update changes.
 *
 *   npx tsx bench/coherence-speed.ts [20newsgroups|bbc|ag_news_test] [--no-gensim]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cvCoherence, npmiCoherence } from "../src/evaluate/coherence.js";
import { coherenceTokenizer } from "../src/evaluate/model-folder.js";
import { referenceCorpusFromTokens } from "../src/evaluate/reference-corpus.js";
import { type BenchCorpus, loadLabelledCorpus, printTable } from "./common.js";

const name = (process.argv.slice(2).find((a) => !a.startsWith("--")) ?? "20newsgroups") as BenchCorpus;
const withGensim = !process.argv.includes("--no-gensim");
const corpus = loadLabelledCorpus(name);
const tokenize = coherenceTokenizer("english");

let started = performance.now();
const tokenized = corpus.texts.map(tokenize);
const reference = referenceCorpusFromTokens(tokenized);
const tokenizeSeconds = (performance.now() - started) / 1000;

// Topics: each class's most frequent tokens (coherent-ish, overlapping — a realistic mix).
const perClass = new Map<string, Map<string, number>>();
tokenized.forEach((tokens, i) => {
  let counts = perClass.get(corpus.labels[i]);
  if (!counts) {
    counts = new Map();
    perClass.set(corpus.labels[i], counts);
  }
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
});
const topics = [...perClass.values()].map((counts) =>
  [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10)
    .map(([word]) => word),
);

started = performance.now();
const npmi = npmiCoherence(topics, reference);
const npmiSeconds = (performance.now() - started) / 1000;
started = performance.now();
const cv = cvCoherence(topics, reference);
const cvSeconds = (performance.now() - started) / 1000;
const npmiExact = npmiCoherence(topics, reference, { windowCounting: "exact" });
const cvExact = cvCoherence(topics, reference, { windowCounting: "exact" });

const rows: Record<string, string | number>[] = [
  {
    implementation: "topicscope (gensim windows)",
    C_NPMI: npmi.score.toFixed(6),
    C_V: cv.score.toFixed(6),
    "NPMI s": npmiSeconds.toFixed(2),
    "C_V s": cvSeconds.toFixed(2),
    "max |Δ| per topic": "",
  },
  {
    implementation: "topicscope (exact windows)",
    C_NPMI: npmiExact.score.toFixed(6),
    C_V: cvExact.score.toFixed(6),
    "NPMI s": "",
    "C_V s": "",
    "max |Δ| per topic": "",
  },
];

if (withGensim) {
  const folder = mkdtempSync(join(tmpdir(), "topicscope-coherence-"));
  try {
    writeFileSync(join(folder, "tokens.jsonl"), tokenized.map((t) => JSON.stringify(t)).join("\n"));
    writeFileSync(join(folder, "topics.json"), JSON.stringify(topics));
    const script = fileURLToPath(new URL("./coherence-gensim.py", import.meta.url));
    const run = spawnSync(
      "/usr/bin/python3",
      [script, join(folder, "tokens.jsonl"), join(folder, "topics.json")],
      {
        encoding: "utf8",
        maxBuffer: 1 << 26,
      },
    );
    if (run.status !== 0) throw new Error(`coherence-gensim.py failed: ${run.stderr}`);
    const g = JSON.parse(run.stdout) as Record<
      "c_npmi" | "c_v",
      { score: number; perTopic: number[]; seconds: number }
    >;
    const maxDelta = (ours: Float64Array, theirs: number[]) =>
      Math.max(...theirs.map((v, i) => Math.abs(v - ours[i])));
    rows.push({
      implementation: "gensim 4.2 CoherenceModel",
      C_NPMI: g.c_npmi.score.toFixed(6),
      C_V: g.c_v.score.toFixed(6),
      "NPMI s": g.c_npmi.seconds.toFixed(2),
      "C_V s": g.c_v.seconds.toFixed(2),
      "max |Δ| per topic": `${maxDelta(npmi.perTopic, g.c_npmi.perTopic).toExponential(1)} / ${maxDelta(cv.perTopic, g.c_v.perTopic).toExponential(1)}`,
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

console.log(
  `${name}: ${corpus.texts.length} documents, ${reference.tokens.length} tokens, ${topics.length} topics × 10 words; tokenizing took ${tokenizeSeconds.toFixed(1)} s`,
);
printTable(rows);
console.log(
  `load: ${(await import("node:os"))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
