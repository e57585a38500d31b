/**
 * Topic operations on a synthetic corpus with a known answer: four topics of 30 documents built from
 * disjoint word lists, plus 12 documents mixing all of them (most end up as outliers).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rowTopTerms } from "../../src/represent/index.js";
import { readableLabel } from "../../src/represent/label.js";
import { validateSeedTopics } from "../../src/topics/lifecycle/guided.js";
import { TopicModel } from "../../src/topics/model.js";
import { UserError } from "../../src/util/errors.js";
import { bagOfWordsEmbedder, embedBagOfWords, syntheticCorpus, TOPIC_WORDS } from "./helpers.js";

const corpus = syntheticCorpus({ noise: 12 });

async function fitted(extra: ConstructorParameters<typeof TopicModel>[0] = {}): Promise<TopicModel> {
  const model = new TopicModel({
    embedder: bagOfWordsEmbedder,
    cache: false,
    reduce: { method: "pca" },
    cluster: { minClusterSize: 8 },
    ...extra,
  });
  return model.fit(corpus.texts, {
    embeddings: embedBagOfWords(corpus.texts),
    timestamps: corpus.timestamps,
    labels: corpus.classes,
  });
}

/** The topic most documents of a synthetic topic went to. */
function topicOf(model: TopicModel, name: string): number {
  const counts = new Map<number, number>();
  model.labels.forEach((l, i) => {
    if (corpus.truth[i] === name && l >= 0) counts.set(l, (counts.get(l) ?? 0) + 1);
  });
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

function membersOf(labels: Int32Array, topic: number): number[] {
  return [...labels.keys()].filter((i) => labels[i] === topic);
}

/** assert.ok with a message always: without one, node parses the call site, which hangs under tsx. */
function ok(value: unknown, message = "expected a truthy value"): asserts value {
  assert.ok(value, message);
}

const realTopics = (m: TopicModel) => m.topics.filter((t) => t.id >= 0);
const outlierCount = (labels: Int32Array) => labels.reduce((c, l) => c + (l === -1 ? 1 : 0), 0);

describe("fit", () => {
  it("finds the four synthetic topics, keeps labels and timestamps, and ranks topics by size", async () => {
    const model = await fitted();
    assert.equal(realTopics(model).length, 4);
    for (const name of Object.keys(TOPIC_WORDS)) {
      const topic = model.topic(topicOf(model, name))!;
      const own = topic.words.slice(0, 5).filter((w) => TOPIC_WORDS[name].includes(w.word));
      assert.equal(own.length, 5, `${name}: ${topic.words.map((w) => w.word)}`);
    }
    const sizes = realTopics(model).map((t) => t.size);
    assert.deepEqual(
      sizes,
      [...sizes].sort((a, b) => b - a),
    );
    assert.equal(model.documents[0].timestamp, corpus.timestamps[0]);
    assert.equal(model.documents[1].label, corpus.classes[1]);
  });

  it("topic embeddings are the mean of each topic's document embeddings", async () => {
    const model = await fitted();
    const { topicIds, matrix } = model.topicEmbeddings();
    const id = topicIds[1];
    const members = membersOf(model.labels, id);
    const emb = model.embeddings!;
    for (const j of [0, 7, 31]) {
      const mean = members.reduce((s, i) => s + emb.data[i * emb.cols + j], 0) / members.length;
      ok(Math.abs(matrix.data[1 * matrix.cols + j] - mean) < 1e-6);
    }
  });

  it("topic info and document info describe the same assignment", async () => {
    const model = await fitted();
    const info = model.topicInfo();
    assert.deepEqual(
      info.map((r) => r.topic),
      model.topics.map((t) => t.id).sort((a, b) => a - b),
    );
    assert.equal(
      info.reduce((s, r) => s + r.size, 0),
      corpus.texts.length,
    );
    const docs = model.documentInfo();
    assert.equal(docs.length, corpus.texts.length);
    const representative = docs.filter((d) => d.representative);
    ok(representative.length >= 4 * 3);
    for (const d of representative) ok(model.topic(d.topic)!.representativeDocs.includes(d.index));
  });
});

describe("reduce, merge, delete", () => {
  it("reduce to n gives n topics, keeps the document count and the outliers, and only merges whole topics", async () => {
    const model = await fitted();
    const before = model.labels.slice();
    await model.reduceTopics(2);
    assert.equal(realTopics(model).length, 2);
    assert.equal(model.labels.length, before.length);
    assert.equal(
      model.topics.reduce((s, t) => s + t.size, 0),
      corpus.texts.length,
    );
    for (let i = 0; i < before.length; i++) assert.equal(model.labels[i] === -1, before[i] === -1);
    // every old topic lands in exactly one new topic
    for (const old of new Set(before)) {
      const targets = new Set(membersOf(before, old).map((i) => model.labels[i]));
      assert.equal(targets.size, 1, `old topic ${old} was split`);
    }
    assert.equal(model.history[0].operation, "reduce-topics");
  });

  it("reduce 'auto' never increases the number of topics", async () => {
    const model = await fitted();
    await model.reduceTopics("auto");
    ok(realTopics(model).length <= 4 && realTopics(model).length >= 1);
  });

  it("merging two topics gives exactly their union, with words from both, and leaves the rest alone", async () => {
    const model = await fitted();
    const a = topicOf(model, "space");
    const b = topicOf(model, "food");
    const union = [...membersOf(model.labels, a), ...membersOf(model.labels, b)].sort((x, y) => x - y);
    const before = model.labels.slice();
    model.setTopicLabels({ [a]: "Space & food" });
    await model.mergeTopics([[a, b]]);
    const merged = model.labels[union[0]];
    assert.deepEqual(membersOf(model.labels, merged), union);
    const words = model.topic(merged)!.words.map((w) => w.word);
    ok(
      words.some((w) => TOPIC_WORDS.space.includes(w)) && words.some((w) => TOPIC_WORDS.food.includes(w)),
      words.join(","),
    );
    assert.equal(model.topic(merged)!.customLabel, "Space & food");
    for (let i = 0; i < before.length; i++) {
      if (before[i] !== a && before[i] !== b)
        assert.equal(membersOf(model.labels, model.labels[i]).length, membersOf(before, before[i]).length);
    }
    assert.equal(realTopics(model).length, 3);
  });

  it("deleting a topic turns its documents into outliers", async () => {
    const model = await fitted();
    const t = topicOf(model, "finance");
    const members = membersOf(model.labels, t);
    const outliersBefore = outlierCount(model.labels);
    await model.deleteTopics([t]);
    for (const i of members) assert.equal(model.labels[i], -1);
    assert.equal(outlierCount(model.labels), outliersBefore + members.length);
    assert.equal(realTopics(model).length, 3);
  });

  it("rejects unknown topic ids, -1, and n larger than the number of topics", async () => {
    const model = await fitted();
    await assert.rejects(
      model.mergeTopics([[0, 99]]),
      (e: Error) => e instanceof UserError && /unknown topic id 99/.test(e.message),
    );
    await assert.rejects(
      model.mergeTopics([[-1, 0]]),
      (e: Error) => e instanceof UserError && /outliers/.test(e.message),
    );
    await assert.rejects(
      model.deleteTopics([42]),
      (e: Error) => e instanceof UserError && /unknown topic id 42/.test(e.message),
    );
    await assert.rejects(
      model.reduceTopics(9),
      (e: Error) => e instanceof UserError && /has 4 topics, cannot reduce to 9/.test(e.message),
    );
    assert.throws(() => model.setTopicLabels({ 17: "x" }), /unknown topic id 17/);
  });
});

describe("reduce outliers", () => {
  for (const strategy of ["c-tf-idf", "embeddings", "distributions", "probabilities"] as const) {
    it(`${strategy}: strictly fewer outliers, documents with a topic keep it`, async () => {
      const model = await fitted({ outliers: "keep" });
      const before = model.labels.slice();
      const beforeWords = new Map(model.topics.map((t) => [t.id, t.size]));
      ok(outlierCount(before) > 0);
      const { reassigned, remaining } = await model.reduceOutliers(strategy);
      ok(reassigned > 0);
      assert.equal(outlierCount(model.labels), remaining);
      ok(outlierCount(model.labels) < outlierCount(before));
      // non-outliers never move, and topic ids stay as they were (no renumbering by size)
      for (let i = 0; i < before.length; i++) {
        if (before[i] === -1) continue;
        assert.equal(model.labels[i], before[i], `document ${i} moved or its topic was renumbered`);
      }
      ok(beforeWords.size >= 4);
    });
  }

  it("a threshold above every score moves nothing", async () => {
    const model = await fitted({ outliers: "keep" });
    const before = model.labels.slice();
    const { reassigned } = await model.reduceOutliers("embeddings", { threshold: 1.01 });
    assert.equal(reassigned, 0);
    assert.deepEqual(model.labels, before);
  });

  it("noise documents made of one topic's words go to that topic under c-tf-idf", async () => {
    const model = await fitted({ outliers: "keep" });
    const outliers = [...model.labels.keys()].filter((i) => model.labels[i] === -1);
    await model.reduceOutliers("c-tf-idf");
    for (const i of outliers) {
      if (corpus.truth[i] === "noise" || model.labels[i] === -1) continue;
      assert.equal(model.labels[i], topicOf(model, corpus.truth[i]), `document ${i}`);
    }
  });
});

describe("hierarchy", () => {
  it("is a full linkage over the topics with merged words at every node", async () => {
    const model = await fitted();
    const h = model.hierarchicalTopics();
    assert.equal(h.linkage.length, 3);
    assert.equal(h.nodes.length, 7);
    const root = h.nodes[6];
    assert.deepEqual(root.topics, [0, 1, 2, 3]);
    assert.equal(root.size, corpus.texts.length - (model.topic(-1)?.size ?? 0));
    assert.equal(h.linkage[2][3], 4);
    for (const name of Object.keys(TOPIC_WORDS))
      ok(root.words.some((w) => TOPIC_WORDS[name].includes(w.word)) || root.words.length === 10);
    // the node merging two topics holds words of both
    const first = h.nodes[4];
    for (const leaf of [first.left!, first.right!]) {
      const leafWords = h.nodes[leaf].words.slice(0, 3).map((w) => w.word);
      ok(
        first.words.some((w) => leafWords.includes(w.word)),
        `node 4 lacks words of leaf ${leaf}`,
      );
    }
    // each merged node's words: c-TF-IDF of all its topics' documents counted together
    const representation = model.representation!;
    for (const node of h.nodes.slice(4)) {
      const joined = model.documents
        .filter((_, i) => node.topics.includes(model.labels[i]))
        .map((d) => d.text)
        .join(" ");
      const weighted = representation.ctfidf.transformer.transform(
        representation.vectorizer.transform([joined]),
      );
      assert.deepEqual(node.words, rowTopTerms(weighted, 0, representation.vectorizer.vocabulary, 10));
    }
    const tree = model.topicTree(h);
    for (const t of [0, 1, 2, 3]) assert.match(tree, new RegExp(`Topic: ${t}\\b`));
  });
});

describe("over time and per class", () => {
  it("a topic that exists only in 2021 appears only in 2021", async () => {
    const model = await fitted();
    const space = topicOf(model, "space");
    const result = model.topicsOverTime();
    const spaceEntries = result.entries.filter((e) => e.topic === space);
    ok(spaceEntries.length > 0);
    const spaceDocs = membersOf(model.labels, space);
    const spaceYears = new Set(spaceDocs.map((i) => corpus.timestamps[i].slice(0, 4)));
    for (const e of spaceEntries) ok(spaceYears.has(e.timestamp.slice(0, 4)), e.timestamp);
    assert.equal(
      spaceEntries.reduce((s, e) => s + e.frequency, 0),
      spaceDocs.length,
    );
    // frequencies over all entries cover the corpus once
    assert.equal(
      result.entries.reduce((s, e) => s + e.frequency, 0),
      corpus.texts.length,
    );
  });

  it("bins: three yearly bins; the space topic only in the middle one", async () => {
    const model = await fitted();
    const space = topicOf(model, "space");
    const result = model.topicsOverTime({ bins: 3 });
    assert.equal(result.bins.length, 3);
    const binsWithSpace = new Set(
      result.entries.filter((e) => e.topic === space && e.frequency >= 5).map((e) => e.bin),
    );
    assert.deepEqual([...binsWithSpace], [1]);
    for (const e of result.entries.filter((x) => x.topic === space && x.frequency >= 5)) {
      ok(e.words.slice(0, 5).every((w) => TOPIC_WORDS.space.includes(w.word)));
    }
  });

  it("numeric timestamps (years) make numeric bins", async () => {
    const model = await fitted();
    const years = corpus.timestamps.map((t) => t.slice(0, 4));
    const result = model.topicsOverTime({ timestamps: years });
    assert.equal(result.kind, "number");
    assert.deepEqual(
      result.bins.map((b) => b.label),
      ["2020", "2021", "2022"],
    );
    const space = topicOf(model, "space");
    const big = result.entries.filter((e) => e.topic === space && e.frequency >= 5).map((e) => e.timestamp);
    assert.deepEqual(big, ["2021"]);
  });

  it("timestamps that do not parse name the row and the value", async () => {
    const model = await fitted();
    const bad = [...corpus.timestamps];
    bad[5] = "last tuesday";
    assert.throws(
      () => model.topicsOverTime({ timestamps: bad }),
      (e: Error) =>
        e instanceof UserError && /document 6 \(id 5\) has timestamp 'last tuesday'/.test(e.message),
    );
    const missing: (string | undefined)[] = [...corpus.timestamps];
    missing[2] = undefined;
    assert.throws(
      () => model.topicsOverTime({ timestamps: missing }),
      /document 3 \(id 2\) has no timestamp/,
    );
  });

  it("per class: frequencies add up per class and words come from the topic", async () => {
    const model = await fitted();
    const result = model.topicsPerClass();
    assert.deepEqual(result.classes.map((c) => c.name).sort(), ["blog", "news"]);
    for (const c of result.classes) {
      assert.equal(
        result.entries.filter((e) => e.className === c.name).reduce((s, e) => s + e.frequency, 0),
        c.documents,
      );
    }
    const food = topicOf(model, "food");
    for (const e of result.entries.filter((x) => x.topic === food))
      ok(TOPIC_WORDS.food.includes(e.words[0].word));
  });
});

describe("input checks", () => {
  it("seed topics and zero-shot names are validated with a clear message", () => {
    assert.throws(() => validateSeedTopics([["tax"], []]), /entry 2 must be a non-empty list of words/);
    assert.throws(() => validateSeedTopics({ a: 1 }), /expected a non-empty JSON array of word lists/);
    assert.deepEqual(validateSeedTopics([[" tax ", "budget"]]), [["tax", "budget"]]);
    assert.throws(() => new TopicModel({ zeroShotTopics: ["ok", " "] }), /non-empty topic names/);
    assert.throws(
      () => new TopicModel({ representation: { model: "mmr", diversity: 2 } }),
      /diversity must be in \[0, 1\]/,
    );
  });
});

describe("approximate distribution", () => {
  it("a document of one topic's words puts most of its mass on that topic; rows sum to 1", async () => {
    const model = await fitted();
    const docs = [
      "nasa launch rocket orbit satellite moon",
      "flour sugar butter oven dough bread",
      "",
      "zzz qqq",
    ];
    const d = model.approximateDistribution(docs);
    const k = d.distributions.cols;
    const row = (r: number) => Array.from(d.distributions.data.subarray(r * k, (r + 1) * k));
    const argmax = (r: number) => d.topicIds[row(r).indexOf(Math.max(...row(r)))];
    assert.equal(argmax(0), topicOf(model, "space"));
    assert.equal(argmax(1), topicOf(model, "food"));
    ok(Math.abs(row(0).reduce((a, b) => a + b, 0) - 1) < 1e-5);
    ok(row(2).every((v) => v === 0) && row(3).every((v) => v === 0));
  });
});

describe("search, zero-shot, guided, representations (test encoder)", () => {
  it("findTopics and searchDocuments embed only the query", async () => {
    const model = await fitted();
    const topics = await model.findTopics("rocket orbit nasa launch", 2);
    assert.equal(topics[0].topic, topicOf(model, "space"));
    ok(topics[0].similarity > topics[1].similarity);
    const target = 40;
    const hits = await model.searchDocuments(corpus.texts[target], 3);
    assert.equal(hits[0].index, target);
    ok(Math.abs(hits[0].similarity - 1) < 1e-5);
  });

  it("zero-shot: documents close to a topic name join it and carry its name", async () => {
    const name = TOPIC_WORDS.football.join(" ");
    // The test encoder's cosines are lower than a sentence encoder's: 0.5 plays the role of 0.7.
    const model = await fitted({
      zeroShotTopics: [name, "quantum chromodynamics lattice"],
      zeroShotMinSimilarity: 0.5,
    });
    const topic = model.topics.find((t) => t.zeroShotName === name);
    ok(topic, "the football zero-shot topic exists");
    assert.equal(topic.label, name);
    const football = corpus.truth.map((t, i) => (t === "football" ? i : -1)).filter((i) => i >= 0);
    const joined = football.filter((i) => model.labels[i] === topic.id).length;
    ok(joined >= football.length * 0.8, `${joined} of ${football.length}`);
    ok(!model.topics.some((t) => t.zeroShotName === "quantum chromodynamics lattice"));
    // the other topics were still clustered
    ok(realTopics(model).length >= 3);
  });

  it("guided: seed words steer the topics and get the idf boost", async () => {
    const plain = await fitted();
    const guided = await fitted({ seedTopics: [["stock", "bond"]] });
    const t = guided.topic(topicOf(guided, "finance"))!;
    const p = plain.topic(topicOf(plain, "finance"))!;
    const score = (topic: typeof t, word: string) => topic.words.find((w) => w.word === word)?.score ?? 0;
    ok(score(t, "stock") > score(p, "stock") * 1.1, `${score(t, "stock")} vs ${score(p, "stock")}`);
  });

  it("mmr and keybert re-rank the c-TF-IDF candidates", async () => {
    const base = await fitted();
    for (const model of ["mmr", "keybert"] as const) {
      const refined = await fitted({ representation: { model, diversity: 0.5 } });
      for (const topic of realTopics(refined)) {
        const candidates = new Set(base.representation!.words.get(topic.id)!.map((w) => w.word));
        const all = new Set(refined.representation!.vectorizer.vocabulary);
        ok(topic.words.length >= 5 && topic.words.length <= 10, `${model}: ${topic.words.length} words`);
        ok(
          topic.words.every((w) => all.has(w.word)),
          `${model}: words outside the vocabulary`,
        );
        ok(candidates.size > 0, "base words");
        // the label follows the refined words (its first word is the first non-number word)
        assert.equal(topic.label, readableLabel(topic.id, topic.words));
      }
    }
  });
});
