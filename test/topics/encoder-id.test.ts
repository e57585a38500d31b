/**
 * New texts embedded by an encoder other than the one that embedded the model's documents (same
 * dimension, another id: another version of a model, use-lite-static's piece table before its word
 * table) get one warning; the same encoder, or a model fitted on precomputed embeddings, none.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import type { Embedder } from "../../src/embed/types.js";
import { TopicModel } from "../../src/topics/model.js";
import { tempDir } from "../temp-dir.js";
import { bagOfWordsEmbedder, syntheticCorpus } from "./helpers.js";

const { texts } = syntheticCorpus({ perTopic: 30 });
const work = tempDir("topicscope-encoder-id-");
const renamed: Embedder = { ...bagOfWordsEmbedder, id: "test-bag-of-words@2" };

test("transform by another encoder id: one warning naming both; the same encoder: none", async () => {
  const model = await new TopicModel({ embedder: bagOfWordsEmbedder, cache: false, seed: 3 }).fit(texts);
  await model.transform(texts.slice(0, 4));
  assert.deepEqual(
    model.warnings.filter((w) => /may not be comparable/.test(w)),
    [],
    "same encoder, no warning",
  );

  await model.save(join(work, "model"));
  const other = await TopicModel.load(join(work, "model"), { embedder: renamed, cache: false });
  await other.transform(texts.slice(0, 4));
  await other.transform(texts.slice(4, 8));
  const warnings = other.warnings.filter((w) => /may not be comparable/.test(w));
  assert.equal(warnings.length, 1, "warned once");
  assert.match(
    warnings[0],
    /embedded by test-bag-of-words@2, the model's documents were embedded by test-bag-of-words/,
  );
});
