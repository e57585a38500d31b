/** Search and zero-shot topics with the real bundled sentence encoder (USE-lite) on a dozen sentences. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TopicModel } from "../../src/topics/model.js";

const baking = [
  "Bake the bread in a hot oven for forty minutes.",
  "Knead the dough and let it rise before baking.",
  "Whisk the eggs with sugar and butter for the cake.",
  "Dust the loaf with flour before it goes into the oven.",
];
const football = [
  "The striker scored a late goal to win the match.",
  "The referee showed a red card in the second half.",
  "The goalkeeper saved a penalty in the final minute.",
  "The home team won the league after a draw away.",
];
const space = [
  "The rocket launched the satellite into orbit.",
  "Astronauts on the space station watched the moon rise.",
  "The telescope photographed a distant galaxy.",
  "The probe landed on Mars after a seven month flight.",
];
const docs = [...baking, ...football, ...space];
const cache = mkdtempSync(join(tmpdir(), "topicscope-topics-cache-"));
let model: TopicModel;

function ok(value: unknown, message = "expected a truthy value"): asserts value {
  assert.ok(value, message);
}

before(async () => {
  model = new TopicModel({
    cache,
    reduce: { method: "pca", nComponents: 2 },
    cluster: { minClusterSize: 3 },
    zeroShotTopics: ["baking bread and cakes", "quantum field theory"],
    zeroShotMinSimilarity: 0.6,
  });
  await model.fit(docs);
});

after(async () => {
  await model.dispose();
  rmSync(cache, { recursive: true, force: true });
});

describe("with the bundled encoder", () => {
  it("zero-shot: the baking sentences join the 'baking bread and cakes' topic, no others do", () => {
    const topic = model.topics.find((t) => t.zeroShotName === "baking bread and cakes");
    ok(topic, `topics: ${model.topics.map((t) => t.label).join(" | ")}`);
    assert.equal(topic.label, "baking bread and cakes");
    const members = [...model.labels.keys()].filter((i) => model.labels[i] === topic.id);
    assert.deepEqual(members, [0, 1, 2, 3]);
    ok(
      !model.topics.some((t) => t.zeroShotName === "quantum field theory"),
      "no document matches the unrelated name",
    );
  });

  it("search returns the document containing the query's exact sentence first", async () => {
    for (const target of [1, 6, 10]) {
      const hits = await model.searchDocuments(docs[target], 3);
      assert.equal(hits[0].index, target);
      ok(hits[0].similarity > 0.99, `similarity ${hits[0].similarity}`);
    }
  });

  it("a paraphrase finds its theme: documents and topics", async () => {
    const hits = await model.searchDocuments("the forward put the ball in the net", 2);
    ok(football.includes(docs[hits[0].index]), `got '${docs[hits[0].index]}'`);
    const topics = await model.findTopics("cakes and pastry", 1);
    assert.equal(model.topic(topics[0].topic)!.zeroShotName, "baking bread and cakes");
  });
});
