/**
 * The incremental c-TF-IDF (term-counts.ts) against a rebuild from scratch: after adding documents,
 * merging topics or reducing outliers, the model's representation and junk flags must be exactly
 * what representTopics / topicWordStats compute from the texts and the final labels; a saved folder
 * keeps the counts, and a folder without them (older topicscope) loads and adds the same.
 */
import assert from "node:assert/strict";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { representTopics } from "../../src/represent/index.js";
import { MODEL_FILES } from "../../src/topics/folder/format.js";
import { junkReason, topicWordStats } from "../../src/topics/lifecycle/junk.js";
import { TopicModel } from "../../src/topics/model.js";
import { hierarchicalTopics } from "../../src/topics/views/hierarchy.js";
import { documentsByTopic, GroupCounts } from "../../src/topics/views/local-ctfidf.js";
import { parseTimestamps, topicsOverTime } from "../../src/topics/views/over-time.js";
import { topicsPerClass } from "../../src/topics/views/per-class.js";
import { UserError } from "../../src/util/errors.js";
import { isBlank } from "../../src/util/text.js";
import { tempDir } from "../embed/helpers.js";
import { bagOfWordsEmbedder, embedBagOfWords, syntheticCorpus } from "./helpers.js";

const dir = tempDir("term-counts");
after(() => dir.remove());

const base = syntheticCorpus({ topics: ["space", "food", "football"], noise: 6 });
base.texts.push("", "   ", "the and of", "1993 1994 ____");
const fresh = syntheticCorpus({ topics: ["space", "finance"], perTopic: 12, seed: 7 }).texts;
fresh.push("", "rocket 2027 orbit");

async function fitted(minDf = 2): Promise<TopicModel> {
  const model = new TopicModel({
    embedder: bagOfWordsEmbedder,
    cache: false,
    reduce: { method: "pca" },
    cluster: { minClusterSize: 6 },
    represent: { minDf },
  });
  return model.fit(base.texts, { embeddings: embedBagOfWords(base.texts) });
}

/** The representation and junk flags a rebuild from the texts gives for the model's current labels. */
function assertEqualsScratch(model: TopicModel): void {
  const texts = model.documents.map((d) => d.text);
  const rows = [...texts.keys()].filter((i) => !isBlank(texts[i]));
  const represent = model.parameters.represent;
  const scratch = representTopics(
    rows.map((i) => texts[i]),
    Int32Array.from(rows, (i) => model.labels[i]),
    represent,
  );
  assert.deepEqual(model.representation!.toJSON(), scratch.toJSON());
  const stats = topicWordStats(texts, model.labels, model.topics, represent);
  for (const t of model.topics) {
    if (t.id < 0) continue;
    assert.equal(t.junk, junkReason(stats.get(t.id)!), `junk flag of topic ${t.id}`);
  }
}

describe("incremental term counts", () => {
  test("fit keeps counts; addDocuments tokenises only the new documents and equals a rebuild from scratch", async () => {
    const model = await fitted();
    assert.ok(model.termCounts, "fit keeps the counts");
    assertEqualsScratch(model);
    const counted = model.termCounts.countedDocuments;
    let tokenised = 0;
    const update = model.termCounts.update.bind(model.termCounts);
    model.termCounts.update = (texts, labels, included) => {
      const n = update(texts, labels, included);
      tokenised += n;
      return n;
    };
    await model.addDocuments(fresh);
    // every non-blank new document, and nothing else, was tokenised (no old document changed topic)
    assert.equal(tokenised, fresh.filter((t) => !isBlank(t)).length);
    assert.equal(model.termCounts.countedDocuments, counted + tokenised);
    assertEqualsScratch(model);
  });

  test("operations that move many documents (merge, outliers, delete) still equal a rebuild", async () => {
    const model = await fitted(1);
    await model.addDocuments(fresh);
    const real = model.topics.filter((t) => t.id >= 0).map((t) => t.id);
    await model.mergeTopics([real.slice(0, 2)]);
    assertEqualsScratch(model);
    await model.reduceOutliers("embeddings");
    assertEqualsScratch(model);
    await model.deleteTopics([model.topics.find((t) => t.id >= 0)!.id]);
    assertEqualsScratch(model);
  });

  test("saved counts load back; a folder without them (older topicscope) recounts; both add the same", async () => {
    const model = await fitted();
    const folder = join(dir.path, "model");
    await model.save(folder);
    assert.ok(existsSync(join(folder, MODEL_FILES.termCounts)));

    const loaded = await TopicModel.load(folder, { embedder: bagOfWordsEmbedder, cache: false });
    assert.ok(loaded.termCounts);
    assert.equal(loaded.termCounts.countedDocuments, model.termCounts!.countedDocuments);
    const older = join(dir.path, "older");
    await model.save(older);
    rmSync(join(older, MODEL_FILES.termCounts));
    for (const f of ["counted", "words-indptr", "words-indices", "words-counts", "words-totals"])
      rmSync(join(older, `term-counts-${f}.npy`));
    for (const f of ["indptr", "indices", "counts", "documents", "totals"])
      rmSync(join(older, `term-counts-junk-${f}.npy`));
    const old = await TopicModel.load(older, { embedder: bagOfWordsEmbedder, cache: false });
    assert.equal(old.termCounts, undefined);

    await model.addDocuments(fresh);
    await loaded.addDocuments(fresh);
    await old.addDocuments(fresh);
    assertEqualsScratch(loaded);
    assertEqualsScratch(old);
    assert.deepEqual(loaded.representation!.toJSON(), model.representation!.toJSON());
    assert.deepEqual(old.representation!.toJSON(), model.representation!.toJSON());
    assert.deepEqual(loaded.topics, model.topics);
    assert.deepEqual(old.topics, model.topics);
    assert.ok(old.termCounts, "the older model has counts once it was rebuilt");
  });

  test("a damaged term-counts.json is refused in one line naming the file", async () => {
    const model = await fitted();
    const folder = join(dir.path, "damaged");
    await model.save(folder);
    writeFileSync(join(folder, MODEL_FILES.termCounts), JSON.stringify({ format: "topicscope-term-counts" }));
    await assert.rejects(
      TopicModel.load(folder, { embedder: bagOfWordsEmbedder, cache: false }),
      (e: Error) =>
        e instanceof UserError && /term-counts\.json/.test(e.message) && !e.message.includes("\n"),
    );
  });

  test("n-gram ranges keep no counts and rebuild from the texts", async () => {
    const model = new TopicModel({
      embedder: bagOfWordsEmbedder,
      cache: false,
      reduce: { method: "pca" },
      cluster: { minClusterSize: 6 },
      represent: { ngramRange: [1, 2] },
    });
    await model.fit(base.texts, { embeddings: embedBagOfWords(base.texts) });
    assert.equal(model.termCounts, undefined);
    await model.addDocuments(fresh);
    assertEqualsScratch(model);
  });

  test("views summed from the kept document terms equal views from the texts (fitted, grown, loaded then grown)", async () => {
    const check = (model: TopicModel, expectKept: boolean) => {
      const texts = model.documents.map((d) => d.text);
      const classes = texts.map((_, i) => (i % 5 === 4 ? undefined : `c${i % 3}`));
      const stamps = texts.map((_, i) => String(2000 + (i % 4)));
      const representation = model.representation!;
      const fromTexts = topicsPerClass(representation, texts, model.labels, classes, { topN: 10 });
      assert.deepEqual(model.topicsPerClass(classes), fromTexts);
      const time = parseTimestamps(stamps, texts.map(String));
      const overTime = topicsOverTime(representation, texts, model.labels, time, {
        topN: 10,
        evolutionTuning: true,
      });
      assert.deepEqual(model.topicsOverTime({ timestamps: stamps, evolutionTuning: true }), overTime);
      const real = model.topics.filter((t) => t.id >= 0).sort((a, b) => a.id - b.id);
      const hierarchy = hierarchicalTopics({
        representation,
        topics: real,
        counts: new GroupCounts(representation, texts, undefined, undefined).counts(
          documentsByTopic(real, model.labels),
        ),
        topN: 10,
      });
      assert.deepEqual(model.hierarchicalTopics(), hierarchy);
      const source = model.documentTerms();
      const kept = texts.filter((t, i) => source?.document(i, t) !== undefined).length;
      if (expectKept)
        assert.equal(kept, texts.filter((t) => !isBlank(t)).length, "every non-blank text kept");
      else
        assert.equal(source, undefined, "a loaded model that counted only a few documents since offers none");
    };
    const model = await fitted();
    check(model, true);
    await model.addDocuments(fresh);
    check(model, true);
    const folder = join(dir.path, "views");
    await model.save(folder);
    const loaded = await TopicModel.load(folder, { embedder: bagOfWordsEmbedder, cache: false });
    await loaded.addDocuments(["rocket orbit launch crew", "pasta sauce recipe dinner"]);
    check(loaded, false);
  });
});
