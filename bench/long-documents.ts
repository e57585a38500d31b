/**
 * Long documents: `--long-documents truncate` (USE-lite reads the first 128 tokens) against `chunk`
 * (overlapping windows at sentence boundaries, each embedded, mean-pooled, L2-normalised) on the 20
 * Newsgroups posts longer than the budget — the choice of the default.
 *
 *   npx tsx bench/long-documents.ts [--seeds 42,43,44] [--sample N]
 *
 * Both modes embed through the shared embedding cache (chunked vectors have their own cache entries),
 * so a second run only fits. For each mode and seed: the default pipeline (UMAP → HDBSCAN → c-TF-IDF)
 * and k-means with k = 20 on the raw embeddings, scored with the same reference corpus (the long
 * posts, the coherence tokenizer) and labels: NPMI, C_V, diversity, NMI. Also, independent of any
 * clustering: how often a post's 10 nearest neighbours (cosine) share its newsgroup.
 */
import { createEmbedder, embedWithCache } from "../src/embed/index.js";
import { evaluateTopicModel, type ModelMetrics } from "../src/evaluate/evaluate-model.js";
import { referenceCorpusForModel } from "../src/evaluate/model-folder.js";
import { knn } from "../src/neighbors/index.js";
import { TopicModel } from "../src/topics/model.js";
import type { CorpusDocument, Matrix } from "../src/types.js";
import { isBlank } from "../src/util/text.js";
import { loadLabelledCorpus, printTable } from "./common.js";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const seeds = (option("--seeds") ?? "42,43,44").split(",").map(Number);
const sample = Number(option("--sample") ?? 0);

const corpus = loadLabelledCorpus("20newsgroups");
const truncate = await createEmbedder({ model: "use-lite" });
const chunk = await createEmbedder({ model: "use-lite", longDocuments: "chunk" });
const budget = truncate.tokenBudget!;
let long = corpus.texts.flatMap((text, i) =>
  !isBlank(text) && truncate.read!(text).tokens > budget ? [i] : [],
);
const longCount = long.length;
if (sample > 0 && sample < long.length)
  long = long.filter((_, k) => k % Math.ceil(long.length / sample) === 0);
console.log(
  `20 Newsgroups: ${longCount} of ${corpus.texts.length} posts are longer than USE-lite's ${budget}-token budget; using ${long.length}`,
);
const texts = long.map((i) => corpus.texts[i]);
const labels = long.map((i) => corpus.labels[i]);
const documents: CorpusDocument[] = long.map((i) => ({
  id: corpus.ids[i],
  text: corpus.texts[i],
  label: corpus.labels[i],
}));

const vectors: Record<string, Matrix> = {};
const timing: Record<string, string> = {};
for (const [mode, embedder] of [
  ["truncate", truncate],
  ["chunk", chunk],
] as const) {
  const started = performance.now();
  let last = 0;
  const result = await embedWithCache(embedder, texts, {
    cache: true,
    onProgress: (done, total) => {
      if (performance.now() - last > 10_000 || done === total) {
        last = performance.now();
        process.stderr.write(`  ${mode}: ${done}/${total}\n`);
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  vectors[mode] = result.matrix;
  timing[mode] =
    result.computed > 0
      ? `${seconds.toFixed(0)} s (${(result.computed / seconds).toFixed(1)} posts/s)`
      : "cached";
  await embedder.dispose?.();
}

const reference = referenceCorpusForModel(texts);
const score = (topics: TopicModel["topics"], assignments: Int32Array): ModelMetrics =>
  evaluateTopicModel(
    { topics, assignments, labels, labelSource: "newsgroup", reference, referenceSource: "long posts" },
    { topN: 10 },
  );

/** Share of each post's k nearest neighbours (cosine, self excluded) from its own newsgroup. */
async function neighbourAgreement(matrix: Matrix, k = 10): Promise<number> {
  const result = await knn(matrix, k + 1, { metric: "cosine" });
  let same = 0;
  for (let i = 0; i < matrix.rows; i++) {
    for (let j = 1; j <= k; j++) if (labels[result.indices[i * (k + 1) + j]] === labels[i]) same++;
  }
  return same / (matrix.rows * k);
}

const rows: Record<string, string | number>[] = [];
const f3 = (v: number | null | undefined) => (v === null || v === undefined ? "–" : v.toFixed(3));
for (const mode of ["truncate", "chunk"]) {
  const embeddings = vectors[mode];
  const agreement = await neighbourAgreement(embeddings);
  for (const seed of seeds) {
    const pipeline = await new TopicModel({ seed, cache: false }).fit(documents, { embeddings });
    const a = score(pipeline.topics, pipeline.labels);
    const kmeans = await new TopicModel({
      seed,
      cache: false,
      reduce: { method: "none" },
      cluster: { method: "kmeans", nClusters: 20 },
    }).fit(documents, { embeddings });
    const b = score(kmeans.topics, kmeans.labels);
    rows.push({
      mode,
      seed,
      "10-NN same group": f3(agreement),
      topics: a.topics,
      outliers: `${(a.outlierShare * 100).toFixed(0)}%`,
      NPMI: f3(a.coherence?.npmi),
      C_V: f3(a.coherence?.cv),
      diversity: f3(a.diversity),
      NMI: f3(a.labels?.all.nmi),
      "k-means NPMI": f3(b.coherence?.npmi),
      "k-means NMI": f3(b.labels?.all.nmi),
    });
    console.error(`  ${mode} seed ${seed} done`);
  }
}
printTable(rows);
console.log(
  `embedding time (load ${process.env.BENCH_LOAD ?? "see uptime"}): truncate ${timing.truncate}, chunk ${timing.chunk}`,
);
