/**
 * UMAP's layout epochs as a fit parameter (`reduce.nEpochs`, `fit --n-epochs`): they reach the
 * reducer, are kept in model.json and the reducer's state, survive a save and load, and bad values
 * are refused. The default (by size) is tested in test/reduce/blocked-layout.test.ts.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { TopicModel } from "../../src/topics/model.js";
import { UserError } from "../../src/util/errors.js";
import { bagOfWordsEmbedder, embedBagOfWords, syntheticCorpus } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "topicscope-epochs-"));
after(() => rmSync(work, { recursive: true, force: true }));

const { texts } = syntheticCorpus({ perTopic: 30 });
const embeddings = embedBagOfWords(texts);

async function fit(reduce: { nEpochs?: number } = {}): Promise<TopicModel> {
  const model = new TopicModel({ embedder: bagOfWordsEmbedder, cache: false, seed: 5, reduce });
  return model.fit(texts, { embeddings });
}

test("reduce.nEpochs reaches the layout and is kept with the model", async () => {
  const byDefault = await fit();
  const short = await fit({ nEpochs: 20 });
  assert.equal(byDefault.parameters.reduce.nEpochs, undefined);
  assert.equal(short.parameters.reduce.nEpochs, 20);
  assert.equal(short.stages?.reducer.options.nEpochs, 20);
  assert.notDeepEqual(short.reduced?.data, byDefault.reduced?.data, "20 epochs lay out differently");
  assert.deepEqual((await fit({ nEpochs: 20 })).reduced?.data, short.reduced?.data, "seeded");

  await short.save(join(work, "short"));
  const loaded = await TopicModel.load(join(work, "short"), { embedder: bagOfWordsEmbedder, cache: false });
  assert.equal(loaded.parameters.reduce.nEpochs, 20);
  const predicted = await loaded.transform(texts.slice(0, 5), {
    embeddings: embedBagOfWords(texts.slice(0, 5)),
  });
  assert.equal(predicted.topics.length, 5);
});

test("nEpochs must be a positive integer", async () => {
  for (const nEpochs of [0, -3, 2.5]) {
    await assert.rejects(fit({ nEpochs }), (error: Error) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, new RegExp(`nEpochs must be an integer ≥ 1, got ${nEpochs}`));
      return true;
    });
  }
});
