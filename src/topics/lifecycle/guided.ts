/**
 * Guided topic modelling as BERTopic's _guided_topic_modeling: every seed topic (its words joined by
 * spaces) is embedded; each document gets the seed topic it is most similar to, unless it is more
 * similar to the mean document than to any seed (then no seed, -1). Documents with a seed are pulled
 * towards it (0.75·document + 0.25·seed) and the seed labels steer the reducer (as `y`), so the
 * clusters form around the seeds. The seed words also get an idf boost in c-TF-IDF (build.ts).
 */
import type { Matrix } from "../../types.js";
import { cosineSimilarity, rowArgmax } from "../../util/cosine.js";
import { UserError } from "../../util/errors.js";

export interface GuidedInput {
  /** n×d document embeddings. */
  embeddings: Matrix;
  /** Rows that take part (non-empty documents); others get -1 and are left as they are. */
  included: Uint8Array;
  /** One embedding per seed topic. */
  seedVectors: Matrix;
}

export interface GuidedResult {
  /** Seed topic per document, -1 = none. */
  seedLabels: Int32Array;
  /** The nudged embeddings (a copy; the input is not changed). */
  embeddings: Matrix;
}

export function validateSeedTopics(seeds: unknown, source = "seed topics"): string[][] {
  if (!Array.isArray(seeds) || seeds.length === 0) {
    throw new UserError(
      `${source}: expected a non-empty JSON array of word lists, e.g. [["tax","budget"],["goal","match"]]`,
    );
  }
  return seeds.map((topic, i) => {
    if (
      !Array.isArray(topic) ||
      topic.length === 0 ||
      !topic.every((w) => typeof w === "string" && w.trim().length > 0)
    ) {
      throw new UserError(
        `${source}: entry ${i + 1} must be a non-empty list of words, got ${JSON.stringify(topic)}`,
      );
    }
    return topic.map((w: string) => w.trim());
  });
}

export function guideBySeeds({ embeddings, included, seedVectors }: GuidedInput): GuidedResult {
  const { rows, cols } = embeddings;
  if (seedVectors.cols !== cols)
    throw new UserError(`seed embeddings are ${seedVectors.cols}-d, documents ${cols}-d`);
  const k = seedVectors.rows;
  const mean = new Float64Array(cols);
  let count = 0;
  for (let i = 0; i < rows; i++) {
    if (!included[i]) continue;
    count++;
    for (let j = 0; j < cols; j++) mean[j] += embeddings.data[i * cols + j];
  }
  const targets = new Float32Array((k + 1) * cols);
  targets.set(seedVectors.data);
  for (let j = 0; j < cols; j++) targets[k * cols + j] = mean[j] / Math.max(1, count);
  const sims = cosineSimilarity(embeddings, { data: targets, rows: k + 1, cols });
  const seedLabels = new Int32Array(rows).fill(-1);
  const data = embeddings.data.slice();
  for (let i = 0; i < rows; i++) {
    if (!included[i]) continue;
    const { index } = rowArgmax(sims, i);
    if (index === k) continue;
    seedLabels[i] = index;
    for (let j = 0; j < cols; j++)
      data[i * cols + j] = 0.75 * data[i * cols + j] + 0.25 * seedVectors.data[index * cols + j];
  }
  return { seedLabels, embeddings: { data, rows, cols } };
}
