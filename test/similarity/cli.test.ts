import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { register as communities } from "../../src/cli/communities.js";
import { register as embed } from "../../src/cli/embed.js";
import { register as evaluatePairs } from "../../src/cli/evaluate-pairs.js";
import { register as pairs } from "../../src/cli/pairs.js";
import { register as search } from "../../src/cli/search.js";
import { checkQueryVector } from "../../src/cli/search-source.js";
import { readMatrixNpy, readNpy, writeMatrixNpy } from "../../src/io/npy.js";
import {
  communityDetection,
  evaluateBinaryClassification,
  evaluateEmbeddingSimilarity,
  paraphraseMining,
  quantizedSearch,
  readQuantizedEmbeddings,
  semanticSearch,
} from "../../src/similarity/index.js";
import { runInProcess } from "../cli/in-process.js";
import { tempDir } from "../embed/helpers.js";
import { writeTinyBert } from "../embed/tiny-bert.js";
import { golden, matrixOf } from "./golden.js";

const dir = tempDir("similarity-cli");
after(() => dir.remove());
const verbs = [pairs, communities, search, evaluatePairs, embed];
const run = (args: string[]) => runInProcess(verbs, args);

/** One error line on stderr (warnings may precede it), exit 2, and the named output not written. */
async function assertRefused(args: string[], message: RegExp, output?: string): Promise<void> {
  const r = await run(args);
  assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
  const errors = r.stderr
    .trim()
    .split("\n")
    .filter((line) => !line.startsWith("warning: "));
  assert.equal(errors.length, 1, r.stderr);
  assert.match(errors[0], /^topicscope: error: /);
  assert.match(errors[0], message);
  if (output) assert.ok(!existsSync(output), `${output} was written`);
}

describe("topicscope pairs / communities on an embeddings .npy", () => {
  const vectors = matrixOf(golden.vectors);
  const npy = join(dir.path, "vectors.npy");
  writeMatrixNpy(npy, vectors);
  const corpus = join(dir.path, "vectors.jsonl");
  writeFileSync(
    corpus,
    golden.vectors.map((_, i) => JSON.stringify({ id: `doc${i}`, text: `text of ${i}` })).join("\n"),
  );

  test("pairs writes the library's pairs with ids and texts from --corpus", async () => {
    const out = join(dir.path, "pairs.jsonl");
    const r = await run([
      "pairs",
      npy,
      "--corpus",
      corpus,
      "--id-field",
      "id",
      "--top",
      "5",
      "-o",
      out,
      "-q",
    ]);
    assert.equal(r.status, 0, r.stderr);
    const rows = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { score: number; i: number; j: number; id1: string; sentence2: string });
    const expected = await paraphraseMining(vectors, { topK: 5 });
    assert.equal(rows.length, expected.length);
    rows.forEach((row, t) => {
      assert.deepEqual([row.i, row.j], [expected[t].i, expected[t].j]);
      assert.ok(Math.abs(row.score - expected[t].score) < 1e-6);
      assert.equal(row.id1, `doc${row.i}`);
      assert.equal(row.sentence2, `text of ${row.j}`);
    });
    // the best pairs are printed, highest first
    assert.equal(r.stdout.trim().split("\n").length, 10);
    assert.match(r.stdout.split("\n")[0], /^\d\.\d{4} {2}\[doc\d+\] text of \d+ {2}↔ {2}\[doc\d+\]/);
  });

  test("pairs: a bare .npy gives score, i, j; --threshold filters", async () => {
    const out = join(dir.path, "bare.jsonl");
    const r = await run(["pairs", npy, "--top", "3", "--threshold", "0.9", "-o", out, "-q", "--show", "0"]);
    assert.equal(r.status, 0, r.stderr);
    const rows = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, number>);
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.deepEqual(Object.keys(row), ["score", "i", "j"]);
      assert.ok(row.score >= 0.9);
    }
    assert.equal(r.stdout, "");
  });

  test("communities prints the largest first and writes them all as JSON", async () => {
    const out = join(dir.path, "communities.json");
    const r = await run([
      "communities",
      npy,
      "--corpus",
      corpus,
      "--id-field",
      "id",
      "--threshold",
      "0.6",
      "--min-size",
      "4",
      "-o",
      out,
      "-q",
    ]);
    assert.equal(r.status, 0, r.stderr);
    const expected = await communityDetection(vectors, { threshold: 0.6, minCommunitySize: 4 });
    const json = JSON.parse(readFileSync(out, "utf8")) as {
      communities: { size: number; central: { index: number; id: string }; members: { index: number }[] }[];
    };
    assert.deepEqual(
      json.communities.map((c) => c.members.map((m) => m.index)),
      expected,
    );
    assert.equal(json.communities[0].central.id, `doc${expected[0][0]}`);
    assert.match(
      r.stdout,
      new RegExp(`^community 1: ${expected[0].length} documents — \\[doc${expected[0][0]}\\]`),
    );
  });

  test("bad input: K above the number of other documents, thresholds outside [-1, 1], rows ≠ corpus", async () => {
    const out = join(dir.path, "never.jsonl");
    await assertRefused(
      ["pairs", npy, "--top", "500", "-o", out],
      /--top 500 asks for more similar documents than there are others \(150 non-blank documents\)/,
      out,
    );
    await assertRefused(
      ["pairs", npy, "--threshold", "1.5", "-o", out],
      /--threshold must be a cosine similarity in \[-1, 1\], got '1\.5'/,
      out,
    );
    await assertRefused(
      ["communities", npy, "--threshold", "-3"],
      /--threshold must be a cosine similarity in \[-1, 1\]/,
    );
    const short = join(dir.path, "short.jsonl");
    writeFileSync(short, `${JSON.stringify({ text: "one" })}\n`);
    await assertRefused(
      ["pairs", npy, "--corpus", short, "-o", out],
      /vectors\.npy has 150 rows but the corpus has 1 documents/,
      out,
    );
  });
});

describe("topicscope search / evaluate-pairs / embed --precision on a corpus (tiny BERT)", () => {
  const model = writeTinyBert(join(dir.path, "tiny"), { pooling: "mean" });
  const cacheDir = join(dir.path, "cache");
  const corpus = join(dir.path, "corpus.jsonl");
  const texts = [
    "the cat sat on the mat",
    "a quick brown fox",
    "",
    "the dog sat on the mat",
    "stocks fell on wall street",
    "a brown fox jumps quickly",
  ];
  writeFileSync(corpus, texts.map((text, i) => JSON.stringify({ id: `t${i}`, text })).join("\n"));
  const common = ["--model", model, "--cache-dir", cacheDir, "--id-field", "id", "-q"];

  test("pairs / communities check the corpus as embed does: unreadable text refused, --allow-unknown-text warns", async () => {
    const chinese = join(dir.path, "zh.jsonl");
    writeFileSync(
      chinese,
      ["这是一个中文句子，用来测试。", "另一个中文句子，没有英文。", "第三个句子，也是中文。"]
        .map((text) => JSON.stringify({ text }))
        .join("\n"),
    );
    for (const verb of ["pairs", "communities"]) {
      const out = join(dir.path, `${verb}-zh.json`);
      await assertRefused(
        [verb, chinese, "-o", out, "--model", "use-lite", "--no-cache", "-q"],
        /3 of 3 documents are Chinese text .*cannot read.*--allow-unknown-text/,
        out,
      );
    }
    const out = join(dir.path, "pairs-zh.jsonl");
    const r = await run([
      "pairs",
      chinese,
      "-o",
      out,
      "--model",
      "use-lite",
      "--no-cache",
      "--allow-unknown-text",
      "-q",
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: 3 of 3 documents are mostly text use-lite cannot read/);
    assert.ok(existsSync(out));
  });

  test("search over a corpus: rank, score, id, text; equals semanticSearch on the embedded rows", async () => {
    const emb = join(dir.path, "emb.npy");
    const e = await run(["embed", corpus, "-o", emb, "--model", model, "--cache-dir", cacheDir, "-q"]);
    assert.equal(e.status, 0, e.stderr);
    const r = await run(["search", corpus, "cat on a mat", "-k", "3", "--json", ...common]);
    assert.equal(r.status, 0, r.stderr);
    const hits = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { rank: number; id: string; similarity: number; text: string });
    // the query's own vector: the same model through the same cache
    const q = join(dir.path, "q.jsonl");
    writeFileSync(q, JSON.stringify({ text: "cat on a mat" }));
    await run(["embed", q, "-o", join(dir.path, "q.npy"), "--model", model, "--cache-dir", cacheDir, "-q"]);
    const rows = readMatrixNpy(emb);
    const expected = (
      await semanticSearch(readMatrixNpy(join(dir.path, "q.npy")), rows, { topK: 6 })
    )[0].filter((h) => texts[h.corpusId] !== "");
    assert.deepEqual(
      hits.map((h) => h.id),
      expected.slice(0, 3).map((h) => `t${h.corpusId}`),
    );
    assert.deepEqual(
      hits.map((h) => h.rank),
      [1, 2, 3],
    );
    hits.forEach((h, t) => {
      assert.ok(Math.abs(h.similarity - expected[t].score) < 1e-5);
    });
    // the same from --embeddings, and the readable form
    const again = await run(["search", corpus, "cat on a mat", "-k", "3", "--embeddings", emb, ...common]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(
      again.stdout.split("\n")[0],
      new RegExp(`^ {2}1 {2}\\d\\.\\d{4} {2}\\[${hits[0].id}\\] {2}`),
    );
  });

  test("embed --precision int8 writes codes + ranges; search --embeddings uses them with rescoring", async () => {
    const out = join(dir.path, "q8.npy");
    const r = await run([
      "embed",
      corpus,
      "-o",
      out,
      "--model",
      model,
      "--cache-dir",
      cacheDir,
      "--precision",
      "int8",
      "-q",
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readNpy(out).dtype, "|i1");
    const stored = readQuantizedEmbeddings(out)!;
    assert.equal(stored.precision, "int8");
    assert.equal(stored.ranges?.length, 32);
    const s = await run(["search", corpus, "brown fox", "-k", "2", "--embeddings", out, "--json", ...common]);
    assert.equal(s.status, 0, s.stderr);
    const hits = s.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; similarity: number });
    const qPath = join(dir.path, "fox.jsonl");
    writeFileSync(qPath, JSON.stringify({ text: "brown fox" }));
    await run([
      "embed",
      qPath,
      "-o",
      join(dir.path, "fox.npy"),
      "--model",
      model,
      "--cache-dir",
      cacheDir,
      "-q",
    ]);
    const expected = (
      await quantizedSearch(readMatrixNpy(join(dir.path, "fox.npy")), stored, { topK: 2 })
    )[0];
    assert.deepEqual(
      hits.map((h) => h.id),
      expected.map((h) => `t${h.corpusId}`),
    );
    // without its description the codes cannot be searched
    const { rmSync } = await import("node:fs");
    rmSync(join(dir.path, "q8.quantization.json"));
    await assertRefused(
      ["search", corpus, "fox", "--embeddings", out, ...common],
      /q8\.npy holds int8 codes but .*q8\.quantization\.json is missing/,
    );
  });

  test("evaluate-pairs: similarity and binary metrics equal the library's; JSON written", async () => {
    const file = join(dir.path, "pairs.jsonl");
    const rows = [
      ["the cat sat on the mat", "the dog sat on the mat", 4.5, 1],
      ["a quick brown fox", "a brown fox jumps quickly", 4.8, 1],
      ["the cat sat on the mat", "stocks fell on wall street", 1.0, 0],
      ["a quick brown fox", "stocks fell on wall street", 1.2, 0],
      ["the dog sat on the mat", "a brown fox jumps quickly", 2.0, 0],
    ] as const;
    writeFileSync(
      file,
      rows.map(([a, b, score, label]) => JSON.stringify({ s1: a, s2: b, score, same: label })).join("\n"),
    );
    const out = join(dir.path, "results.json");
    const r = await run([
      "evaluate-pairs",
      file,
      "--sentence1-field",
      "s1",
      "--sentence2-field",
      "s2",
      "--label-field",
      "same",
      "--model",
      model,
      "--cache-dir",
      cacheDir,
      "-o",
      out,
      "-q",
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^EmbeddingSimilarityEvaluator \(5 pairs\)\n {2}pearson_cosine +-?\d\.\d{4}/);
    assert.match(r.stdout, /BinaryClassificationEvaluator \(5 pairs\)/);
    const json = JSON.parse(readFileSync(out, "utf8")) as {
      count: number;
      embeddingSimilarity: Record<string, number>;
      binaryClassification: Record<string, number>;
    };
    assert.equal(json.count, 5);
    // the library on the same vectors
    const sentences = join(dir.path, "sentences.jsonl");
    const unique = [...new Set(rows.flatMap((row) => [row[0], row[1]]))];
    writeFileSync(sentences, unique.map((text) => JSON.stringify({ text })).join("\n"));
    await run([
      "embed",
      sentences,
      "-o",
      join(dir.path, "s.npy"),
      "--model",
      model,
      "--cache-dir",
      cacheDir,
      "-q",
    ]);
    const m = readMatrixNpy(join(dir.path, "s.npy"));
    const pick = (side: 0 | 1) =>
      matrixOf(
        rows.map((row) =>
          Array.from(m.data.subarray(unique.indexOf(row[side]) * 16, (unique.indexOf(row[side]) + 1) * 16)),
        ),
      );
    const expected = evaluateEmbeddingSimilarity(
      pick(0),
      pick(1),
      rows.map((row) => row[2]),
      { similarityFunctions: ["cosine", "manhattan", "euclidean", "dot"] },
    );
    for (const [name, value] of Object.entries(expected)) {
      assert.ok(Math.abs(json.embeddingSimilarity[name] - value) < 1e-12, name);
    }
    const binary = evaluateBinaryClassification(
      pick(0),
      pick(1),
      rows.map((row) => row[3]),
      { similarityFunctions: ["cosine", "manhattan", "euclidean", "dot"] },
    );
    assert.deepEqual(json.binaryClassification, binary);
  });

  test("bad input: a missing field or an unknown label names the line; nothing written", async () => {
    const file = join(dir.path, "broken.jsonl");
    writeFileSync(
      file,
      [
        JSON.stringify({ sentence1: "a", sentence2: "b", score: 1 }),
        JSON.stringify({ sentence1: "a", score: 2 }),
      ].join("\n"),
    );
    const out = join(dir.path, "never.json");
    await assertRefused(
      ["evaluate-pairs", file, "--model", model, "-o", out],
      /broken\.jsonl line 2: no field 'sentence2'; name the field with --sentence2-field/,
      out,
    );
    writeFileSync(
      file,
      [
        JSON.stringify({ sentence1: "a", sentence2: "b", label: 1 }),
        JSON.stringify({ sentence1: "a", sentence2: "c", label: "maybe" }),
      ].join("\n"),
    );
    await assertRefused(
      ["evaluate-pairs", file, "--model", model, "-o", out],
      /broken\.jsonl line 2: label "maybe" is not binary/,
      out,
    );
    await assertRefused(["search", corpus, "   ", ...common], /the search query is empty/);
    await assertRefused(["search", corpus, "cat", "--topics", ...common], /--topics needs a model folder/);
    assert.throws(
      () => checkQueryVector({ data: new Float32Array(4), rows: 1, cols: 4 }, "zzz", "m"),
      /the query 'zzz' embeds to a zero vector/,
    );
  });
});
