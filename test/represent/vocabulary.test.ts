import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SparseMatrix } from "../../src/represent/sparse.js";
import { CountVectorizer } from "../../src/represent/vocabulary.js";
import { createTokenizer, englishStopWords, stopwordsIsoEnglish } from "../../src/text/tokenizer.js";

function dense(m: SparseMatrix): number[][] {
  const out = Array.from({ length: m.rows }, () => new Array<number>(m.cols).fill(0));
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.indptr[r]; k < m.indptr[r + 1]; k++) out[r][m.indices[k]] = m.data[k];
  }
  return out;
}

describe("tokenizer", () => {
  it("lower-cases, keeps runs of ≥ 2 word characters, drops stop words", () => {
    const t = createTokenizer({ ngramRange: [1, 1], stopWords: "english" });
    assert.deepEqual(t.terms("The GPU's 3 cores: I/O at 2.5 GHz, x_y"), ["gpu", "cores", "ghz", "x_y"]);
    // scikit-learn's list (test/represent: the words are pinned in src/represent/stop-words-english.ts)
    assert.ok(englishStopWords().has("the") && englishStopWords().size === 318);
    assert.ok(!englishStopWords().has("state") && stopwordsIsoEnglish().has("state"));
    assert.equal(stopwordsIsoEnglish().size, 1298);
    for (const word of englishStopWords()) assert.ok(stopwordsIsoEnglish().has(word), word);
  });

  it("'none' keeps everything; a custom list is lower-cased", () => {
    assert.deepEqual(createTokenizer({ ngramRange: [1, 1], stopWords: "none" }).terms("The end"), [
      "the",
      "end",
    ]);
    assert.deepEqual(createTokenizer({ ngramRange: [1, 1], stopWords: ["END"] }).terms("The end"), ["the"]);
  });

  it("n-grams come after stop-word removal, unigrams first", () => {
    const t = createTokenizer({ ngramRange: [1, 2], stopWords: ["of"] });
    assert.deepEqual(t.terms("bank of england rates"), [
      "bank",
      "england",
      "rates",
      "bank england",
      "england rates",
    ]);
    assert.deepEqual(createTokenizer({ ngramRange: [2, 3], stopWords: "none" }).terms("a bb cc"), ["bb cc"]);
    assert.deepEqual(createTokenizer({ ngramRange: [3, 3], stopWords: "none" }).terms("bb cc"), []);
  });

  it("rejects a bad n-gram range", () => {
    assert.throws(() => createTokenizer({ ngramRange: [2, 1], stopWords: "none" }), /ngramRange/);
    assert.throws(() => createTokenizer({ ngramRange: [0, 1], stopWords: "none" }), /ngramRange/);
  });
});

describe("CountVectorizer", () => {
  const texts = ["apple banana apple", "banana cherry", "cherry cherry date", ""];

  it("alphabetical vocabulary and counts, as scikit-learn", () => {
    const v = new CountVectorizer({ ngramRange: [1, 1], minDf: 1, stopWords: "none" });
    const X = v.fitTransform(texts);
    assert.deepEqual(v.vocabulary, ["apple", "banana", "cherry", "date"]);
    assert.deepEqual(dense(X), [
      [2, 1, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 2, 1],
      [0, 0, 0, 0],
    ]);
    assert.deepEqual(dense(v.transform(["date fig date", "apple"])), [
      [0, 0, 0, 2],
      [1, 0, 0, 0],
    ]);
  });

  it("minDf counts texts, not occurrences", () => {
    const v = new CountVectorizer({ ngramRange: [1, 1], minDf: 2, stopWords: "none" });
    const X = v.fitTransform(texts);
    assert.deepEqual(v.vocabulary, ["banana", "cherry"]);
    assert.deepEqual(dense(X), [
      [1, 0],
      [1, 1],
      [0, 2],
      [0, 0],
    ]);
  });

  it("n-grams: pruned unigrams do not hide the bigrams that contain them", () => {
    const v = new CountVectorizer({ ngramRange: [1, 2], minDf: 2, stopWords: "none" });
    v.fit(["new york city", "new york state", "old city"]);
    assert.deepEqual(v.vocabulary, ["city", "new", "new york", "york"]);
    assert.deepEqual(dense(v.transform(["in new york new york", "york new"])), [
      [0, 2, 2, 2],
      [0, 1, 0, 1],
    ]);
    const only2 = new CountVectorizer({ ngramRange: [2, 2], minDf: 1, stopWords: "none" });
    only2.fit(["aa bb cc", "bb cc"]);
    assert.deepEqual(only2.vocabulary, ["aa bb", "bb cc"]);
    assert.deepEqual(dense(only2.transform(["bb cc aa bb cc"])), [[1, 2]]);
  });

  it("code point order, not UTF-16 order, for characters outside the BMP", () => {
    const v = new CountVectorizer({ ngramRange: [1, 1], minDf: 1, stopWords: "none" });
    v.fit(["\u{1D400}\u{1D401} \uFF41\uFF42 zz"]); // 𝐀𝐁 (U+1D400) sorts after ａｂ (U+FF41) in Python
    assert.deepEqual(v.vocabulary, ["zz", "\uFF41\uFF42", "\u{1D400}\u{1D401}"]);
  });

  it("a few texts look their tokens up by binary search over the sorted terms: the same counts as the map", () => {
    const fitTexts = ["\u{1D400}\u{1D401} \uFF41\uFF42 zz yy", "zz xx \u{1D400}\u{1D401}", "yy ab abc"];
    const probe = ["zz \u{1D400}\u{1D401} zz abc ab unknown \uFF41\uFF42", "xx yy"];
    const searched = new CountVectorizer({ ngramRange: [1, 1], minDf: 1, stopWords: "none" });
    searched.fit(fitTexts);
    const mapped = CountVectorizer.fromJSON(JSON.parse(JSON.stringify(searched.toJSON())));
    mapped.columnOf("zz"); // the map is built: the transform uses it
    assert.deepEqual(dense(searched.transform(probe)), dense(mapped.transform(probe)));
    assert.deepEqual(
      dense(searched.transform(probe))[0].reduce((a, b) => a + b, 0),
      6,
    );
    // a saved vocabulary out of order (hand-edited) is looked up through the map, still right
    const json = searched.toJSON();
    const shuffled = CountVectorizer.fromJSON({ ...json, vocabulary: [...json.vocabulary].reverse() });
    const counts = dense(shuffled.transform(["zz zz yy"]))[0];
    assert.equal(counts[shuffled.columnOf("zz")!], 2);
    assert.equal(counts[shuffled.columnOf("yy")!], 1);
  });

  it("JSON round trip gives the same counts (including n-grams)", () => {
    const v = new CountVectorizer({ ngramRange: [1, 3], minDf: 1, stopWords: ["the"] });
    v.fit(["the quick brown fox", "quick brown dogs run"]);
    const back = CountVectorizer.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
    const probe = ["quick brown fox and the quick brown dogs", "fox"];
    assert.deepEqual(back.vocabulary, v.vocabulary);
    assert.deepEqual(dense(back.transform(probe)), dense(v.transform(probe)));
    assert.deepEqual(back.knownTerms("quick brown fox"), [
      "quick",
      "brown",
      "fox",
      "quick brown",
      "brown fox",
      "quick brown fox",
    ]);
  });

  it("transform equals counting the tokenizer's terms (random texts)", () => {
    const words = ["aa", "bb", "cc", "dd", "ee", "the"];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const make = () => Array.from({ length: 30 }, () => words[Math.floor(random() * words.length)]).join(" ");
    const fitTexts = Array.from({ length: 20 }, make);
    for (const ngramRange of [
      [1, 3],
      [1, 1],
    ] as [number, number][]) {
      const v = new CountVectorizer({ ngramRange, minDf: 3, stopWords: ["the"] });
      const X = v.fitTransform(fitTexts);
      const again = v.transform(fitTexts);
      assert.deepEqual(dense(X), dense(again));
      const tokenizer = createTokenizer({ ngramRange, stopWords: ["the"] });
      // each text's row: its tokenizer terms that the vocabulary holds, counted
      const expectedRows = (texts: string[]) =>
        texts.map((text) => {
          const expected = new Array<number>(v.size).fill(0);
          for (const term of tokenizer.terms(text)) {
            const c = v.columnOf(term);
            if (c !== undefined) expected[c]++;
          }
          return expected;
        });
      assert.deepEqual(dense(X), expectedRows(fitTexts));
      // texts with words the vocabulary does not hold (the fit never saw "zz"; "ee" may be under minDf)
      const probe = ["zz aa bb zz the ee", "", "cc cc zz dd aa"];
      assert.deepEqual(dense(v.transform(probe)), expectedRows(probe));
    }
  });

  it("rejects minDf < 1", () => {
    assert.throws(() => new CountVectorizer({ ngramRange: [1, 1], minDf: 0, stopWords: "none" }), /minDf/);
  });
});
