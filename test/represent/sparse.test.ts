import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { csrFromRows } from "../../src/represent/sparse.js";
import { createRng } from "../../src/util/rng.js";

/** The definition: each row's (column, value) pairs sorted by column, ties in their given order. */
function reference(rowColumns: Int32Array[], rowValues: Float64Array[]) {
  const indices: number[] = [];
  const data: number[] = [];
  const indptr = [0];
  rowColumns.forEach((columns, r) => {
    const order = [...columns.keys()].sort((a, b) => columns[a] - columns[b] || a - b);
    for (const k of order) {
      indices.push(columns[k]);
      data.push(rowValues[r][k]);
    }
    indptr.push(indices.length);
  });
  return { indptr, indices, data };
}

describe("csrFromRows", () => {
  it("sorts a small hand-made matrix, empty rows and repeated columns included", () => {
    const m = csrFromRows(
      [Int32Array.of(2, 0), Int32Array.of(), Int32Array.of(1, 1, 0)],
      [Float64Array.of(5, 7), Float64Array.of(), Float64Array.of(1, 2, 3)],
      3,
    );
    assert.deepEqual([...m.indptr], [0, 2, 2, 5]);
    assert.deepEqual([...m.indices], [0, 2, 0, 1, 1]);
    assert.deepEqual([...m.data], [7, 5, 3, 1, 2]);
  });

  it("gives the definition's result by counting (dense columns) and by sorting (sparse ones)", () => {
    const rng = createRng(7);
    for (const cols of [50, 100_000]) {
      const rowColumns: Int32Array[] = [];
      const rowValues: Float64Array[] = [];
      for (let r = 0; r < 40; r++) {
        const n = Math.floor(rng.next() * 60);
        rowColumns.push(Int32Array.from({ length: n }, () => Math.floor(rng.next() * cols)));
        rowValues.push(Float64Array.from({ length: n }, () => rng.next()));
      }
      const m = csrFromRows(rowColumns, rowValues, cols);
      const want = reference(rowColumns, rowValues);
      assert.deepEqual([...m.indptr], want.indptr);
      assert.deepEqual([...m.indices], want.indices);
      assert.deepEqual([...m.data], want.data);
      assert.equal(m.cols, cols);
    }
  });
});
