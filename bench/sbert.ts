/**
 * The SBERT paper's comparison, measured here: finding the most similar pairs among N sentences with
 * a bi-encoder (embed each sentence once, then paraphrase mining on the vectors) versus a
 * cross-encoder (one model call per pair: N(N−1)/2 of them).
 *
 *   npx tsx bench/sbert.ts [--sizes 1000,10000] [--sample 1000] [--threads 2] [--skip-reference]
 *     [--cross-encoder ../cache/models/minilm-l6-shape-crossencoder]
 *
 * Sentences: AG News test texts (title + description) split into sentences of ≥ 4 words, distinct,
 * in corpus order. Bi-encoder: USE-lite without the cache (every sentence really embedded), then
 * `paraphraseMining` (top_k 100, max_pairs 500,000 — sentence-transformers' defaults). Cross-encoder:
 * a MiniLM-L6-shaped BertForSequenceClassification (6 layers, 384 hidden, 12 heads, 1536
 * intermediate) with GENERATED weights (bench/make_minilm_crossencoder.py; its scores are meaningless,
 * its cost per pair is the real model's); we time `predict` on a seeded sample of the N sentences' pairs
 * and extrapolate to all N(N−1)/2. The same sample through sentence-transformers' own CrossEncoder
 * (torch; bench/crossencoder_reference.py) runs back to back as the reference, both on `--threads` 2.
 * Single runs on a shared 2-core machine: the load average is printed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CrossEncoder } from "../src/crossencoder/index.js";
import { createEmbedder } from "../src/embed/index.js";
import { paraphraseMining } from "../src/similarity/index.js";
import { createRng } from "../src/util/rng.js";
import { benchCacheDir, loadLabelledCorpus, printTable } from "./common.js";

const args = process.argv.slice(2);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const sizes = value("--sizes", "1000,10000").split(",").map(Number);
const sampleSize = Number(value("--sample", "1000"));
const crossEncoderDir = resolve(
  value("--cross-encoder", join(benchCacheDir, "models", "minilm-l6-shape-crossencoder")),
);
const python = value("--python", "/work/venv-st/bin/python");
const skipReference = args.includes("--skip-reference");
/** Threads of both cross-encoders (ours: onnxruntime intra-op; theirs: torch.set_num_threads). */
const threads = Number(value("--threads", "2"));

/** AG News sentences: distinct, ≥ 4 words, in corpus order. */
function agNewsSentences(): string[] {
  const corpus = loadLabelledCorpus("ag_news_test");
  const seen = new Set<string>();
  const out: string[] = [];
  for (const text of corpus.texts) {
    for (const piece of text.split(/(?<=[.!?])\s+(?=[A-Z"'(])/)) {
      const sentence = piece.trim();
      if (sentence.split(/\s+/).length < 4 || seen.has(sentence)) continue;
      seen.add(sentence);
      out.push(sentence);
    }
  }
  return out;
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

async function main() {
  if (!existsSync(join(crossEncoderDir, "onnx", "model.onnx"))) {
    throw new Error(
      `${crossEncoderDir} not found: make it with /work/venv-st/bin/python bench/make_minilm_crossencoder.py ${crossEncoderDir} ../shared/corpora`,
    );
  }
  const sentences = agNewsSentences();
  console.log(
    `# bi-encoder vs cross-encoder — ${sentences.length} AG News sentences available; load average ${loadavg()[0].toFixed(1)}`,
  );
  const rows: Record<string, string | number>[] = [];
  const dir = mkdtempSync(join(tmpdir(), "bench-sbert-"));
  try {
    for (const n of sizes) {
      if (n > sentences.length) throw new Error(`only ${sentences.length} sentences, asked for ${n}`);
      const texts = sentences.slice(0, n);

      // bi-encoder: embed every sentence once (no cache), then mine
      const embedder = await createEmbedder({ model: "use-lite" });
      let started = performance.now();
      const vectors = await embedder.embed(texts);
      const embedSeconds = (performance.now() - started) / 1000;
      await embedder.dispose?.();
      started = performance.now();
      const pairs = await paraphraseMining(vectors);
      const mineSeconds = (performance.now() - started) / 1000;
      const best = pairs[0];
      console.error(`N=${n}: best pair ${best.score.toFixed(3)}: "${texts[best.i]}" ~ "${texts[best.j]}"`);

      // cross-encoder: cost per pair on a seeded sample of this N's pairs
      const rng = createRng(n);
      const sample: [string, string][] = [];
      while (sample.length < sampleSize) {
        const i = rng.nextInt(n);
        const j = rng.nextInt(n);
        if (i !== j) sample.push([texts[i], texts[j]]);
      }
      const crossEncoder = await CrossEncoder.load(crossEncoderDir, { threads });
      await crossEncoder.predict(sample.slice(0, 32));
      started = performance.now();
      await crossEncoder.predict(sample);
      const crossSeconds = (performance.now() - started) / 1000;
      const meanTokens =
        sample.reduce((sum, [a, b]) => sum + crossEncoder.tokenize(a, b).inputIds.length, 0) / sample.length;
      await crossEncoder.dispose();
      const perSecond = sample.length / crossSeconds;
      const allPairs = (n * (n - 1)) / 2;
      const crossTotal = allPairs / perSecond;

      let reference = "";
      if (!skipReference) {
        const pairsFile = join(dir, `pairs-${n}.jsonl`);
        writeFileSync(pairsFile, sample.map((p) => JSON.stringify(p)).join("\n"));
        const run = spawnSync(
          python,
          [resolve("bench/crossencoder_reference.py"), crossEncoderDir, pairsFile, String(threads)],
          {
            encoding: "utf8",
            timeout: 3_600_000,
          },
        );
        if (run.status === 0) {
          const out = JSON.parse(run.stdout.trim().split("\n").pop()!) as { pairs: number; seconds: number };
          reference = (out.pairs / out.seconds).toFixed(1);
        } else {
          reference = "failed";
          console.error(run.stderr);
        }
      }
      const biTotal = embedSeconds + mineSeconds;
      rows.push({
        N: n,
        "pairs N(N-1)/2": allPairs,
        "bi: embed": formatDuration(embedSeconds),
        "bi: mine": formatDuration(mineSeconds),
        "bi: total": formatDuration(biTotal),
        "cross: tokens/pair": meanTokens.toFixed(1),
        "cross: pairs/s (ours)": perSecond.toFixed(1),
        "cross: pairs/s (sentence-transformers, torch)": reference,
        "cross: all pairs (extrapolated)": formatDuration(crossTotal),
        "cross / bi": `${Math.round(crossTotal / biTotal)}×`,
      });
      console.error(JSON.stringify(rows[rows.length - 1]));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(rows);
  console.log(`load average at the end ${loadavg()[0].toFixed(1)}`);
}

await main();
