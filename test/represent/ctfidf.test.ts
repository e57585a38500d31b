import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ClassTfidfTransformer,
  ctfidfSimilarity,
  documentCtfidf,
  representationFromJSON,
  representTopics,
  sparseGet,
  topicCandidates,
  topicLabel,
} from "../../src/represent/index.js";

/*
 * Hand-computed example, three topics (-1, 0, 1), no stop words, unigrams, minDf 1.
 *   topic -1: "apple banana apple" + "apple cherry"   → joined "apple banana apple apple cherry"
 *   topic  0: "banana banana date"
 *   topic  1: "cherry date date date date"
 * Vocabulary (alphabetical): apple, banana, cherry, date.
 * Counts X:          apple banana cherry date | row sum
 *   -1                  3     1      1     0   |   5
 *    0                  0     2      0     1   |   3
 *    1                  0     0      1     4   |   5
 * f_x = column sums = [3, 3, 2, 5]; mean row sum = 13/3 = 4.33 → A = int(4.33) = 4.
 * idf = ln(A/f + 1) = [ln(7/3), ln(7/3), ln(3), ln(9/5)].
 * bm25 idf = ln(1 + (A − f + 0.5)/(f + 0.5)) = [ln(10/7), ln(10/7), ln(2), ln(10/11) < 0].
 * L1 tf: -1: [3/5, 1/5, 1/5, 0]; 0: [0, 2/3, 0, 1/3]; 1: [0, 0, 1/5, 4/5].
 * c-TF-IDF = tf·idf (or √tf·idf with reduceFrequentWords).
 */
const texts = ["apple banana apple", "banana banana date", "apple cherry", "cherry date date date date"];
const labels = Int32Array.from([-1, 0, -1, 1]);
const base = {
  ngramRange: [1, 1] as [number, number],
  minDf: 1,
  topN: 10,
  stopWords: "none" as const,
  bm25Weighting: false,
  reduceFrequentWords: false,
};
const { log, sqrt } = Math;
const idf = [log(7 / 3), log(7 / 3), log(3), log(9 / 5)];
const bm25Idf = [log(10 / 7), log(10 / 7), log(2), log(10 / 11)];
const tf = [
  [3 / 5, 1 / 5, 1 / 5, 0],
  [0, 2 / 3, 0, 1 / 3],
  [0, 0, 1 / 5, 4 / 5],
];

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} vs ${expected}`);
}

function checkMatrix(weights: number[], transformTf: (x: number) => number, options: typeof base): void {
  const rep = representTopics(texts, labels, options);
  assert.deepEqual(rep.topicIds, [-1, 0, 1]);
  assert.deepEqual(rep.vectorizer.vocabulary, ["apple", "banana", "cherry", "date"]);
  assert.equal(rep.ctfidf.transformer.averageWords, 4);
  for (let j = 0; j < 4; j++) close(rep.ctfidf.transformer.idf[j], weights[j], `idf ${j}`);
  for (let r = 0; r < 3; r++) {
    for (let j = 0; j < 4; j++) {
      close(
        sparseGet(rep.ctfidf.matrix, r, j),
        tf[r][j] === 0 ? 0 : transformTf(tf[r][j]) * weights[j],
        `(${r},${j})`,
      );
    }
  }
}

describe("c-TF-IDF, hand-computed", () => {
  it("default weighting", () => {
    checkMatrix(idf, (x) => x, base);
    const rep = representTopics(texts, labels, base);
    // -1: apple .6·ln(7/3)=0.508, cherry .2·ln3=0.220, banana .2·ln(7/3)=0.169
    assert.deepEqual(
      rep.words.get(-1)!.map((t) => t.word),
      ["apple", "cherry", "banana"],
    );
    close(rep.words.get(-1)![0].score, 0.6 * log(7 / 3), "apple");
    // 1: date .8·ln1.8=0.470 beats cherry .2·ln3=0.220
    assert.deepEqual(
      rep.words.get(1)!.map((t) => t.word),
      ["date", "cherry"],
    );
    assert.equal(topicLabel(-1, rep.words.get(-1)!), "-1_apple_cherry_banana");
  });

  it("bm25 weighting: negative idf words are dropped from the top words", () => {
    checkMatrix(bm25Idf, (x) => x, { ...base, bm25Weighting: true });
    const rep = representTopics(texts, labels, { ...base, bm25Weighting: true });
    assert.ok(sparseGet(rep.ctfidf.matrix, 2, 3) < 0, "date gets a negative score in topic 1");
    assert.deepEqual(rep.words.get(1), [{ word: "cherry", score: 0.2 * log(2) }]);
  });

  it("reduceFrequentWords takes the square root of the L1-normalised counts", () => {
    checkMatrix(idf, sqrt, { ...base, reduceFrequentWords: true });
    checkMatrix(bm25Idf, sqrt, { ...base, reduceFrequentWords: true, bm25Weighting: true });
  });

  it("topN, minDf across topics and the label format", () => {
    const rep = representTopics(texts, labels, { ...base, topN: 1, minDf: 2 });
    // minDf counts topics (one joined text each): apple is only in topic -1.
    assert.deepEqual(rep.vectorizer.vocabulary, ["banana", "cherry", "date"]);
    assert.equal(rep.words.get(0)!.length, 1);
    assert.equal(
      topicLabel(3, [
        { word: "new york", score: 1 },
        { word: "b", score: 0.5 },
      ]),
      "3_new york_b",
    );
    assert.equal(topicLabel(7, []), "7");
    assert.equal(
      topicLabel(
        0,
        "abcdef".split("").map((word) => ({ word, score: 1 })),
      ),
      "0_a_b_c_d",
    );
  });

  it("ties break alphabetically", () => {
    const rep = representTopics(["zeta alpha mid", "other"], Int32Array.from([0, 1]), base);
    assert.deepEqual(
      rep.words.get(0)!.map((t) => t.word),
      ["alpha", "mid", "zeta"],
    );
  });

  it("fit with a multiplier scales idf (seed words)", () => {
    const rep = representTopics(texts, labels, base);
    const counts = rep.vectorizer.transform(["apple banana apple apple cherry"]);
    const t = new ClassTfidfTransformer(base).fit(counts, Float64Array.from([2, 1, 1, 1]));
    // One class: f = [3,1,1,0], A = 5 → apple ln(5/3+1)·2; date has f = 0 → idf = ln(∞) (numpy gives inf too).
    close(t.idf[0], 2 * log(5 / 3 + 1), "seeded apple");
    assert.equal(t.idf[3], Number.POSITIVE_INFINITY);
  });
});

describe("scoring new documents against topics", () => {
  const rep = representTopics(texts, labels, base);

  it("documentCtfidf uses the fitted idf", () => {
    const m = documentCtfidf(rep, ["banana date date", "unknown words only"]);
    close(sparseGet(m, 0, 1), (1 / 3) * idf[1], "banana");
    close(sparseGet(m, 0, 3), (2 / 3) * idf[3], "date");
    assert.equal(m.indptr[2] - m.indptr[1], 0);
  });

  it("cosine similarity with topic rows (outlier topic left out by default)", () => {
    const { topicIds, scores } = ctfidfSimilarity(rep, ["banana banana date", "nothing known"]);
    assert.deepEqual(topicIds, [0, 1]);
    assert.equal(scores.cols, 2);
    close(scores.data[0], 1, "same text as topic 0"); // identical tf → cosine 1
    // doc tf [0,2/3,0,1/3]·idf vs topic 1 [0,0,.2·ln3,.8·ln1.8]: only date overlaps.
    const d = [0, (2 / 3) * idf[1], 0, (1 / 3) * idf[3]];
    const t1 = [0, 0, 0.2 * idf[2], 0.8 * idf[3]];
    const cos = (d[3] * t1[3]) / (Math.hypot(...d) * Math.hypot(...t1));
    assert.ok(Math.abs(scores.data[1] - cos) < 1e-6);
    assert.deepEqual(Array.from(scores.data.subarray(2)), [0, 0]);
    const all = ctfidfSimilarity(rep, ["apple"], { includeOutlierTopic: true });
    assert.deepEqual(all.topicIds, [-1, 0, 1]);
    assert.ok(all.scores.data[0] > 0 && all.scores.data[1] === 0);
  });

  it("round-trips through JSON", () => {
    const json = JSON.parse(JSON.stringify(rep.toJSON()));
    const back = representationFromJSON(json);
    assert.deepEqual(back.topicIds, rep.topicIds);
    assert.deepEqual(back.words, rep.words);
    assert.deepEqual(back.vectorizer.vocabulary, rep.vectorizer.vocabulary);
    assert.deepEqual(
      Array.from(documentCtfidf(back, ["banana date"]).data),
      Array.from(documentCtfidf(rep, ["banana date"]).data),
    );
    assert.deepEqual(topicCandidates(back, 1, 5), rep.words.get(1));
    assert.deepEqual(topicCandidates(back, 42, 5), []);
  });

  it("rejects mismatched input lengths", () => {
    assert.throws(() => representTopics(texts, Int32Array.from([0]), base), /4 texts but 1 labels/);
  });
});
