/**
 * Which neighbour search is cheaper for n rows of dimension d. The model has two terms per method,
 * fitted to CPU seconds measured here (synthetic rows, 100,000 × 32 and × 384; docs/reduce.md):
 *   exact       n²/2 pairs × (a·d + c): one GEMM multiply-add per dimension, plus TopK and the
 *               candidate merge per pair — at low d the per-pair term dominates
 *   NN-descent  n·log2(n) × (A·d + B): distances per row grow with log n; B is the heap and
 *               candidate bookkeeping that does not shrink with d
 * so the crossover is not a number of rows. NN-descent's distances run in WebAssembly SIMD (simd.ts):
 * refitted on 100,000 × 32, 20,000 × 384 / 512 and 50,000 × 384 (one thread), its A fell 6.6× and B
 * 1.5×, and the crossover moved from about 22,000 rows at d = 384 to about 5,000.
 */

const EXACT_PER_PAIR_DIM = 2.26e-11;
const EXACT_PER_PAIR = 1.66e-8;
const NND_PER_ROW_LOG_DIM = 5.9e-9;
const NND_PER_ROW_LOG = 2.73e-6;
/** Below this many rows exact search takes well under a second: never worth an approximation. */
const MIN_APPROXIMATE_ROWS = 5000;

/** Estimated CPU seconds of a kNN self-join on this machine's kind. */
export function estimatedSeconds(method: "exact" | "nndescent", rows: number, dim: number): number {
  if (method === "exact") return ((rows * rows) / 2) * (EXACT_PER_PAIR_DIM * dim + EXACT_PER_PAIR);
  return rows * Math.log2(Math.max(2, rows)) * (NND_PER_ROW_LOG_DIM * dim + NND_PER_ROW_LOG);
}

/** True when NN-descent is estimated cheaper than exact search. */
export function preferApproximate(rows: number, dim: number): boolean {
  if (rows < MIN_APPROXIMATE_ROWS) return false;
  return estimatedSeconds("nndescent", rows, dim) < estimatedSeconds("exact", rows, dim);
}

/** Exact query search on onnxruntime, CPU seconds per (query, indexed row) pair and dimension (384-d: 1.2e-8 s a pair). */
const EXACT_QUERY_PER_PAIR_DIM = 3.1e-11;
/** A graph search (graph-search.ts), CPU seconds per query and dimension (384-d: ~77 µs a query in the WebAssembly kernel, 50,000 indexed rows). */
const GRAPH_QUERY_PER_DIM = 2e-7;
/** Building the search graph and start tree beyond the kNN graph, CPU seconds per indexed row and dimension. */
const GRAPH_BUILD_PER_ROW_DIM = 5e-8;

/**
 * True when `queries` new points (in this call and the ones to come) are cheaper to search through a
 * query index of `rows` indexed rows (its kNN graph included, unless `graphBuilt`) than exactly.
 * Measured here on 50,000 × 384 synthetic rows (docs/scale.md).
 */
export function preferGraphQuery(queries: number, rows: number, dim: number, graphBuilt = false): boolean {
  if (rows < MIN_APPROXIMATE_ROWS) return false;
  const exact = queries * rows * EXACT_QUERY_PER_PAIR_DIM * dim;
  const build = graphBuilt
    ? 0
    : estimatedSeconds(preferApproximate(rows, dim) ? "nndescent" : "exact", rows, dim) +
      rows * GRAPH_BUILD_PER_ROW_DIM * dim;
  return build + queries * GRAPH_QUERY_PER_DIM * dim < exact;
}
