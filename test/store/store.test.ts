import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { openStore, type StoreRow } from "../../src/store/index.js";
import { UserError } from "../../src/util/errors.js";
import { tempDir } from "../embed/helpers.js";

const dir = tempDir("store");
after(() => dir.remove());

const embedding = { embedderId: "hand@1", dimension: 3, model: "hand" };

function unit(x: number, y: number, z: number): Float32Array {
  const n = Math.hypot(x, y, z);
  return Float32Array.of(x / n, y / n, z / n);
}

// Hand-made vectors whose cosine similarities to the query (1, 0, 0) are known exactly.
const rows: StoreRow[] = [
  { id: "a", text: "along x", vector: unit(1, 0, 0), label: "x" },
  { id: "b", text: "45° in xy", vector: unit(1, 1, 0), label: "xy" },
  { id: "c", text: "along y", vector: unit(0, 1, 0), label: "y" },
  { id: "d", text: "against x", vector: unit(-1, 0, 0), label: "x", topic: 2, probability: 0.5 },
  { id: "e", text: "60° from x", vector: unit(0.5, Math.sqrt(3) / 2, 0), label: "xy" },
];

describe("openStore: add, search, delete, count", () => {
  test("exact search returns cosine similarities best first, filters with SQL, keeps the fields", async () => {
    const store = await openStore(join(dir.path, "basic"), { create: true, embedding });
    try {
      assert.deepEqual(await store.add(rows), { added: 5, skipped: 0 });
      assert.equal(await store.count(), 5);
      const hits = await store.search([1, 0, 0], { k: 5 });
      assert.deepEqual(
        hits.map((h) => h.id),
        ["a", "b", "e", "c", "d"],
      );
      const expected = [1, Math.SQRT1_2, 0.5, 0, -1];
      hits.forEach((h, i) => {
        assert.ok(Math.abs(h.score - expected[i]) < 1e-6, `${h.id}: ${h.score} vs ${expected[i]}`);
      });
      assert.deepEqual(hits[4], {
        id: "d",
        text: "against x",
        score: hits[4].score,
        label: "x",
        topic: 2,
        probability: 0.5,
      });
      const filtered = await store.search([1, 0, 0], { k: 3, where: "label = 'xy'" });
      assert.deepEqual(
        filtered.map((h) => h.id),
        ["b", "e"],
      );
      assert.equal(await store.count("label = 'x'"), 2);
    } finally {
      await store.close();
    }
  });

  test("ids are unique: known ids are skipped, a duplicate within one batch is named", async () => {
    const store = await openStore(join(dir.path, "unique"), { create: true, embedding });
    try {
      await store.add(rows.slice(0, 3));
      assert.deepEqual(await store.add(rows), { added: 2, skipped: 3 });
      assert.equal(await store.count(), 5);
      await assert.rejects(
        store.add([
          { ...rows[0], id: "z" },
          { ...rows[1], id: "z" },
        ]),
        (e: unknown) => e instanceof UserError && /duplicate id 'z'/.test(e.message),
      );
      assert.equal(await store.count(), 5, "a rejected batch writes nothing");
    } finally {
      await store.close();
    }
  });

  test("delete by ids and by filter; a deleted id can be added again", async () => {
    const store = await openStore(join(dir.path, "delete"), { create: true, embedding });
    try {
      await store.add(rows);
      assert.equal(await store.delete({ ids: ["a", "c", "nope"] }), 2);
      assert.equal(await store.delete("label = 'xy'"), 2);
      assert.deepEqual(
        (await store.search([1, 0, 0])).map((h) => h.id),
        ["d"],
      );
      assert.deepEqual(await store.add([rows[0]]), { added: 1, skipped: 0 });
      assert.equal(await store.count(), 2);
    } finally {
      await store.close();
    }
  });

  test("reopening keeps rows and metadata; another model or dimension is refused, naming both", async () => {
    const path = join(dir.path, "reopen");
    const first = await openStore(path, { create: true, embedding });
    await first.add(rows);
    await first.close();
    const again = await openStore(path, { embedding });
    assert.equal(await again.count(), 5);
    assert.deepEqual(again.metadata, { format: 1, embedderId: "hand@1", model: "hand", dimension: 3 });
    await again.close();
    await assert.rejects(
      openStore(path, { embedding: { embedderId: "other@2", dimension: 3 } }),
      (e: unknown) =>
        e instanceof UserError &&
        /hand@1/.test(e.message) &&
        /other@2/.test(e.message) &&
        /3-d/.test(e.message),
    );
    await assert.rejects(
      openStore(path, { embedding: { embedderId: "hand@1", dimension: 4 } }),
      (e: unknown) =>
        e instanceof UserError && /3-d vectors of hand@1/.test(e.message) && /4-d/.test(e.message),
    );
  });

  test("bad rows and bad filters are one-line UserErrors", async () => {
    const store = await openStore(join(dir.path, "bad"), { create: true, embedding });
    try {
      await assert.rejects(
        store.add([{ id: "w", text: "2-d", vector: Float32Array.of(1, 0) }]),
        /id 'w' has a 2-d vector; the store holds 3-d vectors/,
      );
      await assert.rejects(
        store.add([{ id: "z", text: "zero", vector: new Float32Array(3) }]),
        /id 'z' has a zero vector/,
      );
      await store.add(rows);
      await assert.rejects(store.search([1, 0, 0], { where: "label = = 'x'" }), (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.match(e.message, /^filter "label = = 'x'": .*sql parser error/);
        assert.doesNotMatch(e.message, /\n|\.rs:/);
        return true;
      });
      await assert.rejects(
        store.search([1, 0, 0], { where: "colour = 'red'" }),
        /filter "colour = 'red'": Schema error: No field named colour\. Valid fields are id, text/,
      );
    } finally {
      await store.close();
    }
  });

  test("a folder that is not a store, a missing store and a missing table are refused", async () => {
    const notStore = join(dir.path, "papers");
    mkdirSync(notStore);
    writeFileSync(join(notStore, "notes.txt"), "hello");
    await assert.rejects(
      openStore(notStore, { create: true, embedding }),
      /is not a store \(no Lance tables/,
    );
    await assert.rejects(openStore(join(dir.path, "absent")), /no store at .*absent/);
    await assert.rejects(
      openStore(join(dir.path, "basic"), { table: "other" }),
      /has no table 'other' \(its tables: docs/,
    );
    writeFileSync(join(dir.path, "file.db"), "");
    await assert.rejects(openStore(join(dir.path, "file.db")), /is a file, not a store folder/);
  });
});
