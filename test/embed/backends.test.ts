import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { createEmbedder, embedDocuments } from "../../src/embed/index.js";
import { loadPrecomputedEmbeddings } from "../../src/embed/precomputed.js";
import { tfidfLsa, tfidfMatrix } from "../../src/embed/tfidf.js";
import { writeNpy } from "../../src/io/npy.js";
import { UserError } from "../../src/util/errors.js";
import { symmetricEigen } from "../../src/util/linalg.js";
import { cosine, rowOf, tempDir } from "./helpers.js";

const dir = tempDir("backends");
after(() => dir.remove());

describe("precomputed embeddings", () => {
  const path = join(dir.path, "emb.npy");
  writeNpy(path, Float32Array.from([3, 4, 0, 0, 1, 0]), [3, 2]);

  test("rows come back L2-normalised in file order; the cache is bypassed", async () => {
    const result = await embedDocuments(["a", "b", "c"], {
      model: `precomputed:${path}`,
      cache: join(dir.path, "cache"),
    });
    assert.deepEqual(
      Array.from(result.matrix.data),
      [0.6, 0.8, 0, 0, 1, 0].map((v) => Math.fround(v)),
    );
    assert.equal(result.computed, 3);
    assert.match(result.embedderId, /^precomputed:/);
  });

  test("wrong row count or dimension, and non-finite values, are clear user errors", async () => {
    const embedder = await createEmbedder({ model: path });
    await assert.rejects(
      embedder.embed(["a", "b"]),
      (e: Error) => e instanceof UserError && /has 3 rows but the corpus has 2 documents/.test(e.message),
    );
    assert.throws(
      () => loadPrecomputedEmbeddings(path, { dimension: 512 }),
      /2-dimensional rows but 512 are expected/,
    );
    const bad = join(dir.path, "nan.npy");
    writeNpy(bad, Float32Array.from([1, Number.NaN]), [1, 2]);
    assert.throws(() => loadPrecomputedEmbeddings(bad), /row 0 contains NaN/);
    assert.throws(() => loadPrecomputedEmbeddings(join(dir.path, "missing.npy")), UserError);
  });
});

describe("tfidf (LSA) embeddings", () => {
  const corpus = [
    "the stock market rose as shares rallied",
    "shares fell and the stock market slumped",
    "investors sold shares; the market fell",
    "the team won the football match",
    "a late goal won the match for the team",
    "the football team lost the final match",
    "",
  ];

  test("TF-IDF weights: sublinear tf × smooth idf, rows L2-normalised (hand-computed)", () => {
    const m = tfidfMatrix(["apple apple banana", "banana cherry"], { minDf: 1 });
    assert.deepEqual(m.terms, ["apple", "banana", "cherry"]);
    const idf = (df: number) => Math.log(3 / (1 + df)) + 1;
    const row0 = [(1 + Math.log(2)) * idf(1), idf(2)];
    const n0 = Math.hypot(...row0);
    assert.deepEqual(Array.from(m.colIdx.subarray(0, 2)), [0, 1]);
    assert.ok(Math.abs(m.values[0] - row0[0] / n0) < 1e-12);
    assert.ok(Math.abs(m.values[1] - row0[1] / n0) < 1e-12);
  });

  test("symmetric eigen-decomposition of a known matrix", () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    assert.ok(Math.abs(values[0] - 3) < 1e-12 && Math.abs(values[1] - 1) < 1e-12);
    assert.ok(Math.abs(Math.abs(vectors[0]) - Math.SQRT1_2) < 1e-12);
  });

  test("with enough components LSA keeps every TF-IDF cosine; fewer components keep topics apart", () => {
    const tfidf = tfidfMatrix(corpus, { minDf: 1 });
    const dense = (i: number) => {
      const row = new Float64Array(tfidf.cols);
      for (let p = tfidf.rowPtr[i]; p < tfidf.rowPtr[i + 1]; p++) row[tfidf.colIdx[p]] = tfidf.values[p];
      return row;
    };
    const full = tfidfLsa(corpus, { dimension: 16, seed: 1, minDf: 1 });
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        const expected = cosine(dense(i), dense(j));
        const actual = rowOf(full, i).reduce((sum, v, k) => sum + v * rowOf(full, j)[k], 0);
        assert.ok(Math.abs(actual - expected) < 1e-4, `(${i}, ${j}): ${actual} vs ${expected}`);
      }
    }
    assert.ok(rowOf(full, 6).every((v) => v === 0));
    const two = tfidfLsa(corpus, { dimension: 2, seed: 1, minDf: 1 });
    assert.ok(cosine(rowOf(two, 0), rowOf(two, 1)) > 0.9);
    assert.ok(cosine(rowOf(two, 3), rowOf(two, 5)) > 0.9);
    assert.ok(cosine(rowOf(two, 0), rowOf(two, 4)) < 0.3);
    // seeded: the same input gives the same vectors
    assert.deepEqual(
      Array.from(tfidfLsa(corpus, { dimension: 2, seed: 1, minDf: 1 }).data),
      Array.from(two.data),
    );
  });

  test("through embedDocuments: the whole corpus at once, no cache", async () => {
    const result = await embedDocuments(corpus, { model: "tfidf", cache: join(dir.path, "cache2") });
    assert.equal(result.matrix.rows, corpus.length);
    assert.equal(result.matrix.cols, 128);
    assert.equal(result.cached, 0);
  });
});
