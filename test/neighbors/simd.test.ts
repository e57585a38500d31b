import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import initWabt from "wabt";
import { distanceAt } from "../../src/neighbors/distance.js";
import { buildQueryIndex, knn } from "../../src/neighbors/index.js";
import { rpTreeLeaves } from "../../src/neighbors/nndescent-core.js";
import { prepareRows } from "../../src/neighbors/prepare.js";
import { SIMD_KERNEL_WASM, simdKernel, simdRows } from "../../src/neighbors/simd.js";
import { createRng } from "../../src/util/rng.js";
import { clustered } from "./helpers.js";

test("simd.ts holds simd-kernel.wat as wat2wasm compiles it", async () => {
  const wabt = await initWabt();
  const source = readFileSync(new URL("../../src/neighbors/simd-kernel.wat", import.meta.url), "utf8");
  const module = wabt.parseWat("simd-kernel.wat", source, { threads: true, simd: true });
  const { buffer } = module.toBinary({});
  assert.equal(Buffer.from(buffer).toString("base64"), SIMD_KERNEL_WASM);
});

test("the kernel's dot products and squared distances are distance.ts's (float32 sums), any dimension", () => {
  for (const dim of [1, 5, 16, 17, 384]) {
    const matrix = clustered(40, dim, dim);
    for (const metric of ["cosine", "euclidean"] as const) {
      const rows = prepareRows(matrix, metric);
      const simd = simdRows(rows, 2);
      assert.ok(simd, "WebAssembly SIMD is available in Node 20");
      assert.equal(simd.stride % 16, 0);
      const kernel = simdKernel(simd, 1);
      for (let a = 0; a < rows.rows; a += 3) {
        for (let b = 0; b < rows.rows; b += 7) {
          const expected = distanceAt(
            rows.data,
            a * rows.dim,
            rows.data,
            b * rows.dim,
            rows.dim,
            metric === "cosine",
          );
          const got = metric === "cosine" ? 1 - kernel.dot(a, b) : kernel.sqdist(a, b);
          assert.ok(
            Math.abs(got - expected) <= 1e-5 * Math.max(1, Math.abs(expected)),
            `${metric} ${dim}-d (${a}, ${b}): ${got} vs ${expected}`,
          );
        }
      }
      // the scratch row: this thread's hyperplane normal
      kernel.scratch.fill(0);
      kernel.scratch[0] = 2;
      assert.ok(Math.abs(kernel.dotScratch(3) - 2 * rows.data[3 * rows.dim]) < 1e-6);
    }
  }
});

test("threads share one copy of the rows: each slot has its own scratch row", () => {
  const rows = prepareRows(clustered(10, 8, 1), "cosine");
  const simd = simdRows(rows, 3)!;
  const a = simdKernel(simd, 1);
  const b = simdKernel(simd, 2);
  a.scratch.fill(0);
  b.scratch.fill(0);
  a.scratch[1] = 1;
  b.scratch[2] = 1;
  assert.ok(Math.abs(a.dotScratch(4) - rows.data[4 * 8 + 1]) < 1e-7);
  assert.ok(Math.abs(b.dotScratch(4) - rows.data[4 * 8 + 2]) < 1e-7);
  assert.throws(() => simdKernel(simd, 3), RangeError);
});

test("random projection trees with the kernel split the rows into leaves as the JavaScript ones do", () => {
  const rows = prepareRows(clustered(500, 24, 3), "cosine");
  const kernel = simdKernel(simdRows(rows, 1)!, 0);
  const js = rpTreeLeaves(rows, createRng(7), 16);
  const wasm = rpTreeLeaves(rows, createRng(7), 16, kernel);
  // a margin within float rounding of 0 may fall on the other side: nearly every row shares its leaf
  const leafOf = (tree: { order: Int32Array; bounds: number[] }) => {
    const leaf = new Int32Array(rows.rows);
    for (let b = 0; b < tree.bounds.length; b += 2)
      for (let i = tree.bounds[b]; i < tree.bounds[b + 1]; i++) leaf[tree.order[i]] = b;
    return leaf;
  };
  const a = leafOf(js);
  const b = leafOf(wasm);
  let same = 0;
  for (let i = 0; i < rows.rows; i++) if (a[i] === b[i]) same++;
  assert.ok(same >= 0.98 * rows.rows, `${same} of ${rows.rows} rows in the same leaf`);
});

test("without the kernel (TOPICSCOPE_NO_SIMD=1) NN-descent and the query index find the same neighbours", async () => {
  const matrix = clustered(12000, 24, 5, { clusters: 30 });
  const queries = clustered(300, 24, 6, { clusters: 30 });
  const run = async () => {
    const graph = await knn(matrix, 10, { method: "nndescent", seed: 4, threads: 2 });
    const index = await buildQueryIndex(matrix, { seed: 4, graphK: 10 });
    return { graph, found: index.query(queries, 10) };
  };
  const simd = await run();
  process.env.TOPICSCOPE_NO_SIMD = "1";
  let js: Awaited<ReturnType<typeof run>>;
  try {
    assert.equal(simdRows(prepareRows(matrix, "cosine"), 1), undefined);
    js = await run();
  } finally {
    delete process.env.TOPICSCOPE_NO_SIMD;
  }
  const agreement = (a: Int32Array, b: Int32Array, k: number) => {
    let same = 0;
    for (let i = 0; i < a.length; i += k) {
      const set = new Set(a.subarray(i, i + k));
      for (let j = i; j < i + k; j++) if (set.has(b[j])) same++;
    }
    return same / a.length;
  };
  // float32 and float64 sums round apart, so a near tie may go either way; nothing else differs
  assert.ok(agreement(simd.graph.indices, js.graph.indices, 10) > 0.99);
  assert.ok(agreement(simd.found.indices, js.found.indices, 10) > 0.99);
});
