import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  loadModelFolder,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelFolder,
  REPRESENTATIVE_TEXT_LENGTH,
  writeModelFiles,
} from "../../../src/topics/folder/format.js";
import { DEFAULT_PARAMETERS } from "../../../src/topics/parameters.js";
import { UserError } from "../../../src/util/errors.js";
import { tempDir } from "../../temp-dir.js";

function smallModel(): ModelFolder {
  const long = "x".repeat(REPRESENTATIVE_TEXT_LENGTH + 50);
  return {
    manifest: {
      format: MODEL_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      version: "0.0.0-test",
      createdAt: "2026-01-01T00:00:00.000Z",
      parameters: DEFAULT_PARAMETERS,
      embedder: { id: "test", dimension: 2 },
      corpus: { documents: 3, emptyDocuments: 1 },
      timings: [{ stage: "embed", seconds: 1 }],
      peakRssBytes: 1,
    },
    topics: [
      { id: -1, size: 1, label: "-1_x", words: [], representativeDocs: [2] },
      { id: 0, size: 2, label: "0_tax", words: [{ word: "tax", score: 0.5 }], representativeDocs: [1, 0] },
    ],
    documents: [
      { id: "a", text: "taxes rise", topic: 0, probability: 1 },
      { id: "b", text: long, topic: 0, probability: 0.5 },
      { id: "c", text: "", topic: -1, probability: 0 },
    ],
    embeddings: { data: Float32Array.from([1, 0, 0, 1, 0, 0]), rows: 3, cols: 2 },
    reduced: { data: Float32Array.from([1, 2, 3, 4, Number.NaN, Number.NaN]), rows: 3, cols: 2 },
  };
}

test("a model folder round-trips, and topics.json names its representative documents", () => {
  const dir = tempDir("model-folder-");
  const model = smallModel();
  writeModelFiles(dir, model);
  const onDisk = JSON.parse(readFileSync(join(dir, "topics.json"), "utf8"));
  assert.deepEqual(
    onDisk[1].representative.map((r: { id: string }) => r.id),
    ["b", "a"],
  );
  assert.equal(
    onDisk[1].representative[0].text.length,
    REPRESENTATIVE_TEXT_LENGTH,
    "long texts are truncated",
  );
  assert.equal(onDisk[1].representative[1].text, "taxes rise");

  const back = loadModelFolder(dir);
  assert.deepEqual(back.topics, model.topics, "the derived field is not loaded back");
  assert.deepEqual(back.documents, model.documents);
  assert.deepEqual([...back.embeddings!.data], [...model.embeddings!.data]);
  assert.ok(Number.isNaN(back.reduced!.data[4]), "NaN rows of empty documents survive");
});

test("a damaged or foreign model folder gives a clear error", () => {
  const dir = tempDir("model-folder-");
  writeModelFiles(dir, smallModel());
  rmSync(join(dir, "reduced.npy"));
  assert.throws(
    () => loadModelFolder(dir),
    (e: unknown) => e instanceof UserError && /missing reduced\.npy/.test(e.message),
  );
  assert.doesNotThrow(() => loadModelFolder(dir, { reduced: false }));

  const manifest = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
  writeFileSync(
    join(dir, "model.json"),
    JSON.stringify({ ...manifest, formatVersion: 99, version: "9.9.9" }),
  );
  assert.throws(
    () => loadModelFolder(dir, { reduced: false }),
    /topicscope 9\.9\.9 in model format 99.*reads format 1/,
  );

  assert.throws(() => loadModelFolder(join(dir, "nope")), /does not exist/);
});
