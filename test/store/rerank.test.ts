/**
 * `search --db <store> "query" --rerank <cross-encoder>`: the store's best --rerank-top hits are
 * re-scored by the cross-encoder (the tiny one of test/fixtures/crossencoder) and the k best printed,
 * as search does for model folders and corpora.
 */
import assert from "node:assert/strict";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { register as registerIndex } from "../../src/cli/index-corpus.js";
import { register as registerSearch } from "../../src/cli/search.js";
import { CrossEncoder } from "../../src/crossencoder/index.js";
import { testCacheDir } from "../cli/helpers.js";
import { runInProcess } from "../cli/in-process.js";
import { tempDir } from "../embed/helpers.js";
import { writeTinyBert } from "../embed/tiny-bert.js";

process.env.TOPICSCOPE_CACHE_DIR = testCacheDir;

const crossEncoder = resolve(import.meta.dirname, "..", "fixtures", "crossencoder", "tiny-1label");
const dir = tempDir("store-rerank");
after(() => dir.remove());

const TEXTS = [
  "the cat sat on the mat",
  "a dog ran today",
  "stock market fell",
  "the team won the game",
  "dogs",
  "a quick brown fox",
  "the lazy dog sat",
  "new stock rose today",
];

interface Hit {
  rank: number;
  id: string;
  text: string;
  score: number;
  similarity?: number;
  label?: string;
}

const run = (...args: string[]) => runInProcess([registerSearch, registerIndex], ["--quiet", ...args]);
const hitsOf = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Hit);

describe("search --db --rerank", () => {
  const db = join(dir.path, "db");
  const query = "the dog ran";
  before(async () => {
    const bert = writeTinyBert(join(dir.path, "tiny"), { pooling: "mean" });
    const corpus = join(dir.path, "docs.jsonl");
    const texts = Array.from({ length: 40 }, (_, i) => `${TEXTS[i % 8]} ${"today ".repeat(i % 3)}`.trim());
    writeFileSync(
      corpus,
      texts.map((text, i) => JSON.stringify({ id: `d${i}`, text, label: i % 2 ? "odd" : "even" })).join("\n"),
    );
    const index = await run(
      "index",
      corpus,
      "--db",
      db,
      "--model",
      bert,
      "--id-field",
      "id",
      "--label-field",
      "label",
    );
    assert.equal(index.status, 0, index.stderr);
  });

  test("re-scores the store's top --rerank-top hits with the cross-encoder, best first", async () => {
    const plain = await run("search", "--db", db, query, "-k", "10", "--json");
    assert.equal(plain.status, 0, plain.stderr);
    const shortlist = hitsOf(plain.stdout);
    assert.equal(shortlist.length, 10);

    const result = await run(
      "search",
      "--db",
      db,
      query,
      "-k",
      "4",
      "--json",
      "--rerank",
      crossEncoder,
      "--rerank-top",
      "10",
    );
    assert.equal(result.status, 0, result.stderr);
    const rows = hitsOf(result.stdout);
    assert.deepEqual(
      rows.map((r) => r.rank),
      [1, 2, 3, 4],
    );
    // what the library's rank gives the shortlist: the same documents, order and scores
    const ce = await CrossEncoder.load(crossEncoder);
    const wanted = await ce.rank(
      query,
      shortlist.map((h) => h.text),
      { topK: 4 },
    );
    await ce.dispose();
    assert.deepEqual(
      rows.map((r) => r.id),
      wanted.map((w) => shortlist[w.corpusId].id),
    );
    // the cross-encoder orders this shortlist otherwise than the store does
    assert.notDeepEqual(
      rows.map((r) => r.id),
      shortlist.slice(0, 4).map((h) => h.id),
    );
    rows.forEach((r, i) => {
      assert.ok(Math.abs(r.score - wanted[i].score) < 1e-6, `${r.score} vs ${wanted[i].score}`);
      // the store's cosine is kept, and the stored fields travel with the hit
      const before = shortlist.find((h) => h.id === r.id)!;
      assert.equal(r.similarity, before.score);
      assert.equal(r.label, before.label);
    });

    // --rerank-top below k: the shortlist is k long (as search over a model folder)
    const short = await run(
      "search",
      "--db",
      db,
      query,
      "-k",
      "3",
      "--json",
      "--rerank",
      crossEncoder,
      "--rerank-top",
      "1",
    );
    assert.equal(short.status, 0, short.stderr);
    assert.equal(hitsOf(short.stdout).length, 3);

    // readable lines: the cross-encoder's score, then the store's cosine in brackets
    const readable = await run("search", "--db", db, query, "-k", "2", "--rerank", crossEncoder);
    assert.equal(readable.status, 0, readable.stderr);
    const lines = readable.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^ {2}1 {2}-?\d+\.\d{4} {2}\(\d\.\d{4}\) {2}\[d\d+\] {2}\S/);
  });

  test("with --where, only matching rows are re-ranked", async () => {
    const result = await run(
      "search",
      "--db",
      db,
      query,
      "-k",
      "5",
      "--json",
      "--where",
      "label = 'odd'",
      "--rerank",
      crossEncoder,
    );
    assert.equal(result.status, 0, result.stderr);
    const rows = hitsOf(result.stdout);
    assert.equal(rows.length, 5);
    assert.ok(rows.every((r) => r.label === "odd"));
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].score >= rows[i].score);
  });

  test("a broken cross-encoder folder: one line, exit 2, before the store is searched", async () => {
    const broken = join(dir.path, "broken");
    cpSync(crossEncoder, broken, { recursive: true });
    rmSync(join(broken, "tokenizer.json"));
    const result = await run("search", "--db", join(dir.path, "no-store"), query, "--rerank", broken);
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /^topicscope: error: cross-encoder folder .*broken is missing tokenizer\.json;/,
    );
    assert.equal(result.stderr.trim().split("\n").length, 1);
  });
});
