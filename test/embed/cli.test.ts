import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { readMatrixNpy } from "../../src/io/npy.js";
import { runCli } from "../cli/helpers.js";
import { tempDir } from "./helpers.js";
import { writeTinyBert } from "./tiny-bert.js";

const dir = tempDir("embed-cli");
after(() => dir.remove());

describe("topicscope embed / cache", () => {
  const model = writeTinyBert(join(dir.path, "tiny"), { pooling: "mean" });
  const corpus = join(dir.path, "corpus.jsonl");
  writeFileSync(
    corpus,
    ["the cat sat on the mat", "", "a quick brown fox", "the cat sat on the mat"]
      .map((text) => JSON.stringify({ text }))
      .join("\n"),
  );
  const cacheDir = join(dir.path, "cache");

  test("writes an n × d .npy, then reads everything from the cache; cache info and clear", () => {
    const out = join(dir.path, "emb.npy");
    const first = runCli(["embed", corpus, "-o", out, "--model", model, "--cache-dir", cacheDir]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /4 computed, 0 from the cache/);
    const matrix = readMatrixNpy(out);
    assert.deepEqual([matrix.rows, matrix.cols], [4, 16]);
    assert.ok(matrix.data.subarray(16, 32).every((v) => v === 0));

    const second = runCli([
      "embed",
      corpus,
      "-o",
      join(dir.path, "again.npy"),
      "--model",
      model,
      "--cache-dir",
      cacheDir,
    ]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /0 computed, 4 from the cache/);
    assert.deepEqual(readMatrixNpy(join(dir.path, "again.npy")).data, matrix.data);

    const info = runCli(["cache", "info", "--json", "--cache-dir", cacheDir]);
    const parsed = JSON.parse(info.stdout) as { models: Array<{ id: string; vectors: number }> };
    assert.equal(parsed.models.length, 1);
    assert.match(parsed.models[0].id, /^onnx:tiny@/);
    assert.equal(runCli(["cache", "clear", "--cache-dir", cacheDir]).status, 0);
    assert.equal(
      (
        JSON.parse(runCli(["cache", "info", "--json", "--cache-dir", cacheDir]).stdout) as {
          models: unknown[];
        }
      ).models.length,
      0,
    );
  });

  test("a hub model not in the cache, offline, fails fast with one line naming --model use-lite", () => {
    const result = runCli([
      "embed",
      corpus,
      "-o",
      join(dir.path, "x.npy"),
      "--model",
      "org/missing-model",
      "--cache-dir",
      cacheDir,
      "--offline",
    ]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /error: model 'org\/missing-model' is not in the cache .*--model use-lite/);
  });
});
