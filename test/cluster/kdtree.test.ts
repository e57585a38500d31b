/** The k-d tree against brute force: k nearest neighbours, radius queries, identical points. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KdTree } from "../../src/neighbors/kdtree.js";
import { createRng } from "../../src/util/rng.js";

function randomPoints(n: number, d: number, seed: number, grid = 0): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * d }, () =>
    grid > 0 ? Math.round(rng.next() * grid) : rng.nextGaussian(),
  );
}

function bruteDistances(
  data: Float64Array,
  d: number,
  q: number,
  metric: "euclidean" | "manhattan",
): number[] {
  const n = data.length / d;
  const out: number[] = [];
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let c = 0; c < d; c++) {
      const t = data[q * d + c] - data[j * d + c];
      s += metric === "euclidean" ? t * t : Math.abs(t);
    }
    out.push(metric === "euclidean" ? Math.sqrt(s) : s);
  }
  return out;
}

describe("KdTree", () => {
  for (const metric of ["euclidean", "manhattan"] as const) {
    for (const grid of [0, 4]) {
      it(`k nearest and radius match brute force (${metric}${grid ? ", many ties" : ""})`, () => {
        const n = 700;
        const d = 3;
        const data = randomPoints(n, d, 5 + grid, grid);
        const tree = new KdTree(data, n, d, metric, 8);
        const k = 7;
        const kth = tree.kthNeighbourDistances(k);
        const all = tree.knnAll(k);
        const outD = new Float64Array(k);
        const outI = new Int32Array(k);
        for (let q = 0; q < n; q += 7) {
          const brute = bruteDistances(data, d, q, metric);
          const sorted = [...brute].sort((a, b) => a - b);
          assert.ok(Math.abs(kth[q] - sorted[k - 1]) < 1e-12, `kth of ${q}`);
          tree.query(data, q * d, k, outD, outI);
          for (let i = 0; i < k; i++) {
            assert.ok(Math.abs(outD[i] - sorted[i]) < 1e-12, `neighbour ${i} of ${q}`);
            assert.ok(Math.abs(brute[outI[i]] - outD[i]) < 1e-12, "index matches its distance");
          }
          const p = Array.from(tree.index).indexOf(q);
          assert.ok(Math.abs(all.distances[p * k + k - 1] - sorted[k - 1]) < 1e-12);
          const r = sorted[12];
          const found = tree.radius(data, q * d, r, []).sort((a, b) => a - b);
          const expected = brute.flatMap((x, j) => (x < r ? [j] : []));
          assert.deepEqual(found, expected);
        }
      });
    }
  }

  it("keeps identical points in one leaf and answers with k of them", () => {
    const n = 5000;
    const data = new Float64Array(n * 2).fill(1);
    const tree = new KdTree(data, n, 2);
    assert.equal(tree.nodeCount, 1);
    assert.equal(tree.zeroSpread[0], 1);
    const kth = tree.kthNeighbourDistances(10);
    assert.ok(kth.every((x) => x === 0));
  });
});
