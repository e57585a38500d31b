/**
 * Issue 18, point 10: degenerate corpora give one honest result and a warning, not many identical
 * topics — 2,000 copies of one text are one topic; topics over a 5-word vocabulary that c-TF-IDF
 * cannot tell apart are merged. Ordinary corpora are untouched.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { indistinguishableTopics } from "../../src/topics/lifecycle/degenerate.js";
import { TopicModel } from "../../src/topics/model.js";
import type { Topic } from "../../src/topics/types.js";
import { createRng } from "../../src/util/rng.js";
import { bagOfWordsEmbedder, embedBagOfWords, syntheticCorpus } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "topicscope-degenerate-"));
after(() => rmSync(work, { recursive: true, force: true }));

function model(options: ConstructorParameters<typeof TopicModel>[0] = {}): TopicModel {
  return new TopicModel({ embedder: bagOfWordsEmbedder, cache: false, ...options });
}

const real = (m: TopicModel) => m.topics.filter((t) => t.id >= 0);

describe("degenerate corpora", () => {
  test("2,000 identical documents: one topic holding all of them, and a warning", async () => {
    const text = "The quick brown fox jumps over the lazy dog near the river bank.";
    const texts = Array.from({ length: 2000 }, () => text);
    const m = model();
    await m.fit(texts, { embeddings: embedBagOfWords(texts) });
    assert.equal(real(m).length, 1);
    assert.equal(real(m)[0].size, 2000);
    assert.ok(m.labels.every((l) => l === 0));
    assert.ok(
      m.warnings.includes(
        "2,000 documents are 1 distinct text, too few to reduce and cluster (the pipeline needs 16): they form one topic",
      ),
      m.warnings.join(" | "),
    );
    // the model saves, loads and places the same text (and others) by similarity to its topic
    await m.save(join(work, "identical"));
    const loaded = await TopicModel.load(join(work, "identical"), {
      embedder: bagOfWordsEmbedder,
      cache: false,
    });
    const predicted = await loaded.transform([text, "a quick fox"]);
    assert.deepEqual(Array.from(predicted.topics), [0, 0]);
  });

  test("a few distinct texts: each text with min_cluster_size copies is a topic, the rest outliers", async () => {
    const texts = [
      ...Array.from({ length: 150 }, () => "rocket orbit launch"),
      ...Array.from({ length: 140 }, () => "bread oven flour"),
      ...Array.from({ length: 10 }, () => "goal match striker"),
    ];
    const m = model({ cluster: { minClusterSize: 20 } });
    await m.fit(texts, { embeddings: embedBagOfWords(texts) });
    assert.deepEqual(
      real(m).map((t) => [
        t.size,
        t.words
          .map((w) => w.word)
          .sort()
          .join(" "),
      ]),
      [
        [150, "launch orbit rocket"],
        [140, "bread flour oven"],
      ],
    );
    assert.equal(m.topic(-1)?.size, 10);
    assert.ok(
      m.warnings.some((w) =>
        w.startsWith(
          "300 documents are 3 distinct texts, too few to reduce and cluster (the pipeline needs 20): each text with at least 20 copies is a topic (2)",
        ),
      ),
      m.warnings.join(" | "),
    );
  });

  test("a 5-word vocabulary: topics with the same words are merged into one, with a warning", async () => {
    // three groups leaning on different words, every document using all five: clusters form, but
    // their c-TF-IDF words are the same five
    const words = ["apple", "banana", "cherry", "grape", "melon"];
    const rng = createRng(5);
    const texts = Array.from({ length: 300 }, (_, i) => {
      const lean = words[i % 3];
      const extra = Array.from({ length: 6 }, () => (rng.next() < 0.8 ? lean : words[rng.nextInt(5)]));
      return [...words, ...extra].join(" ");
    });
    const m = model({ reduce: { method: "pca" } });
    await m.fit(texts, { embeddings: embedBagOfWords(texts) });
    assert.equal(real(m).length, 1, JSON.stringify(real(m).map((t) => t.size)));
    const warning = m.warnings.find((w) => /topics had the same top words/.test(w));
    assert.match(
      warning ?? "",
      /^(\d+) topics had the same top words \(the corpus has a vocabulary of 5 terms\) and were merged into 1$/,
    );
    assert.ok(Number(/^\d+/.exec(warning!)![0]) >= 2, "the pipeline did find several clusters");
    // the clusterer's clusters all map to the one topic, so transform agrees with fit
    const predicted = await m.transform(texts.slice(0, 30));
    assert.ok(Array.from(predicted.topics).every((t) => t === 0 || t === -1));
  });

  test("an ordinary corpus is untouched: no warning, the topics it always had", async () => {
    const corpus = syntheticCorpus({ noise: 12 });
    const m = model({ reduce: { method: "pca" }, cluster: { minClusterSize: 8 } });
    await m.fit(corpus.texts, { embeddings: embedBagOfWords(corpus.texts) });
    assert.deepEqual(
      m.warnings.filter((w) => /distinct text|same top words/.test(w)),
      [],
    );
    assert.equal(real(m).length, 4);
  });

  test("indistinguishableTopics: identical non-empty word sets, whatever their order", () => {
    const topic = (id: number, words: string[]): Topic => ({
      id,
      size: 1,
      label: String(id),
      words: words.map((word, i) => ({ word, score: 1 / (i + 1) })),
      representativeDocs: [],
    });
    const groups = indistinguishableTopics([
      topic(-1, ["a", "b"]),
      topic(0, ["a", "b", "c"]),
      topic(1, ["x", "y"]),
      topic(2, ["c", "a", "b"]),
      topic(3, []),
      topic(4, []),
      topic(5, ["b", "a"]),
    ]);
    assert.deepEqual(groups, [[0, 2]]);
  });

  test("no cluster found: no topic, and a warning that says what to change", async () => {
    // min_cluster_size above half the corpus: HDBSCAN (no single cluster) can find nothing
    const words = ["rocket", "orbit", "launch", "bread", "oven", "flour", "goal", "match", "striker"];
    const rng = createRng(3);
    const texts = Array.from({ length: 40 }, (_, i) =>
      [i, ...Array.from({ length: 6 }, () => words[rng.nextInt(words.length)])].join(" "),
    );
    const m = model({ cluster: { minClusterSize: 30 } });
    await m.fit(texts, { embeddings: embedBagOfWords(texts) });
    assert.equal(real(m).length, 0);
    assert.ok(m.labels.every((l) => l === -1));
    assert.ok(
      m.warnings.includes(
        "no topics: hdbscan left all 40 clustered documents as outliers; the corpus may hold one theme only, or themes smaller than min_cluster_size 30: try a smaller --min-cluster-size (e.g. 4)",
      ),
      m.warnings.join(" | "),
    );
  });
});
