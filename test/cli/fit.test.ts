import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { normalizedMutualInfo } from "../../src/evaluate/clustering.js";
import { readMatrixNpy } from "../../src/io/npy.js";
import type { DocumentRecord, ModelManifest, Topic } from "../../src/topics/types.js";
import { tempDir } from "../temp-dir.js";
import { corporaDir, hasCorpora, runCli } from "./helpers.js";

const skip = !hasCorpora && `labelled corpora not found in ${corporaDir} (set TOPICSCOPE_CORPORA)`;

/** Every 7th BBC article: ~320 documents over the 5 sections. */
function bbcSample(dir: string): string {
  const lines = readFileSync(join(corporaDir, "bbc.jsonl"), "utf8").trim().split("\n");
  const sample = lines.filter((_, i) => i % 7 === 0);
  const path = join(dir, "bbc-sample.jsonl");
  writeFileSync(path, `${sample.join("\n")}\n`);
  return path;
}

test("fit on a BBC sample writes a complete model folder whose topics match the sections", { skip }, () => {
  const dir = tempDir("fit-");
  const corpus = bbcSample(dir);
  const out = join(dir, "model");
  const result = runCli(["fit", corpus, "-o", out, "--label-field", "label", "--min-cluster-size", "8"]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), join(out, "report.html"), "prints where the report is");
  assert.match(result.stderr, /embed/);
  assert.match(result.stderr, /cluster/);

  for (const file of [
    "model.json",
    "topics.json",
    "documents.jsonl",
    "embeddings.npy",
    "reduced.npy",
    "report.md",
    "report.html",
    "topics.csv",
    "documents.csv",
    "charts/documents.svg",
  ]) {
    assert.ok(existsSync(join(out, file)), `${file} written`);
  }
  const manifest = JSON.parse(readFileSync(join(out, "model.json"), "utf8")) as ModelManifest;
  assert.equal(manifest.parameters.seed, 42);
  assert.equal(manifest.parameters.cluster.minClusterSize, 8);
  assert.deepEqual(
    manifest.timings.map((t) => t.stage),
    ["embed", "reduce", "cluster", "represent"],
  );
  assert.ok(manifest.peakRssBytes > 0);

  const documents = readFileSync(join(out, "documents.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as DocumentRecord);
  const n = documents.length;
  assert.ok(n > 300);
  const embeddings = readMatrixNpy(join(out, "embeddings.npy"));
  const reduced = readMatrixNpy(join(out, "reduced.npy"));
  assert.deepEqual([embeddings.rows, embeddings.cols], [n, 512]);
  assert.deepEqual([reduced.rows, reduced.cols], [n, 5]);

  const topics = JSON.parse(readFileSync(join(out, "topics.json"), "utf8")) as Topic[];
  const real = topics.filter((t) => t.id >= 0);
  assert.ok(real.length >= 3, `found ${real.length} topics`);
  assert.equal(
    topics.reduce((s, t) => s + t.size, 0),
    n,
    "topic sizes add up to the corpus",
  );
  for (const topic of real) {
    assert.equal(topic.words.length, 10);
    assert.equal(topic.representativeDocs.length, 3);
    assert.ok(topic.label.startsWith(`${topic.id}: `), topic.label);
    for (const doc of topic.representativeDocs) assert.equal(documents[doc].topic, topic.id);
  }
  // Sizes decrease with the id, as in BERTopic.
  for (let i = 1; i < real.length; i++) assert.ok(real[i - 1].size >= real[i].size);

  const kept = documents.filter((d) => d.topic >= 0);
  const sections = [...new Set(kept.map((d) => d.label!))];
  const nmi = normalizedMutualInfo(
    kept.map((d) => sections.indexOf(d.label!)),
    kept.map((d) => d.topic),
  );
  assert.ok(nmi > 0.5, `NMI over non-outliers ${nmi.toFixed(3)} should exceed 0.5`);

  const report = readFileSync(join(out, "report.md"), "utf8");
  assert.match(report, /\| Topic \| Size \| Label \| Top words \| Example \|/);
});

test("fit refuses to overwrite an existing folder without --force and keeps it intact", { skip }, () => {
  const dir = tempDir("fit-");
  const out = join(dir, "model");
  mkdirSync(out);
  writeFileSync(join(out, "precious.txt"), "earlier results");
  const result = runCli(["fit", bbcSample(dir), "-o", out]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /already exists; use --force/);
  assert.deepEqual(readdirSync(out), ["precious.txt"]);
});

test("bad input: one clear line, non-zero exit, no stack trace", () => {
  const dir = tempDir("fit-bad-");
  const missing = runCli(["fit", join(dir, "nope.jsonl"), "-o", join(dir, "out")]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.jsonl/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /, "no stack trace");

  const few = join(dir, "few.jsonl");
  writeFileSync(
    few,
    `${Array.from({ length: 8 }, (_, i) => JSON.stringify({ text: `document number ${i}` })).join("\n")}\n`,
  );
  const tooFew = runCli(["fit", few, "-o", join(dir, "out")]);
  assert.equal(tooFew.status, 2);
  assert.match(tooFew.stderr, /only 8 non-empty documents.*at least 16/);
  assert.equal(existsSync(join(dir, "out")), false, "no output folder left behind");

  const badJson = join(dir, "bad.jsonl");
  writeFileSync(badJson, '{"text": "fine"}\n{"text": broken\n');
  const invalid = runCli(["fit", badJson, "-o", join(dir, "out")]);
  assert.equal(invalid.status, 2);
  assert.match(invalid.stderr, /line 2/);

  const debug = runCli(["--debug", "fit", join(dir, "nope.jsonl"), "-o", join(dir, "out")]);
  assert.match(debug.stderr, /\n\s+at /, "--debug shows the stack");
});

test("--version prints the package version; --help lists every verb", () => {
  const { version } = JSON.parse(
    readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8"),
  ) as {
    version: string;
  };
  const printed = runCli(["--version"]);
  assert.equal(printed.status, 0);
  assert.equal(printed.stdout.trim(), version);
  const help = runCli(["--help"]);
  assert.equal(help.status, 0);
  for (const verb of ["fit", "add", "search", "index", "merge-models", "evaluate"])
    assert.match(help.stdout, new RegExp(`^  ${verb} `, "m"));
});
