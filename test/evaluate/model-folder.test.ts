import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { clusteringScores } from "../../src/evaluate/clustering.js";
import { npmiCoherence } from "../../src/evaluate/coherence.js";
import type { ModelMetrics } from "../../src/evaluate/evaluate-model.js";
import { coherenceTokenizer, evaluateModelFolder } from "../../src/evaluate/model-folder.js";
import { referenceCorpusFromTexts } from "../../src/evaluate/reference-corpus.js";
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, writeModelFiles } from "../../src/topics/folder/format.js";
import { DEFAULT_PARAMETERS } from "../../src/topics/parameters.js";
import type { DocumentRecord, Topic } from "../../src/topics/types.js";

const root = mkdtempSync(join(tmpdir(), "topicscope-evaluate-"));
after(() => rmSync(root, { recursive: true, force: true }));

const texts = [
  "The striker scored a goal and the team won the football match.",
  "Football fans cheered the team after the goal in the match.",
  "The goal keeper saved a penalty; the team won again.",
  "Shares fell as the bank reported lower profits and higher costs.",
  "The bank raised interest rates and shares rose on profits.",
  "Investors sold shares after the bank warned about profits.",
  "An unrelated note about gardening and tomatoes.",
];
const truth = ["sport", "sport", "sport", "business", undefined, "business", "sport"];
const assignments = [0, 0, 0, 1, 1, 1, -1];

function topic(id: number, words: string[], size: number): Topic {
  return {
    id,
    size,
    label: `${id}_${words.slice(0, 3).join("_")}`,
    words: words.map((word, i) => ({ word, score: 1 - i / 10 })),
    representativeDocs: [],
  };
}
const topics = [
  topic(-1, ["gardening", "tomatoes", "note"], 1),
  topic(0, ["team", "goal", "match", "football", "won"], 3),
  topic(1, ["shares", "bank", "profits", "rates", "investors"], 3),
];

function writeFolder(name: string, withText = true, withLabels = true): string {
  const dir = join(root, name);
  const documents: DocumentRecord[] = texts.map((text, i) => {
    const record: DocumentRecord = {
      id: String(i),
      text: withText ? text : "",
      topic: assignments[i],
      probability: 1,
    };
    if (withLabels && truth[i] !== undefined) record.label = truth[i];
    return record;
  });
  writeModelFiles(dir, {
    manifest: {
      format: MODEL_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      version: "test",
      createdAt: "2026-01-01T00:00:00Z",
      parameters: DEFAULT_PARAMETERS,
      embedder: { id: "test", dimension: 0 },
      corpus: { documents: texts.length, emptyDocuments: 0 },
      timings: [
        { stage: "embed", seconds: 1.5 },
        { stage: "cluster", seconds: 0.25 },
      ],
      peakRssBytes: 300 * 2 ** 20,
    },
    topics,
    documents,
  });
  return dir;
}

test("evaluates a model folder: coherence on its own text, labels from documents.jsonl", async () => {
  const dir = writeFolder("model");
  const warnings: string[] = [];
  const metrics = await evaluateModelFolder(dir, { topN: 5, onWarning: (m) => warnings.push(m) });
  assert.equal(metrics.documents, 7);
  assert.equal(metrics.topics, 2);
  assert.equal(metrics.outliers, 1);
  assert.equal(metrics.diversity, 1);
  // Coherence: the outlier topic is left out; same numbers as the metric on the tokenized texts.
  const reference = referenceCorpusFromTexts(texts, coherenceTokenizer("english"));
  const direct = npmiCoherence(
    [topics[1], topics[2]].map((t) => t.words.map((w) => w.word)),
    reference,
    { topN: 5 },
  );
  assert.ok(Math.abs(metrics.coherence!.npmi! - direct.score) < 1e-12);
  assert.deepEqual(
    metrics.coherence!.perTopic.map((t) => t.topic),
    [0, 1],
  );
  // One label is missing: it is counted, reported, and the other six are scored.
  assert.equal(metrics.labels!.missing, 1);
  assert.equal(metrics.labels!.documents, 6);
  assert.match(warnings.join("\n"), /1 of 7 documents have no label/);
  const expected = clusteringScores([1, 1, 1, 0, 0, 1], [0, 0, 0, 1, 1, -1]);
  assert.ok(Math.abs(metrics.labels!.all.nmi - expected.nmi) < 1e-12);
  assert.ok(Math.abs(metrics.labels!.nonOutliers!.nmi - 1) < 1e-12);
  assert.deepEqual(
    metrics.timings.map((t) => t.stage),
    ["embed", "cluster"],
  );
  assert.equal(metrics.peakRssBytes, 300 * 2 ** 20);
});

test("a folder without document text asks for --reference; --reference supplies text and labels", async () => {
  const dir = writeFolder("no-text", false, false);
  await assert.rejects(evaluateModelFolder(dir), /holds no document text.*--reference/);
  const corpus = join(root, "reference.jsonl");
  writeFileSync(
    corpus,
    texts.map((text, i) => `${JSON.stringify({ text, cls: truth[i] ?? null })}\n`).join(""),
  );
  const metrics = await evaluateModelFolder(dir, { reference: corpus, labelField: "cls", topN: 5 });
  assert.ok(metrics.coherence!.npmi !== null);
  assert.equal(metrics.labels!.documents, 6);
  await assert.rejects(
    evaluateModelFolder(writeFolder("with-text"), { labelField: "cls" }),
    /no document .* has the field 'cls'/,
  );
  const short = join(root, "short.jsonl");
  writeFileSync(short, `${JSON.stringify({ text: "team goal", cls: "sport" })}\n`);
  await assert.rejects(
    evaluateModelFolder(dir, { reference: short, labelField: "cls" }),
    /has 1 documents but the model/,
  );
});

test("CLI: prints the table and writes metrics.json (default inside the folder, or -o)", () => {
  const dir = writeFolder("cli");
  const bin = new URL("../../bin/topicscope.js", import.meta.url).pathname;
  const run = spawnSync(process.execPath, [bin, "evaluate", dir, "--top-n", "5"], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /NPMI \(top 5, window 10\)\s+-?\d\.\d{4}/);
  assert.match(run.stdout, /NMI\s+\d\.\d{4}\s+1\.0000/);
  assert.match(run.stdout, /time: embed\s+1\.5 s/);
  const metrics = JSON.parse(readFileSync(join(dir, "metrics.json"), "utf8")) as ModelMetrics;
  assert.equal(metrics.topics, 2);
  const out = join(root, "elsewhere", "m.json");
  const second = spawnSync(process.execPath, [bin, "evaluate", dir, "-o", out, "--json", "-q"], {
    encoding: "utf8",
  });
  assert.equal(second.status, 0, second.stderr);
  assert.deepEqual(JSON.parse(second.stdout), JSON.parse(readFileSync(out, "utf8")));
  const missing = spawnSync(process.execPath, [bin, "evaluate", join(root, "nope")], { encoding: "utf8" });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /does not exist/);
});
