/**
 * Issue 18, point 9, for the verbs that landed after it: pairs, communities, rerank, search --db and
 * store info print corpus text (or a store's recorded model) with control and bidi characters
 * escaped; their JSON outputs keep the text exact (JSON escapes what it must).
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { register as registerCommunities } from "../../src/cli/communities.js";
import { register as registerIndex } from "../../src/cli/index-corpus.js";
import { register as registerPairs } from "../../src/cli/pairs.js";
import { register as registerRerank } from "../../src/cli/rerank.js";
import { register as registerSearch } from "../../src/cli/search.js";
import { register as registerStore } from "../../src/cli/store.js";
import { writeMatrixNpy } from "../../src/io/npy.js";
import { openStore } from "../../src/store/index.js";
import { tempDir } from "../embed/helpers.js";
import { writeTinyBert } from "../embed/tiny-bert.js";
import { testCacheDir } from "./helpers.js";
import { runInProcess } from "./in-process.js";

process.env.TOPICSCOPE_CACHE_DIR = testCacheDir;

const VERBS = [
  registerPairs,
  registerCommunities,
  registerRerank,
  registerSearch,
  registerIndex,
  registerStore,
];
const dir = tempDir("escape-new-verbs");
after(() => dir.remove());
const crossEncoder = resolve(import.meta.dirname, "..", "fixtures", "crossencoder", "tiny-1label");

// C0 (but newline), DEL, C1 and the bidi formatting characters
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const UNSAFE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
const HOSTILE = "\u001b]0;pwned\u0007 the cat sat \u202Egnp.exe";
const SHOWN = "\\x1b]0;pwned\\x07 the cat sat \\u202egnp.exe";
const TEXTS = [HOSTILE, "the dog ran", "the cat sat on the mat", "a quick brown fox", "the lazy dog sat"];

const corpus = join(dir.path, "c.jsonl");
const matrix = join(dir.path, "x.npy");
const bert = writeTinyBert(join(dir.path, "tiny"), { pooling: "mean" });

before(() => {
  writeFileSync(corpus, TEXTS.map((text, i) => JSON.stringify({ id: `d${i}`, text })).join("\n"));
  // five nearly parallel rows: one community, every pair similar
  writeMatrixNpy(matrix, {
    data: Float32Array.from({ length: 5 * 3 }, (_, i) => (i % 3 === 0 ? 1 : 0.01 * (i % 5))),
    rows: 5,
    cols: 3,
  });
});

async function run(...args: string[]) {
  const result = await runInProcess(VERBS, ["--quiet", ...args]);
  assert.equal(result.status, 0, result.stderr);
  return result;
}

/** Readable output: no raw control, the hostile text shown escaped. */
function escaped(stdout: string): void {
  assert.doesNotMatch(stdout, UNSAFE);
  assert.ok(stdout.includes(SHOWN), stdout);
}

describe("the new verbs escape what they print", () => {
  test("pairs and communities", async () => {
    escaped((await run("pairs", matrix, "--corpus", corpus, "-o", join(dir.path, "p.jsonl"))).stdout);
    escaped(
      (await run("communities", matrix, "--corpus", corpus, "--threshold", "0.5", "--min-size", "2")).stdout,
    );
  });

  test("rerank: readable lines escaped, JSON lines exact", async () => {
    escaped((await run("rerank", crossEncoder, "the cat", corpus, "-k", "5")).stdout);
    const json = (await run("rerank", crossEncoder, "the cat", corpus, "-k", "5", "--json")).stdout;
    const texts = json
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { text: string }).text);
    assert.ok(texts.includes(HOSTILE));
  });

  test("search --db (with and without --rerank) and store info", async () => {
    const db = join(dir.path, "db");
    await run("index", corpus, "--db", db, "--model", bert, "--id-field", "id");
    escaped((await run("search", "--db", db, "the cat sat", "-k", "5")).stdout);
    escaped((await run("search", "--db", db, "the cat sat", "-k", "5", "--rerank", crossEncoder)).stdout);
    const json = (await run("search", "--db", db, "the cat sat", "-k", "5", "--json")).stdout;
    assert.ok(json.includes(JSON.stringify(HOSTILE)));

    const hand = join(dir.path, "hand-db");
    const store = await openStore(hand, {
      create: true,
      embedding: { embedderId: "hand\u001b[2J@1", dimension: 2, model: "hand\u009b31m" },
    });
    await store.close();
    const info = (await run("store", "info", "--db", hand)).stdout;
    assert.doesNotMatch(info, UNSAFE);
    assert.match(info, /embedding model: hand\\x1b\[2J@1 \(2-d; --model hand\\x9b31m\)/);
  });
});
