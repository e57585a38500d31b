/**
 * `topicscope train` end to end on the tiny BERT of test/embed (16-d, built offline), and `--adapter`
 * on the verbs that embed: the adapted vectors are the library's, the cache keys carry the adapter,
 * and every kind of bad input is one line, exit 2, nothing written.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { applyAdapter, loadAdapter } from "../../src/embed/adapter.js";
import { readMatrixNpy } from "../../src/io/npy.js";
import { runCli } from "../cli/helpers.js";
import { tempDir } from "../embed/helpers.js";
import { writeTinyBert } from "../embed/tiny-bert.js";

const dir = tempDir("train-cli");
after(() => dir.remove());
const bert = writeTinyBert(join(dir.path, "tiny"), { pooling: "mean" });
const otherBert = writeTinyBert(join(dir.path, "other"), { pooling: "mean", seed: 7 });

const WORDS = [
  "the",
  "cat",
  "dog",
  "sat",
  "ran",
  "on",
  "mat",
  "market",
  "stock",
  "rose",
  "fell",
  "team",
  "won",
  "game",
];
const LABELS = ["entailment", "neutral", "contradiction"];

function pairsFile(
  name: string,
  n: number,
  seed: number,
  transform?: (row: Record<string, unknown>, i: number) => void,
) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const sentence = () =>
    Array.from({ length: 3 + Math.floor(next() * 4) }, () => WORDS[Math.floor(next() * WORDS.length)]).join(
      " ",
    );
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {
      sentence1: sentence(),
      sentence2: sentence(),
      score: 1 + Math.floor(next() * 5),
      label: LABELS[Math.floor(next() * 3)],
    };
    transform?.(row, i);
    lines.push(JSON.stringify(row));
  }
  const path = join(dir.path, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

const train = pairsFile("train.jsonl", 60, 1);
const validation = pairsFile("validation.jsonl", 20, 2);
const corpus = join(dir.path, "corpus.jsonl");
writeFileSync(
  corpus,
  ["the cat sat on the mat", "", "stock market fell", "the team won the game"]
    .map((text) => JSON.stringify({ text }))
    .join("\n"),
);

describe("topicscope train", () => {
  const adapterDir = join(dir.path, "cosent-adapter");

  test("cosent: writes an adapter folder (weights, base model id, dimension, training record)", () => {
    const result = runCli([
      "train",
      train,
      "--loss",
      "cosent",
      "--model",
      bert,
      "--validation",
      validation,
      "--epochs",
      "3",
      "--batch-size",
      "8",
      "--lr",
      "0.01",
      "-o",
      adapterDir,
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), adapterDir);
    assert.match(result.stderr, /train a cosent adapter/);
    assert.match(result.stderr, /epoch 1: train loss \d+\.\d+, validation loss \d+\.\d+/);
    const manifest = JSON.parse(readFileSync(join(adapterDir, "adapter.json"), "utf8")) as Record<
      string,
      unknown
    >;
    assert.equal(manifest.format, "topicscope-adapter");
    assert.equal(manifest.formatVersion, 1);
    assert.match(String(manifest.baseModel), /^onnx:tiny@[0-9a-f]{12};fp32;pooling=mean/);
    assert.equal(manifest.inputDimension, 16);
    assert.equal(manifest.outputDimension, 16);
    const training = manifest.training as {
      loss: string;
      trainPairs: number;
      history: unknown[];
      options: { lr: number };
    };
    assert.equal(training.loss, "cosent");
    assert.equal(training.trainPairs, 60);
    assert.ok(training.history.length >= 1 && training.history.length <= 3);
    assert.equal(training.options.lr, 0.01);
    const weight = readMatrixNpy(join(adapterDir, "weight.npy"));
    assert.deepEqual([weight.rows, weight.cols], [16, 16]);
    const adapter = loadAdapter(adapterDir);
    assert.ok(
      adapter.weight.some((w, i) => w !== (i % 17 === 0 ? 1 : 0)),
      "training moved W off the identity",
    );
  });

  test("embed --adapter gives the library's adapted rows, cached under an id with the adapter hash", () => {
    const plain = join(dir.path, "plain.npy");
    const adapted = join(dir.path, "adapted.npy");
    assert.equal(runCli(["embed", corpus, "-o", plain, "--model", bert]).status, 0);
    const first = runCli(["embed", corpus, "-o", adapted, "--model", bert, "--adapter", adapterDir]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /\+adapter@[0-9a-f]{12}/);
    const wanted = applyAdapter(loadAdapter(adapterDir), readMatrixNpy(plain));
    const got = readMatrixNpy(adapted);
    assert.equal(got.rows, 4);
    for (let i = 0; i < wanted.data.length; i++) assert.ok(Math.abs(got.data[i] - wanted.data[i]) < 1e-6);
    assert.ok(
      got.data.subarray(16, 32).every((v) => v === 0),
      "a blank document stays a zero row",
    );
    const second = runCli([
      "embed",
      corpus,
      "-o",
      adapted,
      "--model",
      bert,
      "--adapter",
      adapterDir,
      "--force",
    ]);
    assert.match(second.stderr, /0 computed, 4 from the cache/);
  });

  test("fit --adapter records it in model.json; the model folder's search embeds queries with it", () => {
    const docs = join(dir.path, "docs.jsonl");
    writeFileSync(
      docs,
      Array.from({ length: 30 }, (_, i) =>
        JSON.stringify({ text: `${WORDS[i % WORDS.length]} ${WORDS[(i * 3) % WORDS.length]} the mat` }),
      ).join("\n"),
    );
    const model = join(dir.path, "adapted-model");
    const fit = runCli([
      "fit",
      docs,
      "-o",
      model,
      "--model",
      bert,
      "--adapter",
      adapterDir,
      "--reducer",
      "pca",
      "--n-components",
      "2",
      "--min-cluster-size",
      "3",
      "--quiet",
    ]);
    assert.equal(fit.status, 0, fit.stderr);
    const manifest = JSON.parse(readFileSync(join(model, "model.json"), "utf8")) as {
      parameters: { embedding: { adapter?: string } };
    };
    assert.equal(manifest.parameters.embedding.adapter, adapterDir);
    const plain = join(dir.path, "docs-plain.npy");
    assert.equal(runCli(["embed", docs, "-o", plain, "--model", bert]).status, 0);
    const wanted = applyAdapter(loadAdapter(adapterDir), readMatrixNpy(plain));
    const stored = readMatrixNpy(join(model, "embeddings.npy"));
    for (let i = 0; i < wanted.data.length; i++) assert.ok(Math.abs(stored.data[i] - wanted.data[i]) < 1e-6);
    const search = runCli(["search", model, "the cat", "-k", "3", "--json"]);
    assert.equal(search.status, 0, search.stderr);
    assert.equal(search.stdout.trim().split("\n").length, 3);
    const refused = runCli(["search", model, "the cat", "--adapter", adapterDir]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /--adapter applies to a corpus/);
  });

  test("softmax and mnrl train too (validation split, positive label)", () => {
    const softmax = runCli([
      "train",
      train,
      "--loss",
      "softmax",
      "--model",
      bert,
      "--validation-split",
      "0.2",
      "--epochs",
      "2",
      "--batch-size",
      "8",
      "-o",
      join(dir.path, "softmax"),
    ]);
    assert.equal(softmax.status, 0, softmax.stderr);
    assert.match(softmax.stderr, /accuracy \d+\.\d%/);
    const labels = (
      JSON.parse(readFileSync(join(dir.path, "softmax", "adapter.json"), "utf8")) as {
        training: { labels: string[]; trainPairs: number };
      }
    ).training;
    assert.deepEqual(labels.labels, ["contradiction", "entailment", "neutral"]);
    assert.equal(labels.trainPairs, 48);
    const mnrl = runCli([
      "train",
      train,
      "--loss",
      "mnrl",
      "--positive-label",
      "entailment",
      "--model",
      bert,
      "--validation-split",
      "0",
      "--epochs",
      "2",
      "--batch-size",
      "4",
      "-o",
      join(dir.path, "mnrl"),
    ]);
    assert.equal(mnrl.status, 0, mnrl.stderr);
    const record = (
      JSON.parse(readFileSync(join(dir.path, "mnrl", "adapter.json"), "utf8")) as {
        training: { trainPairs: number; validation: unknown };
      }
    ).training;
    const entailment = readFileSync(train, "utf8")
      .split("\n")
      .filter((l) => l.includes('"entailment"')).length;
    assert.equal(record.trainPairs, entailment);
    assert.equal(record.validation, null);
  });

  test("bad input: one line naming the line or both models, exit 2, no adapter written", () => {
    const check = (args: string[], pattern: RegExp, output = join(dir.path, "never")) => {
      const result = runCli([...args, "-o", output]);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, pattern);
      assert.equal(
        result.stderr
          .trim()
          .split("\n")
          .filter((l) => l.startsWith("topicscope:")).length,
        1,
      );
      assert.ok(!existsSync(output) || output === adapterDir);
    };
    const noScore = pairsFile("no-score.jsonl", 10, 3, (row, i) => {
      if (i === 6) delete row.score;
    });
    check(
      ["train", noScore, "--loss", "cosent", "--model", bert],
      /no-score\.jsonl line 7: no field 'score'/,
    );
    const noLabels = pairsFile("no-labels.jsonl", 10, 3, (row) => {
      delete row.label;
    });
    check(
      ["train", noLabels, "--loss", "softmax", "--model", bert],
      /no-labels\.jsonl line 1: no field 'label'/,
    );
    const odd = pairsFile("odd-label.jsonl", 10, 4, (row, i) => {
      if (i === 4) row.label = "maybe";
    });
    check(
      ["train", train, "--loss", "softmax", "--model", bert, "--validation", odd],
      /odd-label\.jsonl line 5: unknown label 'maybe'; the labels are contradiction, entailment, neutral/,
    );
    const noText = pairsFile("no-text.jsonl", 10, 5, (row, i) => {
      if (i === 2) delete row.sentence2;
    });
    check(
      ["train", noText, "--loss", "cosent", "--model", bert],
      /no-text\.jsonl line 3: no field 'sentence2'/,
    );
    check(
      ["train", train, "--loss", "cosent", "--model", bert],
      /output folder .* already exists; use --force/,
      adapterDir,
    );
    check(
      [
        "train",
        train,
        "--loss",
        "cosent",
        "--model",
        bert,
        "--validation",
        validation,
        "--validation-split",
        "0.2",
      ],
      /either --validation <file> or --validation-split, not both/,
    );
    check(
      ["train", train, "--loss", "cosent", "--model", bert, "--positive-label", "entailment"],
      /--positive-label selects positive pairs for --loss mnrl only/,
    );

    const mismatch = runCli([
      "embed",
      corpus,
      "-o",
      join(dir.path, "x.npy"),
      "--model",
      otherBert,
      "--adapter",
      adapterDir,
    ]);
    assert.equal(mismatch.status, 2);
    assert.match(
      mismatch.stderr,
      /was trained on onnx:tiny@\w+;.*\(16-d vectors\) but the embedding model is onnx:other@\w+;.*\(16-d\)/,
    );
    assert.ok(!existsSync(join(dir.path, "x.npy")));
    const missing = runCli([
      "embed",
      corpus,
      "-o",
      join(dir.path, "x.npy"),
      "--model",
      bert,
      "--adapter",
      join(dir.path, "nope"),
    ]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /adapter folder .*nope does not exist/);
  });

  test("evaluate-pairs and pairs take --adapter (and refuse it for a .npy input)", () => {
    const plain = runCli(["evaluate-pairs", validation, "--model", bert, "--json"]);
    const adapted = runCli([
      "evaluate-pairs",
      validation,
      "--model",
      bert,
      "--adapter",
      adapterDir,
      "--json",
    ]);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(adapted.status, 0, adapted.stderr);
    assert.notEqual(plain.stdout, adapted.stdout);
    const mined = runCli([
      "pairs",
      corpus,
      "-o",
      join(dir.path, "pairs.jsonl"),
      "--model",
      bert,
      "--adapter",
      adapterDir,
    ]);
    assert.equal(mined.status, 0, mined.stderr);
    const npy = runCli([
      "pairs",
      join(dir.path, "plain.npy"),
      "-o",
      join(dir.path, "p2.jsonl"),
      "--adapter",
      adapterDir,
    ]);
    assert.equal(npy.status, 2);
    assert.match(npy.stderr, /--adapter applies to texts being embedded/);
  });
});
