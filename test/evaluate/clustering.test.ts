import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  adjustedRandIndex,
  type ClusteringScores,
  clusteringScores,
  encodeLabels,
  normalizedMutualInfo,
  scoreTopicsAgainstLabels,
} from "../../src/evaluate/clustering.js";
import { topicDiversity } from "../../src/evaluate/diversity.js";

type Expected = Omit<ClusteringScores, "n">;
interface ClusteringFixture {
  cases: {
    name: string;
    labels: number[];
    predicted: number[];
    all: Expected;
    nonOutliers: Expected | null;
  }[];
}

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/evaluate/clustering.json", import.meta.url), "utf8"),
) as ClusteringFixture;

function assertScores(actual: ClusteringScores, expected: Expected, what: string): void {
  for (const key of ["nmi", "ari", "homogeneity", "completeness", "vMeasure"] as const) {
    assert.ok(
      Math.abs(actual[key] - expected[key]) <= 1e-9,
      `${what} ${key}: ${actual[key]} vs ${expected[key]}`,
    );
  }
}

test("scores equal scikit-learn's on the fixture cases (all documents and non-outliers)", () => {
  assert.ok(fixture.cases.length >= 6);
  for (const c of fixture.cases) {
    const scores = scoreTopicsAgainstLabels(c.labels, Int32Array.from(c.predicted));
    assertScores(scores.all, c.all, `${c.name} (all)`);
    assert.equal(scores.all.n, c.labels.length);
    if (c.nonOutliers === null) assert.equal(scores.nonOutliers, null);
    else assertScores(scores.nonOutliers!, c.nonOutliers, `${c.name} (non-outliers)`);
    assert.equal(scores.outliers, c.predicted.filter((p) => p === -1).length);
  }
});

test("hand cases: perfect clustering, a single cluster, independent labellings", () => {
  const truth = [0, 0, 0, 1, 1, 2, 2, 2, 2];
  const renamed = [5, 5, 5, 9, 9, 1, 1, 1, 1];
  // Floating point leaves perfect NMI a few ulps below 1 (scikit-learn's too).
  assert.ok(Math.abs(normalizedMutualInfo(truth, renamed) - 1) < 1e-12);
  assert.equal(adjustedRandIndex(truth, renamed), 1);
  const one = clusteringScores(truth, new Array(truth.length).fill(0));
  assert.equal(one.nmi, 0);
  assert.equal(one.completeness, 1);
  assert.equal(one.homogeneity, 0);
  assert.equal(normalizedMutualInfo([1, 1, 1], [2, 2, 2]), 1);
  // Cross product of two labellings: every class spread evenly over every cluster → MI = 0.
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 5; j++)
      for (let r = 0; r < 20; r++) {
        a.push(i);
        b.push(j);
      }
  assert.equal(normalizedMutualInfo(a, b), 0);
  assert.ok(Math.abs(adjustedRandIndex(a, b)) < 0.02);
  // 2×2 by hand: truth [0,0,1,1], pred [0,1,1,1]: MI = ¾·log(4/3)+… — compare with direct formula.
  const mi =
    0.25 * Math.log(0.25 / (0.5 * 0.25)) +
    0.25 * Math.log(0.25 / (0.5 * 0.75)) +
    0.5 * Math.log(0.5 / (0.5 * 0.75));
  const hTrue = Math.log(2);
  const hPred = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
  assert.ok(Math.abs(normalizedMutualInfo([0, 0, 1, 1], [0, 1, 1, 1]) - mi / ((hTrue + hPred) / 2)) < 1e-12);
  assert.throws(() => clusteringScores([0, 1], [0]), /differ in length/);
});

test("labels encode in order of appearance; missing ones are counted", () => {
  const { codes, classes, missing } = encodeLabels(["b", "a", undefined, "b", "", null]);
  assert.deepEqual([...codes], [0, 1, -1, 0, -1, -1]);
  assert.deepEqual(classes, ["b", "a"]);
  assert.equal(missing, 3);
});

test("topic diversity as OCTIS: unique words / (n × topics)", () => {
  assert.equal(
    topicDiversity(
      [
        ["a", "b"],
        ["c", "d"],
      ],
      2,
    ),
    1,
  );
  assert.equal(
    topicDiversity(
      [
        ["a", "b"],
        ["a", "b"],
      ],
      2,
    ),
    0.5,
  );
  assert.equal(
    topicDiversity(
      [
        ["a", "b", "c"],
        ["a", "d", "e"],
      ],
      3,
    ),
    5 / 6,
  );
  // Only the top n count; short lists still count as n.
  assert.equal(topicDiversity([["a", "b", "x"], ["c"]], 2), 3 / 4);
  assert.ok(Number.isNaN(topicDiversity([], 10)));
});
