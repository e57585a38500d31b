/** save → load round trips, transform before and after saving, and folders this version cannot read. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createReducer } from "../../../src/reduce/index.js";
import { loadModelFolder, MODEL_FILES } from "../../../src/topics/folder/format.js";
import { FittedPipeline } from "../../../src/topics/lifecycle/pipeline.js";
import { TopicModel } from "../../../src/topics/model.js";
import { topicViewsFromFolder } from "../../../src/topics/views/folder-views.js";
import { UserError } from "../../../src/util/errors.js";
import { hierarchyChartData, overTimeChartRows, perClassChartRows } from "../../../src/viz/from-model.js";
import { bagOfWordsEmbedder, embedBagOfWords, syntheticCorpus } from "../helpers.js";

const corpus = syntheticCorpus({ noise: 12 });
const work = mkdtempSync(join(tmpdir(), "topicscope-topics-"));
after(() => rmSync(work, { recursive: true, force: true }));

function ok(value: unknown, message = "expected a truthy value"): asserts value {
  assert.ok(value, message);
}

const newDocs = [
  "the rocket reached orbit and the astronaut saw the moon",
  "bake the bread dough in the oven with butter and sugar",
  "the striker scored a penalty goal at the stadium",
  "",
  "investors bought shares as the stock market rallied and bond yields fell",
  "purple elephant symphony",
];

async function fitted(method: "pca" | "umap" | "umap-js" = "pca"): Promise<TopicModel> {
  const model = new TopicModel({
    embedder: bagOfWordsEmbedder,
    cache: false,
    reduce: { method },
    cluster: { minClusterSize: 8 },
  });
  return model.fit(corpus.texts, {
    embeddings: embedBagOfWords(corpus.texts),
    timestamps: corpus.timestamps,
    labels: corpus.classes,
  });
}

describe("save and load", () => {
  it("save → load → transform gives exactly the predictions made before saving", async () => {
    const model = await fitted();
    await model.mergeTopics([[2, 3]]);
    model.setTopicLabels({ 0: "Cooking" });
    const before = await model.transform(newDocs);
    const beforeSimilarity = await model.transform(newDocs, { method: "similarity" });
    const dir = join(work, "roundtrip");
    await model.save(dir);
    const loaded = await TopicModel.load(dir, { embedder: bagOfWordsEmbedder, cache: false });
    const after = await loaded.transform(newDocs);
    assert.deepEqual(Array.from(after.topics), Array.from(before.topics));
    assert.deepEqual(Array.from(after.probabilities), Array.from(before.probabilities));
    const afterSimilarity = await loaded.transform(newDocs, { method: "similarity" });
    assert.deepEqual(Array.from(afterSimilarity.topics), Array.from(beforeSimilarity.topics));
    assert.deepEqual(Array.from(afterSimilarity.probabilities), Array.from(beforeSimilarity.probabilities));
    assert.equal(before.topics[3], -1, "empty document");
    assert.equal(before.topics[1], model.labels[30], "a baking sentence goes to the food topic");
    // the loaded model is the same model
    assert.deepEqual(Array.from(loaded.labels), Array.from(model.labels));
    assert.deepEqual(loaded.topics, model.topics);
    assert.equal(loaded.topic(0)!.customLabel, "Cooking");
    assert.deepEqual(loaded.topicEmbeddings().matrix.data, model.topicEmbeddings().matrix.data);
    assert.deepEqual(loaded.representation!.topicIds, model.representation!.topicIds);
    assert.equal(loaded.history.length, 1);
    const sorted = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]);
    assert.deepEqual(sorted(loaded.clusterTopic), sorted(model.clusterTopic));
    assert.equal(loaded.documents[7].timestamp, corpus.timestamps[7]);
  });

  it("operations on a loaded model give what they give on the fitted one", async () => {
    const model = await fitted();
    const dir = join(work, "ops");
    await model.save(dir);
    const loaded = await TopicModel.load(dir, { embedder: bagOfWordsEmbedder, cache: false });
    await model.reduceOutliers("c-tf-idf");
    await loaded.reduceOutliers("c-tf-idf");
    assert.deepEqual(Array.from(loaded.labels), Array.from(model.labels));
    // "probabilities": the live HDBSCAN model vs a refit from reduced.npy
    const fresh = await fitted();
    const reloaded = await TopicModel.load(dir, { embedder: bagOfWordsEmbedder, cache: false });
    const a = await fresh.reduceOutliers("probabilities");
    const b = await reloaded.reduceOutliers("probabilities");
    assert.deepEqual(b, a);
    assert.deepEqual(Array.from(reloaded.labels), Array.from(fresh.labels));
    assert.deepEqual(
      loaded.topics.map((t) => t.words),
      model.topics.map((t) => t.words),
    );
  });

  it("UMAP pipeline: training documents come back to their topics, the same after save → load, close to the reducer's own transform", async () => {
    const model = await fitted("umap");
    const texts = corpus.texts.slice(0, 60);
    const embeddings = embedBagOfWords(texts);
    const before = await model.transform(texts, { method: "pipeline", embeddings });
    let same = 0;
    for (let i = 0; i < texts.length; i++) if (before.topics[i] === model.labels[i]) same++;
    ok(same >= 54, `${same} of 60 training documents predicted into their own topic`);
    const dir = join(work, "umap");
    await model.save(dir);
    const loaded = await TopicModel.load(dir, { embedder: bagOfWordsEmbedder, cache: false });
    const after = await loaded.transform(texts, { method: "pipeline", embeddings });
    assert.deepEqual(Array.from(after.topics), Array.from(before.topics));
    assert.deepEqual(Array.from(after.probabilities), Array.from(before.probabilities));
    // against src/reduce's own UMAP transform, fitted the same way (float64 layout instead of the saved float32)
    const reducer = createReducer({ ...model.parameters.reduce, seed: model.parameters.seed });
    const reducedFit = await reducer.fit(embedBagOfWords(corpus.texts));
    assert.deepEqual(
      Array.from(reducedFit.data),
      Array.from(model.reduced!.data),
      "the refit reproduces the saved layout",
    );
    const own = await reducer.transform(embeddings);
    const ours = await (
      await FittedPipeline.restore(
        {
          parameters: model.parameters,
          embeddings: model.embeddings!,
          reduced: model.reduced!,
          clusterLabels: model.clusterLabels!,
        },
        "similarity",
      )
    ).reduce(embeddings);
    let maxDiff = 0;
    for (let i = 0; i < own.data.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(own.data[i] - ours.data[i]));
    ok(maxDiff < 1e-3, `max coordinate difference ${maxDiff}`);
  });

  it("umap-js (added in src/reduce only): fit, save, load and transform through the stage interfaces", async () => {
    const model = await fitted("umap-js");
    assert.ok(
      model.topics.filter((t) => t.id >= 0).length >= 3,
      "umap-js + HDBSCAN finds the planted topics",
    );
    const texts = corpus.texts.slice(0, 30);
    const embeddings = embedBagOfWords(texts);
    const before = await model.transform(texts, { method: "pipeline", embeddings });
    const dir = join(work, "umap-js");
    await model.save(dir);
    const stages = JSON.parse(readFileSync(join(dir, MODEL_FILES.stages), "utf8"));
    assert.equal(stages.reducer.method, "umap-js");
    const loaded = await TopicModel.load(dir, { embedder: bagOfWordsEmbedder, cache: false });
    const after = await loaded.transform(texts, { method: "pipeline", embeddings });
    assert.deepEqual(Array.from(after.topics), Array.from(before.topics));
    assert.deepEqual(Array.from(after.probabilities), Array.from(before.probabilities));
    let same = 0;
    for (let i = 0; i < texts.length; i++) if (after.topics[i] === model.labels[i]) same++;
    ok(same >= 24, `${same} of 30 training documents predicted into their own topic`);
  });

  it("a folder written by release 0.1 (no stages.json) loads and transforms as before", async () => {
    for (const method of ["pca", "umap"] as const) {
      const model = await fitted(method);
      const before = await model.transform(newDocs, { method: "pipeline" });
      const dir = join(work, `v01-${method}`);
      await model.save(dir);
      rmSync(join(dir, MODEL_FILES.stages));
      const loaded = await TopicModel.load(dir, { embedder: bagOfWordsEmbedder, cache: false });
      assert.equal(loaded.stages, undefined);
      const after = await loaded.transform(newDocs, { method: "pipeline" });
      assert.deepEqual(Array.from(after.topics), Array.from(before.topics), method);
      assert.deepEqual(Array.from(after.probabilities), Array.from(before.probabilities), method);
    }
  });

  it("zero-shot models have no pipeline path; auto falls back to similarity", async () => {
    const model = new TopicModel({
      embedder: bagOfWordsEmbedder,
      cache: false,
      reduce: { method: "pca" },
      cluster: { minClusterSize: 8 },
      zeroShotTopics: ["rocket orbit nasa launch satellite astronaut moon shuttle telescope planet"],
      zeroShotMinSimilarity: 0.5,
    });
    await model.fit(corpus.texts, { embeddings: embedBagOfWords(corpus.texts) });
    await assert.rejects(
      model.transform(newDocs, { method: "pipeline" }),
      (e: Error) => e instanceof UserError && /zero-shot models predict by similarity/.test(e.message),
    );
    const auto = await model.transform(newDocs);
    const similarity = await model.transform(newDocs, { method: "similarity" });
    assert.deepEqual(auto, similarity);
  });

  it("the report's topic views computed from the folder equal the model's", async () => {
    const model = await fitted();
    const dir = join(work, "views");
    await model.save(dir);
    const views = topicViewsFromFolder(loadModelFolder(dir), { timeBins: 3 });
    assert.deepEqual(views.missing, {});
    assert.deepEqual(
      overTimeChartRows(views.overTime!),
      overTimeChartRows(model.topicsOverTime({ bins: 3 })),
    );
    assert.deepEqual(perClassChartRows(views.perClass!), perClassChartRows(model.topicsPerClass()));
    const tree = model.hierarchicalTopics();
    const saved = hierarchyChartData(views.hierarchy!, model.topics);
    assert.deepEqual(saved.merges, tree.linkage);
    assert.equal(saved.leaves.length, 4);
  });

  it("a folder from an incompatible version says which version", async () => {
    const model = await fitted();
    const dir = join(work, "old");
    await model.save(dir);
    const manifestPath = join(dir, "model.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, formatVersion: 99, version: "9.0.0" }));
    await assert.rejects(
      TopicModel.load(dir),
      (e: Error) =>
        e instanceof UserError && /topicscope 9\.0\.0 in model format 99.*reads format 1/.test(e.message),
    );
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const statePath = join(dir, MODEL_FILES.topicState);
    const state = JSON.parse(readFileSync(statePath, "utf8"));
    writeFileSync(statePath, JSON.stringify({ ...state, version: 7 }));
    await assert.rejects(
      TopicModel.load(dir),
      (e: Error) =>
        e instanceof UserError && /topic-state version 7; this topicscope reads version 1/.test(e.message),
    );
  });

  it("a folder without topic-state.json still loads (topic embeddings recomputed)", async () => {
    const model = await fitted();
    const dir = join(work, "nostate");
    await model.save(dir);
    rmSync(join(dir, MODEL_FILES.topicState));
    const loaded = await TopicModel.load(dir, { embedder: bagOfWordsEmbedder, cache: false });
    assert.deepEqual(
      Array.from((await loaded.transform(newDocs)).topics),
      Array.from((await model.transform(newDocs)).topics),
    );
  });
});
