/**
 * The topic pipeline's guard against one giant topic (`cluster.maxClusterSize`, `fit
 * --max-cluster-size`): by default HDBSCAN may not select a topic of more than
 * DEFAULT_MAX_TOPIC_SHARE of the clustered documents and takes the topics below it in the tree
 * instead; 0 restores BERTopic's selection. Points are fitted without a reducer, so the clusterer sees
 * the geometry below: three touching blobs of 40 (one mass of 120, 89 % of the documents) and a far
 * blob of 15.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { TopicModel } from "../../src/topics/model.js";
import {
  DEFAULT_MAX_TOPIC_SHARE,
  maxClusterSizeFor,
  resolveParameters,
} from "../../src/topics/parameters.js";
import { UserError } from "../../src/util/errors.js";
import { createRng } from "../../src/util/rng.js";
import { bagOfWordsEmbedder } from "./helpers.js";

const centres = [
  [0, 0],
  [4, 0],
  [2, 3.48],
  [60, 0],
];
const sizes = [40, 40, 40, 15];
const words = ["apple pear plum", "river lake pond", "stone rock sand", "violin cello harp"];

function corpus(): { texts: string[]; embeddings: { data: Float32Array; rows: number; cols: number } } {
  const rng = createRng(7);
  const data: number[] = [];
  const texts: string[] = [];
  centres.forEach(([x, y], k) => {
    for (let i = 0; i < sizes[k]; i++) {
      data.push(x + rng.nextGaussian(), y + rng.nextGaussian());
      texts.push(`${words[k]} ${i}`);
    }
  });
  return { texts, embeddings: { data: Float32Array.from(data), rows: texts.length, cols: 2 } };
}

async function topicSizes(cluster: { maxClusterSize?: number } = {}): Promise<number[]> {
  const { texts, embeddings } = corpus();
  const model = await new TopicModel({
    embedder: bagOfWordsEmbedder,
    cache: false,
    seed: 1,
    reduce: { method: "none" },
    cluster,
    outliers: "keep",
  }).fit(texts, { embeddings });
  return model.topics
    .filter((t) => t.id >= 0)
    .map((t) => t.size)
    .sort((a, b) => b - a);
}

test("maxClusterSizeFor: a share of the clustered documents unless set; 0 is no limit", () => {
  const cluster = resolveParameters().cluster;
  assert.equal(DEFAULT_MAX_TOPIC_SHARE, 0.8);
  assert.equal(maxClusterSizeFor(cluster, 18_846), 15_076);
  assert.equal(maxClusterSizeFor({ ...cluster, maxClusterSize: 0 }, 18_846), 0);
  assert.equal(maxClusterSizeFor({ ...cluster, maxClusterSize: 500 }, 18_846), 500);
});

test("a topic of 89 % of the documents is split into the topics below it; 0 keeps it (BERTopic)", async () => {
  assert.deepEqual(await topicSizes({ maxClusterSize: 0 }), [120, 15], "excess of mass takes the mass");
  const guarded = await topicSizes();
  assert.ok(guarded.length >= 3, `the mass split, the far blob kept: got ${guarded}`);
  assert.ok(guarded[0] <= 0.8 * 135, `no topic over the share: ${guarded}`);
  assert.ok(guarded.includes(15), "the far blob is untouched");
  assert.deepEqual(
    await topicSizes({ maxClusterSize: 200 }),
    [120, 15],
    "a limit above the mass changes nothing",
  );
});

test("max cluster size must be an integer ≥ 0, refused before any work", () => {
  for (const maxClusterSize of [-1, 2.5, Number.NaN]) {
    assert.throws(
      () => resolveParameters({ cluster: { maxClusterSize } }),
      (error: Error) =>
        error instanceof UserError && /max cluster size must be an integer ≥ 0/.test(error.message),
    );
  }
});
