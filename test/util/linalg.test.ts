import assert from "node:assert/strict";
import { test } from "node:test";
import { symmetricEigen } from "../../src/util/linalg.js";

test("symmetric eigen-decomposition of a hand-checkable 3×3 matrix", () => {
  // [[2,-1,0],[-1,2,-1],[0,-1,2]] has eigenvalues 2+√2, 2, 2−√2.
  const a = Float64Array.from([2, -1, 0, -1, 2, -1, 0, -1, 2]);
  const { values, vectors } = symmetricEigen(a, 3);
  const expected = [2 + Math.SQRT2, 2, 2 - Math.SQRT2];
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(values[i] - expected[i]) < 1e-12, `eigenvalue ${i}`);
  // A·v = λ·v for every column, and the columns are orthonormal.
  for (let c = 0; c < 3; c++) {
    for (let r = 0; r < 3; r++) {
      let av = 0;
      for (let k = 0; k < 3; k++) av += a[r * 3 + k] * vectors[k * 3 + c];
      assert.ok(Math.abs(av - values[c] * vectors[r * 3 + c]) < 1e-12, `A·v = λ·v at (${r}, ${c})`);
    }
    for (let d = 0; d < 3; d++) {
      let dot = 0;
      for (let k = 0; k < 3; k++) dot += vectors[k * 3 + c] * vectors[k * 3 + d];
      assert.ok(Math.abs(dot - (c === d ? 1 : 0)) < 1e-12, `orthonormal columns ${c}, ${d}`);
    }
  }
});
