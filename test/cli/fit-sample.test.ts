/**
 * `fit --sample N` (issue 16, point 4): the pipeline fitted on a seeded sample, every other document
 * assigned through the model's transform in batches. The corpus is bench/synthetic.ts's planted-topic
 * generator at a small size (made in a temporary folder by each run, never stored), so the right
 * answer is known; one test runs the bundled encoder on BBC articles for the embedding path.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { writeSynthetic } from "../../bench/synthetic.js";
import { register as embed } from "../../src/cli/embed.js";
import { register as evaluate } from "../../src/cli/evaluate.js";
import { register as fit } from "../../src/cli/fit.js";
import { register as report } from "../../src/cli/report.js";
import { register as search } from "../../src/cli/search.js";
import { register as transform } from "../../src/cli/transform.js";
import { normalizedMutualInfo } from "../../src/evaluate/clustering.js";
import { readMatrixNpy, readNpy, writeMatrixNpy } from "../../src/io/npy.js";
import type { DocumentRecord, ModelManifest, Topic } from "../../src/topics/types.js";
import { tempDir } from "../temp-dir.js";
import { corporaDir, hasCorpora, testCacheDir } from "./helpers.js";
import { runInProcess } from "./in-process.js";

process.env.TOPICSCOPE_CACHE_DIR = testCacheDir;
const run = (args: string[]) =>
  runInProcess([fit, transform, search, report, evaluate, embed], ["--quiet", ...args]);

const work = tempDir("topicscope-fit-sample-");
/** 1,500 documents, 6 planted topics, 32-d unit vectors and made-up words per topic. */
const ROWS = 1500;
const synthetic = writeSynthetic({ rows: ROWS, dim: 32, topics: 6, seed: 7 }, work);

const readDocs = (dir: string) =>
  readFileSync(join(dir, "documents.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as DocumentRecord);
const readManifest = (dir: string) =>
  JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as ModelManifest;

test("fit --sample fits on the sample, assigns every other document and saves a folder that loads", async () => {
  const out = join(work, "sampled");
  const fitted = await run([
    "fit",
    synthetic.jsonl,
    "--embeddings",
    synthetic.npy,
    "--sample",
    "400",
    "--label-field",
    "label",
    "--id-field",
    "id",
    "--min-cluster-size",
    "15",
    "-o",
    out,
  ]);
  assert.equal(fitted.status, 0, fitted.stderr);

  const manifest = readManifest(out);
  assert.equal(manifest.parameters.sample, 400);
  assert.equal(manifest.corpus.documents, ROWS);
  assert.deepEqual(
    manifest.timings.map((t) => t.stage),
    ["reduce", "cluster", "represent sample", "assign", "represent"],
  );

  // every document, in corpus order, with its embedding row copied and its reduced coordinates
  const docs = readDocs(out);
  assert.deepEqual(
    docs.map((d) => d.id),
    Array.from({ length: ROWS }, (_, i) => `s${i}`),
  );
  const input = readMatrixNpy(synthetic.npy);
  const saved = readMatrixNpy(join(out, "embeddings.npy"));
  assert.deepEqual(saved.data, input.data);
  const reduced = readMatrixNpy(join(out, "reduced.npy"));
  assert.equal(reduced.rows, ROWS);
  assert.ok(reduced.data.every(Number.isFinite), "every document has reduced coordinates");
  // the clusterer's labels exist for the 400 sampled documents only (-2: assigned by transform)
  const clusterLabels = readNpy(join(out, "cluster-labels.npy")).data;
  const sampled = [...clusterLabels].filter((l) => l !== -2).length;
  assert.equal(sampled, 400);

  // the planted topics are recovered over the assigned documents as over the sample
  const topics = JSON.parse(readFileSync(join(out, "topics.json"), "utf8")) as Topic[];
  assert.equal(
    topics.reduce((s, t) => s + t.size, 0),
    ROWS,
    "topic sizes add up to the whole corpus",
  );
  for (let i = 2; i < topics.length; i++)
    assert.ok(topics[i - 1].size >= topics[i].size || topics[i - 1].id < 0);
  for (const topic of topics.filter((t) => t.id >= 0)) {
    for (const doc of topic.representativeDocs) assert.equal(docs[doc].topic, topic.id);
  }
  const assigned = docs.filter((_, i) => clusterLabels[i] === -2 && docs[i].topic >= 0);
  assert.ok(assigned.length > 0.9 * (ROWS - 400), `${assigned.length} assigned documents have a topic`);
  const nmi = normalizedMutualInfo(
    assigned.map((d) => Number(d.label?.slice("topic".length))),
    assigned.map((d) => d.topic),
  );
  assert.ok(nmi > 0.9, `NMI over assigned documents ${nmi.toFixed(3)} should exceed 0.9`);

  for (const file of ["report.html", "report.md", "topics.csv", "documents.csv", "charts/documents.svg"]) {
    assert.ok(existsSync(join(out, file)), `${file} written`);
  }
  assert.equal(
    readFileSync(join(out, "documents.csv"), "utf8").trim().split("\r\n").length,
    ROWS + 1,
    "documents.csv has every document",
  );

  // the folder loads: transform of some documents agrees with the fit's assignment
  const some = readFileSync(synthetic.jsonl, "utf8").trim().split("\n").slice(0, 200);
  writeFileSync(join(work, "some.jsonl"), `${some.join("\n")}\n`);
  writeMatrixNpy(join(work, "some.npy"), {
    data: input.data.slice(0, 200 * input.cols),
    rows: 200,
    cols: input.cols,
  });
  const predicted = await run([
    "transform",
    out,
    join(work, "some.jsonl"),
    "--embeddings",
    join(work, "some.npy"),
    "-o",
    join(work, "some-topics.jsonl"),
  ]);
  assert.equal(predicted.status, 0, predicted.stderr);
  const again = readFileSync(join(work, "some-topics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { topic: number });
  const agree = again.filter((p, i) => p.topic === docs[i].topic).length;
  assert.ok(agree >= 190, `transform agrees with the fit on ${agree} of 200 documents`);

  const reported = await run(["report", out]);
  assert.equal(reported.status, 0, reported.stderr);
  const scored = await run(["evaluate", out, "--json"]);
  assert.equal(scored.status, 0, scored.stderr);
});

test("fit --sample: bad input is one line and exit 2, and leaves no folder", async () => {
  const zero = await run([
    "fit",
    synthetic.jsonl,
    "--embeddings",
    synthetic.npy,
    "--sample",
    "0",
    "-o",
    join(work, "zero"),
  ]);
  assert.equal(zero.status, 2);
  assert.match(zero.stderr, /--sample/);
  assert.equal(zero.stderr.trim().split("\n").length, 1, zero.stderr);
  assert.ok(!existsSync(join(work, "zero")));

  // embeddings of another corpus: both counts named
  const short = join(work, "short.npy");
  const input = readMatrixNpy(synthetic.npy);
  writeMatrixNpy(short, { data: input.data.slice(0, 1000 * input.cols), rows: 1000, cols: input.cols });
  const mismatch = await run([
    "fit",
    synthetic.jsonl,
    "--embeddings",
    short,
    "--sample",
    "300",
    "-o",
    join(work, "mismatch"),
  ]);
  assert.equal(mismatch.status, 2);
  assert.match(mismatch.stderr, /1000 rows/);
  assert.match(mismatch.stderr, /1500 documents/);
  assert.equal(mismatch.stderr.trim().split("\n").length, 1, mismatch.stderr);
  assert.ok(!existsSync(join(work, "mismatch")));

  // the file rule: an existing folder is not replaced without --force, and what it holds is kept
  const taken = join(work, "taken");
  mkdirSync(taken);
  writeFileSync(join(taken, "precious.txt"), "earlier results");
  const refused = await run([
    "fit",
    synthetic.jsonl,
    "--embeddings",
    synthetic.npy,
    "--sample",
    "300",
    "-o",
    taken,
  ]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /already exists; use --force/);
  assert.deepEqual(readdirSync(taken), ["precious.txt"]);
});

test("fit --sample at least the corpus size: a warning, then an ordinary fit", async () => {
  const small = join(work, "small.jsonl");
  const lines = readFileSync(synthetic.jsonl, "utf8").trim().split("\n").slice(0, 300);
  writeFileSync(small, `${lines.join("\n")}\n`);
  const input = readMatrixNpy(synthetic.npy);
  writeMatrixNpy(join(work, "small.npy"), {
    data: input.data.slice(0, 300 * input.cols),
    rows: 300,
    cols: input.cols,
  });
  const out = join(work, "whole");
  const result = await runInProcess(
    [fit],
    ["fit", small, "--embeddings", join(work, "small.npy"), "--sample", "300", "-o", out],
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /--sample 300 is not smaller than the corpus's 300 non-empty documents/);
  const manifest = readManifest(out);
  assert.equal(manifest.parameters.sample, undefined);
  assert.ok(!manifest.timings.some((t) => t.stage === "assign"));
  assert.equal(readDocs(out).length, 300);
});

test("fit --sample with the bundled encoder: every document embedded as embed does, and search works", {
  skip: !hasCorpora && `corpora not found in ${corporaDir}`,
}, async () => {
  // every 20th BBC article: 112 documents over the 5 sections
  const lines = readFileSync(join(corporaDir, "bbc.jsonl"), "utf8").trim().split("\n");
  const corpus = join(work, "bbc.jsonl");
  writeFileSync(corpus, `${lines.filter((_, i) => i % 20 === 0).join("\n")}\n`);
  const out = join(work, "bbc-model");
  const fitted = await run(["fit", corpus, "--sample", "60", "--min-cluster-size", "5", "-o", out]);
  assert.equal(fitted.status, 0, fitted.stderr);
  const n = readDocs(out).length;
  assert.equal(n, Math.ceil(lines.length / 20));

  // the sampled rows come from the fit, the others were embedded in batches: all as `embed` gives
  const embedded = await run(["embed", corpus, "-o", join(work, "bbc.npy")]);
  assert.equal(embedded.status, 0, embedded.stderr);
  const expected = readMatrixNpy(join(work, "bbc.npy"));
  const saved = readMatrixNpy(join(out, "embeddings.npy"));
  assert.equal(saved.rows, n);
  let worst = 0;
  for (let i = 0; i < saved.data.length; i++)
    worst = Math.max(worst, Math.abs(saved.data[i] - expected.data[i]));
  assert.ok(worst < 1e-5, `largest difference from embed ${worst}`);

  const found = await run(["search", out, "football match", "-k", "3", "--json"]);
  assert.equal(found.status, 0, found.stderr);
  assert.equal(found.stdout.trim().split("\n").length, 3);
  const topics = await run(["search", out, "football match", "--topics", "-k", "2"]);
  assert.equal(topics.status, 0, topics.stderr);
  assert.ok(readdirSync(out).includes("report.html"));
});
