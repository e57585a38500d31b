import assert from "node:assert/strict";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { CrossEncoder } from "../../src/crossencoder/index.js";
import { runCli } from "../cli/helpers.js";
import { tempDir } from "../embed/helpers.js";
import { writeTinyBert } from "../embed/tiny-bert.js";

const fixtures = resolve(import.meta.dirname, "..", "fixtures", "crossencoder");
const oneLabel = join(fixtures, "tiny-1label");
const dir = tempDir("rerank-cli");
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

interface RerankRow {
  corpus_id: number;
  id: string;
  score: number;
  text: string;
}

describe("topicscope rerank", () => {
  const corpus = join(dir.path, "docs.jsonl");
  writeFileSync(corpus, TEXTS.map((text, i) => JSON.stringify({ id: `d${i}`, text })).join("\n"));

  test("prints the k best documents in the library's rank order, as JSON lines or to a file", async () => {
    const ce = await CrossEncoder.load(oneLabel);
    const wanted = await ce.rank("the dog ran", TEXTS, { topK: 3 });
    await ce.dispose();

    const result = runCli([
      "rerank",
      oneLabel,
      "the dog ran",
      corpus,
      "-k",
      "3",
      "--json",
      "--id-field",
      "id",
    ]);
    assert.equal(result.status, 0, result.stderr);
    const rows = result.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as RerankRow);
    assert.deepEqual(
      rows.map((r) => r.corpus_id),
      wanted.map((w) => w.corpusId),
    );
    assert.deepEqual(
      rows.map((r) => r.id),
      wanted.map((w) => `d${w.corpusId}`),
    );
    rows.forEach((r, i) => {
      assert.ok(Math.abs(r.score - wanted[i].score) < 1e-6);
      assert.equal(r.text, TEXTS[r.corpus_id]);
    });
    assert.match(result.stderr, /cross-encode 8 query–document pairs/);

    const out = join(dir.path, "ranked.jsonl");
    const written = runCli([
      "rerank",
      oneLabel,
      "the dog ran",
      corpus,
      "-k",
      "3",
      "-o",
      out,
      "--id-field",
      "id",
    ]);
    assert.equal(written.status, 0, written.stderr);
    assert.equal(written.stdout, "");
    assert.equal(readFileSync(out, "utf8"), result.stdout);

    const plain = runCli(["rerank", oneLabel, "the dog ran", corpus, "-k", "2", "--quiet"]);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(plain.stdout.trim().split("\n").length, 2);
    assert.match(plain.stdout, /^0\.\d{4} {2}\[\d\] {2}/);
  });

  test("bad input: one line, exit 2, nothing written", () => {
    const broken = join(dir.path, "broken");
    cpSync(oneLabel, broken, { recursive: true });
    rmSync(join(broken, "tokenizer.json"));
    const out = join(dir.path, "never.jsonl");
    const missing = runCli(["rerank", broken, "the dog", corpus, "-o", out]);
    assert.equal(missing.status, 2);
    assert.match(
      missing.stderr,
      /^topicscope: error: cross-encoder folder .*broken is missing tokenizer\.json;/,
    );
    assert.equal(missing.stderr.trim().split("\n").length, 1);
    assert.ok(!existsSync(out));

    const noQuantized = runCli(["rerank", oneLabel, "the dog", corpus, "--dtype", "q8"]);
    assert.equal(noQuantized.status, 2);
    assert.match(noQuantized.stderr, /is missing onnx\/model_quantized\.onnx;/);

    const threeLabels = runCli(["rerank", join(fixtures, "tiny-3label"), "the dog", corpus]);
    assert.equal(threeLabels.status, 2);
    assert.match(threeLabels.stderr, /has 3 labels; rank needs a one-label/);

    const empty = runCli(["rerank", oneLabel, "  ", corpus]);
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /the query is empty/);
  });
});

describe("topicscope search --rerank", () => {
  test("re-scores the bi-encoder's shortlist with the cross-encoder, best first", async () => {
    const bert = writeTinyBert(join(dir.path, "tiny-bert"), { pooling: "mean" });
    const corpus = join(dir.path, "many.jsonl");
    const texts = Array.from({ length: 40 }, (_, i) =>
      `${TEXTS[i % TEXTS.length]} ${"today ".repeat(i % 3)}`.trim(),
    );
    writeFileSync(corpus, texts.map((text) => JSON.stringify({ text })).join("\n"));
    const model = join(dir.path, "model");
    const fit = runCli([
      "fit",
      corpus,
      "-o",
      model,
      "--model",
      bert,
      "--reducer",
      "pca",
      "--n-components",
      "2",
      "--min-cluster-size",
      "3",
      "--quiet",
    ]);
    assert.equal(fit.status, 0, fit.stderr);

    const search = runCli([
      "search",
      model,
      "the dog ran",
      "-k",
      "4",
      "--json",
      "--rerank",
      oneLabel,
      "--rerank-top",
      "10",
    ]);
    assert.equal(search.status, 0, search.stderr);
    const rows = search.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; score: number; similarity: number; text: string });
    assert.equal(rows.length, 4);
    // the cross-encoder's order, and its scores are what it gives those texts
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].score >= rows[i].score);
    const ce = await CrossEncoder.load(oneLabel);
    const direct = await ce.predict(rows.map((r) => ["the dog ran", r.text] as const));
    await ce.dispose();
    rows.forEach((r, i) => {
      assert.ok(Math.abs(r.score - direct.data[i]) < 1e-6);
    });
    // the shortlist is the bi-encoder's top 10: every re-ranked hit is among them
    const plain = runCli(["search", model, "the dog ran", "-k", "10", "--json"]);
    const shortlist = new Set(
      plain.stdout
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { id: string }).id),
    );
    for (const r of rows) assert.ok(shortlist.has(r.id), `${r.id} in the bi-encoder's top 10`);

    // a corpus source (embedded through the cache) re-ranks the same way
    const overCorpus = runCli([
      "search",
      corpus,
      "the dog ran",
      "-k",
      "4",
      "--json",
      "--model",
      bert,
      "--rerank",
      oneLabel,
      "--rerank-top",
      "10",
    ]);
    assert.equal(overCorpus.status, 0, overCorpus.stderr);
    const corpusRows = overCorpus.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { score: number; text: string });
    assert.deepEqual(
      corpusRows.map((r) => [r.text, r.score]),
      rows.map((r) => [r.text, r.score]),
    );

    // the two-step form: search --json writes hits, rerank reads them as a corpus (ids kept)
    const hitsFile = join(dir.path, "hits.jsonl");
    writeFileSync(hitsFile, plain.stdout);
    const twoStep = runCli([
      "rerank",
      oneLabel,
      "the dog ran",
      hitsFile,
      "-k",
      "4",
      "--json",
      "--id-field",
      "id",
    ]);
    assert.equal(twoStep.status, 0, twoStep.stderr);
    assert.deepEqual(
      twoStep.stdout
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { id: string }).id),
      rows.map((r) => r.id),
    );

    const topics = runCli(["search", model, "dog", "--topics", "--rerank", oneLabel]);
    assert.equal(topics.status, 2);
    assert.match(topics.stderr, /--rerank re-ranks documents; it cannot be combined with --topics/);
  });
});
