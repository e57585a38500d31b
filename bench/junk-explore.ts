/**
 * Looks at the topics a rule for "junk topics" would flag: fits one corpus (seed 42, BERTopic's
 * outlier behaviour) and prints every topic with its size, NPMI (all-token reference), the share of
 * its top-10 words that are not words (digits inside, or one character repeated), and how much of the
 * topic its words describe (coverage: mean share of the topic's documents containing each top word).
 *
 *   npx tsx bench/junk-explore.ts <bbc|ag_news_test|20newsgroups|demo> [--seed 42]
 */
import { DEMO_SAMPLE } from "../src/cli/demo.js";
import { loadDemoCorpus } from "../src/corpus/demo.js";
import { evaluateTopicModel } from "../src/evaluate/evaluate-model.js";
import { coherenceTokenizer } from "../src/evaluate/model-folder.js";
import { referenceCorpusFromTexts } from "../src/evaluate/reference-corpus.js";
import { topicWordStats } from "../src/topics/lifecycle/junk.js";
import { TopicModel } from "../src/topics/model.js";
import type { Matrix } from "../src/types.js";
import { type BenchCorpus, corpusEmbeddings, loadLabelledCorpus } from "./common.js";

const name = process.argv[2];
const seedAt = process.argv.indexOf("--seed");
const seed = seedAt > 0 ? Number(process.argv[seedAt + 1]) : 42;
let texts: string[];
let embeddings: Matrix;
if (name === "demo") {
  texts = (await loadDemoCorpus({ sample: DEMO_SAMPLE, seed: 42 })).documents.map((d) => d.text);
  const { embedDocuments } = await import("../src/embed/index.js");
  embeddings = (await embedDocuments(texts, { model: "use-lite", cache: true })).matrix;
} else {
  const corpus = loadLabelledCorpus(name as BenchCorpus);
  texts = corpus.texts;
  embeddings = await corpusEmbeddings(corpus);
}
const model = await new TopicModel({ seed, cache: false, outliers: "keep" }).fit(texts, { embeddings });
const reference = referenceCorpusFromTexts(texts, coherenceTokenizer("none"));
const metrics = evaluateTopicModel(
  { topics: model.topics, assignments: model.labels, reference },
  { topN: 10 },
);
const npmi = new Map(metrics.coherence!.perTopic.map((t) => [t.topic, t.npmi]));
const stats = topicWordStats(texts, model.labels, model.topics, model.parameters.represent);
const rows = model.topics
  .filter((t) => t.id >= 0)
  .map((t) => ({ t, s: stats.get(t.id)!, npmi: npmi.get(t.id) ?? null }))
  .sort((a, b) => a.s.coverage - b.s.coverage);
for (const { t, s, npmi: v } of rows)
  console.log(
    [
      String(t.id).padStart(4),
      String(t.size).padStart(5),
      (v === null ? "  n/a" : v.toFixed(3)).padStart(7),
      s.nonWords.toFixed(1).padStart(4),
      s.coverage.toFixed(3),
      s.topShare.toFixed(3),
      t.words
        .slice(0, 10)
        .map((w) => w.word)
        .join(" "),
    ].join("  "),
  );
