import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keyBertInspired } from "../../src/represent/keybert.js";
import { maximalMarginalRelevance, mmr } from "../../src/represent/mmr.js";
import type { Matrix } from "../../src/types.js";

function matrix(rows: number[][]): Matrix {
  return { data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0]?.length ?? 0 };
}

function fakeEmbed(table: Record<string, number[]>, calls: string[][] = []) {
  return async (texts: readonly string[]): Promise<Matrix> => {
    calls.push([...texts]);
    return matrix(
      texts.map((t) => {
        const v = table[t];
        if (!v) throw new Error(`no vector for '${t}'`);
        return v;
      }),
    );
  };
}

/*
 * Topic t = [1, 0]; unit word vectors
 *   w0 = [0.9, 0.436]   cos(t) = 0.90
 *   w1 = [0.85, 0.527]  cos(t) = 0.85, cos(w0) = 0.9948 (nearly a duplicate of w0)
 *   w2 = [0.8, -0.6]    cos(t) = 0.80, cos(w0) = 0.4584, cos(w1) = 0.3638
 * diversity 0   → plain ranking w0, w1, w2.
 * diversity 0.5 → after w0: w1 scores .5·.85 − .5·.9948 = −0.072, w2 scores .5·.8 − .5·.4584 = 0.171 → w2, then w1.
 */
const t = Float32Array.from([1, 0]);
const words = matrix([
  [0.9, 0.436],
  [0.85, 0.527],
  [0.8, -0.6],
]);

describe("mmr", () => {
  it("diversity 0 is the ranking by similarity to the topic", () => {
    assert.deepEqual(mmr(t, words, { diversity: 0, topN: 3 }), [0, 1, 2]);
    // A shuffled input gives the same ranking of the same vectors.
    const shuffled = matrix([
      [0.8, -0.6],
      [0.9, 0.436],
      [0.85, 0.527],
    ]);
    assert.deepEqual(mmr(t, shuffled, { diversity: 0, topN: 3 }), [1, 2, 0]);
  });

  it("diversity moves the near-duplicate down", () => {
    assert.deepEqual(mmr(t, words, { diversity: 0.5, topN: 3 }), [0, 2, 1]);
    assert.deepEqual(mmr(t, words, { diversity: 0.5, topN: 2 }), [0, 2]);
  });

  it("topN larger than the candidates, empty input, bad diversity", () => {
    assert.deepEqual(mmr(t, words, { diversity: 0.1, topN: 10 }).length, 3);
    assert.deepEqual(mmr(t, matrix([]), { diversity: 0.1, topN: 5 }), []);
    assert.throws(() => mmr(t, words, { diversity: 1.5, topN: 2 }), /diversity/);
  });

  it("BERTopic's MaximalMarginalRelevance keeps the selected words' c-TF-IDF order and scores", async () => {
    const embed = fakeEmbed({
      alpha: [0.9, 0.436],
      beta: [0.85, 0.527],
      gamma: [0.8, -0.6],
      "alpha beta gamma": [1, 0],
    });
    const candidates = new Map([
      [
        0,
        [
          { word: "alpha", score: 0.3 },
          { word: "beta", score: 0.2 },
          { word: "gamma", score: 0.1 },
        ],
      ],
      [1, []],
    ]);
    const result = await maximalMarginalRelevance(candidates, embed, { diversity: 0.5, topN: 2 });
    assert.deepEqual(result.get(0), [
      { word: "alpha", score: 0.3 },
      { word: "gamma", score: 0.1 },
    ]);
    assert.deepEqual(result.get(1), []);
  });
});

describe("KeyBERT-inspired re-ranking", () => {
  it("scores candidates by cosine with the mean representative-document embedding", async () => {
    const calls: string[][] = [];
    const embed = fakeEmbed({ d1: [1, 0], d2: [0, 1], a: [1, 0], b: [1, 1], c: [0, 1], e: [-1, 0] }, calls);
    const candidates = new Map([
      [
        0,
        [
          { word: "a", score: 0.5 },
          { word: "b", score: 0.4 },
          { word: "c", score: 0.3 },
        ],
      ],
      [
        1,
        [
          { word: "c", score: 0.9 },
          { word: "e", score: 0.8 },
        ],
      ],
      [2, [{ word: "a", score: 0.7 }]],
    ]);
    const result = await keyBertInspired(
      {
        candidates,
        representativeDocs: new Map([[0, ["d1", "d2"]]]),
        topicEmbeddings: new Map([[1, Float32Array.from([-2, 0])]]),
        embed,
      },
      { topN: 2 },
    );
    // Topic 0 embedding = [.5, .5]: b → 1, a and c → 0.7071 (tie: a keeps its c-TF-IDF rank).
    const topic0 = result.get(0)!;
    assert.deepEqual(
      topic0.map((w) => w.word),
      ["b", "a"],
    );
    assert.ok(Math.abs(topic0[0].score - 1) < 1e-6 && Math.abs(topic0[1].score - Math.SQRT1_2) < 1e-6);
    // Topic 1 uses the given embedding [-2, 0]: e → 1, c → 0.
    assert.deepEqual(
      result.get(1)!.map((w) => [w.word, Math.round(w.score * 1e6) / 1e6]),
      [
        ["e", 1],
        ["c", 0],
      ],
    );
    // Topic 2 has no embedding: its c-TF-IDF words stay.
    assert.deepEqual(result.get(2), [{ word: "a", score: 0.7 }]);
    // Documents once, then each distinct word once.
    assert.deepEqual(calls, [
      ["d1", "d2"],
      ["a", "b", "c", "e"],
    ]);
  });

  it("refuses an embedder that returns the wrong number of vectors", async () => {
    const short = async (): Promise<Matrix> => matrix([[1, 0]]);
    await assert.rejects(
      keyBertInspired(
        {
          candidates: new Map([
            [
              0,
              [
                { word: "x", score: 1 },
                { word: "y", score: 1 },
              ],
            ],
          ]),
          embed: short,
          topicEmbeddings: new Map([[0, Float32Array.from([1, 0])]]),
        },
        { topN: 2 },
      ),
      /1 vectors for 2 words/,
    );
  });
});
