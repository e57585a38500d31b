/**
 * `dropNumbers` end to end: a synthetic corpus whose topics are full of topic-specific numbers, fitted
 * on precomputed embeddings (of the texts without the numbers, so both fits find the same clusters).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Command } from "commander";
import { addPipelineOptions, modelOptions, type PipelineFlags } from "../../src/cli/pipeline-options.js";
import { coherenceTokenizer, referenceCorpusForModel } from "../../src/evaluate/model-folder.js";
import { TopicModel } from "../../src/topics/model.js";
import { DEFAULT_PARAMETERS, resolveParameters } from "../../src/topics/parameters.js";
import { bagOfWordsEmbedder, embedBagOfWords, syntheticCorpus } from "./helpers.js";

const NUMBERS: Record<string, string> = { space: "1969", food: "350", football: "90", finance: "2008" };
const corpus = syntheticCorpus({ topics: Object.keys(NUMBERS) });
// Every document carries its topic's number three times and a shared "00": without the option the
// topic-specific number is the best c-TF-IDF word of its topic.
const texts = corpus.texts.map((text, i) => {
  const n = NUMBERS[corpus.truth[i]];
  return `${n} ${text} ${n} 00 ${n}`;
});
const embeddings = embedBagOfWords(corpus.texts);
const digitsOnly = /^\p{N}+$/u;

async function fit(dropNumbers?: boolean): Promise<TopicModel> {
  return new TopicModel({
    embedder: bagOfWordsEmbedder,
    cache: false,
    reduce: { method: "pca" },
    cluster: { minClusterSize: 8 },
    represent: dropNumbers === undefined ? {} : { dropNumbers },
  }).fit(texts, { embeddings });
}

describe("dropNumbers in a fitted model", () => {
  it("default: the topics' numbers lead their words; with the option no digit-only word is left", async () => {
    assert.equal(DEFAULT_PARAMETERS.represent.dropNumbers, false);
    assert.equal(resolveParameters({}).represent.dropNumbers, false);
    const withNumbers = await fit();
    const withoutNumbers = await fit(true);
    assert.deepEqual(withoutNumbers.labels, withNumbers.labels, "the words change, not the clusters");
    const real = withNumbers.topics.filter((t) => t.id >= 0);
    assert.equal(real.length, 4);
    const leaders = real.map((t) => t.words[0].word).sort();
    assert.deepEqual(leaders, ["1969", "2008", "350", "90"]);

    assert.equal(withoutNumbers.parameters.represent.dropNumbers, true);
    for (const topic of withoutNumbers.topics) {
      assert.ok(topic.words.length >= 5, `topic ${topic.id} has too few words`);
      const numeric = topic.words.filter((w) => digitsOnly.test(w.word));
      assert.deepEqual(numeric, [], `topic ${topic.id} still has numbers`);
    }
  });

  it("save → load keeps the option; the loaded model tokenises new text identically", async () => {
    const model = await fit(true);
    const dir = mkdtempSync(join(tmpdir(), "topicscope-drop-numbers-"));
    try {
      await model.save(join(dir, "m"));
      const loaded = await TopicModel.load(join(dir, "m"), { embedder: bagOfWordsEmbedder, cache: false });
      assert.equal(loaded.parameters.represent.dropNumbers, true);
      const probe = ["1969 1969 rocket orbit 350", "90 goal striker 90 90"];
      const before = model.approximateDistribution(probe, { window: 2 });
      const after = loaded.approximateDistribution(probe, { window: 2 });
      assert.deepEqual(after, before);
      // Only space words are known terms of the first probe (its numbers are not in the vocabulary).
      const space = before.topicIds.indexOf(loaded.labels[0]);
      assert.equal(before.distributions.data[space], 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("--no-numbers and evaluation", () => {
  const parse = (args: string[]): PipelineFlags => {
    const command = addPipelineOptions(new Command().exitOverride());
    command.parse(args, { from: "user" });
    return command.opts<PipelineFlags>();
  };

  it("the CLI flag maps to represent.dropNumbers (off unless given)", () => {
    assert.equal(modelOptions(parse([])).represent?.dropNumbers, false);
    assert.equal(modelOptions(parse(["--no-numbers"])).represent?.dropNumbers, true);
  });

  it("coherence tokenises like the model: numbers gone only for a model fitted without them", () => {
    assert.deepEqual(coherenceTokenizer("english")("rocket 1969 mp3"), ["rocket", "1969", "mp3"]);
    assert.deepEqual(coherenceTokenizer("english", true)("rocket 1969 mp3"), ["rocket", "mp3"]);
    const text = ["rocket 1969 orbit", "1969 moon"];
    const kept = referenceCorpusForModel(text, { represent: { stopWords: "english" } });
    const dropped = referenceCorpusForModel(text, { represent: { stopWords: "english", dropNumbers: true } });
    assert.ok(kept.vocabulary.includes("1969"), "a folder without the field keeps numbers");
    assert.ok(!dropped.vocabulary.includes("1969"));
  });
});
