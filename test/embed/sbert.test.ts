import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import * as ort from "onnxruntime-node";
import { createEmbedder } from "../../src/embed/index.js";
import { createSbertEmbedder, type SbertEmbedder } from "../../src/embed/sbert.js";
import { UserError } from "../../src/util/errors.js";
import { cosine, rowOf, tempDir } from "./helpers.js";
import { HIDDEN, TINY_VOCAB, writeTinyBert } from "./tiny-bert.js";

const dir = tempDir("sbert");
const plain = writeTinyBert(join(dir.path, "plain"), { quantized: true });
const withMax = writeTinyBert(join(dir.path, "pooled-max"), { pooling: "max" });
const short = writeTinyBert(join(dir.path, "short"), { maxSeqLength: 8 });
const id = (token: string) => TINY_VOCAB.indexOf(token);

const SHORT_TEXT = "The cat sat on the mat.";
const LONG_TEXT =
  "a quick brown fox jumps over the lazy dog, the dog ran and the team won the new game today!";

/** Token vectors straight from onnxruntime for one unpadded sequence: length × HIDDEN. */
async function tokenOutputs(folder: string, ids: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(join(folder, "onnx", "model.onnx"));
  const tensor = (values: number[]) =>
    new ort.Tensor("int64", BigInt64Array.from(values.map(BigInt)), [1, values.length]);
  const result = await session.run({
    input_ids: tensor(ids),
    attention_mask: tensor(ids.map(() => 1)),
    token_type_ids: tensor(ids.map(() => 0)),
  });
  await session.release();
  return result.last_hidden_state.data as Float32Array;
}

function l2(v: number[]): number[] {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance = 1e-5,
  message = "",
): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tolerance,
      `${message}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

describe("pooled-BERT backend (tiny BERT built by the test)", () => {
  let mean: SbertEmbedder;
  let raw: SbertEmbedder;
  before(async () => {
    [mean, raw] = await Promise.all([
      createSbertEmbedder(plain),
      createSbertEmbedder(plain, { normalize: false }),
    ]);
  });
  after(async () => {
    await mean.dispose?.();
    await raw.dispose?.();
    dir.remove();
  });

  test("token ids follow the WordPiece vocabulary, with [CLS] … [SEP]", () => {
    assert.deepEqual(mean.tokenize("The cats jumped over the UNHAPPY dog!"), [
      id("[CLS]"),
      id("the"),
      id("cat"),
      id("##s"),
      id("jump"),
      id("##ed"),
      id("over"),
      id("the"),
      id("un"),
      id("##happy"),
      id("dog"),
      id("!"),
      id("[SEP]"),
    ]);
    assert.deepEqual(mean.tokenize("zebra"), [id("[CLS]"), id("[UNK]"), id("[SEP]")]);
    assert.equal(mean.pooling, "mean");
    assert.equal(mean.dimension, HIDDEN);
  });

  test("mean pooling equals the hand-computed average of the model's token vectors", async () => {
    const ids = mean.tokenize(SHORT_TEXT);
    const tokens = await tokenOutputs(plain, ids);
    const expected = Array.from({ length: HIDDEN }, (_, j) => {
      let sum = 0;
      for (let t = 0; t < ids.length; t++) sum += tokens[t * HIDDEN + j];
      return sum / ids.length;
    });
    const unnormalized = await raw.embed([SHORT_TEXT]);
    assertClose(rowOf(unnormalized, 0), expected, 1e-5, "mean");
    const normalized = await mean.embed([SHORT_TEXT]);
    assertClose(rowOf(normalized, 0), l2(expected), 1e-5, "normalised mean");
    assert.ok(Math.abs(Math.hypot(...rowOf(normalized, 0)) - 1) < 1e-6);
  });

  test("padding does not change a document's vector (alone vs. batched with a much longer text)", async () => {
    const alone = await mean.embed([SHORT_TEXT]);
    const batched = await mean.embed([LONG_TEXT, SHORT_TEXT, "dog"], { batchSize: 3 });
    assertClose(rowOf(batched, 1), rowOf(alone, 0), 1e-5, "padded");
    const longAlone = await mean.embed([LONG_TEXT]);
    assertClose(rowOf(batched, 0), rowOf(longAlone, 0), 1e-5, "long");
    // and different texts give different vectors
    assert.ok(cosine(rowOf(batched, 0), rowOf(batched, 1)) < 0.99);
  });

  test("CLS and max pooling (max read from 1_Pooling/config.json, CLS from the option)", async () => {
    const ids = mean.tokenize(LONG_TEXT);
    const tokens = await tokenOutputs(plain, ids);
    const cls = await createSbertEmbedder(plain, { pooling: "cls", normalize: false });
    const clsRows = await cls.embed([LONG_TEXT, SHORT_TEXT]);
    assertClose(rowOf(clsRows, 0), tokens.subarray(0, HIDDEN), 1e-5, "cls");
    await cls.dispose?.();

    const max = await createSbertEmbedder(withMax, { normalize: false });
    assert.equal(max.pooling, "max");
    assert.match(max.id, /pooling=max/);
    const expected = Array.from({ length: HIDDEN }, (_, j) => {
      let best = Number.NEGATIVE_INFINITY;
      for (let t = 0; t < ids.length; t++) best = Math.max(best, tokens[t * HIDDEN + j]);
      return best;
    });
    // batched with a short text: its padding must not leak into the max either
    const maxRows = await max.embed([SHORT_TEXT, LONG_TEXT], { batchSize: 2 });
    assertClose(rowOf(maxRows, 1), expected, 1e-5, "max");
    await max.dispose?.();
  });

  test("truncation at max_seq_length keeps [CLS] and [SEP]; a 1 MB text is cut, not a crash", async () => {
    const truncating = await createSbertEmbedder(short);
    assert.equal(truncating.maxTokens, 8);
    const ids = truncating.tokenize(LONG_TEXT);
    assert.deepEqual(ids, [
      id("[CLS]"),
      id("a"),
      id("quick"),
      id("brown"),
      id("fox"),
      id("jump"),
      id("##s"),
      id("[SEP]"),
    ]);
    const [cut] = Array.from((await truncating.embed([LONG_TEXT])).data.subarray(0, 1));
    const [prefix] = Array.from((await truncating.embed(["a quick brown fox jumps"])).data.subarray(0, 1));
    assert.ok(Math.abs(cut - prefix) < 1e-6);
    const huge = `${LONG_TEXT} `.repeat(Math.ceil(1_000_000 / LONG_TEXT.length));
    const start = performance.now();
    const result = await truncating.embed([huge]);
    assert.ok(performance.now() - start < 5000);
    assert.ok(Math.abs(Math.hypot(...rowOf(result, 0)) - 1) < 1e-5);
    await truncating.dispose?.();
  });

  test("blank texts get the zero vector", async () => {
    const result = await mean.embed(["", "the dog", "  \n"]);
    assert.ok(rowOf(result, 0).every((v) => v === 0));
    assert.ok(rowOf(result, 2).every((v) => v === 0));
    assert.ok(Math.abs(Math.hypot(...rowOf(result, 1)) - 1) < 1e-6);
  });

  test("--dtype chooses the ONNX file, and the id (the cache key) names the weights", async () => {
    const q8 = await createSbertEmbedder(plain, { dtype: "q8" });
    assert.equal(q8.dtype, "q8");
    assert.notEqual(q8.id, mean.id);
    const a = await q8.embed([SHORT_TEXT]);
    const b = await mean.embed([SHORT_TEXT]);
    assert.ok(cosine(rowOf(a, 0), rowOf(b, 0)) < 0.999);
    await q8.dispose?.();
    const other = writeTinyBert(join(dir.path, "plain-reseeded"), { seed: 2 });
    const reseeded = await createSbertEmbedder(other);
    assert.notEqual(reseeded.id.split(";")[0].split("@")[1], mean.id.split(";")[0].split("@")[1]);
    await reseeded.dispose?.();
  });

  test("bad folders and unknown models fail with one clear line", async () => {
    const broken = writeTinyBert(join(dir.path, "broken"), { omit: ["tokenizer.json", "onnx/model.onnx"] });
    await assert.rejects(createEmbedder({ model: broken }), (error: Error) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /missing tokenizer\.json, onnx\/model\.onnx/);
      assert.match(error.message, /--model use-lite/);
      return true;
    });
    const onlyQ8 = join(dir.path, "only-q8");
    writeTinyBert(onlyQ8, { omit: ["onnx/model.onnx"] });
    mkdirSync(join(onlyQ8, "onnx"), { recursive: true });
    copyFileSync(join(plain, "onnx", "model_quantized.onnx"), join(onlyQ8, "onnx", "model_quantized.onnx"));
    const fallback = await createSbertEmbedder(onlyQ8);
    assert.equal(fallback.dtype, "q8");
    await fallback.dispose?.();
    await assert.rejects(createEmbedder({ model: plain, dtype: "int4" }), /--dtype must be fp32 or q8/);
    // a hub id not in the cache, offline: one line saying so (downloads: test/embed/hub.test.ts)
    await assert.rejects(
      createEmbedder({ model: "sentence-transformers/all-MiniLM-L6-v2", cacheDir: dir.path, offline: true }),
      (error: Error) =>
        error instanceof UserError &&
        /'sentence-transformers\/all-MiniLM-L6-v2' is not in the cache .*downloads are off.*--model use-lite/.test(
          error.message,
        ),
    );
    await assert.rejects(
      createEmbedder({ model: "no-such-model" }),
      (error: Error) =>
        error instanceof UserError && /unknown embedding model 'no-such-model'/.test(error.message),
    );
  });
});
