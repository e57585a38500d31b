import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ClassTermCounts,
  countsSupported,
  representFromCounts,
  vectorizerStream,
} from "../../src/represent/class-counts.js";
import { type RepresentOptions, representTopics } from "../../src/represent/index.js";
import { representWithSeedWords, SEED_WORD_MULTIPLIER } from "../../src/topics/lifecycle/build.js";

// Mixed texts: stop words, numbers, case, punctuation glued to words, a script without spaces
// (segmented by Intl.Segmenter), a text with no token at all, and words shared across classes.
const TEXTS = [
  "The rocket launch was delayed; NASA's rocket team met at 10:30.",
  "Orbit, orbit and orbit again — the satellite's orbit decays in 2027.",
  "I bake bread with flour, sugar and butter: bread every day",
  "Sugar-free cake? The oven was at 180 degrees for the cake.",
  "The striker scored a goal; the referee gave a penalty in the match.",
  "Goal! Goal! The keeper could not stop the penalty.",
  "a an the of",
  "猫が好きです。東京の猫はかわいい。",
  "Launch the bread rocket: 3 2 1 go",
  "x_y z_9 __ 00 007 mp3 g9v",
  "Dough, oven, kitchen, recipe; recipe again",
  "The match at the stadium: coach and midfield",
];
const LABELS = Int32Array.from([0, 0, 1, 1, 2, 2, -1, -1, 0, -1, 1, 2]);

function options(over: Partial<RepresentOptions> = {}): RepresentOptions {
  return {
    ngramRange: [1, 1],
    minDf: 1,
    topN: 10,
    stopWords: "english",
    bm25Weighting: false,
    reduceFrequentWords: false,
    ...over,
  };
}

function counted(o: RepresentOptions, texts = TEXTS, labels = LABELS): ClassTermCounts {
  const counts = new ClassTermCounts(vectorizerStream(o));
  for (let i = 0; i < texts.length; i++) counts.update(texts[i], labels[i], 1);
  return counts;
}

const ids = (labels: Int32Array) => [...new Set(labels)].sort((a, b) => a - b);

describe("representFromCounts", () => {
  const variants: [string, Partial<RepresentOptions>][] = [
    ["defaults", {}],
    ["min_df 2", { minDf: 2 }],
    ["min_df 3, bm25, reduce frequent words", { minDf: 3, bm25Weighting: true, reduceFrequentWords: true }],
    ["no stop words, numbers dropped", { stopWords: "none", dropNumbers: true }],
    ["a custom stop list, Japanese locale", { stopWords: ["rocket", "goal"], language: "ja" }],
  ];
  for (const [name, over] of variants) {
    it(`equals representTopics on the joined texts (${name})`, () => {
      const o = options(over);
      const expected = representTopics(TEXTS, LABELS, o).toJSON();
      const actual = representFromCounts(counted(o), ids(LABELS), o).toJSON();
      assert.deepEqual(actual, expected);
      // min_df 3 of 4 classes keeps nothing here: the empty vocabulary must agree too
      assert.ok(expected.vectorizer.vocabulary.length > (o.minDf === 1 ? 5 : o.minDf === 2 ? 0 : -1));
    });
  }

  it("equals representWithSeedWords with the seed boost", () => {
    const o = options({ minDf: 1 });
    const seeds = ["bread", "Orbit", "goal"];
    const expected = representWithSeedWords(TEXTS, LABELS, o, seeds).toJSON();
    const actual = representFromCounts(counted(o), ids(LABELS), o, {
      words: seeds,
      multiplier: SEED_WORD_MULTIPLIER,
    }).toJSON();
    assert.deepEqual(actual, expected);
    const column = expected.vectorizer.vocabulary.indexOf("bread");
    const plain = representTopics(TEXTS, LABELS, o).toJSON().ctfidf.idf[column];
    assert.ok(Math.abs(expected.ctfidf.idf[column] - plain * SEED_WORD_MULTIPLIER) < 1e-12);
  });

  it("moving documents between classes gives the counts of the new assignment", () => {
    const o = options({ minDf: 2 });
    const moved = Int32Array.from(LABELS);
    moved[0] = 2; // rocket → football
    moved[6] = 1; // the stop-word-only text joins a class: a class row with no tokens
    moved[5] = -1;
    const counts = counted(o);
    for (const i of [0, 6, 5]) {
      counts.update(TEXTS[i], LABELS[i], -1);
      counts.update(TEXTS[i], moved[i], 1);
    }
    assert.deepEqual(
      representFromCounts(counts, ids(moved), o).toJSON(),
      representTopics(TEXTS, moved, o).toJSON(),
    );
    // removing every document of a class leaves an empty row: its terms no longer count for min_df
    const gone = Int32Array.from(moved, (l) => (l === 0 ? 1 : l));
    // (in one batch, as the model moves documents)
    counts.apply(
      [...TEXTS.keys()].filter((i) => moved[i] === 0).map((i) => ({ text: TEXTS[i], from: 0, to: 1 })),
    );
    assert.equal(counts.rows.get(0)?.ids.length, 0);
    assert.deepEqual(
      representFromCounts(counts, ids(gone), o).toJSON(),
      representTopics(TEXTS, gone, o).toJSON(),
    );
  });

  it("tracks document frequencies and totals, and refuses to go below zero", () => {
    const counts = new ClassTermCounts(vectorizerStream(options()), true);
    counts.update("bread bread oven", 3, 1);
    counts.update("bread cake", 3, 1);
    const bread = counts.termIndex("bread")!;
    assert.deepEqual(counts.lookup(3, bread), { count: 3, documents: 2 });
    assert.equal(counts.totals.get(3), 5);
    counts.update("bread cake", 3, -1);
    assert.deepEqual(counts.lookup(3, bread), { count: 2, documents: 1 });
    assert.deepEqual(counts.lookup(3, counts.termIndex("cake")!), { count: 0, documents: 0 });
    assert.deepEqual(
      Array.from(counts.rows.get(3)!.ids),
      [bread, counts.termIndex("oven")!].sort((a, b) => a - b),
    );
    assert.throws(() => counts.update("cake", 3, -1), /negative/);
  });

  it("keeps the vocabulary order when new terms arrive in batches", () => {
    const o = options();
    const counts = counted(o, TEXTS.slice(0, 6), LABELS.slice(0, 6));
    representFromCounts(counts, ids(LABELS.slice(0, 6)), o); // sorts the first terms
    counts.apply(TEXTS.slice(6).map((text, i) => ({ text, to: LABELS[6 + i] })));
    assert.deepEqual(
      representFromCounts(counts, ids(LABELS), o).toJSON(),
      representTopics(TEXTS, LABELS, o).toJSON(),
    );
  });

  it("sortedTerms after each of many batches is every term in code-point order", () => {
    const words = ["zeta", "alpha", "émile", "😀x", "ab", "abc", "b", "Zulu", "𝔸𝔹", "ﬁne", "mid", "aa"];
    const counts = new ClassTermCounts((text, emit) => {
      for (const w of text.split(" ")) emit(w);
    });
    const byCodePoints = (a: string, b: string) => {
      const x = [...a].map((c) => c.codePointAt(0)!);
      const y = [...b].map((c) => c.codePointAt(0)!);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
      return x.length - y.length;
    };
    for (let batch = 0; batch < 6; batch++) {
      // each batch brings terms that land before, between and after the known ones
      const text = words.map((w) => `${w}${batch % 2 === 0 ? batch : String.fromCodePoint(0x1f600 + batch)}`);
      counts.apply([{ text: text.join(" "), to: 0 }]);
      const got = [...counts.sortedTerms()].map((id) => counts.terms[id]);
      assert.deepEqual(got, [...counts.terms].sort(byCodePoints));
    }
  });

  it("applyPair tokenises shared texts once and gives both tables what apply gives each", () => {
    const a = options();
    const b = options({ stopWords: "english", language: "ja" });
    const changes = TEXTS.map((text, i) => ({ text, to: LABELS[i] }));
    const pairA = new ClassTermCounts(vectorizerStream(a));
    const pairB = new ClassTermCounts(vectorizerStream(b), true);
    let shared = 0;
    // the Japanese text goes through both streams (their segmenter locales differ)
    ClassTermCounts.applyPair(pairA, pairB, changes, (text) => {
      const ok = !/[\p{Script=Han}\p{Script=Hiragana}]/u.test(text);
      if (ok) shared++;
      return ok;
    });
    assert.equal(shared, TEXTS.length - 1);
    const soloA = new ClassTermCounts(vectorizerStream(a));
    soloA.apply(changes);
    const soloB = new ClassTermCounts(vectorizerStream(b), true);
    soloB.apply(changes);
    const classes = ids(LABELS);
    const named = (t: ClassTermCounts) => {
      const arrays = t.toArrays(classes);
      return { ...arrays, indices: Array.from(arrays.indices, (id) => t.terms[id]) };
    };
    assert.deepEqual(named(pairA).indices, named(soloA).indices);
    assert.deepEqual(named(pairA).counts, named(soloA).counts);
    assert.deepEqual(named(pairB).indices, named(soloB).indices);
    assert.deepEqual(named(pairB).documents, named(soloB).documents);
    assert.deepEqual(named(pairB).totals, named(soloB).totals);
  });

  it("is only offered for unigrams (n-grams span the joined documents)", () => {
    assert.equal(countsSupported({ ngramRange: [1, 1] }), true);
    assert.equal(countsSupported({ ngramRange: [1, 2] }), false);
    // the reason: "bread rocket" spans two documents of class 0 once they are joined
    const joined = representTopics(["bake bread", "rocket launch"], Int32Array.from([0, 0]), {
      ...options(),
      ngramRange: [1, 2],
    });
    assert.ok(joined.vectorizer.vocabulary.includes("bread rocket"));
  });
});
