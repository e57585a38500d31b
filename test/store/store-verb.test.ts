import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { tableFromIPC } from "apache-arrow";
import { register } from "../../src/cli/store.js";
import { openStore } from "../../src/store/index.js";
import { runInProcess } from "../cli/in-process.js";
import { tempDir } from "../embed/helpers.js";

const dir = tempDir("store-verb");
after(() => dir.remove());
const db = join(dir.path, "db");
const run = (...args: string[]) => runInProcess([register], ["store", ...args]);

describe("topicscope store info|export|delete|reindex", () => {
  before(async () => {
    const store = await openStore(db, {
      create: true,
      embedding: { embedderId: "hand@1", dimension: 4, model: "hand" },
    });
    await store.add(
      Array.from({ length: 12 }, (_, i) => ({
        id: `r${i}`,
        text: `row ${i}`,
        vector: Float32Array.of(1, i, i % 3, 1),
        label: i % 2 === 0 ? "even" : "odd",
        topic: i % 3,
        probability: 0.5,
      })),
    );
    await store.close();
  });

  test("info names the rows, the model and the index", async () => {
    const result = await run("info", "--db", db, "--json");
    assert.equal(result.status, 0, result.stderr);
    const info = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(info.rows, 12);
    assert.equal(info.embedderId, "hand@1");
    assert.equal(info.dimension, 4);
    assert.equal(info.kind, undefined);
  });

  test("export writes an Arrow IPC file with every row, the vectors and the store's metadata", async () => {
    const out = join(dir.path, "all.arrow");
    const result = await run("export", "--db", db, "-o", out);
    assert.equal(result.status, 0, result.stderr);
    const table = tableFromIPC(readFileSync(out));
    assert.equal(table.numRows, 12);
    assert.deepEqual(
      table.schema.fields.map((f) => f.name),
      ["id", "text", "vector", "label", "timestamp", "topic", "probability"],
    );
    assert.equal(JSON.parse(table.schema.metadata.get("topicscope")!).embedderId, "hand@1");
    const ids = table.getChild("id")!.toArray() as string[];
    const r5 = ids.indexOf("r5");
    assert.deepEqual(Array.from(table.getChild("vector")!.get(r5)!.toArray() as Float32Array), [1, 5, 2, 1]);
    assert.equal(table.getChild("topic")!.get(r5), 2);

    const odd = join(dir.path, "odd.arrow");
    assert.equal(
      (await run("export", "--db", db, "-o", odd, "--where", "label = 'odd'", "--no-vectors")).status,
      0,
    );
    const oddTable = tableFromIPC(readFileSync(odd));
    assert.equal(oddTable.numRows, 6);
    assert.ok(!oddTable.schema.fields.some((f) => f.name === "vector"));

    const bad = await run("export", "--db", db, "-o", join(dir.path, "bad.arrow"), "--where", "label =");
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^topicscope: error: filter "label =": /);
  });

  test("reindex builds an index (from 256 rows); delete by ids and by filter", async () => {
    const few = await run("reindex", "--db", db);
    assert.equal(few.status, 2);
    assert.match(few.stderr, /needs at least 256 rows to train on; table 'docs' has 12/);
    const store = await openStore(db);
    await store.add(
      Array.from({ length: 300 }, (_, i) => ({
        id: `x${i}`,
        text: `extra ${i}`,
        vector: Float32Array.of(Math.cos(i), Math.sin(i), 1, i / 300),
        label: "extra",
      })),
    );
    await store.close();
    const built = await run("reindex", "--db", db, "--kind", "ivf-pq");
    assert.equal(built.status, 0, built.stderr);
    assert.match(JSON.parse((await run("info", "--db", db, "--json")).stdout).kind, /IvfPq/);
    assert.equal((await run("delete", "--db", db, "--ids", "r0,r1,missing")).status, 0);
    assert.equal((await run("delete", "--db", db, "--where", "topic = 2")).status, 0);
    assert.equal(JSON.parse((await run("info", "--db", db, "--json")).stdout).rows, 306);
    const neither = await run("delete", "--db", db);
    assert.equal(neither.status, 2);
    assert.match(neither.stderr, /exactly one of --ids and --where/);
  });
});
