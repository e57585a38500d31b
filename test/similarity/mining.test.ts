import assert from "node:assert/strict";
import { test } from "node:test";
import { communityDetection } from "../../src/similarity/communities.js";
import { paraphraseMining, type ScoredPair } from "../../src/similarity/mining.js";
import { semanticSearch } from "../../src/similarity/search.js";
import { UserError } from "../../src/util/errors.js";
import { createRng } from "../../src/util/rng.js";
import { golden, matrixOf } from "./golden.js";

const vectors = matrixOf(golden.vectors);
const SCORE_TOLERANCE = 1e-6;

/**
 * Same pairs, same score sequence (to float32 rounding of differently ordered sums), and positions
 * may differ only between pairs whose scores are that close.
 */
function assertSameRanking(ours: ScoredPair[], theirs: [number, number, number][], what: string): void {
  assert.equal(ours.length, theirs.length, what);
  const theirScore = new Map(theirs.map(([s, i, j]) => [`${i},${j}`, s]));
  ours.forEach((p, r) => {
    const [score, i, j] = theirs[r];
    assert.ok(p.i < p.j);
    assert.ok(Math.abs(p.score - score) < SCORE_TOLERANCE, `${what} row ${r}: ${p.score} vs ${score}`);
    const same = theirScore.get(`${p.i},${p.j}`);
    assert.ok(same !== undefined, `${what}: pair ${p.i},${p.j} is not theirs`);
    if (p.i !== i || p.j !== j) {
      assert.ok(Math.abs(same - score) < SCORE_TOLERANCE, `${what} row ${r}: ${p.i},${p.j} for ${i},${j}`);
    }
  });
}

function miningOptions(settings: Record<string, number>) {
  return {
    topK: settings.top_k,
    maxPairs: settings.max_pairs,
    queryChunkSize: settings.query_chunk_size,
    corpusChunkSize: settings.corpus_chunk_size,
  };
}

for (const backend of ["ort", "js"] as const) {
  test(`paraphraseMining equals sentence-transformers' paraphrase_mining_embeddings (${backend})`, async () => {
    for (const { settings, pairs } of golden.mining) {
      const ours = await paraphraseMining(vectors, { ...miningOptions(settings), backend });
      assertSameRanking(ours, pairs, JSON.stringify(settings));
    }
  });

  test(`communityDetection equals sentence-transformers' community_detection (${backend})`, async () => {
    for (const { settings, communities } of golden.communities) {
      const ours = await communityDetection(vectors, {
        threshold: settings.threshold,
        minCommunitySize: settings.min_community_size,
        batchSize: settings.batch_size,
        backend,
      });
      assert.deepEqual(ours, communities, JSON.stringify(settings));
    }
  });

  test(`semanticSearch equals sentence-transformers' semantic_search (${backend})`, async () => {
    const queries = matrixOf(golden.queries);
    for (const { settings, hits } of golden.search) {
      const ours = await semanticSearch(queries, vectors, {
        topK: settings.top_k,
        corpusChunkSize: settings.corpus_chunk_size,
        queryChunkSize: settings.query_chunk_size,
        backend,
      });
      assert.equal(ours.length, hits.length);
      ours.forEach((row, q) => {
        assert.deepEqual(
          row.map((h) => h.corpusId),
          hits[q].map((h) => h[0]),
          `${JSON.stringify(settings)} query ${q}`,
        );
        row.forEach((h, r) => {
          assert.ok(Math.abs(h.score - hits[q][r][1]) < SCORE_TOLERANCE);
        });
      });
    }
  });
}

test("paraphraseMining: a threshold keeps exactly the pairs scoring at or above it", async () => {
  const all = await paraphraseMining(vectors, { topK: 10 });
  const above = await paraphraseMining(vectors, { topK: 10, threshold: 0.8 });
  assert.deepEqual(
    above,
    all.filter((p) => p.score >= Math.fround(0.8) || p.score >= 0.8),
  );
  assert.ok(above.length > 0 && above.length < all.length);
});

test("paraphraseMining: fewer than two rows give no pairs; topK above n − 1 is capped (as theirs)", async () => {
  assert.deepEqual(await paraphraseMining({ data: new Float32Array(4), rows: 1, cols: 4 }), []);
  const three = { data: Float32Array.from([1, 0, 0.9, 0.1, 0, 1]), rows: 3, cols: 2 };
  const pairs = await paraphraseMining(three, { topK: 50 });
  assert.deepEqual(
    pairs.map((p) => [p.i, p.j]),
    [
      [0, 1],
      [1, 2],
      [0, 2],
    ],
  );
  assert.ok(Math.abs(pairs[2].score) < 1e-7);
});

test("bad input: thresholds outside [-1, 1], non-integer k, NaN rows are UserErrors naming the value", async () => {
  await assert.rejects(paraphraseMining(vectors, { threshold: 1.5 }), (e: Error) => {
    assert.ok(e instanceof UserError);
    assert.match(e.message, /threshold must be a cosine similarity in \[-1, 1\], got 1\.5/);
    return true;
  });
  await assert.rejects(communityDetection(vectors, { threshold: -2 }), UserError);
  await assert.rejects(paraphraseMining(vectors, { topK: 0 }), /topK must be an integer ≥ 1/);
  const bad = { data: Float32Array.from([1, 2, Number.NaN, 4]), rows: 2, cols: 2 };
  await assert.rejects(paraphraseMining(bad), /row 1 contains NaN/);
  await assert.rejects(
    semanticSearch({ data: new Float32Array(3), rows: 1, cols: 3 }, vectors),
    /queries have 3 dimensions but the corpus embeddings have 24/,
  );
});

test("paraphraseMining on 600 random rows: the ort and js backends agree and both match brute force", async () => {
  const rng = createRng(7);
  const n = 600;
  const d = 32;
  const data = new Float32Array(n * d).map(() => rng.nextGaussian());
  const m = { data, rows: n, cols: d };
  const ort = await paraphraseMining(m, { topK: 4, backend: "ort" });
  const js = await paraphraseMining(m, { topK: 4, backend: "js" });
  assertSameRanking(
    ort,
    js.map((p) => [p.score, p.i, p.j]),
    "ort vs js",
  );
  // brute force in float64: every row's 4 best others, union, sorted
  const unit = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += data[i * d + t] ** 2;
    for (let t = 0; t < d; t++) unit[i * d + t] = data[i * d + t] / Math.sqrt(s);
  }
  const keys = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const scores: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let t = 0; t < d; t++) s += unit[i * d + t] * unit[j * d + t];
      scores.push([s, j]);
    }
    scores.sort((a, b) => b[0] - a[0]);
    for (const [s, j] of scores.slice(0, 4)) keys.set(`${Math.min(i, j)},${Math.max(i, j)}`, s);
  }
  const brute = [...keys.entries()].sort((a, b) => b[1] - a[1]);
  assert.equal(ort.length, brute.length);
  ort.forEach((p, r) => {
    assert.ok(Math.abs(p.score - brute[r][1]) < 1e-6);
  });
  assert.deepEqual(new Set(ort.map((p) => `${p.i},${p.j}`)), new Set(keys.keys()));
});
