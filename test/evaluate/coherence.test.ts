import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { cvCoherence, npmiCoherence } from "../../src/evaluate/coherence.js";
import { referenceCorpusFromTokens } from "../../src/evaluate/reference-corpus.js";
import { countSlidingWindows } from "../../src/evaluate/sliding-window.js";

interface CoherenceFixture {
  documents: { id: string; tokens: string[] }[];
  topics: string[][];
  expected: Record<string, { score: number; perTopic: number[] }>;
  counts: Record<
    string,
    { windows: number; occurrences: Record<string, number>; cooccurrences: [string, string, number][] }
  >;
}

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/evaluate/coherence.json", import.meta.url), "utf8"),
) as CoherenceFixture;
const corpus = referenceCorpusFromTokens(fixture.documents.map((d) => d.tokens));

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);
}

test("sliding-window counts equal gensim's WordOccurrenceAccumulator (windows 10 and 110)", () => {
  for (const [window, expected] of Object.entries(fixture.counts)) {
    const words = Object.keys(expected.occurrences);
    const counts = countSlidingWindows(corpus, words, Number(window), "gensim");
    assert.equal(counts.windows, expected.windows);
    for (const word of words) {
      assert.equal(
        counts.occurrences(counts.indexOf(word)),
        expected.occurrences[word],
        `${word} @${window}`,
      );
    }
    const nonZero = new Map(expected.cooccurrences.map(([a, b, c]) => [`${a} ${b}`, c]));
    for (let i = 0; i < words.length; i++) {
      for (let j = i + 1; j < words.length; j++) {
        const got = counts.cooccurrences(counts.indexOf(words[i]), counts.indexOf(words[j]));
        assert.equal(got, nonZero.get(`${words[i]} ${words[j]}`) ?? 0, `${words[i]} ${words[j]} @${window}`);
      }
    }
  }
});

test("C_NPMI equals gensim CoherenceModel(coherence='c_npmi') per topic and overall", () => {
  for (const key of ["c_npmi@10", "c_npmi@5"]) {
    const windowSize = Number(key.split("@")[1]);
    const result = npmiCoherence(fixture.topics, corpus, { topN: 10, windowSize });
    const expected = fixture.expected[key];
    assertClose(result.score, expected.score, 1e-9, key);
    for (const [t, value] of expected.perTopic.entries()) {
      assertClose(result.perTopic[t], value, 1e-9, `${key} topic ${t}`);
    }
    assert.equal(result.unscoredTopics, 0);
  }
});

test("C_V equals gensim CoherenceModel(coherence='c_v') per topic and overall", () => {
  const result = cvCoherence(fixture.topics, corpus, { topN: 10 });
  const expected = fixture.expected["c_v@110"];
  assert.equal(result.windowSize, 110);
  assertClose(result.score, expected.score, 1e-9, "c_v");
  for (const [t, value] of expected.perTopic.entries())
    assertClose(result.perTopic[t], value, 1e-9, `c_v topic ${t}`);
});

/** Brute force: the set of words in each window, as the definition says. */
function bruteForceCounts(documents: string[][], a: string, b: string, window: number) {
  let windows = 0;
  let countA = 0;
  let both = 0;
  for (const doc of documents) {
    if (doc.length === 0) continue;
    const n = Math.max(1, doc.length - window + 1);
    for (let w = 0; w < n; w++) {
      const inside = new Set(doc.slice(w, w + window));
      windows++;
      if (inside.has(a)) countA++;
      if (inside.has(a) && inside.has(b)) both++;
    }
  }
  return { windows, countA, both };
}

test("exact window counting matches a brute-force count; gensim's under-counts repeated words", () => {
  const documents = [
    ["a", "x", "a", "x", "x", "x"],
    ["b", "a"],
    [],
    ["x", "a", "a", "a", "b", "x", "x", "b", "a", "x", "a"],
  ];
  const reference = referenceCorpusFromTokens(documents);
  for (const window of [1, 2, 3, 4, 12]) {
    const exact = countSlidingWindows(reference, ["a", "b", "x", "never"], window, "exact");
    const brute = bruteForceCounts(documents, "a", "x", window);
    assert.equal(exact.windows, brute.windows);
    assert.equal(exact.occurrences(exact.indexOf("a")), brute.countA, `a @${window}`);
    assert.equal(exact.cooccurrences(exact.indexOf("a"), exact.indexOf("x")), brute.both, `a,x @${window}`);
    assert.equal(exact.indexOf("never"), -1);
  }
  // Hand-traced gensim update for ["a","x","a","x","x","x"], window 3: a is marked in window 0 only
  // (the leaving first "a" un-marks it though the second is still inside); plus ["b","a"] → 2.
  const gensim = countSlidingWindows(reference, ["a", "x"], 3, "gensim");
  const firstTwo = countSlidingWindows(
    referenceCorpusFromTokens(documents.slice(0, 2)),
    ["a", "x"],
    3,
    "gensim",
  );
  assert.equal(firstTwo.occurrences(firstTwo.indexOf("a")), 2);
  assert.equal(firstTwo.windows, 5);
  assert.ok(
    gensim.occurrences(gensim.indexOf("a")) <
      countSlidingWindows(reference, ["a"], 3, "exact").occurrences(0),
  );
});

test("words missing from the reference corpus are left out; topics with < 2 words are not scored", () => {
  const reference = referenceCorpusFromTokens([
    ["cat", "dog", "cat", "fish"],
    ["dog", "bird"],
  ]);
  const result = npmiCoherence(
    [
      ["cat", "dog", "unicorn"],
      ["unicorn", "dragon", "bird"],
    ],
    reference,
  );
  assert.deepEqual(result.missingWords, [["unicorn"], ["unicorn", "dragon"]]);
  assert.equal(result.unscoredTopics, 1);
  assert.ok(Number.isNaN(result.perTopic[1]));
  assert.equal(result.score, result.perTopic[0]);
  // Two windows (both documents shorter than 10): cat in 1, dog in 2, both in 1 → P = 1/2, 1, 1/2.
  const expected = Math.log((0.5 + 1e-12) / (0.5 * 1)) / -Math.log(0.5 + 1e-12);
  assertClose(result.perTopic[0], expected, 1e-15, "cat/dog");
});

test("coherence on 20 Newsgroups-sized input is fast (3.5M tokens, 100 topics)", () => {
  // Synthetic Zipf-like corpus of 3.5M tokens; the budget is generous for a loaded 2-core machine.
  let state = 12345;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const vocabulary = Array.from({ length: 30000 }, (_, i) => `w${i}`);
  const documents: string[][] = [];
  for (let d = 0; d < 18846; d++) {
    const length = Math.floor(random() * 370);
    const doc: string[] = new Array(length);
    for (let t = 0; t < length; t++) doc[t] = vocabulary[Math.floor(30000 * random() ** 3)];
    documents.push(doc);
  }
  const reference = referenceCorpusFromTokens(documents);
  const topics = Array.from({ length: 100 }, (_, t) =>
    Array.from({ length: 10 }, (_, j) => `w${(t * 7 + j * 13) % 400}`),
  );
  const started = performance.now();
  const npmi = npmiCoherence(topics, reference);
  const cv = cvCoherence(topics, reference);
  const seconds = (performance.now() - started) / 1000;
  assert.ok(Number.isFinite(npmi.score) && Number.isFinite(cv.score));
  assert.ok(seconds < 8, `took ${seconds.toFixed(2)} s`);
});
