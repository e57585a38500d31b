import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readNpy, writeMatrixNpy } from "../../src/io/npy.js";
import { createRng } from "../../src/util/rng.js";

const bin = new URL("../../bin/topicscope.js", import.meta.url).pathname;

test("CLI: neighbors writes indices and distances, reduce writes the reduced matrix, NaN rows are named", () => {
  const dir = mkdtempSync(join(tmpdir(), "topicscope-neighbors-cli-"));
  try {
    const rng = createRng(1);
    const data = new Float32Array(50 * 6).map(() => rng.nextGaussian());
    const input = join(dir, "emb.npy");
    writeMatrixNpy(input, { data, rows: 50, cols: 6 });
    const knnPath = join(dir, "knn.npy");
    const run = spawnSync(process.execPath, [bin, "neighbors", input, "-k", "4", "-o", knnPath, "--quiet"], {
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    const indices = readNpy(knnPath);
    const distances = readNpy(join(dir, "knn.distances.npy"));
    assert.deepEqual(indices.shape, [50, 4]);
    assert.equal(indices.dtype, "<i4");
    assert.equal(distances.dtype, "<f4");
    assert.equal(indices.data[4 * 7], 7);
    assert.equal(distances.data[4 * 7], 0);

    const out = join(dir, "reduced.npy");
    const reduce = spawnSync(
      process.execPath,
      [bin, "reduce", input, "-o", out, "--reducer", "pca", "--n-components", "2", "--quiet"],
      { encoding: "utf8" },
    );
    assert.equal(reduce.status, 0, reduce.stderr);
    assert.deepEqual(readNpy(out).shape, [50, 2]);

    data[9 * 6 + 1] = Number.NaN;
    writeMatrixNpy(input, { data, rows: 50, cols: 6 });
    const bad = spawnSync(process.execPath, [bin, "reduce", input, "-o", out, "--force"], {
      encoding: "utf8",
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^topicscope: error: embeddings: row 9 contains NaN/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("CLI: neighbors --method nndescent agrees with exact (recall ≥ 0.98), reduce --knn nndescent --layout-threads 2 runs", () => {
  const dir = mkdtempSync(join(tmpdir(), "topicscope-nndescent-cli-"));
  try {
    const rng = createRng(4);
    const rows = 600;
    const cols = 8;
    const centres = Array.from({ length: 6 }, () =>
      Array.from({ length: cols }, () => 3 * rng.nextGaussian()),
    );
    const data = new Float32Array(rows * cols).map(
      (_, p) => centres[Math.floor(p / cols) % 6][p % cols] + rng.nextGaussian(),
    );
    const input = join(dir, "emb.npy");
    writeMatrixNpy(input, { data, rows, cols });
    const run = (method: string) => {
      const out = join(dir, `${method}.npy`);
      const child = spawnSync(
        process.execPath,
        [bin, "neighbors", input, "-k", "10", "--method", method, "--seed", "3", "-o", out, "--quiet"],
        { encoding: "utf8" },
      );
      assert.equal(child.status, 0, child.stderr);
      return readNpy(out).data as Int32Array;
    };
    const exact = run("exact");
    const approx = run("nndescent");
    let hits = 0;
    for (let i = 0; i < rows; i++) {
      const want = new Set(exact.subarray(i * 10, i * 10 + 10));
      for (let j = 0; j < 10; j++) if (want.has(approx[i * 10 + j])) hits++;
    }
    assert.ok(hits / (rows * 10) >= 0.98, `recall ${hits / (rows * 10)}`);
    const reduced = join(dir, "reduced.npy");
    const reduce = spawnSync(
      process.execPath,
      [
        bin,
        "reduce",
        input,
        "-o",
        reduced,
        "--knn",
        "nndescent",
        "--layout-threads",
        "2",
        "--n-epochs",
        "50",
        "--quiet",
      ],
      { encoding: "utf8" },
    );
    assert.equal(reduce.status, 0, reduce.stderr);
    assert.deepEqual(readNpy(reduced).shape, [rows, 5]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
