/**
 * The defaults of issue 17 on hand-made data with known answers: the outlier rule
 * (absorb-outliers.ts), merge-smallest topic reduction and the junk-topic statistics.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  absorbOutliers,
  memberTopics,
  nearestTopics,
  topicCentres,
} from "../../src/topics/lifecycle/absorb-outliers.js";
import { isNonWord, junkReason, topicWordStats } from "../../src/topics/lifecycle/junk.js";
import { mergeSmallestToN } from "../../src/topics/operations/merge-smallest.js";
import type { Matrix } from "../../src/types.js";

/** Unit vectors in the plane at the given angles (degrees). */
function atAngles(degrees: readonly number[]): Matrix {
  const data = new Float32Array(degrees.length * 2);
  degrees.forEach((d, i) => {
    data[2 * i] = Math.cos((d * Math.PI) / 180);
    data[2 * i + 1] = Math.sin((d * Math.PI) / 180);
  });
  return { data, rows: degrees.length, cols: 2 };
}

const cos = (d: number) => Math.cos((d * Math.PI) / 180);

describe("outlier rule", () => {
  // topic 0 around 0°, topic 1 around 90°; members at ±10° and ±20°, so each centre is the middle
  const angles = [-20, -10, 0, 10, 20, 70, 80, 90, 100, 110, 15, 30, 50, 200];
  const labels = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, -1, -1, -1, -1]);
  const embeddings = atAngles(angles);

  it("thresholds are the quantile of the members' cosine to the centre", () => {
    const centres = topicCentres(embeddings, labels, 0);
    assert.deepEqual(centres.topicIds, [0, 1]);
    assert.ok(Math.abs(centres.thresholds[0] - cos(20)) < 1e-6);
    assert.ok(Math.abs(centres.thresholds[1] - cos(20)) < 1e-6);
    // quantile 0.5: the median member (±10°) — floor(0.5 · 5) = 2nd of [20, 20, 10, 10, 0] ascending in cosine
    assert.ok(Math.abs(topicCentres(embeddings, labels, 0.5).thresholds[0] - cos(10)) < 1e-6);
  });

  it("an outlier joins its nearest topic only when as close as that topic's members", () => {
    const {
      labels: out,
      probabilities,
      absorbed,
    } = absorbOutliers(
      embeddings,
      labels,
      new Float32Array(labels.length).fill(1),
      new Uint8Array(labels.length).fill(1),
      0,
    );
    // 15° is within 20° of topic 0; 30° is nearest to topic 0 but 30° > 20°; 50° is 40° from topic 1; 200° far
    assert.deepEqual(Array.from(out.slice(10)), [0, -1, -1, -1]);
    assert.equal(absorbed, 1);
    assert.ok(Math.abs(probabilities[10] - cos(15)) < 1e-6);
    assert.deepEqual(Array.from(out.slice(0, 10)), Array.from(labels.slice(0, 10)), "members never move");
  });

  it("empty documents and zero rows join nothing", () => {
    const included = new Uint8Array(labels.length).fill(1);
    included[10] = 0;
    const { labels: out } = absorbOutliers(embeddings, labels, new Float32Array(labels.length), included, 0);
    assert.equal(out[10], -1);
    const zero: Matrix = { data: new Float32Array(2), rows: 1, cols: 2 };
    assert.equal(nearestTopics(zero, [0], topicCentres(embeddings, labels, 0)).topics[0], -1);
  });

  it("members follow their cluster to its current topic (after merges)", () => {
    const clusterLabels = Int32Array.from([3, 3, -1, 5, -2]);
    assert.deepEqual(
      Array.from(
        memberTopics(
          clusterLabels,
          new Map([
            [3, 0],
            [5, 0],
          ]),
        ),
      ),
      [0, 0, -1, 0, -1],
    );
  });
});

describe("merge-smallest reduction", () => {
  it("the smallest topic joins its nearest until n remain", () => {
    // topic 0: 4 docs at 0°, topic 1: 3 docs at 90°, topic 2: 2 docs at 10°, topic 3: 1 doc at 80°
    const embeddings = atAngles([0, 0, 0, 0, 90, 90, 90, 10, 10, 80]);
    const labels = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 2, 2, 3]);
    const included = new Uint8Array(10).fill(1);
    const to3 = mergeSmallestToN(embeddings, labels, included, [0, 1, 2, 3], 3);
    assert.deepEqual(
      [...to3],
      [
        [0, 0],
        [1, 1],
        [2, 2],
        [3, 1],
      ],
    );
    const to2 = mergeSmallestToN(embeddings, labels, included, [0, 1, 2, 3], 2);
    assert.deepEqual(
      [...to2],
      [
        [0, 0],
        [1, 1],
        [2, 0],
        [3, 1],
      ],
    );
    const to1 = mergeSmallestToN(embeddings, labels, included, [0, 1, 2, 3], 1);
    assert.deepEqual(new Set(to1.values()).size, 1);
    assert.throws(
      () => mergeSmallestToN(embeddings, labels, included, [0, 1, 2, 3], 5),
      /cannot reduce to 5/,
    );
  });
});

describe("junk topics", () => {
  it("non-words: digits inside or one repeated character", () => {
    assert.deepEqual(["1993", "g9v", "2min", "____", "xxx", "tax", "x_y", "٣٤"].map(isNonWord), [
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      true,
    ]);
  });

  it("word statistics and reasons", () => {
    const texts = [
      "tax budget tax",
      "tax deficit",
      "budget vote",
      "03 02 04",
      "01 05 03",
      "ax ax ax ax ax ax ax ax ax max",
    ];
    const labels = Int32Array.from([0, 0, 0, 1, 1, 2]);
    const topics = [
      {
        id: 0,
        size: 3,
        label: "",
        words: [
          { word: "tax", score: 1 },
          { word: "budget", score: 0.5 },
        ],
        representativeDocs: [],
      },
      {
        id: 1,
        size: 2,
        label: "",
        words: ["03", "02", "04", "01"].map((word) => ({ word, score: 1 })),
        representativeDocs: [],
      },
      {
        id: 2,
        size: 1,
        label: "",
        words: [
          { word: "ax", score: 1 },
          { word: "max", score: 0.1 },
        ],
        representativeDocs: [],
      },
    ];
    const stats = topicWordStats(texts, labels, topics, { stopWords: "none", dropNumbers: false });
    // tax in 2 of 3 documents, budget in 2 of 3; tax is 3 of the topic's 7 tokens
    assert.deepEqual(stats.get(0), { nonWords: 0, coverage: 2 / 3, topShare: 3 / 7 });
    assert.equal(stats.get(1)!.nonWords, 1);
    assert.equal(stats.get(2)!.topShare, 0.9);
    assert.match(junkReason(stats.get(1)!)!, /numbers or codes/);
    assert.match(junkReason(stats.get(2)!)!, /one word is 90%/);
    assert.equal(junkReason({ nonWords: 0.1, coverage: 0.3, topShare: 0.05 }), undefined);
    assert.match(junkReason({ nonWords: 0, coverage: 0.01, topShare: 0.05 })!, /only 1\.0%/);
  });
});

describe("outliers: reduce (default) vs keep, through TopicModel", () => {
  it("same clusters; reduce only moves outliers, into topics, and transform applies the same rule", async () => {
    const { TopicModel } = await import("../../src/topics/model.js");
    const { bagOfWordsEmbedder, embedBagOfWords, syntheticCorpus } = await import("./helpers.js");
    const corpus = syntheticCorpus({ noise: 12 });
    const embeddings = embedBagOfWords(corpus.texts);
    const fit = (outliers: "reduce" | "keep") =>
      new TopicModel({
        embedder: bagOfWordsEmbedder,
        cache: false,
        reduce: { method: "pca" },
        cluster: { minClusterSize: 8 },
        outliers,
      }).fit(corpus.texts, { embeddings });
    const keep = await fit("keep");
    const reduce = await fit("reduce");
    assert.deepEqual(reduce.clusterLabels, keep.clusterLabels);
    const count = (l: Int32Array) => l.filter((x) => x === -1).length;
    assert.ok(count(keep.labels) > 0, "the synthetic noise gives outliers");
    assert.ok(count(reduce.labels) < count(keep.labels), "some outliers join a topic");
    // documents HDBSCAN clustered keep their partition
    const mapping = new Map<number, number>();
    keep.labels.forEach((l, i) => {
      if (l === -1) return;
      if (!mapping.has(l)) mapping.set(l, reduce.labels[i]);
      assert.equal(reduce.labels[i], mapping.get(l), `document ${i}`);
    });
    assert.equal(reduce.parameters.outliers, "reduce");
    // transform of the training documents (pipeline path) reproduces the fitted assignment
    const predicted = await reduce.transform(corpus.texts, { embeddings, method: "pipeline" });
    const agree = predicted.topics.filter((t, i) => t === reduce.labels[i]).length;
    assert.ok(agree / corpus.texts.length > 0.9, `${agree} of ${corpus.texts.length}`);
  });
});
