import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { encodeNpy, parseNpy, readMatrixNpy, writeMatrixNpy } from "../../src/io/npy.js";
import { UserError } from "../../src/util/errors.js";
import { tempDir } from "../temp-dir.js";

test("npy round trip keeps shape and values", () => {
  const dir = tempDir("npy-");
  const data = Float32Array.from([1, 2.5, -3, 4, 5, 6]);
  writeMatrixNpy(join(dir, "m.npy"), { data, rows: 2, cols: 3 });
  const back = readMatrixNpy(join(dir, "m.npy"));
  assert.equal(back.rows, 2);
  assert.equal(back.cols, 3);
  assert.deepEqual([...back.data], [...data]);
});

test("npy header is padded to 64 bytes and says float32 C order", () => {
  const bytes = encodeNpy(new Float32Array(3), [3]);
  const headerLength = bytes[8] + 256 * bytes[9];
  assert.equal((10 + headerLength) % 64, 0);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
  assert.match(header, /'descr': '<f4', 'fortran_order': False, 'shape': \(3,\)/);
});

test("float64 .npy (as NumPy writes by default) is read as float32", () => {
  // Hand-built: header for a 2×2 float64 array, values 1, 2, 3, 4.
  let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
  header += `${" ".repeat(64 - ((10 + header.length + 1) % 64))}\n`;
  const bytes = new Uint8Array(10 + header.length + 32);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 255, header.length >> 8]);
  bytes.set(new TextEncoder().encode(header), 10);
  new Float64Array(bytes.buffer, 10 + header.length, 4).set([1, 2, 3, 4]);
  const array = parseNpy(bytes);
  assert.equal(array.dtype, "<f8");
  assert.deepEqual(array.shape, [2, 2]);
  const dir = tempDir("npy-");
  writeFileSync(join(dir, "d.npy"), bytes);
  assert.deepEqual([...readMatrixNpy(join(dir, "d.npy")).data], [1, 2, 3, 4]);
});

test("bad .npy files give clear errors", () => {
  const dir = tempDir("npy-");
  writeFileSync(join(dir, "junk.npy"), "not numpy");
  assert.throws(
    () => readMatrixNpy(join(dir, "junk.npy")),
    (e: unknown) => e instanceof UserError && /bad magic/.test(e.message),
  );
  writeFileSync(join(dir, "v.npy"), encodeNpy(new Float32Array(3), [3]));
  assert.throws(() => readMatrixNpy(join(dir, "v.npy")), /expected a 2-D array/);
  writeFileSync(join(dir, "i.npy"), encodeNpy(new Int32Array(4), [2, 2]));
  assert.throws(() => readMatrixNpy(join(dir, "i.npy")), /float32 or float64/);
  assert.throws(() => readMatrixNpy(join(dir, "missing.npy")), /cannot read .*missing\.npy: ENOENT/);
});

test("NumPy reads what we write", { skip: !hasNumpy() && "numpy not available in /usr/bin/python3" }, () => {
  const dir = tempDir("npy-");
  writeMatrixNpy(join(dir, "m.npy"), { data: Float32Array.from([1, 2, 3, 4, 5, 6]), rows: 3, cols: 2 });
  const out = execFileSync("/usr/bin/python3", [
    "-c",
    `import numpy as np; a = np.load(${JSON.stringify(join(dir, "m.npy"))}); print(a.dtype, a.shape, a.sum())`,
  ]).toString();
  assert.equal(out.trim(), "float32 (3, 2) 21.0");
});

function hasNumpy(): boolean {
  try {
    execFileSync("/usr/bin/python3", ["-c", "import numpy"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
