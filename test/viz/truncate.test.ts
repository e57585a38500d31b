/** truncate() reads only a prefix of long texts; it must answer exactly as collapsing the whole text. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRng } from "../../src/util/rng.js";
import { truncate } from "../../src/viz/theme.js";

/** The definition: collapse whitespace in the whole text, trim, cut at max code points with "…". */
function reference(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
}

describe("truncate", () => {
  test("equals the whole-text definition on random texts (whitespace runs, surrogate pairs, lengths around the cut)", () => {
    const rng = createRng(7);
    const pieces = ["a", "b", " ", "  ", "\n\t ", "😀", "é", "\u00a0", "中", "      "];
    // every kind of whitespace \s knows, and characters next to them that are not whitespace
    const spaces = [
      "\v",
      "\f",
      "\r",
      "\u1680",
      "\u2000",
      "\u200a",
      "\u2028",
      "\u2029",
      "\u202f",
      "\u205f",
      "\u3000",
      "\ufeff",
    ];
    const near = [
      "\u0008",
      "\u000e",
      "\u001f",
      "\u0085",
      "\u009f",
      "\u200b",
      "\u180e",
      "\u2060",
      "\u00ad",
      "!",
    ];
    pieces.push(...spaces, ...near);
    // half the rounds without the surrogate pair, so that most texts take the one-pass way to the end
    const withoutPairs = pieces.filter((p) => p !== "😀");
    for (let round = 0; round < 6000; round++) {
      const from = round % 2 === 0 ? pieces : withoutPairs;
      const max = 1 + rng.nextInt(40);
      const length = rng.nextInt(8 * max + 400);
      let text = "";
      while (text.length < length) text += from[rng.nextInt(from.length)];
      if (rng.next() < 0.2) text = " ".repeat(rng.nextInt(600)) + text;
      assert.equal(truncate(text, max), reference(text, max), JSON.stringify({ text, max }));
    }
  });

  test("a megabyte of text: the first words and an ellipsis", () => {
    const text = `  ${"word ".repeat(200_000)}`;
    assert.equal(truncate(text, 10), "word word…");
    assert.equal(truncate(text, 6), "word …");
  });
});
