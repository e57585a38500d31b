/**
 * k-nearest neighbours on dense float32 rows, shared by UMAP, HDBSCAN, search and similar pairs.
 * `auto` runs exact search (blocked matrix products) while its estimated cost (cost.ts: rows² ×
 * dimension against NN-descent's rows × log rows × dimension) is the smaller, NN-descent beyond.
 */
import type { Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import { preferApproximate } from "./cost.js";
import { type BlockResult, exactKnnJs } from "./exact.js";
import { exactKnnOrt } from "./exact-ort.js";
import { DEFAULT_HNSW, DEFAULT_HNSW_EF, HnswIndex, hnswKnn } from "./hnsw.js";
import { nnDescentKnn } from "./nndescent.js";
import { assertFinite, type PreparedRows, prepareRows } from "./prepare.js";
import { QueryIndex, type QueryIndexOptions } from "./query-index.js";
import type { KnnOptions, KnnResult, NeighborMethod } from "./types.js";

export { estimatedSeconds, preferApproximate, preferGraphQuery } from "./cost.js";
export { TopK } from "./exact.js";
export { type TopScores, topScoresOrt } from "./exact-ort.js";
export { HnswIndex, hnswKnn } from "./hnsw.js";
export { nnDescentKnn } from "./nndescent.js";
export { QueryIndex, type QueryIndexOptions } from "./query-index.js";

/** An index of `base` for many queries of new points: its kNN graph (as `knn` computes it) searched from a tree. */
export async function buildQueryIndex(base: Matrix, options: QueryIndexOptions = {}): Promise<QueryIndex> {
  const graphK = Math.min(options.graphK ?? 15, base.rows);
  const graph = await knn(base, graphK, { metric: options.metric, seed: options.seed, ...options.neighbors });
  return QueryIndex.fromGraph(base, graph, options);
}
export { type PreparedRows, prepareRows } from "./prepare.js";
export {
  KNN_METHODS,
  type KnnOptions,
  type KnnResult,
  NEIGHBOR_METRICS,
  type NeighborMethod,
  type NeighborMetric,
} from "./types.js";

/**
 * The rows-only rule: `knnQuery`'s auto (exact below, HNSW from there), and `knn`'s auto when a caller
 * sets `hnswThreshold`; without it `knn`'s auto decides by estimated cost.
 */
export const DEFAULT_HNSW_THRESHOLD = 150000;

function checkK(k: number, rows: number, self: boolean): void {
  if (!Number.isInteger(k) || k < 1) throw new UserError(`k must be an integer ≥ 1, got ${k}`);
  if (k > rows) {
    throw new UserError(
      `${k} neighbours need at least ${k} ${self ? "rows (each row counts as its own first neighbour)" : "indexed rows"}, got ${rows}; lower k`,
    );
  }
}

function warnZeroRows(rows: number[], options: KnnOptions, what: string): void {
  if (rows.length === 0 || !options.logger) return;
  const shown = rows.slice(0, 5).join(", ") + (rows.length > 5 ? ", …" : "");
  options.logger.warn(
    `${what}: ${rows.length} all-zero row${rows.length > 1 ? "s" : ""} (${shown}) under cosine: they are at distance 0 from each other and 1 from every other row`,
  );
}

/**
 * k nearest neighbours of every row among the rows themselves; row i is its own first neighbour
 * (distance 0), followed by the k − 1 nearest other rows, nearest first, ties by lower index.
 */
export async function knn(matrix: Matrix, k: number, options: KnnOptions = {}): Promise<KnnResult> {
  const metric = options.metric ?? "cosine";
  assertFinite(matrix, "embeddings");
  checkK(k, matrix.rows, true);
  const prepared = prepareRows(matrix, metric);
  if (metric === "cosine") warnZeroRows(prepared.zeroRows, options, "embeddings");
  return search(prepared, prepared, k, true, options);
}

export type ResolvedMethod = Exclude<NeighborMethod, "auto">;

/**
 * Which search `knn` runs for n rows of dimension `dim` under these options: the one named, else
 * (auto) exact search while it is estimated cheaper than NN-descent (cost.ts), NN-descent beyond.
 */
export function chooseMethod(rows: number, options: KnnOptions = {}, dim = 384): ResolvedMethod {
  const method = options.method ?? "auto";
  if (method !== "auto") return method;
  if (options.hnswThreshold !== undefined) return rows >= options.hnswThreshold ? "hnsw" : "exact";
  return preferApproximate(rows, dim) ? "nndescent" : "exact";
}

function progressHalf(options: KnnOptions, half: 0 | 1): ((done: number, total: number) => void) | undefined {
  const progress = options.onProgress;
  if (!progress) return undefined;
  return (done, total) => progress(half * total + done, 2 * total);
}

function buildHnsw(prepared: PreparedRows, options: KnnOptions): HnswIndex {
  const index = new HnswIndex(prepared, {
    m: options.hnswM ?? DEFAULT_HNSW.m,
    efConstruction: options.hnswEfConstruction ?? DEFAULT_HNSW.efConstruction,
    seed: options.seed ?? DEFAULT_HNSW.seed,
  });
  index.build(progressHalf(options, 0));
  return index;
}

let ortFailure: string | undefined;

/** Exact search on onnxruntime when it loads, else on the typed-array kernel (with a warning). */
async function exactSearch(
  base: PreparedRows,
  queries: PreparedRows,
  k: number,
  self: boolean,
  options: KnnOptions,
): Promise<BlockResult> {
  if (options.backend !== "js" && ortFailure === undefined) {
    try {
      return await exactKnnOrt(base, queries, k, self, {
        threads: options.threads,
        onProgress: options.onProgress,
      });
    } catch (error) {
      if (options.backend === "ort") throw error;
      ortFailure = error instanceof Error ? error.message : String(error);
      options.logger?.warn(
        `onnxruntime unavailable (${ortFailure}); exact neighbours fall back to the slower JavaScript kernel`,
      );
    }
  }
  return exactKnnJs(base, queries, k, self, options.onProgress);
}

/** k nearest indexed rows for each query row (no self convention: queries are new points). */
export async function knnQuery(
  base: Matrix,
  queries: Matrix,
  k: number,
  options: KnnOptions = {},
): Promise<KnnResult> {
  const metric = options.metric ?? "cosine";
  if (queries.cols !== base.cols) {
    throw new UserError(`queries have ${queries.cols} dimensions but the indexed rows have ${base.cols}`);
  }
  assertFinite(queries, "queries");
  checkK(k, base.rows, false);
  const preparedBase = prepareRows(base, metric);
  const preparedQueries = prepareRows(queries, metric, preparedBase.dim !== base.cols);
  if (metric === "cosine") warnZeroRows(preparedQueries.zeroRows, options, "queries");
  return search(preparedBase, preparedQueries, k, false, options);
}

/**
 * Queries of new points against indexed rows: the cost model of the self-join does not apply (exact
 * costs queries × rows, an index must first be built), so auto keeps the rows rule: exact below
 * DEFAULT_HNSW_THRESHOLD indexed rows, HNSW from there.
 */
function chooseQueryMethod(rows: number, options: KnnOptions): ResolvedMethod {
  const method = options.method ?? "auto";
  if (method !== "auto") return method;
  return rows >= (options.hnswThreshold ?? DEFAULT_HNSW_THRESHOLD) ? "hnsw" : "exact";
}

/** The k nearest `base` rows of each query row, by the method chosen for the base. */
async function search(
  base: PreparedRows,
  queries: PreparedRows,
  k: number,
  self: boolean,
  options: KnnOptions,
): Promise<KnnResult> {
  const method = self ? chooseMethod(base.rows, options, base.dim) : chooseQueryMethod(base.rows, options);
  if (method === "nndescent" && !self) {
    // new points: a search of the indexed rows' own NN-descent graph (query-index.ts)
    const rows = { data: base.data, rows: base.rows, cols: base.dim };
    const index = await buildQueryIndex(rows, {
      metric: base.metric,
      seed: options.seed,
      graphK: Math.min(15, base.rows),
      neighbors: { method: "nndescent", threads: options.threads },
    });
    return index.query({ data: queries.data, rows: queries.rows, cols: queries.dim }, k);
  }
  if (method === "nndescent") {
    const { indices, distances } = await nnDescentKnn(
      base,
      k,
      { seed: options.seed ?? DEFAULT_HNSW.seed, threads: options.threads },
      options.onProgress,
    );
    return { indices, distances, k };
  }
  if (method === "hnsw") {
    const index = buildHnsw(base, options);
    const { indices, distances } = hnswKnn(
      index,
      queries,
      k,
      self,
      Math.max(options.hnswEf ?? DEFAULT_HNSW_EF, k),
      progressHalf(options, 1),
    );
    return { indices, distances, k };
  }
  const { indices, distances } = await exactSearch(base, queries, k, self, options);
  return { indices, distances, k };
}
