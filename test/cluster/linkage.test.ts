import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  cosineDistances,
  cutTree,
  type LinkageMethod,
  leavesUnder,
  linkage,
} from "../../src/cluster/linkage.js";

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "fixtures", "topics", "linkage.json"), "utf8"),
) as {
  vectors: number[][];
  average: number[][];
  ward: number[][];
  single: number[][];
  complete: number[][];
  agglomerative3: number[];
};

const vectors = {
  data: Float64Array.from(fixture.vectors.flat()),
  rows: fixture.vectors.length,
  cols: fixture.vectors[0].length,
};

describe("linkage (against scipy.cluster.hierarchy.linkage)", () => {
  for (const method of ["average", "ward", "single", "complete"] as LinkageMethod[]) {
    it(`${method} matches scipy row by row`, () => {
      const rows = linkage(cosineDistances(vectors), method);
      const expected = fixture[method];
      assert.equal(rows.length, expected.length);
      rows.forEach((row, i) => {
        assert.deepEqual(
          [row[0], row[1], row[3]],
          [expected[i][0], expected[i][1], expected[i][3]],
          `row ${i}`,
        );
        assert.ok(
          Math.abs(row[2] - expected[i][2]) < 1e-6,
          `row ${i} distance ${row[2]} vs ${expected[i][2]}`,
        );
      });
    });
  }

  it("cutting the average tree gives sklearn's AgglomerativeClustering(3) partition", () => {
    const labels = cutTree(linkage(cosineDistances(vectors), "average"), 6, 3);
    const partition = (l: ArrayLike<number>) => {
      const groups = new Map<number, number[]>();
      Array.from(l).forEach((g, i) => {
        groups.set(g, [...(groups.get(g) ?? []), i]);
      });
      return [...groups.values()].map((g) => g.join(",")).sort();
    };
    assert.deepEqual(partition(labels), partition(fixture.agglomerative3));
  });

  it("leavesUnder lists every item under the root", () => {
    const rows = linkage(cosineDistances(vectors), "ward");
    const leaves = leavesUnder(rows, 6);
    assert.deepEqual(leaves[leaves.length - 1], [0, 1, 2, 3, 4, 5]);
  });
});
