import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { trustworthiness } from "../../src/reduce/trustworthiness.js";
import { findAbParams } from "../../src/reduce/umap/curve.js";
import { fuzzySimplicialSet, smoothKnnDist } from "../../src/reduce/umap/fuzzy-set.js";
import { lanczosLargest, tridiagonalEigen } from "../../src/reduce/umap/spectral.js";
import { symmetricEigen } from "../../src/util/linalg.js";

interface Fixture {
  ab: Record<string, [number, number]>;
  knn: { n: number; k: number; indices: number[]; distances: number[] };
  sigmas: number[];
  rhos: number[];
  graph: { rows: number[]; cols: number[]; values: number[] };
  trust: { x: number[]; y: number[]; cols: number; k: number; value: number };
}
const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/reduce/umap-learn.json", import.meta.url), "utf8"),
) as Fixture;

test("a, b of the low-dimensional curve match umap-learn's find_ab_params", () => {
  for (const [minDist, [a, b]] of Object.entries(fixture.ab)) {
    const fit = findAbParams(1, Number(minDist));
    assert.ok(Math.abs(fit.a - a) < 1e-4 * a, `min_dist ${minDist}: a ${fit.a} vs ${a}`);
    assert.ok(Math.abs(fit.b - b) < 1e-4 * b, `min_dist ${minDist}: b ${fit.b} vs ${b}`);
  }
});

test("σ, ρ and the fuzzy simplicial set match umap-learn", () => {
  const { n, k } = fixture.knn;
  const indices = Int32Array.from(fixture.knn.indices);
  const distances = Float32Array.from(fixture.knn.distances);
  const { sigmas, rhos } = smoothKnnDist(distances, n, k);
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(sigmas[i] - fixture.sigmas[i]) < 1e-5 * Math.max(1, fixture.sigmas[i]), `sigma ${i}`);
    assert.ok(Math.abs(rhos[i] - fixture.rhos[i]) < 1e-6, `rho ${i}`);
  }
  const graph = fuzzySimplicialSet(indices, distances, n, k);
  const expected = new Map<string, number>();
  for (let p = 0; p < fixture.graph.rows.length; p++) {
    expected.set(`${fixture.graph.rows[p]},${fixture.graph.cols[p]}`, fixture.graph.values[p]);
  }
  assert.equal(graph.indices.length, expected.size);
  for (let i = 0; i < n; i++) {
    for (let p = graph.indptr[i]; p < graph.indptr[i + 1]; p++) {
      const want = expected.get(`${i},${graph.indices[p]}`);
      assert.ok(want !== undefined, `unexpected edge ${i}-${graph.indices[p]}`);
      assert.ok(
        Math.abs(graph.weights[p] - want) < 1e-5,
        `edge ${i}-${graph.indices[p]}: ${graph.weights[p]} vs ${want}`,
      );
    }
  }
});

test("trustworthiness equals sklearn.manifold.trustworthiness", () => {
  const { x, y, cols, k, value } = fixture.trust;
  const n = x.length / cols;
  const t = trustworthiness(
    { data: Float32Array.from(x), rows: n, cols },
    { data: Float32Array.from(y), rows: n, cols: 2 },
    k,
  );
  assert.ok(Math.abs(t - value) < 1e-9, `${t} vs ${value}`);
  // an embedding identical to the input is perfectly trustworthy
  const same = { data: Float32Array.from(x), rows: n, cols };
  assert.equal(trustworthiness(same, same, k), 1);
});

test("tridiagonal QL and Lanczos agree with dense Jacobi", () => {
  const diagonal = Float64Array.from([4, 1, -2, 3, 0.5]);
  const off = Float64Array.from([1, 0.5, 2, -1]);
  const dense = new Float64Array(25);
  for (let i = 0; i < 5; i++) dense[i * 5 + i] = diagonal[i];
  for (let i = 0; i < 4; i++) {
    dense[i * 5 + i + 1] = off[i];
    dense[(i + 1) * 5 + i] = off[i];
  }
  const ql = Array.from(tridiagonalEigen(diagonal, off).values).sort((a, b) => a - b);
  const jacobi = Array.from(symmetricEigen(dense, 5).values).sort((a, b) => a - b);
  ql.forEach((v, i) => {
    assert.ok(Math.abs(v - jacobi[i]) < 1e-10, `${v} vs ${jacobi[i]}`);
  });
  // rotating only the last eigenvector row (Lanczos' convergence test) gives that row bit for bit
  const full = tridiagonalEigen(diagonal, off);
  const lastOnly = tridiagonalEigen(diagonal, off, 4);
  assert.deepEqual(lastOnly.values, full.values);
  assert.deepEqual(lastOnly.vectors.subarray(20, 25), full.vectors.subarray(20, 25));
  // Lanczos on a 30×30 symmetric matrix: top 3 eigenvalues as Jacobi finds them
  const n = 30;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++)
      m[i * n + j] = m[j * n + i] = Math.sin(i * 7 + j * 3) + (i === j ? i / 5 : 0);
  const apply = (v: Float64Array, out: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += m[i * n + j] * v[j];
      out[i] = s;
    }
  };
  const top = lanczosLargest(apply, n, 3, 1e-10).values;
  const reference = Array.from(symmetricEigen(m, n).values).sort((a, b) => b - a);
  for (let t = 0; t < 3; t++)
    assert.ok(Math.abs(top[t] - reference[t]) < 1e-6, `${top[t]} vs ${reference[t]}`);
});
