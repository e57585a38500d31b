import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { openStore } from "../../src/store/index.js";
import { runCli } from "../cli/helpers.js";
import { tempDir } from "../embed/helpers.js";
import { writeTinyBert } from "../embed/tiny-bert.js";

const dir = tempDir("grow-cli");
after(() => dir.remove());

// texts over the tiny BERT's vocabulary (test/embed/tiny-bert.ts): three families of words
const families = [
  ["cat", "dog", "sat", "mat", "lazy", "ran"],
  ["market", "stock", "rose", "fell", "today", "new"],
  ["team", "won", "game", "play", "quick", "fox"],
];
function corpus(n: number, seed: number, prefix: string): string {
  return Array.from({ length: n }, (_, i) => {
    const f = families[(i + seed) % 3];
    const words = Array.from({ length: 6 }, (_, k) => f[(i * 7 + k * (seed + 3)) % f.length]);
    return JSON.stringify({ id: `${prefix}${i}`, text: `the ${words.join(" ")}` });
  }).join("\n");
}
const readDocs = (folder: string) =>
  readFileSync(join(folder, "documents.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { id: string; topic: number });

describe("topicscope add / merge-models", () => {
  const model = writeTinyBert(join(dir.path, "tiny"), { pooling: "mean" });
  const base = join(dir.path, "base.jsonl");
  const more = join(dir.path, "more.jsonl");
  const fitted = join(dir.path, "model");
  before(() => {
    writeFileSync(base, corpus(90, 0, "b"));
    writeFileSync(more, corpus(30, 1, "m"));
    const fit = runCli([
      "fit",
      base,
      "-o",
      fitted,
      "--model",
      model,
      "--id-field",
      "id",
      "--reducer",
      "pca",
      "--min-cluster-size",
      "8",
    ]);
    assert.equal(fit.status, 0, fit.stderr);
  });

  test("add writes a new folder: old documents keep their topics, the new ones follow, the store gets them", async () => {
    const out = join(dir.path, "grown");
    const db = join(dir.path, "db");
    const r = runCli(["add", fitted, more, "-o", out, "--id-field", "id", "--db", db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /added 30 documents in .* s: \d+ to existing topics/);
    const old = readDocs(fitted);
    const grown = readDocs(out);
    assert.equal(grown.length, 120);
    assert.deepEqual(grown.slice(0, 90), old);
    assert.deepEqual(
      grown.slice(90).map((d) => d.id),
      Array.from({ length: 30 }, (_, i) => `m${i}`),
    );
    const store = await openStore(db);
    assert.equal(await store.count(), 30);
    const hits = await store.search(
      readFileSync(more, "utf8")
        .split("\n")
        .map((l) => JSON.parse(l).text)[4],
      { k: 1 },
    );
    assert.equal(hits[0].id, "m4");
    assert.equal(hits[0].topic, grown[94].topic);
    await store.close();
  });

  test("index --model-dir stores each document's topic from the model", async () => {
    const db = join(dir.path, "db-topics");
    const r = runCli(["index", base, "--db", db, "--id-field", "id", "--model-dir", fitted]);
    assert.equal(r.status, 0, r.stderr);
    const topics = new Map(readDocs(fitted).map((d) => [d.id, d.topic]));
    const store = await openStore(db);
    assert.equal(store.metadata.topicModel, fitted);
    const hits = await store.search(
      readFileSync(base, "utf8")
        .split("\n")
        .map((l) => JSON.parse(l).text)[7],
      { k: 90 },
    );
    assert.equal(hits.length, 90);
    for (const hit of hits) assert.equal(hit.topic, topics.get(hit.id), hit.id);
    await store.close();
  });

  test("merge-models appends b's documents; a's keep their topics; other embedding models are refused", () => {
    const b = join(dir.path, "b-model");
    const fitB = runCli([
      "fit",
      more,
      "-o",
      b,
      "--model",
      model,
      "--id-field",
      "id",
      "--reducer",
      "pca",
      "--min-cluster-size",
      "5",
    ]);
    assert.equal(fitB.status, 0, fitB.stderr);
    const out = join(dir.path, "merged");
    const r = runCli(["merge-models", fitted, b, "-o", out, "--min-similarity", "0.7"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /30 documents of .*: \d+ topics joined one of .*, \d+ appended/);
    const merged = readDocs(out);
    assert.equal(merged.length, 120);
    assert.deepEqual(merged.slice(0, 90), readDocs(fitted));

    const other = writeTinyBert(join(dir.path, "tiny-cls"), { pooling: "cls" });
    const c = join(dir.path, "c-model");
    assert.equal(
      runCli(["fit", more, "-o", c, "--model", other, "--reducer", "pca", "--min-cluster-size", "5"]).status,
      0,
    );
    const refused = runCli(["merge-models", fitted, c, "-o", join(dir.path, "nope")]);
    assert.equal(refused.status, 2);
    assert.match(
      refused.stderr,
      /cannot be merged: onnx:tiny@.*pooling=mean.* and onnx:tiny-cls@.*pooling=cls/,
    );
  });
});
