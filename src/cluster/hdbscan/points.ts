/**
 * The points HDBSCAN works on: validated, in float64 (as the Python and R references compute), and
 * for cosine already L2-normalised so that every later phase only needs euclidean or manhattan.
 *
 * Why cosine becomes euclidean: on unit vectors, cosine distance = ‖a − b‖² / 2, a monotone function of
 * the euclidean distance. Core distances, mutual reachability and the minimum spanning tree commute with
 * a monotone map, so we build them in euclidean space (where the k-d tree works) and map every distance
 * through d²/2 before the single-linkage tree. The resulting tree is the cosine one.
 */
import type { Matrix } from "../../types.js";
import { UserError } from "../../util/errors.js";

export type HdbscanMetric = "euclidean" | "cosine" | "manhattan";

/** The metric the spatial phases compute; cosine runs as euclidean on normalised rows. */
export type BaseMetric = "euclidean" | "manhattan";

export interface PointSet {
  data: Float64Array;
  rows: number;
  cols: number;
  metric: HdbscanMetric;
  base: BaseMetric;
}

/** Throws a UserError naming `source` and the row when the matrix is empty or holds NaN/Infinity. */
export function checkMatrix(points: Matrix, source: string): void {
  if (points.rows === 0 || points.cols === 0) {
    throw new UserError(
      `${source}: the matrix is empty (${points.rows} × ${points.cols}); nothing to cluster`,
    );
  }
  const { data, cols } = points;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / cols);
      throw new UserError(
        `${source}: row ${row} has a non-finite value (${data[i]}) in column ${i - row * cols}; remove or fix that row`,
      );
    }
  }
}

export function preparePoints(points: Matrix, metric: HdbscanMetric, what = "points"): PointSet {
  const { rows, cols } = points;
  if (points.data.length !== rows * cols) {
    throw new UserError(`${what}: matrix has ${points.data.length} values, expected ${rows} × ${cols}`);
  }
  if (rows === 0 || cols === 0) {
    throw new UserError(`${what}: the matrix is empty (${rows} × ${cols}); nothing to cluster`);
  }
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let norm = 0;
    for (let j = 0; j < cols; j++) {
      const v = points.data[i * cols + j];
      if (!Number.isFinite(v)) {
        throw new UserError(
          `${what}: row ${i} has a non-finite value (${v}) in column ${j}; remove or fix that row`,
        );
      }
      data[i * cols + j] = v;
      norm += v * v;
    }
    if (metric === "cosine") {
      if (norm === 0) {
        throw new UserError(
          `${what}: row ${i} is all zeros, so its cosine distance is undefined; drop empty rows or use --metric euclidean`,
        );
      }
      const scale = 1 / Math.sqrt(norm);
      for (let j = 0; j < cols; j++) data[i * cols + j] *= scale;
    }
  }
  return { data, rows, cols, metric, base: metric === "manhattan" ? "manhattan" : "euclidean" };
}

/** Distance in the base metric between row i of `a` and row j of `b` (same column count). */
export function baseDistance(
  a: Float64Array,
  i: number,
  b: Float64Array,
  j: number,
  cols: number,
  base: BaseMetric,
): number {
  let s = 0;
  const oi = i * cols;
  const oj = j * cols;
  if (base === "euclidean") {
    for (let k = 0; k < cols; k++) {
      const t = a[oi + k] - b[oj + k];
      s += t * t;
    }
    return Math.sqrt(s);
  }
  for (let k = 0; k < cols; k++) s += Math.abs(a[oi + k] - b[oj + k]);
  return s;
}

/** Maps a base-metric distance to the user's metric (identity except cosine: d²/2). */
export function toUserDistance(metric: HdbscanMetric, d: number): number {
  return metric === "cosine" ? (d * d) / 2 : d;
}
