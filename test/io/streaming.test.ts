/** Files written piece by piece (src/io/streaming.ts): same bytes as the one-shot writers, nothing left behind on failure. */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { encodeNpy, readMatrixNpy } from "../../src/io/npy.js";
import { NpyRowWriter, writeLinesAtomic } from "../../src/io/streaming.js";
import { documentsCsv, writeCsvExports } from "../../src/report/csv.js";
import { syntheticModel } from "../report/model-fixture.js";

const dir = mkdtempSync(join(tmpdir(), "topicscope-streaming-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("streaming writers", () => {
  test("writeLinesAtomic: every line, more than one buffer's worth, multi-byte text intact", () => {
    const path = join(dir, "lines.jsonl");
    const lines = Array.from({ length: 30000 }, (_, i) =>
      JSON.stringify({ i, text: `é😀 ${"x".repeat(i % 97)}` }),
    );
    writeLinesAtomic(path, lines.length, (i) => lines[i]);
    assert.equal(readFileSync(path, "utf8"), `${lines.join("\n")}\n`);
  });

  test("NpyRowWriter: the bytes encodeNpy writes, in blocks; a short file is never left under its name", () => {
    const rows = 1000;
    const cols = 7;
    const data = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i));
    const path = join(dir, "m.npy");
    const writer = new NpyRowWriter(path, rows, cols);
    for (let start = 0; start < rows; start += 333) {
      writer.write(data.subarray(start * cols, Math.min(rows, start + 333) * cols));
    }
    writer.close();
    assert.deepEqual(new Uint8Array(readFileSync(path)), encodeNpy(data, [rows, cols]));
    assert.deepEqual(readMatrixNpy(path).data, data);

    const short = join(dir, "short.npy");
    const incomplete = new NpyRowWriter(short, rows, cols);
    incomplete.write(data.subarray(0, 10 * cols));
    assert.throws(() => incomplete.close(), /10 rows written of the 1000 declared/);
    assert.equal(existsSync(short), false);
    const partial = new NpyRowWriter(join(dir, "x.npy"), 2, 3);
    assert.throws(() => partial.write(new Float32Array(4)), /not whole rows/);
    partial.abort();
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith(".")),
      [],
      "no temporary files left",
    );
  });

  test("documents.csv written row by row equals the one-string export", () => {
    const model = syntheticModel(20, 3);
    const out = join(dir, "csv");
    writeCsvExports(out, model.topics, model.documents);
    assert.equal(
      readFileSync(join(out, "documents.csv"), "utf8"),
      documentsCsv(model.documents, model.topics),
    );
  });
});
