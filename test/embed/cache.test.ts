import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { cacheInfo, clearCache, defaultCacheDir, EmbeddingCache, textKey } from "../../src/embed/cache.js";
import { embedWithCache } from "../../src/embed/index.js";
import { fakeEmbedder, rowOf, tempDir } from "./helpers.js";

const dir = tempDir("cache");
after(() => dir.remove());

const texts = ["alpha", "beta", "gamma", "alpha", "delta", "epsilon", "zeta"];

describe("embedding cache", () => {
  test("default location follows TOPICSCOPE_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache", () => {
    assert.equal(defaultCacheDir({ TOPICSCOPE_CACHE_DIR: "/x", XDG_CACHE_HOME: "/y" }), "/x");
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: "/y" }), "/y/topicscope");
    assert.match(defaultCacheDir({}), /\.cache\/topicscope$/);
  });

  test("miss then hit: the second run embeds nothing and returns the same rows", async () => {
    const root = join(dir.path, "hit");
    const first = fakeEmbedder();
    const a = await embedWithCache(first, texts, { cache: root });
    // duplicates are embedded once
    assert.deepEqual(first.seen.sort(), ["alpha", "beta", "delta", "epsilon", "gamma", "zeta"]);
    assert.equal(a.computed, texts.length);
    assert.equal(a.cached, 0);
    assert.deepEqual(rowOf(a.matrix, 0), rowOf(a.matrix, 3));

    const second = fakeEmbedder();
    const b = await embedWithCache(second, texts, { cache: root });
    assert.equal(second.seen.length, 0);
    assert.equal(b.cached, texts.length);
    assert.deepEqual(Array.from(b.matrix.data), Array.from(a.matrix.data));

    // a partly new corpus embeds only the new text, in input order
    const third = fakeEmbedder();
    const c = await embedWithCache(third, ["new text", "beta"], { cache: root });
    assert.deepEqual(third.seen, ["new text"]);
    assert.deepEqual(rowOf(c.matrix, 1), rowOf(a.matrix, 1));
    assert.equal(c.cached, 1);
    assert.equal(c.computed, 1);
  });

  test("another model id (e.g. new weights or pooling) does not see the old vectors", async () => {
    const root = join(dir.path, "invalidate");
    await embedWithCache(fakeEmbedder("model@1"), texts, { cache: root });
    const other = fakeEmbedder("model@2");
    const result = await embedWithCache(other, texts, { cache: root });
    assert.equal(other.seen.length, 6);
    assert.equal(result.cached, 0);
    assert.notDeepEqual(
      rowOf(result.matrix, 0),
      rowOf((await embedWithCache(fakeEmbedder("model@1"), ["alpha"], { cache: root })).matrix, 0),
    );
    const info = cacheInfo(root);
    assert.deepEqual(info.models.map((m) => m.id).sort(), ["model@1", "model@2"]);
    assert.equal(info.models.find((m) => m.id === "model@1")?.vectors, 6);
  });

  test("a run killed halfway resumes after the last whole chunk", async () => {
    const root = join(dir.path, "resume");
    const crashing = fakeEmbedder();
    crashing.failAfter = 4; // chunks of 2 distinct texts: 2 chunks land, the 3rd crashes
    await assert.rejects(embedWithCache(crashing, texts, { cache: root, chunkSize: 2 }), /simulated crash/);
    assert.equal(cacheInfo(root).models[0].vectors, 4);
    // a leftover temporary file from the crash must not be read
    const chunkDir = join(cacheInfo(root).models[0].folder, "chunks");
    writeFileSync(join(chunkDir, ".half-written.bin.123.tmp"), "garbage");
    const resumed = fakeEmbedder();
    const result = await embedWithCache(resumed, texts, { cache: root, chunkSize: 2 });
    assert.equal(resumed.seen.length, 2);
    assert.equal(result.computed, 2);
    const fresh = await embedWithCache(fakeEmbedder(), texts, { cache: false });
    assert.deepEqual(Array.from(result.matrix.data), Array.from(fresh.matrix.data));
    assert.equal(readdirSync(chunkDir).filter((f) => f.endsWith(".bin")).length, 3);
  });

  test("a damaged chunk is skipped with a warning and its texts embedded again", () => {
    const root = join(dir.path, "damaged");
    const cache = EmbeddingCache.open(root, "m", 2);
    cache.append([textKey("a"), textKey("b")], Float32Array.from([1, 2, 3, 4]));
    const chunkDir = join(cache.folder, "chunks");
    writeFileSync(join(chunkDir, "00000000000000-1-0.bin"), "TSEMB\x01\0\0 too short");
    const warnings: string[] = [];
    const logger = { quiet: true, info: () => {}, warn: (m: string) => warnings.push(m) };
    const reopened = EmbeddingCache.open(root, "m", 2, logger);
    const out = new Float32Array(6);
    const found = reopened.lookup([textKey("b"), textKey("c"), textKey("a")], out);
    assert.deepEqual(Array.from(found), [1, 0, 1]);
    assert.deepEqual(Array.from(out), [3, 4, 0, 0, 1, 2]);
    assert.equal(warnings.length, 1);
  });

  test("--no-cache writes nothing; clear removes everything", async () => {
    const root = join(dir.path, "clear");
    await embedWithCache(fakeEmbedder(), texts, { cache: false });
    assert.equal(cacheInfo(root).models.length, 0);
    await embedWithCache(fakeEmbedder(), texts, { cache: root });
    assert.ok(cacheInfo(root).bytes > 6 * 8 * 4);
    assert.ok(clearCache(root) > 0);
    assert.equal(cacheInfo(root).models.length, 0);
    const again = fakeEmbedder();
    await embedWithCache(again, texts, { cache: root });
    assert.equal(again.seen.length, 6);
  });
});
