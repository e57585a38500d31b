import assert from "node:assert/strict";
import type { Matrix } from "../../src/types.js";

export function matrixFromRows(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows[0]?.length ?? 0;
  const data = new Float32Array(rows.length * cols);
  rows.forEach((row, i) => {
    data.set(row, i * cols);
  });
  return { data, rows: rows.length, cols };
}

export function matrix1d(values: readonly number[]): Matrix {
  return matrixFromRows(values.map((v) => [v]));
}

/**
 * Asserts two labelings are the same partition with noise in the same places, returning the map from
 * `expected` labels to `actual` labels. `noise` is the expected side's noise label (−1, or 0 for R).
 */
export function assertSamePartition(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  noise = -1,
): Map<number, number> {
  assert.equal(actual.length, expected.length);
  const forward = new Map<number, number>();
  const backward = new Map<number, number>();
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === noise) {
      assert.equal(a, -1, `point ${i}: expected noise, got label ${a}`);
      continue;
    }
    assert.notEqual(a, -1, `point ${i}: expected a cluster (${e}), got noise`);
    if (!forward.has(e)) forward.set(e, a);
    if (!backward.has(a)) backward.set(a, e);
    assert.equal(forward.get(e), a, `point ${i}: expected cluster ${e} maps to ${forward.get(e)}, got ${a}`);
    assert.equal(
      backward.get(a),
      e,
      `point ${i}: label ${a} already stands for ${backward.get(a)}, got ${e}`,
    );
  }
  return forward;
}

export function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected}, got ${actual}`);
}
