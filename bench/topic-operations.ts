/**
 * Topic operations on BBC News (2,225 articles, 5 sections) with precomputed USE-lite embeddings:
 * the time of each operation and the NMI of the topics against the sections after it.
 *
 *   npx tsx bench/topic-operations.ts   (embeddings: bench/common.ts corpusEmbeddings)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { normalizedMutualInfo } from "../src/evaluate/clustering.js";
import { TopicModel } from "../src/topics/model.js";
import { corpusEmbeddings, labelCodes, loadLabelledCorpus, peakRssMiB, printTable } from "./common.js";

const corpus = loadLabelledCorpus("bbc");
const embeddings = await corpusEmbeddings(corpus);
const truth = labelCodes(corpus.labels);
const rows: Record<string, string | number>[] = [];

async function step<T>(name: string, model: TopicModel, run: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const result = await run();
  const seconds = (performance.now() - t0) / 1000;
  const real = model.topics.filter((t) => t.id >= 0).length;
  const outliers = model.labels.reduce((c, l) => c + (l === -1 ? 1 : 0), 0);
  rows.push({ step: name, seconds, topics: real, outliers, nmi: normalizedMutualInfo(truth, model.labels) });
  return result;
}

function fresh(): TopicModel {
  return new TopicModel({ cache: false });
}

const documents = corpus.texts.map((text, i) => ({ id: corpus.ids[i], text, label: corpus.labels[i] }));
const model = fresh();
await step("fit (umap + hdbscan, precomputed embeddings)", model, () => model.fit(documents, { embeddings }));
const work = mkdtempSync(join(tmpdir(), "bench-topics-"));
try {
  await step("save (model files only)", model, () => model.save(join(work, "m")));
  const loaded = await step("load", model, () => TopicModel.load(join(work, "m"), { cache: false }));
  const sample = corpus.texts.slice(0, 500);
  const sampleEmbeddings = {
    data: embeddings.data.slice(0, 500 * embeddings.cols),
    rows: 500,
    cols: embeddings.cols,
  };
  await step("transform 500 docs (similarity)", model, () =>
    model.transform(sample, { embeddings: sampleEmbeddings, method: "similarity" }),
  );
  await step("transform 500 docs (pipeline: umap transform + approximate predict)", model, () =>
    model.transform(sample, { embeddings: sampleEmbeddings, method: "pipeline" }),
  );
  await step("transform 500 docs (pipeline) on the loaded model, incl. HDBSCAN refit", loaded, () =>
    loaded.transform(sample, { embeddings: sampleEmbeddings, method: "pipeline" }),
  );
  const first = await model.transform(sample, { embeddings: sampleEmbeddings, method: "pipeline" });
  const second = await model.transform(sample, { embeddings: sampleEmbeddings, method: "pipeline" });
  const similarity = await model.transform(sample, { embeddings: sampleEmbeddings, method: "similarity" });
  const reloaded = await loaded.transform(sample, { embeddings: sampleEmbeddings, method: "pipeline" });
  const agree = (a: Int32Array, b: Int32Array | ArrayLike<number>) =>
    a.filter((v, i) => v === b[i]).length / a.length;
  const fitted = model.labels.slice(0, 500);
  console.log(
    `pipeline transform twice, same topic: ${(100 * agree(first.topics, second.topics)).toFixed(1)}%`,
  );
  console.log(
    `pipeline transform, fitted vs loaded model, same topic: ${(100 * agree(first.topics, reloaded.topics)).toFixed(1)}%`,
  );
  console.log(
    `pipeline transform vs fitted topics (training docs): ${(100 * agree(first.topics, fitted)).toFixed(1)}%`,
  );
  const nonOutlier = [...fitted.keys()].filter((i) => fitted[i] !== -1);
  console.log(
    `similarity transform vs fitted topics, non-outlier training docs: ${(
      100 *
        agree(
          Int32Array.from(nonOutlier, (i) => similarity.topics[i]),
          Int32Array.from(nonOutlier, (i) => fitted[i]),
        )
    ).toFixed(1)}%`,
  );
  await step("hierarchy (ward on c-TF-IDF)", model, () => model.hierarchicalTopics());
  await step("topics per class (5 sections)", model, () => model.topicsPerClass());
  await step("approximate distribution (500 docs)", model, () => model.approximateDistribution(sample));
  for (const strategy of ["c-tf-idf", "embeddings", "distributions"] as const) {
    const m = await TopicModel.load(join(work, "m"), { cache: false });
    await step(`reduce outliers: ${strategy}`, m, () => m.reduceOutliers(strategy));
  }
  const auto = await TopicModel.load(join(work, "m"), { cache: false });
  await step("reduce topics: auto", auto, () => auto.reduceTopics("auto"));
  await step("reduce topics: to 5", loaded, () => loaded.reduceTopics(5));
  await step("merge topics 0+1", loaded, () => loaded.mergeTopics([[0, 1]]));
} finally {
  rmSync(work, { recursive: true, force: true });
}
printTable(rows);
console.log(`peak RSS ${peakRssMiB().toFixed(0)} MiB`);
