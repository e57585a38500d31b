import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { indexDocuments, openStore } from "../../src/store/index.js";
import type { CorpusDocument } from "../../src/types.js";
import { UserError } from "../../src/util/errors.js";
import { fakeEmbedder, tempDir } from "../embed/helpers.js";

const dir = tempDir("store-indexer");
after(() => dir.remove());

const documents: CorpusDocument[] = Array.from({ length: 60 }, (_, i) => ({
  id: `d${i}`,
  text: i === 7 ? "   " : `document number ${i} about ${i % 3 === 0 ? "cats" : "dogs"}`,
  label: i % 3 === 0 ? "cats" : "dogs",
}));
const embedding = (e: { id: string; dimension: number }) => ({ embedderId: e.id, dimension: e.dimension });

async function storedIds(path: string): Promise<string[]> {
  const store = await openStore(path);
  const ids = [...(await store.knownIds())];
  await store.close();
  return ids;
}

describe("indexDocuments", () => {
  test("a run that dies midway resumes: nothing lost, nothing doubled, nothing embedded twice", async () => {
    const path = join(dir.path, "resume");
    const cache = join(dir.path, "cache-resume");
    const embedder = fakeEmbedder("fake@1", 8);
    const store = await openStore(path, { create: true, embedding: embedding(embedder) });
    embedder.failAfter = 25; // the model "crashes" while embedding the third batch of 10
    await assert.rejects(
      indexDocuments(store, documents, embedder, { batchSize: 10, cache }),
      /simulated crash/,
    );
    assert.equal(await store.count(), 20, "two whole batches were committed");
    await store.close();

    embedder.failAfter = undefined;
    const seenBefore = embedder.seen.length;
    const again = await openStore(path, { embedding: embedding(embedder) });
    const result = await indexDocuments(again, documents, embedder, { batchSize: 10, cache });
    await again.close();
    assert.equal(result.alreadyStored, 20);
    assert.equal(result.blank, 1);
    assert.equal(result.added, 39);
    const ids = await storedIds(path);
    assert.equal(ids.length, 59);
    assert.equal(new Set(ids).size, 59);
    assert.ok(!ids.includes("d7"), "blank documents are not stored");
    // exactly the 39 documents not yet stored were embedded by the second run
    const storedFirst = new Set(
      documents
        .filter((d) => d.id !== "d7")
        .slice(0, 20)
        .map((d) => d.text),
    );
    const embeddedAgain = embedder.seen.slice(seenBefore);
    assert.equal(embeddedAgain.length, 39);
    assert.ok(embeddedAgain.every((t) => !storedFirst.has(t)));
  });

  test("re-indexing the same corpus adds nothing and embeds nothing", async () => {
    const path = join(dir.path, "again");
    const embedder = fakeEmbedder("fake@1", 8);
    const store = await openStore(path, { create: true, embedding: embedding(embedder) });
    await indexDocuments(store, documents, embedder, { cache: false });
    const seen = embedder.seen.length;
    const second = await indexDocuments(store, documents, embedder, { cache: false });
    assert.deepEqual([second.added, second.alreadyStored, embedder.seen.length], [0, 59, seen]);
    assert.equal(await store.count(), 59);
    await store.close();
  });

  test("a duplicate id in the input is named, with both positions, before anything is written", async () => {
    const path = join(dir.path, "dup");
    const embedder = fakeEmbedder("fake@1", 8);
    const store = await openStore(path, { create: true, embedding: embedding(embedder) });
    const input = [...documents.slice(0, 5), { id: "d2", text: "another text" }];
    await assert.rejects(
      indexDocuments(store, input, embedder, { source: "news.jsonl" }),
      (e: unknown) =>
        e instanceof UserError && e.message.startsWith("news.jsonl: duplicate id 'd2' (documents 3 and 6)"),
    );
    assert.equal(await store.count(), 0);
    assert.equal(embedder.seen.length, 0);
    await store.close();
  });

  test("an embedder other than the store's is refused, naming both", async () => {
    const path = join(dir.path, "other");
    const store = await openStore(path, { create: true, embedding: { embedderId: "fake@1", dimension: 8 } });
    await assert.rejects(
      indexDocuments(store, documents, fakeEmbedder("fake@2", 8)),
      /holds 8-d vectors of fake@1; the embedder is fake@2 \(8-d\)/,
    );
    await store.close();
  });

  test("the approximate index is built past the size threshold and takes in rows added later", async () => {
    const path = join(dir.path, "ann");
    const embedder = fakeEmbedder("fake@1", 16);
    const many: CorpusDocument[] = Array.from({ length: 400 }, (_, i) => ({ id: `r${i}`, text: `row ${i}` }));
    const store = await openStore(path, { create: true, embedding: embedding(embedder) });
    const small = await indexDocuments(store, many.slice(0, 200), embedder, {
      cache: false,
      indexMinRows: 300,
    });
    assert.equal(small.index, "none");
    assert.equal((await store.indexStatus()).kind, undefined);
    const built = await indexDocuments(store, many.slice(0, 320), embedder, {
      cache: false,
      indexMinRows: 300,
    });
    assert.equal(built.index, "built");
    const status = await store.indexStatus();
    assert.ok(status.kind !== undefined);
    assert.deepEqual([status.indexedRows, status.unindexedRows], [320, 0]);
    const grown = await indexDocuments(store, many, embedder, { cache: false, indexMinRows: 300 });
    assert.equal(grown.index, "updated");
    assert.equal((await store.indexStatus()).unindexedRows, 0);
    // every row finds itself first, through the index
    const vectors = await embedder.embed(["row 5", "row 390"]);
    for (const [q, id] of [
      [0, "r5"],
      [1, "r390"],
    ] as const) {
      const hits = await store.search(vectors.data.subarray(q * 16, (q + 1) * 16), { k: 3 });
      assert.equal(hits[0].id, id);
      assert.ok(hits[0].score > 0.999);
    }
    await store.close();
  });
});
