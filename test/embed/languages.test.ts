/**
 * No silent collapse on text an encoder cannot read, the any-language `tfidf` fallback (and its
 * transform of new texts), and long documents (truncate vs chunk). The seed example is the one from
 * issue 14: 我喜欢猫 (I like cats), 我爱小猫 (I love kittens), 今天天气不错 (nice weather today).
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { textKey } from "../../src/embed/cache.js";
import { checkCorpus, chunkText, createEmbedder, readCorpusWith } from "../../src/embed/index.js";
import { createTfidfEmbedder } from "../../src/embed/tfidf.js";
import type { Embedder } from "../../src/embed/types.js";
import { createUseLiteEmbedder } from "../../src/embed/use-lite.js";
import { readMatrixNpy } from "../../src/io/npy.js";
import { UserError } from "../../src/util/errors.js";
import { runCli } from "../cli/helpers.js";
import { cosine, rowOf, tempDir } from "./helpers.js";
import { writeTinyBert } from "./tiny-bert.js";

const SEED = ["我喜欢猫", "我爱小猫", "今天天气不错"];
const dir = tempDir("languages");
after(() => dir.remove());

describe("the seed example (issue 14)", () => {
  const corpus = join(dir.path, "seed.jsonl");
  writeFileSync(corpus, SEED.map((text) => JSON.stringify({ text })).join("\n"));

  test("the default encoder stops with one line naming the language and the alternatives (exit 2)", () => {
    const result = runCli(["embed", corpus, "-o", join(dir.path, "seed.npy")]);
    assert.equal(result.status, 2);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.match(
      lines[0],
      /^topicscope: error: 3 of 3 documents are Chinese text \(Han script\), which use-lite cannot read \(\d+% of their tokens map to its unknown token.*--model sentence-transformers\/paraphrase-multilingual-MiniLM-L12-v2.*--model tfidf.*--allow-unknown-text/,
    );
  });

  test("--allow-unknown-text proceeds, with a warning (and the collapse it warned about)", () => {
    const out = join(dir.path, "seed-allowed.npy");
    const result = runCli(["embed", corpus, "-o", out, "--allow-unknown-text"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stderr,
      /warning: 3 of 3 documents are mostly text use-lite cannot read \(Han script 3/,
    );
    const m = readMatrixNpy(out);
    assert.ok(cosine(rowOf(m, 0), rowOf(m, 2)) > 0.99);
  });

  test("--model tfidf orders the pairs right: sim(我喜欢猫, 我爱小猫) > sim(我喜欢猫, 今天天气不错)", () => {
    const out = join(dir.path, "seed-tfidf.npy");
    const result = runCli(["embed", corpus, "-o", out, "--model", "tfidf"]);
    assert.equal(result.status, 0, result.stderr);
    const m = readMatrixNpy(out);
    const cats = cosine(rowOf(m, 0), rowOf(m, 1));
    const weather = cosine(rowOf(m, 0), rowOf(m, 2));
    assert.ok(cats > weather && cats > 0.05, `${cats} vs ${weather}`);
  });
});

describe("what an encoder can read", () => {
  test("use-lite: the unknown share counts characters outside its vocabulary, not newlines or symbols", async () => {
    const embedder = await createUseLiteEmbedder();
    try {
      assert.equal(embedder.read!("I like cats").unknownShare, 0);
      assert.equal(embedder.read!("I like\ncats ✓ ♥").unknownShare, 0);
      // ▁ + four characters it lacks: 4 of 5 pieces
      assert.equal(embedder.read!("我喜欢猫").unknownShare, 0.8);
      assert.equal(embedder.read!("a ".repeat(500)).tokens, 129);
    } finally {
      await embedder.dispose?.();
    }
  });

  test("a few foreign documents in an English corpus: a warning with their count, not an error", async () => {
    const embedder = await createUseLiteEmbedder();
    const texts = [
      ...Array.from({ length: 20 }, (_, i) => `an English sentence about topic number ${i}`),
      "我喜欢猫",
      "今天天气不错",
      "",
    ];
    const warnings: string[] = [];
    try {
      const reading = checkCorpus(embedder, texts, { model: "use-lite", warn: (m) => warnings.push(m) });
      assert.deepEqual(reading.unreadable, [20, 21]);
      assert.equal(reading.documents, 22);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /^2 of 22 documents are mostly text use-lite cannot read \(Han script 2;/);
      // most of the corpus unreadable: an error, unless allowed
      const chinese = [...SEED, ...SEED, "one English line"];
      assert.throws(
        () => checkCorpus(embedder, chinese, { model: "use-lite", warn: () => {} }),
        (error: Error) =>
          error instanceof UserError && /^6 of 7 documents are Chinese text/.test(error.message),
      );
      assert.doesNotThrow(() =>
        checkCorpus(embedder, chinese, { model: "use-lite", allowUnknownText: true, warn: () => {} }),
      );
    } finally {
      await embedder.dispose?.();
    }
  });

  test("an embedder that reads any text (tfidf) has nothing to check", () => {
    const reading = readCorpusWith(createTfidfEmbedder(), SEED);
    assert.deepEqual(reading, {
      documents: 3,
      unreadable: [],
      unreadableShare: 0,
      overBudget: [],
      budget: undefined,
    });
  });
});

describe("tfidf: any language, and new texts", () => {
  test("the second embed call projects into the fitted space; a restored state gives the same vectors", async () => {
    const corpus = [
      "the stock market rose as shares rallied",
      "shares fell and the stock market slumped",
      "the team won the football match",
      "a late goal won the match for the team",
      ...SEED,
      "",
    ];
    const embedder = createTfidfEmbedder({ dimension: 16 });
    assert.equal(embedder.fittedState?.(), undefined);
    const fitted = await embedder.embed(corpus);
    const again = await embedder.embed([corpus[1], corpus[5], "完全没有见过的词", ""]);
    // a training text embedded again is its own row, bit for bit
    assert.deepEqual(Array.from(rowOf(again, 0)), Array.from(rowOf(fitted, 1)));
    assert.deepEqual(Array.from(rowOf(again, 1)), Array.from(rowOf(fitted, 5)));
    // unknown words or a blank text: a zero row
    assert.ok(rowOf(again, 3).every((v) => v === 0));
    const state = embedder.fittedState!()!;
    assert.equal(state.method, "tfidf");
    // k = min(dimension 16, 8 texts) components over the vocabulary
    assert.deepEqual(state.arrays?.components.shape, [8, (state.options.terms as string[]).length]);
    const restored = await createEmbedder({ model: "tfidf", state });
    const query = ["shares and the market", "我喜欢小猫"];
    assert.deepEqual(
      Array.from((await restored.embed(query)).data),
      Array.from((await embedder.embed(query)).data),
    );
    // a query about kittens is closer to the cat sentences than to the weather
    const q = await restored.embed(["小猫"]);
    assert.ok(cosine(rowOf(q, 0), rowOf(fitted, 5)) > cosine(rowOf(q, 0), rowOf(fitted, 6)));
  });
});

describe("long documents", () => {
  // sentences of 7, 4, 7 and 10 tiny-BERT tokens (capitalised: ICU does not end a sentence before a lower-case word)
  const S = [
    "The cat sat on the mat. ",
    "The dog ran. ",
    "The team won the game today. ",
    "A quick brown fox jump over the lazy dog.",
  ];
  const long = S.join("");
  const tiny = writeTinyBert(join(dir.path, "tiny-12"), { maxSeqLength: 12 });

  test("windows end at sentence boundaries, stay within the budget and overlap by whole sentences", async () => {
    // counts up to 19 tokens (budget 18 + 1), enough to see every window of budget 12 overflow
    const embedder = await createEmbedder({
      longDocuments: "truncate",
      model: writeTinyBert(join(dir.path, "tiny-20"), { maxSeqLength: 20 }),
    });
    try {
      const count = (text: string) => embedder.read!(text).tokens;
      assert.deepEqual(S.map(count), [7, 4, 7, 10]);
      assert.deepEqual(chunkText(long, { budget: 12, overlap: 4, count }), [
        "The cat sat on the mat. The dog ran.",
        "The dog ran. The team won the game today.",
        "A quick brown fox jump over the lazy dog.",
      ]);
      // a sentence longer than the budget is cut at words
      const pieces = chunkText(S[3], { budget: 4, count });
      assert.deepEqual(pieces, ["A quick brown fox", "jump over the lazy", "dog."]);
    } finally {
      await embedder.dispose?.();
    }
  });

  test("chunk = the mean of the windows' own vectors, L2-normalised; truncate = the first tokens; both counted", async () => {
    const truncating = await createEmbedder({ model: tiny, longDocuments: "truncate" });
    const chunking = await createEmbedder({ model: tiny });
    try {
      assert.equal(truncating.tokenBudget, 10);
      // chunk is the default; the space is the encoder's, and so is the id
      assert.equal(chunking.id, truncating.id);
      // a document within the budget shares its cache entry with truncate, a long one has its own
      assert.equal(chunking.cacheKey!("The dog ran."), textKey("The dog ran."));
      assert.notEqual(chunking.cacheKey!(long), textKey(long));
      assert.equal(truncating.cacheKey, undefined);
      const windows = chunkText(long, { budget: 10, count: (t) => truncating.read!(t).tokens });
      assert.ok(windows.length >= 3, windows.join(" | "));
      const windowRows = await truncating.embed(windows);
      const mean = new Array(windowRows.cols).fill(0);
      for (let w = 0; w < windows.length; w++) {
        rowOf(windowRows, w).forEach((v, j) => {
          mean[j] += v / windows.length;
        });
      }
      const norm = Math.hypot(...mean);
      const expected = mean.map((v) => v / norm);
      const texts = ["the cat sat on the mat.", long, ""];
      const chunked = await chunking.embed(texts);
      rowOf(chunked, 1).forEach((v, j) => {
        assert.ok(Math.abs(v - expected[j]) < 1e-6, `dimension ${j}`);
      });
      // a document within the budget is embedded as it is; a blank one stays zero
      const plain = await truncating.embed(texts);
      assert.deepEqual(Array.from(rowOf(chunked, 0)), Array.from(rowOf(plain, 0)));
      assert.ok(rowOf(chunked, 2).every((v) => v === 0));
      assert.ok(cosine(rowOf(chunked, 1), rowOf(plain, 1)) < 0.9999);
      // documents over the budget are reported in both modes
      for (const [embedder, mode, pattern] of [
        [truncating, "truncate", /only their first 10 tokens are embedded/],
        [chunking, "chunk", /embedded as overlapping windows of at most 10 tokens/],
      ] as Array<[Embedder, "truncate" | "chunk", RegExp]>) {
        const warnings: string[] = [];
        const reading = checkCorpus(embedder, texts, {
          model: "tiny",
          longDocuments: mode,
          warn: (m) => warnings.push(m),
        });
        assert.deepEqual(reading.overBudget, [1]);
        assert.equal(warnings.length, 1);
        assert.match(warnings[0], /^1 of 2 documents are longer than tiny's 10-token budget: /);
        assert.match(warnings[0], pattern);
      }
    } finally {
      await truncating.dispose?.();
      await chunking.dispose?.();
    }
  });
});
