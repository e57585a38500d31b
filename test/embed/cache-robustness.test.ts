/**
 * Issue 18, point 11 (cache): a kill loses at most a few seconds of embedding (finished batches are
 * saved while a chunk is still running), many one-vector runs are merged into few chunk files, and a
 * cache that cannot be used slows a run down instead of failing it.
 */
import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { COMPACT_AT, cacheInfo, EmbeddingCache } from "../../src/embed/cache.js";
import { embedWithCache } from "../../src/embed/index.js";
import type { Embedder, EmbedOptions } from "../../src/embed/types.js";
import type { Matrix } from "../../src/types.js";
import { fakeEmbedder, tempDir } from "./helpers.js";

const dir = tempDir("cache-robust");
after(() => dir.remove());

/**
 * A backend that reports rows batch by batch (as use-lite and sbert do) and dies after `dieAfter`
 * batches — the in-process stand-in for a kill in the middle of a long chunk.
 */
function batchingEmbedder(dieAfter = Number.POSITIVE_INFINITY): Embedder & { seen: string[] } {
  const inner = fakeEmbedder("batching@1", 4);
  const seen: string[] = [];
  return {
    id: inner.id,
    dimension: inner.dimension,
    maxTokens: inner.maxTokens,
    seen,
    async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Matrix> {
      const all = await inner.embed(texts);
      const batch = options.batchSize ?? 2;
      for (let start = 0, b = 0; start < texts.length; start += batch, b++) {
        if (b === dieAfter) throw new Error("killed");
        const indices = Int32Array.from(
          { length: Math.min(batch, texts.length - start) },
          (_, k) => start + k,
        );
        seen.push(...Array.from(indices, (i) => texts[i]));
        options.onRows?.(indices, all.data.slice(start * 4, (start + indices.length) * 4));
      }
      return all;
    },
  };
}

const texts = Array.from({ length: 20 }, (_, i) => `text number ${i}`);

describe("embedding cache under kills and many small runs", () => {
  test("a run killed inside a chunk keeps the batches it finished (saved by time, not by chunk)", async () => {
    const root = join(dir.path, "kill");
    // one chunk of 20 texts, batches of 2, killed after 6 batches; save at every batch (0 s)
    await assert.rejects(
      embedWithCache(batchingEmbedder(6), texts, { cache: root, batchSize: 2, flushSeconds: 0 }),
      /killed/,
    );
    assert.equal(cacheInfo(root).models[0].vectors, 12, "6 batches of 2 were saved before the kill");
    const resumed = batchingEmbedder();
    const result = await embedWithCache(resumed, texts, { cache: root, batchSize: 2, flushSeconds: 0 });
    assert.equal(result.cached, 12);
    assert.equal(resumed.seen.length, 8, "only the unfinished texts are embedded again");
    const fresh = await embedWithCache(batchingEmbedder(), texts, { cache: false });
    assert.deepEqual(Array.from(result.matrix.data), Array.from(fresh.matrix.data));
  });

  test("with the default interval, a fast chunk is saved once (no flood of tiny files)", async () => {
    const root = join(dir.path, "interval");
    await embedWithCache(batchingEmbedder(), texts, { cache: root, batchSize: 2 });
    assert.equal(cacheInfo(root).models[0].chunks, 1);
    assert.equal(cacheInfo(root).models[0].vectors, 20);
  });

  test("200 one-query runs (a search loop) leave few chunk files, and every vector is still found", async () => {
    const root = join(dir.path, "queries");
    const queries = Array.from({ length: 200 }, (_, i) => `query ${i}`);
    for (const query of queries) await embedWithCache(fakeEmbedder("q@1", 4), [query], { cache: root });
    const chunks = cacheInfo(root).models[0].chunks;
    assert.ok(chunks <= COMPACT_AT, `${chunks} chunk files after 200 runs`);
    const again = fakeEmbedder("q@1", 4);
    const result = await embedWithCache(again, queries, { cache: root });
    assert.equal(again.seen.length, 0, "nothing lost in the merging");
    assert.equal(result.cached, 200);
  });

  test("a cache that cannot be created: a warning, and the vectors anyway", async () => {
    const file = join(dir.path, "a-file");
    writeFileSync(file, "not a folder");
    const warnings: string[] = [];
    const logger = { quiet: true, info: () => {}, warn: (m: string) => warnings.push(m) };
    const embedder = fakeEmbedder();
    const result = await embedWithCache(embedder, texts, { cache: join(file, "cache"), logger });
    assert.equal(result.computed, texts.length);
    assert.match(
      warnings.join(),
      /embedding cache .*a-file\/cache is not usable \(ENOTDIR\); embedding without it/,
    );
  });

  test("a damaged meta.json is another model's store: cleared, not a crash", () => {
    const root = join(dir.path, "meta");
    const cache = EmbeddingCache.open(root, "m@1", 2);
    cache.append(["00".repeat(16)], Float32Array.from([1, 2]));
    writeFileSync(join(cache.folder, "meta.json"), "{ not json");
    const warnings: string[] = [];
    const reopened = EmbeddingCache.open(root, "m@1", 2, {
      quiet: true,
      info: () => {},
      warn: (m) => warnings.push(m),
    });
    assert.match(warnings.join(), /belongs to an unreadable meta\.json; clearing it/);
    assert.deepEqual(readdirSync(join(reopened.folder, "chunks")), []);
  });
});
