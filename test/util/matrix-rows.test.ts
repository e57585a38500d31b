import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { selectRows } from "../../src/types.js";

describe("selectRows", () => {
  it("copies the given rows in the given order: runs, repeats, reversals and none", () => {
    const matrix = { data: Float32Array.from({ length: 7 * 3 }, (_, i) => i), rows: 7, cols: 3 };
    for (const rows of [[0, 1, 2, 3, 4, 5, 6], [1, 2, 3, 5, 6], [6, 5, 4], [2, 2, 3, 0], [4], []]) {
      const picked = selectRows(matrix, rows);
      assert.equal(picked.rows, rows.length);
      assert.equal(picked.cols, 3);
      assert.deepEqual(
        [...picked.data],
        rows.flatMap((r) => [3 * r, 3 * r + 1, 3 * r + 2]),
      );
      assert.notEqual(picked.data.buffer, matrix.data.buffer);
    }
  });
});
