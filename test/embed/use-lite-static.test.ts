import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createEmbedder } from "../../src/embed/index.js";
import { loadUseLiteTokenizer } from "../../src/embed/use-lite.js";
import { embedStatic, loadUseLiteStaticTable } from "../../src/embed/use-lite-static.js";
import { createRng } from "../../src/util/rng.js";

test("static embedding = normalised sum of the pieces' rows (hand-made table), blank texts zero", () => {
  const tokenizer = loadUseLiteTokenizer();
  const dims = 4;
  const rng = createRng(2);
  const vectors = Float32Array.from({ length: 8000 * dims }, () => rng.nextGaussian());
  const table = { vectors, dims, vocabulary: 8000 };
  const texts = ["the cat sat", "   ", "hello hello"];
  const out = embedStatic(table, tokenizer, texts, 512);
  for (const [row, text] of [
    [0, texts[0]],
    [2, texts[2]],
  ] as const) {
    const ids = tokenizer.encode(text);
    assert.ok(ids.length >= 2);
    const sum = new Float64Array(dims);
    for (const id of ids) for (let c = 0; c < dims; c++) sum[c] += vectors[id * dims + c];
    const norm = Math.hypot(...sum);
    for (let c = 0; c < dims; c++) assert.ok(Math.abs(out.data[row * dims + c] - sum[c] / norm) < 1e-6);
  }
  assert.deepEqual(Array.from(out.data.subarray(dims, 2 * dims)), [0, 0, 0, 0]);
});

test("with words: a listed word (as written or in lower case, without its punctuation) adds its row, others the mean of their pieces", () => {
  const tokenizer = loadUseLiteTokenizer();
  const dims = 3;
  const rng = createRng(3);
  const vectors = Float32Array.from({ length: 8002 * dims }, () => rng.nextGaussian());
  const table = {
    vectors,
    dims,
    vocabulary: 8000,
    words: new Map([
      ["guitar", 8000],
      ["the", 8001],
    ]),
  };
  const row = (r: number) => Array.from(vectors.subarray(r * dims, (r + 1) * dims));
  /** rows with weights (default 1), summed and normalised */
  const expected = (rows: number[], weights: number[] = rows.map(() => 1)) => {
    const sum = new Float64Array(dims);
    rows.forEach((r, k) => {
      for (let c = 0; c < dims; c++) sum[c] += weights[k] * vectors[r * dims + c];
    });
    const norm = Math.hypot(...sum);
    return Array.from(sum, (x) => x / norm);
  };
  const close = (actual: Float32Array, wanted: number[]) =>
    wanted.every((x, c) => Math.abs(actual[c] - x) < 1e-6);
  const unknown = Array.from(tokenizer.encode("zqxvw!"));
  assert.ok(unknown.length >= 2, "an unknown word falls back to several pieces");
  const [whole, cut, spaced] = [
    embedStatic(table, tokenizer, ["The Guitar, zqxvw!"], 512),
    embedStatic(table, tokenizer, ["The Guitar, zqxvw!"], 2),
    embedStatic(table, tokenizer, ["  \n(guitar)\t"], 512),
  ];
  const mean = unknown.map(() => 1 / unknown.length);
  assert.ok(
    close(whole.data, expected([8001, 8000, ...unknown], [1, 1, ...mean])),
    "listed words, then the mean of the other word's pieces: one word, one vote",
  );
  assert.ok(!close(whole.data, expected([8001, 8000, ...unknown])), "not their sum");
  assert.ok(close(cut.data, expected([8001, 8000])), "the budget counts words");
  assert.deepEqual(
    Array.from(spaced.data, (x) => Math.round(x * 1e6)),
    expected([8000]).map((x) => Math.round(x * 1e6)),
  );
  assert.notDeepEqual(row(8000), row(8001));
});

test("the table: pieces, then the most frequent words, distilled once and reloaded; frequent words weigh less", async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), "topicscope-static-"));
  try {
    const built = await loadUseLiteStaticTable({ cacheDir, dims: 64, maxWords: 300 });
    assert.equal(built.vocabulary, 8000);
    assert.equal(built.dims, 64);
    assert.equal(built.vectors.length, (8000 + 300) * 64);
    assert.equal(built.words?.size, 300);
    assert.equal(built.words?.get("you"), 8000, "the most frequent word first");
    const norm = (r: number) => Math.hypot(...built.vectors.subarray(r * 64, (r + 1) * 64));
    assert.ok(norm(8000) < 0.2 * norm(8299), `SIF: "you" ${norm(8000)} vs the 300th word ${norm(8299)}`);
    const reloaded = await loadUseLiteStaticTable({ cacheDir, dims: 64, maxWords: 300 });
    assert.deepEqual(reloaded.vectors, built.vectors);
    assert.deepEqual(reloaded.words, built.words);
    const pieces = await loadUseLiteStaticTable({ cacheDir, dims: 64, words: false });
    assert.equal(pieces.words, undefined);
    assert.equal(pieces.vectors.length, 8000 * 64);
    assert.deepEqual(
      pieces.vectors,
      built.vectors.subarray(0, 8000 * 64),
      "the pieces do not depend on the words",
    );
    const files = readdirSync(join(cacheDir, "static"));
    assert.equal(files.length, 2, "one cache file per table");
    for (const file of files) assert.ok(existsSync(join(cacheDir, "static", file)));
    // reserved symbols (unknown, <s>, </s>, extras) carry nothing
    for (let c = 0; c < 64 * 6; c++) assert.equal(built.vectors[c], 0);
    await assert.rejects(
      loadUseLiteStaticTable({ cacheDir, maxWords: -1 }),
      /maxWords must be an integer ≥ 0/,
    );
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test("use-lite-static: the default table with every word; related sentences closer", async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), "topicscope-static-"));
  try {
    const embedder = await createEmbedder({ model: "use-lite-static", cacheDir });
    assert.match(embedder.id, /^use-lite-static@/);
    assert.equal(embedder.dimension, 256);
    const m = await embedder.embed([
      "a man is playing a guitar",
      "a person plays the guitar",
      "the stock market fell sharply today",
      "",
    ]);
    assert.equal(m.rows, 4);
    const cos = (a: number, b: number) => {
      let s = 0;
      for (let c = 0; c < m.cols; c++) s += m.data[a * m.cols + c] * m.data[b * m.cols + c];
      return s;
    };
    assert.ok(Math.abs(cos(0, 0) - 1) < 1e-5);
    assert.ok(cos(0, 1) > cos(0, 2) + 0.2, `guitar pair ${cos(0, 1)} vs unrelated ${cos(0, 2)}`);
    assert.equal(cos(3, 3), 0);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
