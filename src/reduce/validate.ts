/** Input checks shared by the reducers. */
import type { Matrix } from "../types.js";
import { UserError } from "../util/errors.js";

/** Throws a UserError naming the first row with a NaN or infinite value (and how many such rows). */
export function assertFiniteRows(data: Matrix, what = "embeddings"): void {
  const { rows, cols } = data;
  let first = -1;
  let count = 0;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      if (!Number.isFinite(data.data[base + j])) {
        if (first < 0) first = i;
        count++;
        break;
      }
    }
  }
  if (first >= 0) {
    const more = count > 1 ? ` (and ${count - 1} more row${count > 2 ? "s" : ""})` : "";
    throw new UserError(
      `${what}: row ${first} contains NaN or infinite values${more}; fix or drop those rows before reducing`,
    );
  }
}
