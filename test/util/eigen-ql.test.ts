import assert from "node:assert/strict";
import { test } from "node:test";
import { symmetricEigenQl } from "../../src/util/eigen-ql.js";
import { symmetricEigen } from "../../src/util/linalg.js";
import { createRng } from "../../src/util/rng.js";

test("QL eigen-decomposition: the hand-checkable 3×3 matrix (2+√2, 2, 2−√2)", () => {
  const a = Float64Array.from([2, -1, 0, -1, 2, -1, 0, -1, 2]);
  const { values } = symmetricEigenQl(a, 3);
  const expected = [2 + Math.SQRT2, 2, 2 - Math.SQRT2];
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(values[i] - expected[i]) < 1e-12, `eigenvalue ${i}`);
});

test("QL eigen-decomposition agrees with Jacobi on a random 40×40 covariance, A·v = λ·v, orthonormal", () => {
  const n = 40;
  const rng = createRng(3);
  const x = Float64Array.from({ length: 60 * n }, () => rng.nextGaussian());
  const a = new Float64Array(n * n);
  for (let r = 0; r < 60; r++)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] += x[r * n + i] * x[r * n + j];
  const ql = symmetricEigenQl(a, n);
  const jacobi = symmetricEigen(a, n);
  for (let i = 0; i < n; i++)
    assert.ok(Math.abs(ql.values[i] - jacobi.values[i]) < 1e-8 * ql.values[0], `λ${i}`);
  for (let c = 0; c < n; c++) {
    let err = 0;
    for (let r = 0; r < n; r++) {
      let av = 0;
      for (let k = 0; k < n; k++) av += a[r * n + k] * ql.vectors[k * n + c];
      err = Math.max(err, Math.abs(av - ql.values[c] * ql.vectors[r * n + c]));
    }
    assert.ok(err < 1e-9 * ql.values[0], `A·v = λ·v for column ${c} (error ${err})`);
    for (let d = c; d < n; d++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += ql.vectors[k * n + c] * ql.vectors[k * n + d];
      assert.ok(Math.abs(dot - (c === d ? 1 : 0)) < 1e-10, `orthonormal ${c}, ${d}`);
    }
  }
});
