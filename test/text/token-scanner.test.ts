/** The token scanner (text/token-scanner.ts) gives exactly the tokenizer's unigram tokens, as ids. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TermTable, TokenScanner } from "../../src/text/token-scanner.js";
import { createTokenizer } from "../../src/text/tokenizer.js";
import { createRng } from "../../src/util/rng.js";

function setup(options: { stopWords: "english" | "none"; dropNumbers: boolean; segmentWords: boolean }) {
  const tokenizer = createTokenizer({ ngramRange: [1, 1], ...options });
  const scanner = new TokenScanner(tokenizer);
  const terms: string[] = [];
  const index = new Map<string, number>();
  const table = new TermTable((term) => {
    let id = index.get(term);
    if (id === undefined) {
      id = terms.length;
      terms.push(term);
      index.set(term, id);
    }
    return id;
  });
  const scan = (text: string): string[] | false => {
    const got: string[] = [];
    return scanner.ids(text, table, (id) => got.push(terms[id])) ? got : false;
  };
  const want = (text: string): string[] => {
    const out: string[] = [];
    tokenizer.forEachToken(text, (t) => out.push(t));
    return out;
  };
  return { scan, want, terms };
}

// pieces that test the edges: astral letters and digits, lone surrogates, combining marks, "_",
// digits of other scripts, a letter that lower-cases to two code units, punctuation, spaces
const PIECES = [
  "a",
  "B",
  "z",
  "7",
  "_",
  " ",
  "  ",
  "\n",
  ".",
  ",",
  "-",
  "'",
  "é",
  "É",
  "İ",
  "ß",
  "Σ",
  "ς",
  "٣",
  "४",
  "𝔸",
  "𝟙",
  "😀",
  "\ud800",
  "\udc00",
  "\u0301",
  "ﬁ",
  "Ⅻ",
  "½",
  "の",
  "the",
  "and",
  "mp3",
  "00",
  "1993",
];

describe("TokenScanner", () => {
  it("hand-made cases: digits, astral letters, lone surrogates, stop words", () => {
    const { scan, want } = setup({ stopWords: "english", dropNumbers: true, segmentWords: true });
    for (const text of [
      "The mp3 player 00 1993 ٣٤ g9v x_y __ a I 𝔸𝔹 𝔸 z\ud800z ab\udc00cd é́t ÉTÉ İstanbul ½½ ⅫⅫ",
      "",
      "   ",
      "😀😀 ab😀cd",
    ])
      assert.deepEqual(scan(text), want(text), text);
  });

  it("leaves scripts without spaces to the tokenizer's segmenter (unless segmentation is off)", () => {
    assert.equal(
      setup({ stopWords: "none", dropNumbers: false, segmentWords: true }).scan("東京の猫 cats"),
      false,
    );
    const off = setup({ stopWords: "none", dropNumbers: false, segmentWords: false });
    assert.deepEqual(off.scan("東京の猫 cats"), off.want("東京の猫 cats"));
  });

  it("random texts of edge pieces give the tokenizer's tokens under every option", () => {
    const rng = createRng(11);
    for (const stopWords of ["english", "none"] as const) {
      for (const dropNumbers of [false, true]) {
        for (const segmentWords of [false, true]) {
          const { scan, want } = setup({ stopWords, dropNumbers, segmentWords });
          for (let t = 0; t < 400; t++) {
            let text = "";
            const length = Math.floor(rng.next() * 40);
            for (let p = 0; p < length; p++) text += PIECES[Math.floor(rng.next() * PIECES.length)];
            const got = scan(text);
            if (got === false) continue; // held a script without spaces
            assert.deepEqual(got, want(text), JSON.stringify(text));
          }
        }
      }
    }
  });

  it("keeps ids right past its table's growth (many distinct terms)", () => {
    const { scan, terms } = setup({ stopWords: "none", dropNumbers: false, segmentWords: true });
    const words = Array.from({ length: 20000 }, (_, i) => `w${i.toString(36)}x`);
    assert.deepEqual(scan(words.join(" ")), words);
    assert.deepEqual(scan(words.slice().reverse().join(" ")), words.slice().reverse());
    assert.equal(terms.length, 20000);
  });
});
