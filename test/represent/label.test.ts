import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { labelWords, readableLabel } from "../../src/represent/label.js";

const terms = (...words: string[]) => words.map((word, i) => ({ word, score: 1 - i / 10 }));

describe("readable topic labels", () => {
  it("takes the first three words after the id", () => {
    assert.equal(readableLabel(3, terms("tax", "budget", "deficit", "spending")), "3: tax, budget, deficit");
  });
  it("skips prefix variants of a word already taken (shorter one ≥ 4 characters)", () => {
    assert.deepEqual(labelWords(terms("armenian", "armenians", "turkish", "israel", "israeli", "genocide")), [
      "armenian",
      "turkish",
      "israel",
    ]);
    // "us" is too short to count as a stem of "use"
    assert.deepEqual(labelWords(terms("us", "use", "war")), ["us", "use", "war"]);
  });
  it("puts digit-only tokens after the words, using them only when words run out", () => {
    assert.equal(readableLabel(0, terms("00", "cancer", "50", "1993", "april")), "0: cancer, april, 00");
    assert.equal(readableLabel(1, terms("25", "14", "18")), "1: 25, 14, 18");
  });
  it("is just the id without words", () => {
    assert.equal(readableLabel(-1, []), "-1");
  });
});
