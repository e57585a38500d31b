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

test("use-lite-static: distilled once into the cache folder, reloaded from it; related sentences closer", async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), "topicscope-static-"));
  try {
    const built = await loadUseLiteStaticTable({ cacheDir, dims: 64 });
    assert.equal(built.vocabulary, 8000);
    assert.equal(built.dims, 64);
    const files = readdirSync(join(cacheDir, "static"));
    assert.equal(files.length, 1);
    assert.ok(existsSync(join(cacheDir, "static", files[0])));
    const reloaded = await loadUseLiteStaticTable({ cacheDir, dims: 64 });
    assert.deepEqual(reloaded.vectors, built.vectors);
    // reserved symbols (unknown, <s>, </s>, extras) carry nothing
    for (let c = 0; c < 64 * 6; c++) assert.equal(built.vectors[c], 0);

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
