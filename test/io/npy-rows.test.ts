import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeNpy } from "../../src/io/npy.js";
import { openNpyRows } from "../../src/io/npy-rows.js";
import { UserError } from "../../src/util/errors.js";

test("npy rows: blocks read from the file equal the slices of the whole matrix (float32 and float64)", () => {
  const dir = mkdtempSync(join(tmpdir(), "topicscope-npy-rows-"));
  try {
    const rows = 37;
    const cols = 5;
    const data = Float32Array.from({ length: rows * cols }, (_, i) => i * 0.5 - 3);
    const path = join(dir, "m.npy");
    writeNpy(path, data, [rows, cols]);
    const reader = openNpyRows(path);
    assert.equal(reader.rows, rows);
    assert.equal(reader.cols, cols);
    for (const [start, count] of [
      [0, 10],
      [10, 27],
      [36, 1],
      [5, 0],
    ]) {
      assert.deepEqual(reader.read(start, count), data.slice(start * cols, (start + count) * cols));
    }
    assert.throws(() => reader.read(30, 10), RangeError);
    reader.close();

    // a float64 file written by hand: header padded to 64 bytes, as NumPy writes it
    let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }";
    header += `${" ".repeat(64 - ((10 + header.length + 1) % 64))}\n`;
    const values = new Float64Array([1, 2, 3, 4, 5, 6]);
    const file = new Uint8Array(10 + header.length + values.byteLength);
    file.set([0x93, 78, 85, 77, 80, 89, 1, 0, header.length & 255, header.length >> 8]);
    file.set(new TextEncoder().encode(header), 10);
    file.set(new Uint8Array(values.buffer), 10 + header.length);
    const f64 = join(dir, "d.npy");
    writeFileSync(f64, file);
    const r64 = openNpyRows(f64);
    assert.deepEqual(Array.from(r64.read(1, 2)), [3, 4, 5, 6]);
    r64.close();

    writeNpy(join(dir, "v.npy"), data, [rows * cols]);
    assert.throws(
      () => openNpyRows(join(dir, "v.npy")),
      (e: unknown) => e instanceof UserError && /2-D/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
