/**
 * c-TF-IDF on a labelled JSONL corpus (default 20 Newsgroups, its 20 labels as topics), against
 * scikit-learn (bench/represent_sklearn.py, run right after ours in the same process tree):
 * vectorize (tokenize + vocabulary + counts) and c-TF-IDF (fit + transform + top words) for unigrams
 * and uni+bigrams, then whether the top-10 words agree. Also times ctfidfSimilarity of every
 * document against every topic (what outlier reduction uses).
 * Run: npx tsx bench/represent.ts [corpus.jsonl] [repeats]
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { ClassTfidfTransformer } from "../src/represent/ctfidf.js";
import { ctfidfSimilarity, representTopics, rowTopTerms } from "../src/represent/index.js";
import { CountVectorizer } from "../src/represent/vocabulary.js";
import { DEFAULT_PARAMETERS } from "../src/topics/parameters.js";
import { corporaDir } from "./common.js";

const path = process.argv[2] ?? join(corporaDir, "20newsgroups.jsonl");
const repeats = Number(process.argv[3] ?? 3);
const records = readFileSync(path, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as { text: string; label: string });
const texts = records.map((r) => r.text);
const names = [...new Set(records.map((r) => r.label))].sort();
const labels = Int32Array.from(records, (r) => names.indexOf(r.label));
const groups: string[][] = names.map(() => []);
for (const [i, text] of texts.entries()) groups[labels[i]].push(text);
const joined = groups.map((g) => g.join(" "));

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

interface Reference {
  vectorize: number;
  ctfidf: number;
  vocabulary: number;
  top: Record<string, [string, number][]>;
}

console.log(
  `corpus ${path}: ${texts.length} documents, ${names.length} topics; load ${loadavg()[0].toFixed(1)}`,
);
console.log(
  "| n-grams | run | ours vectorize s | ours c-TF-IDF s | sklearn vectorize s | sklearn c-TF-IDF s | vocabulary (ours/sklearn) | top-10 words equal |",
);
console.log("|---|---|---|---|---|---|---|---|");
for (const ngramRange of [
  [1, 1],
  [1, 2],
] as [number, number][]) {
  for (let run = 1; run <= repeats; run++) {
    let start = process.hrtime.bigint();
    const vectorizer = new CountVectorizer({ ngramRange, minDf: 1, stopWords: "english" });
    const counts = vectorizer.fitTransform(joined);
    const tVectorize = seconds(start);
    start = process.hrtime.bigint();
    const matrix = new ClassTfidfTransformer({ bm25Weighting: false, reduceFrequentWords: false })
      .fit(counts)
      .transform(counts);
    const top = names.map((_, row) => rowTopTerms(matrix, row, vectorizer.vocabulary, 10));
    const tCtfidf = seconds(start);
    const reference = JSON.parse(
      execFileSync(
        "/usr/bin/python3",
        ["bench/represent_sklearn.py", path, String(ngramRange[0]), String(ngramRange[1])],
        {
          encoding: "utf8",
          maxBuffer: 1 << 26,
        },
      ),
    ) as Reference;
    let equal = 0;
    let maxDiff = 0;
    names.forEach((name, row) => {
      const ours = top[row];
      const theirs = reference.top[name];
      if (ours.map((t) => t.word).join() === theirs.map(([w]) => w).join()) equal++;
      ours.forEach((t, i) => {
        if (theirs[i]) maxDiff = Math.max(maxDiff, Math.abs(t.score - theirs[i][1]));
      });
    });
    console.log(
      `| ${ngramRange.join("–")} | ${run} | ${tVectorize.toFixed(2)} | ${tCtfidf.toFixed(3)} | ${reference.vectorize.toFixed(2)} | ${reference.ctfidf.toFixed(3)} | ${vectorizer.size}/${reference.vocabulary} | ${equal}/${names.length} (max |Δscore| ${maxDiff.toExponential(1)}) |`,
    );
  }
}

let start = process.hrtime.bigint();
const representation = representTopics(texts, labels, DEFAULT_PARAMETERS.represent);
console.log(
  `\nrepresentTopics end to end (group + join + vectorize + c-TF-IDF + top words): ${seconds(start).toFixed(2)} s`,
);
start = process.hrtime.bigint();
ctfidfSimilarity(representation, texts);
console.log(
  `ctfidfSimilarity, ${texts.length} documents × ${names.length} topics: ${seconds(start).toFixed(2)} s`,
);
console.log(`load after: ${loadavg()[0].toFixed(1)}`);
