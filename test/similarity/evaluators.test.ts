import assert from "node:assert/strict";
import { test } from "node:test";
import {
  evaluateBinaryClassification,
  evaluateEmbeddingSimilarity,
  evaluateInformationRetrieval,
  evaluateParaphraseMining,
  retrievalMetrics,
  SIMILARITY_FUNCTIONS,
} from "../../src/similarity/evaluation/index.js";
import { selectRows } from "../../src/types.js";
import { averagePrecision, matthewsCorrelation, pearson, rankData, spearman } from "../../src/util/stats.js";
import { golden, matrixOf } from "./golden.js";

const g = golden.evaluators;
const sentences = matrixOf(g.vectors);

/** Same metric names; values equal to `tolerance` relative (float32 scores: theirs sum in torch). */
function assertClose(ours: Record<string, number>, theirs: Record<string, number>, tolerance = 1e-6): void {
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
  for (const [name, value] of Object.entries(theirs)) {
    assert.ok(
      Math.abs(ours[name] - value) <= tolerance * Math.max(1, Math.abs(value)),
      `${name}: ours ${ours[name]}, theirs ${value}`,
    );
  }
}

test("stats: rankData, Pearson, Spearman (ties averaged), AP and MCC equal scipy / scikit-learn", () => {
  const s = g.statistics;
  assert.deepEqual(Array.from(rankData(s.x)), s.rank_x);
  assert.ok(Math.abs(pearson(s.x, s.y) - s.pearson) < 1e-12);
  assert.ok(Math.abs(spearman(s.x, s.y) - s.spearman) < 1e-12);
  assert.ok(Math.abs(averagePrecision(s.ap_labels, s.ap_scores) - s.average_precision) < 1e-12);
  assert.ok(Math.abs(matthewsCorrelation(s.ap_labels, s.mcc_pred) - s.mcc) < 1e-12);
  // hand-computed: ranks of [3, 1, 3, 2] are [3.5, 1, 3.5, 2]; a constant side has no correlation
  assert.deepEqual(Array.from(rankData([3, 1, 3, 2])), [3.5, 1, 3.5, 2]);
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
  // one positive ranked second of three: AP = 1/2
  assert.equal(averagePrecision([0, 1, 0], [0.9, 0.5, 0.1]), 0.5);
});

test("EmbeddingSimilarityEvaluator: pearson_/spearman_ for cosine, euclidean, manhattan, dot and max", () => {
  const a = selectRows(sentences, g.sts.s1);
  const b = selectRows(sentences, g.sts.s2);
  const ours = evaluateEmbeddingSimilarity(a, b, g.sts.gold, { similarityFunctions: SIMILARITY_FUNCTIONS });
  assertClose(ours, g.sts.metrics);
  assert.deepEqual(Object.keys(evaluateEmbeddingSimilarity(a, b, g.sts.gold)), [
    "pearson_cosine",
    "spearman_cosine",
  ]);
});

test("BinaryClassificationEvaluator: best-threshold accuracy / F1, precision, recall, AP, MCC", () => {
  const a = selectRows(sentences, g.sts.s1);
  const b = selectRows(sentences, g.sts.s2);
  const ours = evaluateBinaryClassification(a, b, g.binary.labels, {
    similarityFunctions: SIMILARITY_FUNCTIONS,
  });
  assertClose(ours, g.binary.metrics);
  assert.throws(
    () =>
      evaluateBinaryClassification(
        a,
        b,
        g.binary.labels.map(() => 2),
      ),
    /label 2 is not binary/,
  );
});

test("InformationRetrievalEvaluator: accuracy/precision/recall@k, MRR@10, NDCG@10, MAP@100", async () => {
  const queryNames = Object.keys(g.ir.queries);
  const queries = selectRows(
    sentences,
    queryNames.map((q) => g.ir.queries[q]),
  );
  const corpus = selectRows(
    sentences,
    Array.from({ length: 60 }, (_, i) => i),
  );
  const relevant = queryNames.map((q) => g.ir.relevant[q]);
  const ours = await evaluateInformationRetrieval(queries, corpus, relevant);
  assertClose(ours, g.ir.metrics, 1e-12);
});

test("retrievalMetrics by hand: one query, relevant {2, 5}, ranking [5, 1, 2]", () => {
  const m = retrievalMetrics([[5, 1, 2]], [new Set([2, 5])], {
    accuracy: [1],
    precisionRecall: [2],
    mrr: [10],
    ndcg: [3],
    map: [3],
  });
  assert.equal(m["accuracy@1"], 1);
  assert.equal(m["precision@2"], 0.5);
  assert.equal(m["recall@2"], 0.5);
  assert.equal(m["mrr@10"], 1);
  assert.ok(Math.abs(m["ndcg@3"] - (1 + 0.5) / (1 + 1 / Math.log2(3))) < 1e-15);
  assert.ok(Math.abs(m["map@3"] - (1 + 2 / 3) / 2) < 1e-15);
});

test("ParaphraseMiningEvaluator: average precision, F1, precision, recall, threshold", async () => {
  const rows = selectRows(
    sentences,
    Array.from({ length: 80 }, (_, i) => i),
  );
  const ours = await evaluateParaphraseMining(rows, g.paraphrase_mining.duplicates, { topK: 10 });
  assertClose(ours, g.paraphrase_mining.metrics);
  // transitive closure: 1~2 and 2~3 make 1~3 a duplicate too
  const closed = await evaluateParaphraseMining(
    rows,
    [
      [1, 2],
      [2, 3],
    ],
    { topK: 10, addTransitiveClosure: true },
  );
  const open = await evaluateParaphraseMining(
    rows,
    [
      [1, 2],
      [2, 3],
    ],
    { topK: 10 },
  );
  assert.notDeepEqual(closed, open);
});
