/** Stored readings (embed/readings.ts): a corpus is tokenised for reading once, with the same results. */
import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { cacheInfo } from "../../src/embed/cache.js";
import { embedWithCache, withLongDocuments } from "../../src/embed/index.js";
import type { Embedder, TextReading } from "../../src/embed/types.js";
import { fakeEmbedder, tempDir } from "./helpers.js";

const dir = tempDir("readings");
after(() => dir.remove());

/** A fake encoder reading one token per word, "??" words unknown, with a 6-token budget; counts its reads. */
function readingEmbedder(): Embedder & { reads: string[] } {
  const base = fakeEmbedder("reader@1", 4);
  const reads: string[] = [];
  const read = (text: string): TextReading => {
    reads.push(text);
    const words = text.split(/\s+/).filter(Boolean);
    const unknown = words.filter((w) => w === "??").length;
    return { tokens: Math.min(words.length, 7), unknownShare: words.length ? unknown / words.length : 0 };
  };
  const wrapped = withLongDocuments({ ...base, tokenBudget: 6, read }, "chunk");
  return Object.assign(wrapped, { reads });
}

const texts = [
  "one two three",
  "a text of many more words than the budget holds. It goes on.",
  "?? ?? ?? words",
  "",
  "one two three",
  "short one. And a second sentence that is long as well, more words here.",
];

async function run(root: string, corpus: readonly string[]) {
  const embedder = readingEmbedder();
  const warnings: string[] = [];
  const result = await embedWithCache(embedder, corpus, {
    cache: root,
    check: { warn: (m) => warnings.push(m) },
  });
  return { embedder, warnings, result };
}

describe("stored readings", () => {
  test("the second run reads nothing and decides alike: same rows, same warnings", async () => {
    const root = join(dir.path, "same");
    const first = await run(root, texts);
    // each distinct non-blank text read once (the check and the cache keys share the reading); the
    // rest are the windows of the long ones, counted while they are cut
    const whole = first.embedder.reads.filter((r) => texts.includes(r));
    assert.deepEqual(whole.sort(), [...new Set(texts.filter(Boolean))].sort());
    assert.equal(first.warnings.length, 2);
    const second = await run(root, texts);
    assert.deepEqual(second.embedder.reads, []);
    assert.deepEqual(second.warnings, first.warnings);
    assert.deepEqual([...second.result.matrix.data], [...first.result.matrix.data]);
    assert.equal(second.result.cached, texts.length);
    // reported with the embedder's vectors, not as another model
    const info = cacheInfo(root);
    assert.deepEqual(
      info.models.map((m) => [m.id, m.readings]),
      [["reader@1", 4]],
    );
  });

  test("only texts new to the store are read", async () => {
    const root = join(dir.path, "new");
    await run(root, texts);
    const next = await run(root, [...texts, "a new text", "?? ?? new"]);
    assert.deepEqual(next.embedder.reads, ["a new text", "?? ?? new"]);
    assert.deepEqual((await run(root, [...texts, "a new text"])).embedder.reads, []);
  });

  test("a damaged readings file costs reading again, not results", async () => {
    const root = join(dir.path, "damaged");
    const first = await run(root, texts);
    const folders = readdirSync(join(root, "embeddings"), { withFileTypes: true }).map((e) => e.name);
    for (const folder of folders) {
      const chunks = join(root, "embeddings", folder, "chunks");
      for (const file of readdirSync(chunks)) writeFileSync(join(chunks, file), "garbage");
    }
    const again = await run(root, texts);
    assert.ok(again.embedder.reads.length >= 4, "texts read again");
    assert.deepEqual([...again.result.matrix.data], [...first.result.matrix.data]);
    assert.deepEqual(again.warnings, first.warnings);
  });

  test("truncate mode stores readings too: the check's second run reads nothing", async () => {
    const root = join(dir.path, "truncate");
    const make = () => {
      const reads: string[] = [];
      const base = fakeEmbedder("reader@1", 4);
      const read = (text: string): TextReading => {
        reads.push(text);
        return { tokens: Math.min(text.split(/\s+/).filter(Boolean).length, 7), unknownShare: 0 };
      };
      return { embedder: withLongDocuments({ ...base, tokenBudget: 6, read }, "truncate"), reads };
    };
    const warnings: string[][] = [[], []];
    for (const w of warnings) {
      const { embedder, reads } = make();
      await embedWithCache(embedder, texts, { cache: root, check: { warn: (m) => w.push(m) } });
      if (w === warnings[1]) assert.deepEqual(reads, []);
    }
    assert.deepEqual(warnings[1], warnings[0]);
    assert.match(warnings[0].join("\n"), /longer than/);
  });

  test("embedders that keep no readings get no store", async () => {
    const root = join(dir.path, "plain");
    await embedWithCache(fakeEmbedder("plain@1"), texts, { cache: root });
    assert.equal(readdirSync(join(root, "embeddings")).length, 1);
  });
});
