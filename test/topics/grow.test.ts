import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { clusterOutlierPool, mergeTopicMapping } from "../../src/topics/lifecycle/grow.js";
import { TopicModel } from "../../src/topics/model.js";
import { tempDir } from "../embed/helpers.js";
import { bagOfWordsEmbedder, embedBagOfWords, syntheticCorpus, TOPIC_WORDS } from "./helpers.js";

const dir = tempDir("grow");
after(() => dir.remove());

// five finance documents at fit: too few for a topic (min cluster size 8), so the finance region of the
// reduced space holds only outliers, and new finance documents land there as outliers too
const base = syntheticCorpus({ topics: ["space", "food", "football"], noise: 6 });
base.texts.push(...syntheticCorpus({ topics: ["finance"], perTopic: 5, seed: 3 }).texts);
const fresh = syntheticCorpus({ topics: ["space", "finance"], perTopic: 20, seed: 99 });
const newSpace = fresh.texts.slice(0, 10);
const finance = fresh.texts.slice(20, 40);

async function fitted(texts: readonly string[]): Promise<TopicModel> {
  const model = new TopicModel({
    embedder: bagOfWordsEmbedder,
    cache: false,
    reduce: { method: "pca" },
    cluster: { minClusterSize: 8 },
  });
  return model.fit(texts, { embeddings: embedBagOfWords(texts) });
}

function majority(labels: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (const l of Array.from(labels)) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

describe("TopicModel.addDocuments", () => {
  test("new documents join their topic or form a new one; old documents and topic ids stay", async () => {
    const model = await fitted(base.texts);
    const before = Int32Array.from(model.labels);
    const ids = model.topics.map((t) => t.id);
    const spaceTopic = majority(Array.from(before.subarray(0, 30)).filter((t) => t >= 0));
    const spaceSize = model.topic(spaceTopic)!.size;
    const result = await model.addDocuments([...newSpace, ...finance]);

    assert.deepEqual(
      Array.from(model.labels.subarray(0, before.length)),
      Array.from(before),
      "old topics unchanged",
    );
    assert.equal(model.documents.length, before.length + 30);
    const added = model.labels.subarray(before.length);
    const spaceAdded = Array.from(added.subarray(0, 10));
    assert.ok(
      spaceAdded.every((t) => t === spaceTopic || t === -1),
      `new space documents: ${spaceAdded}`,
    );
    assert.ok(spaceAdded.filter((t) => t === spaceTopic).length >= 5);
    const newTopic = Math.max(...ids) + 1;
    assert.deepEqual(result.newTopics, [newTopic]);
    const financeAdded = Array.from(added.subarray(10));
    assert.ok(
      financeAdded.every((t) => t === newTopic || t === -1),
      `finance: ${financeAdded}`,
    );
    assert.ok(
      financeAdded.filter((t) => t === newTopic).length >= 8,
      `finance → topic ${newTopic}: ${financeAdded}`,
    );
    assert.equal(
      model.topic(spaceTopic)!.size,
      spaceSize + spaceAdded.filter((t) => t === spaceTopic).length,
    );
    const words = model
      .topic(newTopic)!
      .words.slice(0, 5)
      .map((w) => w.word);
    assert.ok(
      words.every((w) => TOPIC_WORDS.finance.includes(w)),
      `new topic words: ${words}`,
    );
    for (const t of model.topics) assert.equal(t.size, model.labels.filter((l) => l === t.id).length);
    assert.equal(model.history.at(-1)!.operation, "add-documents");
    assert.equal(model.history.at(-1)!.parameters.added, 30);

    // the grown model saves, loads and transforms with the fit's own pipeline
    await model.save(join(dir.path, "grown"));
    const loaded = await TopicModel.load(join(dir.path, "grown"), {
      embedder: bagOfWordsEmbedder,
      cache: false,
    });
    assert.deepEqual(Array.from(loaded.labels), Array.from(model.labels));
    // the fitted stages are the fit's: transform gives what it gave before the documents were added
    const fresh = await fitted(base.texts);
    const expected = await fresh.transform(newSpace);
    assert.deepEqual(Array.from((await loaded.transform(newSpace)).topics), Array.from(expected.topics));
  });

  test("outliers wait until min-new-topic of the added ones cluster together", async () => {
    const model = await fitted(base.texts);
    const first = await model.addDocuments(finance.slice(0, 6), { minNewTopic: 8 });
    assert.deepEqual(first.newTopics, []);
    assert.equal(first.outliers, 6);
    const second = await model.addDocuments(finance.slice(6), { minNewTopic: 8 });
    assert.equal(second.newTopics.length, 1);
    const topic = second.newTopics[0];
    assert.ok(model.labels.filter((l) => l === topic).length >= 8);
    // outliers added by the first call count: the pool is every added outlier, not just this batch's
    const firstBatch = Array.from(model.labels.subarray(base.texts.length, base.texts.length + 6));
    assert.ok(firstBatch.includes(topic), `first batch: ${firstBatch}`);
  });

  test("a cluster similar to an existing topic joins it instead of becoming a new one", async () => {
    const model = await fitted(base.texts);
    const result = await model.addDocuments(finance, { minSimilarity: -1 });
    assert.deepEqual(result.newTopics, []);
    assert.ok(result.joined >= 8, `joined ${result.joined}`);
  });
});

describe("merge-models", () => {
  test("topics of b like one of a's join it; the others are appended; a's documents keep their topics", async () => {
    const a = await fitted(base.texts);
    const bCorpus = syntheticCorpus({ topics: ["food", "finance"], seed: 5 });
    const b = await fitted(bCorpus.texts);
    const aLabels = Int32Array.from(a.labels);
    const aFood = majority(aLabels.subarray(30, 60));
    const bFood = majority(b.labels.subarray(0, 30));
    const bFinance = majority(b.labels.subarray(30, 60));
    const result = await a.mergeModel(b);
    const next = Math.max(...a.topics.filter((t) => t.id < 3).map((t) => t.id)) + 1;
    assert.equal(result.mapping.get(bFood), aFood);
    assert.equal(result.mapping.get(bFinance), next);
    assert.deepEqual(result.newTopics, [next]);
    assert.deepEqual(Array.from(a.labels.subarray(0, aLabels.length)), Array.from(aLabels));
    assert.equal(a.documents.length, base.texts.length + bCorpus.texts.length);
    assert.ok(
      a
        .topic(next)!
        .words.slice(0, 3)
        .every((w) => TOPIC_WORDS.finance.includes(w.word)),
    );
  });

  test("mergeTopicMapping follows BERTopic: argmax over a's rows (-1 included), new ids in b's order", () => {
    const a = { data: Float32Array.of(0, 0, 1, 1, 0, 0, 0, 1, 0), rows: 3, cols: 3 }; // rows -1, 0, 1
    const b = { data: Float32Array.of(1, 1, 0, 0.9, 0.1, 0, 0, 0.2, 1, -1, 0, 0), rows: 4, cols: 3 };
    const { mapping, newTopics } = mergeTopicMapping([-1, 0, 1], a, [-1, 0, 1, 2], b, 0.7);
    // b -1 → -1; b0 (0.9, 0.1, 0) is cos 0.994 to a0; b1 (0, .2, 1) cos 0.98 to a's -1 row; b2 matches nothing
    assert.deepEqual(
      [...mapping],
      [
        [-1, -1],
        [0, 0],
        [1, -1],
        [2, 2],
      ],
    );
    assert.deepEqual(newTopics, [2]);
  });

  test("clusterOutlierPool: too few points form nothing", () => {
    const result = clusterOutlierPool({
      reduced: { data: new Float32Array(6), rows: 3, cols: 2 },
      embeddings: { data: new Float32Array(6), rows: 3, cols: 2 },
      topicIds: [],
      topicVectors: { data: new Float32Array(0), rows: 0, cols: 2 },
      minClusterSize: 5,
      minSimilarity: 0.7,
      nextTopicId: 4,
    });
    assert.deepEqual(Array.from(result.labels), [-1, -1, -1]);
  });
});
