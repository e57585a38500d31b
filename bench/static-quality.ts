/**
 * use-lite-static against the encoder it was distilled from (issue 16): SICK test relatedness
 * (Spearman × 100 of cosine vs the gold score), and on BBC / AG News / 20 Newsgroups the default
 * pipeline's topics (NMI against the corpus labels, outliers as one label; NPMI of the top-10 words
 * on the corpus itself), plus embedding speed (documents/s, no cache). Target: ≥ 50× documents/s,
 * Spearman and NMI within 10 % of use-lite.
 *
 *   npx tsx bench/static-quality.ts [bbc ag_news_test 20newsgroups] [--no-topics] [--dims 256] [--sif 1e-4]
 *     [--pieces]   (the piece-only table, without whole-word vectors)
 *
 * use-lite vectors come from the embedding cache / ../cache/embeddings (bench/common.ts), so the
 * use-lite speed is measured on a 1,500-text slice of AG News without the cache.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createEmbedder, embedDocuments } from "../src/embed/index.js";
import {
  createUseLiteStaticEmbedder,
  STATIC_DEFAULT_DIMS,
  STATIC_DEFAULT_SIF,
} from "../src/embed/use-lite-static.js";
import { evaluateTopicModel } from "../src/evaluate/evaluate-model.js";
import { referenceCorpusForModel } from "../src/evaluate/model-folder.js";
import { TopicModel } from "../src/topics/model.js";
import type { CorpusDocument, Matrix } from "../src/types.js";
import { type BenchCorpus, corporaDir, corpusEmbeddings, loadLabelledCorpus, printTable } from "./common.js";
import { spearman } from "./static-quality-lib.js";

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith("--") && Number.isNaN(Number(a))) as BenchCorpus[];
const corpora: BenchCorpus[] = names.length > 0 ? names : ["bbc", "ag_news_test", "20newsgroups"];
const dimsAt = args.indexOf("--dims");
const dims = dimsAt >= 0 ? Number(args[dimsAt + 1]) : undefined;
const withTopics = !args.includes("--no-topics");
const sifAt = args.indexOf("--sif");
const sifCoefficient = sifAt >= 0 ? Number(args[sifAt + 1]) : undefined;

function rowCosines(a: Matrix, b: Matrix): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += a.data[i * a.cols + j] * b.data[i * a.cols + j];
    out[i] = s;
  }
  return out;
}

const rows: Record<string, string | number>[] = [];
const words = !args.includes("--pieces");
const staticEmbedder = await createUseLiteStaticEmbedder({ dims, sifCoefficient, words });
const staticEmbed = (texts: readonly string[]) => staticEmbedder.embed(texts);
const timedEmbed = async (texts: readonly string[]) => {
  const t = performance.now();
  const m = await staticEmbed(texts);
  return { m, seconds: (performance.now() - t) / 1000 };
};

// SICK relatedness
const pairs = readFileSync(join(corporaDir, "sick-test.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.length > 0)
  .map((l) => JSON.parse(l) as { sentence1: string; sentence2: string; score: number });
const gold = pairs.map((p) => p.score);
const left = pairs.map((p) => p.sentence1);
const right = pairs.map((p) => p.sentence2);
const full = async (texts: string[]) =>
  (await embedDocuments(texts, { model: "use-lite", cache: true })).matrix;
const sickFull = spearman(rowCosines(await full(left), await full(right)), gold);
await staticEmbed(["warm up"]);
const sickStatic = spearman(rowCosines(await staticEmbed(left), await staticEmbed(right)), gold);
rows.push({
  data: "SICK test (4,927 pairs)",
  metric: "Spearman × 100",
  "use-lite": (100 * sickFull).toFixed(2),
  "use-lite-static": (100 * sickStatic).toFixed(2),
  "static / full": (sickStatic / sickFull).toFixed(3),
});

// speed
const ag = loadLabelledCorpus("ag_news_test").texts;
const encoder = await createEmbedder({ model: "use-lite" });
await encoder.embed(ag.slice(0, 64));
let t = performance.now();
await encoder.embed(ag.slice(0, 1500));
const fullRate = 1500 / ((performance.now() - t) / 1000);
await encoder.dispose?.();
t = performance.now();
for (let rep = 0; rep < 3; rep++) await staticEmbed(ag);
const staticRate = (3 * ag.length) / ((performance.now() - t) / 1000);
rows.push({
  data: "AG News texts, no cache",
  metric: "documents/s",
  "use-lite": fullRate.toFixed(0),
  "use-lite-static": staticRate.toFixed(0),
  "static / full": `${(staticRate / fullRate).toFixed(0)}×`,
});

if (withTopics) {
  for (const name of corpora) {
    const corpus = loadLabelledCorpus(name);
    const documents: CorpusDocument[] = corpus.texts.map((text, i) => ({
      id: corpus.ids[i],
      text,
      label: corpus.labels[i],
    }));
    const reference = referenceCorpusForModel(corpus.texts);
    const score = async (embeddings: Matrix) => {
      const model = await new TopicModel({ seed: 42, cache: false }).fit(documents, {
        embeddings,
        source: name,
      });
      return evaluateTopicModel(
        {
          topics: model.topics,
          assignments: model.labels,
          labels: corpus.labels,
          reference,
          referenceSource: name,
        },
        { topN: 10 },
      );
    };
    const fullMetrics = await score(await corpusEmbeddings(corpus));
    const { m, seconds } = await timedEmbed(corpus.texts);
    const staticMetrics = await score(m);
    const nmi = (x: typeof fullMetrics) => x.labels?.all.nmi ?? Number.NaN;
    const npmi = (x: typeof fullMetrics) => x.coherence?.npmi ?? Number.NaN;
    rows.push({
      data: `${name} (${corpus.texts.length}; static embed ${seconds.toFixed(1)} s)`,
      metric: "topic NMI",
      "use-lite": nmi(fullMetrics).toFixed(4),
      "use-lite-static": nmi(staticMetrics).toFixed(4),
      "static / full": (nmi(staticMetrics) / nmi(fullMetrics)).toFixed(3),
    });
    rows.push({
      data: `${name}`,
      metric: `NPMI (topics ${fullMetrics.topics} / ${staticMetrics.topics})`,
      "use-lite": npmi(fullMetrics).toFixed(4),
      "use-lite-static": npmi(staticMetrics).toFixed(4),
      "static / full": (npmi(staticMetrics) / npmi(fullMetrics)).toFixed(3),
    });
  }
}
console.log(
  `\nuse-lite-static (${words ? "words and pieces" : "pieces only"}, dims ${dims ?? STATIC_DEFAULT_DIMS}, sif ${sifCoefficient ?? STATIC_DEFAULT_SIF}) vs use-lite, ${new Date().toISOString()}\n`,
);
printTable(rows);
