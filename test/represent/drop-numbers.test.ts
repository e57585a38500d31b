/** `dropNumbers`: digit-only tokens left out of topic words, like stop words (hand-computed answers). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  documentCtfidf,
  representationFromJSON,
  representTopics,
  sparseGet,
} from "../../src/represent/index.js";
import { CountVectorizer, type VectorizerJSON } from "../../src/represent/vocabulary.js";
import { createTokenizer } from "../../src/text/tokenizer.js";
import { documentWindows } from "../../src/topics/views/distribution.js";

const { log } = Math;
const close = (actual: number, expected: number): void =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

describe("tokenizer dropNumbers", () => {
  const text = "In 1993 the MP3 g9v 00 players ٣٤ sold 25 units, 1_000 x2";

  it("off (the default): digit-only tokens are kept, as scikit-learn's default token pattern", () => {
    const t = createTokenizer({ ngramRange: [1, 1], stopWords: "english" });
    assert.equal(t.dropNumbers, false);
    assert.deepEqual(t.terms(text), [
      "1993",
      "mp3",
      "g9v",
      "00",
      "players",
      "٣٤",
      "sold",
      "25",
      "units",
      "1_000",
      "x2",
    ]);
  });

  it("on: tokens made only of (any script's) digits go; letters mixed with digits and '_' stay", () => {
    const t = createTokenizer({ ngramRange: [1, 1], stopWords: "english", dropNumbers: true });
    assert.equal(t.dropNumbers, true);
    assert.deepEqual(t.terms(text), ["mp3", "g9v", "players", "sold", "units", "1_000", "x2"]);
    const tokens: string[] = [];
    t.forEachToken(text, (token) => tokens.push(token));
    assert.deepEqual(tokens, ["mp3", "g9v", "players", "sold", "units", "1_000", "x2"]);
  });

  it("n-grams span a dropped number, as they span a stop word", () => {
    const on = createTokenizer({ ngramRange: [1, 2], stopWords: ["of"], dropNumbers: true });
    assert.deepEqual(on.terms("bank 2020 of england 00 rates"), [
      "bank",
      "england",
      "rates",
      "bank england",
      "england rates",
    ]);
    const off = createTokenizer({ ngramRange: [2, 2], stopWords: ["of"] });
    assert.deepEqual(off.terms("bank 2020 of england 00 rates"), [
      "bank 2020",
      "2020 england",
      "england 00",
      "00 rates",
    ]);
  });

  it("distribution windows skip numbers only for a model fitted without them", () => {
    assert.deepEqual(documentWindows("rocket 1969 moon 00 orbit", 2, 1, false), [
      "rocket 1969",
      "1969 moon",
      "moon 00",
      "00 orbit",
    ]);
    assert.deepEqual(documentWindows("rocket 1969 moon 00 orbit", 2, 1, false, true), [
      "rocket moon",
      "moon orbit",
    ]);
  });
});

/*
 * Topic 0: "apple 2020 apple" + "banana 2020" → tokens apple apple banana (2020 dropped)
 * Topic 1: "cherry 99 banana"                  → tokens cherry banana   (99 dropped)
 * Vocabulary apple, banana, cherry. Counts [2, 1, 0] and [0, 1, 1]; f = [2, 2, 1];
 * A = int(5 / 2) = 2; idf = ln(A/f + 1) = [ln 2, ln 2, ln 3]; L1 tf [2/3, 1/3, 0], [0, 1/2, 1/2].
 * Without the option "2020" ties "apple" at 2/5 · ln(1 + int(8/2)/2) and wins alphabetically.
 */
describe("c-TF-IDF with dropNumbers", () => {
  const texts = ["apple 2020 apple", "cherry 99 banana", "banana 2020"];
  const labels = Int32Array.from([0, 1, 0]);
  const base = {
    ngramRange: [1, 1] as [number, number],
    minDf: 1,
    topN: 10,
    stopWords: "none" as const,
    bm25Weighting: false,
    reduceFrequentWords: false,
  };

  it("hand-computed weights; no digit-only term in the vocabulary", () => {
    const r = representTopics(texts, labels, { ...base, dropNumbers: true });
    assert.deepEqual(r.vectorizer.vocabulary, ["apple", "banana", "cherry"]);
    const m = r.ctfidf.matrix;
    close(sparseGet(m, 0, 0), (2 / 3) * log(2));
    close(sparseGet(m, 0, 1), (1 / 3) * log(2));
    assert.equal(sparseGet(m, 0, 2), 0);
    close(sparseGet(m, 1, 1), (1 / 2) * log(2));
    close(sparseGet(m, 1, 2), (1 / 2) * log(3));
    assert.deepEqual(
      r.words.get(0)!.map((w) => w.word),
      ["apple", "banana"],
    );
    assert.deepEqual(
      r.words.get(1)!.map((w) => w.word),
      ["cherry", "banana"],
    );
  });

  it("without the option the numbers are topic words (the default is unchanged)", () => {
    const r = representTopics(texts, labels, base);
    assert.deepEqual(r.vectorizer.vocabulary, ["2020", "99", "apple", "banana", "cherry"]);
    assert.equal(r.words.get(0)![0].word, "2020");
    close(r.words.get(0)![0].score, (2 / 5) * log(1 + 4 / 2));
  });

  it("a saved representation scores new text the same way (numbers still dropped)", () => {
    const r = representTopics(texts, labels, { ...base, dropNumbers: true });
    const json = JSON.parse(JSON.stringify(r.toJSON()));
    assert.equal(json.vectorizer.options.dropNumbers, true);
    const restored = representationFromJSON(json);
    assert.equal(restored.vectorizer.options.dropNumbers, true);
    const probe = ["apple 2020 cherry 2020 2020"];
    assert.deepEqual(documentCtfidf(restored, probe), documentCtfidf(r, probe));
    assert.deepEqual(restored.vectorizer.knownTerms(probe[0]), ["apple", "cherry"]);
  });
});

describe("CountVectorizer JSON and dropNumbers", () => {
  it("round-trips the option", () => {
    const v = new CountVectorizer({ ngramRange: [1, 2], minDf: 1, stopWords: "none", dropNumbers: true });
    v.fit(["mp3 00 player", "00 player 7"]);
    assert.deepEqual(v.vocabulary, ["mp3", "mp3 player", "player"]);
    const back = CountVectorizer.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
    assert.equal(back.options.dropNumbers, true);
    // "mp3 00 player" counts the bigram across the dropped number, as at fit.
    assert.deepEqual(back.knownTerms("mp3 00 player"), ["mp3", "player", "mp3 player"]);
    const row = back.transform(["mp3 00 player"]);
    assert.deepEqual(Array.from(row.indices), [0, 1, 2]);
  });

  it("an old JSON without the field loads as false and keeps numbers", () => {
    const old: VectorizerJSON = {
      options: { ngramRange: [1, 2], minDf: 1, stopWords: "none" },
      vocabulary: ["00", "00 player", "player"],
    };
    const v = CountVectorizer.fromJSON(old);
    assert.equal(v.options.dropNumbers, false);
    assert.equal(v.toJSON().options.dropNumbers, false);
    assert.deepEqual(v.knownTerms("00 player"), ["00", "player", "00 player"]);
  });
});
