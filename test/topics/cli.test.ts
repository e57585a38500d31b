/**
 * The topic-operation verbs on a model folder saved by the library. Most run in-process through the
 * same commander program the binary builds (a child process costs ~2 s of start-up each); one runs
 * the real binary end to end, reports included.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { register as hierarchy } from "../../src/cli/hierarchy.js";
import { register as mergeTopics } from "../../src/cli/merge-topics.js";
import { register as overTime } from "../../src/cli/over-time.js";
import { register as perClass } from "../../src/cli/per-class.js";
import { register as reduceOutliers } from "../../src/cli/reduce-outliers.js";
import { register as reduceTopics } from "../../src/cli/reduce-topics.js";
import { register as search } from "../../src/cli/search.js";
import { register as transform } from "../../src/cli/transform.js";
import { writeMatrixNpy } from "../../src/io/npy.js";
import { TopicModel } from "../../src/topics/model.js";
import type { DocumentRecord, Topic } from "../../src/topics/types.js";
import { type CliResult, runCli } from "../cli/helpers.js";
import { runInProcess } from "../cli/in-process.js";
import { bagOfWordsEmbedder, embedBagOfWords, syntheticCorpus } from "./helpers.js";

const corpus = syntheticCorpus({ noise: 12 });
const work = mkdtempSync(join(tmpdir(), "topicscope-topics-cli-"));
const modelDir = join(work, "model");

function ok(value: unknown, message = "expected a truthy value"): asserts value {
  assert.ok(value, message);
}

/** Runs the topic-operation verbs as src/cli/main.ts does, capturing stdout, stderr and the exit code. */
async function run(args: string[]): Promise<CliResult> {
  return runInProcess(
    [transform, reduceTopics, reduceOutliers, mergeTopics, hierarchy, overTime, perClass, search],
    args,
  );
}

const readTopics = (dir: string) => JSON.parse(readFileSync(join(dir, "topics.json"), "utf8")) as Topic[];
const readDocs = (dir: string) =>
  readFileSync(join(dir, "documents.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as DocumentRecord);

before(async () => {
  const model = new TopicModel({
    embedder: bagOfWordsEmbedder,
    cache: false,
    reduce: { method: "pca" },
    cluster: { minClusterSize: 8 },
  });
  await model.fit(
    corpus.texts.map((text, i) => ({
      id: `d${i}`,
      text,
      label: corpus.classes[i],
      timestamp: corpus.timestamps[i],
    })),
    { embeddings: embedBagOfWords(corpus.texts) },
  );
  await model.save(modelDir);
});

after(() => rmSync(work, { recursive: true, force: true }));

describe("topic-operation verbs", () => {
  it("the binary: reduce-topics --to 2 writes a new folder with 2 topics and its report, and leaves the input alone", () => {
    const out = join(work, "reduced");
    const before = readFileSync(join(modelDir, "topics.json"), "utf8");
    const r = runCli(["reduce-topics", modelDir, "--to", "2", "-o", out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readTopics(out).filter((t) => t.id >= 0).length, 2);
    assert.equal(readDocs(out).length, corpus.texts.length);
    assert.equal(readFileSync(join(modelDir, "topics.json"), "utf8"), before);
    ok(existsSync(join(out, "topic-state.json")), "topic state written");
    ok(existsSync(join(out, "report.html")), "report written");
  });

  it("merge-topics and reduce-outliers", async () => {
    const merged = join(work, "merged");
    let r = await run(["merge-topics", modelDir, "--merge", "0,1", "-o", merged, "--no-report"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readTopics(merged).filter((t) => t.id >= 0).length, 3);
    const fewer = join(work, "fewer-outliers");
    r = await run(["reduce-outliers", modelDir, "--strategy", "c-tf-idf", "-o", fewer, "--no-report"]);
    assert.equal(r.status, 0, r.stderr);
    const outliers = (dir: string) => readDocs(dir).filter((d) => d.topic === -1).length;
    ok(outliers(fewer) < outliers(modelDir), `${outliers(fewer)} vs ${outliers(modelDir)}`);
    assert.match(r.stderr, /outliers moved to a topic/);
  });

  it("hierarchy, over-time and per-class print tables and write their JSON", async () => {
    let r = await run(["hierarchy", modelDir]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /■──.* ── Topic: 0/);
    const tree = JSON.parse(readFileSync(join(modelDir, "hierarchy.json"), "utf8"));
    assert.equal(tree.leaves.length, 4);
    assert.equal(tree.merges.length, 3);
    r = await run(["over-time", modelDir, "--bins", "3"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^bin\ttopic\tfrequency\twords/);
    ok(existsSync(join(modelDir, "topics-over-time.json")), "topics-over-time.json");
    r = await run(["per-class", modelDir, "--json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout)
        .classes.map((c: { name: string }) => c.name)
        .sort(),
      ["blog", "news"],
    );
  });

  it("transform writes id, topic, probability per document", async () => {
    const input = join(work, "new.jsonl");
    const texts = ["flour sugar butter oven bread dough", "stock market shares bank"];
    writeFileSync(input, texts.map((text, i) => JSON.stringify({ id: `n${i}`, text })).join("\n"));
    const npy = join(work, "new.npy");
    writeMatrixNpy(npy, embedBagOfWords(texts));
    const out = join(work, "predictions.jsonl");
    const r = await run(["transform", modelDir, input, "--embeddings", npy, "-o", out]);
    assert.equal(r.status, 0, r.stderr);
    const rows = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(Object.keys(rows[0]), ["id", "topic", "probability"]);
    const topics = readTopics(modelDir);
    const wordsOf = (id: number) => topics.find((t) => t.id === id)!.words.map((w) => w.word);
    ok(wordsOf(rows[0].topic).includes("flour"), `topic ${rows[0].topic}`);
    ok(wordsOf(rows[1].topic).includes("stock"), `topic ${rows[1].topic}`);
  });

  it("bad input: one clear line, exit code 2", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["merge-topics", modelDir, "--merge", "0,42", "-o", join(work, "x1")],
        /unknown topic id 42; the model has topics 0\.\.3/,
      ],
      [
        ["reduce-topics", modelDir, "--to", "9", "-o", join(work, "x2")],
        /the model has 4 topics, cannot reduce to 9/,
      ],
      [["reduce-topics", modelDir, "--to", "2", "-o", modelDir], /is the input model folder/],
      [["reduce-topics", join(work, "nope"), "--to", "2", "-o", join(work, "x3")], /does not exist/],
      [
        ["search", modelDir, "rocket launch"],
        /gives 512-d vectors but the model's document embeddings are 48-d \(precomputed\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
  });
});
