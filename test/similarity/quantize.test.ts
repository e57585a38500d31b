import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readNpy, writeNpy } from "../../src/io/npy.js";
import {
  calibrationRanges,
  type Precision,
  quantizeEmbeddings,
  unpackRows,
} from "../../src/similarity/quantize.js";
import { quantizedSearch } from "../../src/similarity/quantized-search.js";
import { createSilentLogger } from "../../src/util/log.js";
import { golden, matrixOf } from "./golden.js";

const vectors = matrixOf(golden.vectors);
const fixtures = join(import.meta.dirname, "..", "fixtures", "similarity");

test("quantizeEmbeddings equals sentence-transformers' quantize_embeddings code for code", () => {
  for (const precision of ["int8", "uint8", "binary", "ubinary"] as const) {
    const q = quantizeEmbeddings(vectors, precision);
    assert.deepEqual(Array.from(q.data), golden.quantize[precision].flat(), precision);
    assert.equal(q.cols, golden.quantize[precision][0].length);
  }
  const calibration = matrixOf(golden.vectors.slice(0, golden.calibration_rows));
  for (const precision of ["int8", "uint8"] as const) {
    const q = quantizeEmbeddings(vectors, precision, { calibration });
    assert.deepEqual(Array.from(q.data), golden.quantize[`${precision}_calibrated`].flat(), precision);
    // the same ranges given directly give the same codes
    const again = quantizeEmbeddings(vectors, precision, { ranges: calibrationRanges(calibration) });
    assert.deepEqual(again.data, q.data);
  }
});

test("quantizeEmbeddings: hand-computed buckets, a constant dimension, packbits order, few-row warning", () => {
  const m = { data: Float32Array.from([0, 5, 1, 5, 0.5, 5, 2, 5]), rows: 4, cols: 2 };
  const logger = createSilentLogger();
  const u = quantizeEmbeddings(m, "uint8", { ranges: Float32Array.from([0, 5, 1, 5]), logger });
  // dimension 0: step = fround(1/255), a hair above 1/255, so the maximum 1 lands in bucket 254 (as
  // theirs: numpy gives the same), 0.5 in floor(127.49…) = 127, and 2 is clipped to 255;
  // dimension 1 is constant: step 1, bucket 0
  assert.deepEqual(Array.from(u.data), [0, 0, 254, 0, 127, 0, 255, 0]);
  assert.equal(logger.warnings.length, 0);
  const i8 = quantizeEmbeddings(m, "int8", { logger });
  // ranges from the rows themselves: [0, 2] → buckets 0, 127, 63, 254, minus 128
  assert.deepEqual(Array.from(i8.data), [-128, -128, -1, -128, -65, -128, 126, -128]);
  assert.match(logger.warnings[0], /computing int8 quantization buckets from 4 embeddings/);
  const bits = { data: Float32Array.from([1, -1, 0, 2, 0, 0, 0, 0, 3, -5]), rows: 1, cols: 10 };
  const ub = quantizeEmbeddings(bits, "ubinary");
  assert.deepEqual(Array.from(ub.data), [0b10010000, 0b10000000]);
  assert.deepEqual(Array.from(quantizeEmbeddings(bits, "binary").data), [0b10010000 - 128, 0]);
  assert.deepEqual(Array.from(unpackRows(ub, 0, 1)), [1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
});

test("quantizedSearch with rescoring equals their usearch/faiss procedure (exact first stage)", async () => {
  const queries = matrixOf(golden.queries);
  const ranges = calibrationRanges(vectors);
  for (const { precision, top_k, rescore_multiplier, hits } of golden.quantized_search) {
    const corpus = quantizeEmbeddings(vectors, precision as Precision, { ranges });
    const ours = await quantizedSearch(queries, corpus, {
      topK: top_k,
      rescoreMultiplier: rescore_multiplier,
    });
    ours.forEach((row, q) => {
      assert.deepEqual(
        row.map((h) => h.corpusId),
        hits[q].map((h) => h[0]),
        `${precision} query ${q}`,
      );
      row.forEach((h, r) => {
        assert.ok(Math.abs(h.score - hits[q][r][1]) < 1e-9 * Math.max(1, Math.abs(h.score)));
      });
    });
  }
});

test("quantizedSearch without rescoring reports the first stage: integer dot or agreeing bits", async () => {
  const corpus = quantizeEmbeddings(vectors, "ubinary");
  const q = matrixOf([golden.vectors[3]]);
  const [hits] = await quantizedSearch(q, corpus, { topK: 3, rescore: false });
  // the row itself agrees on all 24 bits
  assert.equal(hits[0].corpusId, 3);
  assert.equal(hits[0].score, 24);
  const int8 = quantizeEmbeddings(vectors, "int8");
  const [own] = await quantizedSearch(q, int8, { topK: 2, rescore: false });
  // brute force: the query's int8 codes (same ranges) against every row's codes
  const qc = quantizeEmbeddings(q, "int8", { ranges: int8.ranges }).data;
  const dots = Array.from({ length: vectors.rows }, (_, i) => {
    let s = 0;
    for (let j = 0; j < 24; j++) s += qc[j] * int8.data[i * 24 + j];
    return [s, i];
  }).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  assert.deepEqual(
    own.map((h) => [h.score, h.corpusId]),
    dots.slice(0, 2),
  );
  await assert.rejects(
    quantizedSearch(matrixOf([[1, 2, 3]]), corpus),
    /queries have 3 dimensions but the quantized corpus was made from 24/,
  );
  await assert.rejects(
    quantizedSearch(q, { ...int8, ranges: undefined }),
    /int8 corpus needs the quantization ranges/,
  );
});

test(".npy: int8 and uint8 written by NumPy are read; ours round-trip byte for byte", () => {
  const i8 = readNpy(join(fixtures, "numpy-int8.npy"));
  assert.equal(i8.dtype, "|i1");
  assert.deepEqual(i8.shape, [2, 3]);
  assert.deepEqual(Array.from(i8.data as Int8Array), [-128, -1, 0, 1, 2, 127]);
  const u8 = readNpy(join(fixtures, "numpy-uint8.npy"));
  assert.equal(u8.dtype, "|u1");
  assert.deepEqual(Array.from(u8.data as Uint8Array), [0, 1, 2, 128, 254, 255]);
  const dir = mkdtempSync(join(tmpdir(), "topicscope-npy-int8-"));
  try {
    const path = join(dir, "q.npy");
    writeNpy(path, Int8Array.from([-128, -1, 0, 1, 2, 127]), [2, 3]);
    const back = readNpy(path);
    assert.equal(back.dtype, "|i1");
    assert.deepEqual(Array.from(back.data as Int8Array), [-128, -1, 0, 1, 2, 127]);
    writeNpy(path, Uint8Array.from([0, 1, 2, 128, 254, 255]), [2, 3]);
    assert.deepEqual(Array.from(readNpy(path).data as Uint8Array), [0, 1, 2, 128, 254, 255]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
