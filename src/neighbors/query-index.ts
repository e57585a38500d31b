/**
 * An index of fixed rows for many kNN queries of new points: the rows' own kNN graph (the one `knn`
 * computes, so a UMAP fitted on the rows gets the very graph of its fit) searched from a random
 * projection tree's leaf (graph-search.ts). Built once, queried in any number of batches.
 */
import type { Worker } from "node:worker_threads";
import type { Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import { siblingModule, startModuleWorker } from "../util/module-worker.js";
import { inSharedMemory } from "../util/shared-memory.js";
import type { BlockResult } from "./exact.js";
import { buildGraphIndex, type GraphIndexArrays, searchGraphIndex } from "./graph-search.js";
import type { GraphSearchSetup } from "./graph-search-worker.js";
import { assertFinite, type PreparedRows, prepareRows } from "./prepare.js";
import type { KnnOptions, KnnResult, NeighborMetric } from "./types.js";

export interface QueryIndexOptions {
  metric?: NeighborMetric;
  seed?: number;
  /** Neighbours per row in the search graph (default 15). */
  graphK?: number;
  /** How the graph is computed (`knn`'s method, threads and backend). */
  neighbors?: Pick<KnnOptions, "method" | "hnswThreshold" | "backend" | "threads">;
  /** Start-tree leaf size (default 16). */
  leafSize?: number;
  /** Start trees (default 8: recall@15 0.998 on the synthetic corpus, where 1 tree gave 0.82). */
  trees?: number;
  /** How far past the k-th distance a walk expands (default 0: measured on 384-d rows, 0.1 cost 2.5× the time for no recall). */
  epsilon?: number;
}

export class QueryIndex {
  private constructor(
    private readonly rows: PreparedRows,
    private arrays: GraphIndexArrays,
    /** Columns of the matrix the index was built from (queries must have as many). */
    private readonly cols: number,
    private readonly epsilon: number,
  ) {}

  /** The index over `base` given its kNN graph (`knn(base, k)`; neighbors/index.ts buildQueryIndex computes it). */
  static fromGraph(
    base: Matrix,
    graph: Pick<KnnResult, "indices" | "k">,
    options: Omit<QueryIndexOptions, "graphK" | "neighbors"> = {},
  ): QueryIndex {
    const metric = options.metric ?? "cosine";
    assertFinite(base, "indexed rows");
    const rows = prepareRows(base, metric);
    const arrays = buildGraphIndex(rows, graph, {
      seed: options.seed ?? 42,
      leafSize: options.leafSize ?? 16,
      trees: options.trees ?? 8,
    });
    return new QueryIndex(rows, arrays, base.cols, options.epsilon ?? 0);
  }

  get size(): number {
    return this.rows.rows;
  }

  /** The k nearest indexed rows of each query row, nearest first (approximate). */
  query(queries: Matrix, k: number): KnnResult {
    const prepared = this.prepareQueries(queries, k);
    const result: BlockResult = searchGraphIndex(this.rows, this.arrays, prepared, k, this.epsilon);
    return { ...result, k };
  }

  /**
   * `query` with the first part of the queries searched on a worker thread meanwhile (from
   * PARALLEL_MIN_QUERIES queries, when `threads` ≥ 2). Each query's answer depends on nothing else,
   * so the result is `query`'s, bit for bit, on any number of threads. The index moves to shared
   * memory on first use (a copy of its arrays, once).
   */
  async queryParallel(queries: Matrix, k: number, threads: number): Promise<KnnResult> {
    if (threads < 2 || queries.rows < PARALLEL_MIN_QUERIES) return this.query(queries, k);
    const prepared = this.prepareQueries(queries, k);
    this.arrays = sharedArrays(this.arrays);
    const shared = { ...prepared, data: inSharedMemory(prepared.data) };
    const split = Math.floor(queries.rows / 2);
    const out: BlockResult = {
      indices: new Int32Array(queries.rows * k),
      distances: new Float32Array(queries.rows * k),
    };
    const indexed = { rows: this.rows.rows, dim: this.rows.dim, metric: this.rows.metric };
    let worker: Worker | undefined;
    let theirs: Promise<BlockResult | undefined>;
    try {
      worker = startModuleWorker(siblingModule("graph-search-worker", import.meta.url), {
        indexed,
        index: this.arrays,
        queries: shared,
        k,
        epsilon: this.epsilon,
        from: 0,
        to: split,
      } satisfies GraphSearchSetup);
      const started = worker;
      theirs = new Promise((resolve) => {
        started.once("message", (message: BlockResult | { error: string }) =>
          resolve("error" in message ? undefined : message),
        );
        started.once("error", () => resolve(undefined));
        started.once("exit", () => resolve(undefined));
      });
    } catch {
      theirs = Promise.resolve(undefined);
    }
    const mine = searchGraphIndex(indexed, this.arrays, shared, k, this.epsilon, split, queries.rows);
    out.indices.set(mine.indices, split * k);
    out.distances.set(mine.distances, split * k);
    // a worker that could not start or failed leaves its part to this thread
    const first = (await theirs) ?? searchGraphIndex(indexed, this.arrays, shared, k, this.epsilon, 0, split);
    await worker?.terminate();
    out.indices.set(first.indices, 0);
    out.distances.set(first.distances, 0);
    return { ...out, k };
  }

  private prepareQueries(queries: Matrix, k: number): PreparedRows {
    if (queries.cols !== this.cols) {
      throw new UserError(`queries have ${queries.cols} dimensions but the indexed rows have ${this.cols}`);
    }
    if (!Number.isInteger(k) || k < 1 || k > this.rows.rows) {
      throw new UserError(`k must be an integer in 1..${this.rows.rows}, got ${k}`);
    }
    assertFinite(queries, "queries");
    return prepareRows(queries, this.rows.metric, this.rows.dim !== this.cols);
  }
}

/**
 * Queries below which a second thread is not worth starting (its start-up is ~0.1 s from dist/, more
 * under tsx; a query costs ~0.15 ms at 384 dimensions).
 */
const PARALLEL_MIN_QUERIES = 4000;

/** The index's arrays in shared memory (the same values; unchanged when they already are). */
function sharedArrays(arrays: GraphIndexArrays): GraphIndexArrays {
  return {
    ...(arrays.simd ? { simd: arrays.simd } : {}),
    data: inSharedMemory(arrays.data),
    indptr: inSharedMemory(arrays.indptr),
    edges: inSharedMemory(arrays.edges),
    order: inSharedMemory(arrays.order),
    trees: arrays.trees.map((tree) => ({
      normals: inSharedMemory(tree.normals),
      offsets: inSharedMemory(tree.offsets),
      left: inSharedMemory(tree.left),
      right: inSharedMemory(tree.right),
      start: inSharedMemory(tree.start),
      end: inSharedMemory(tree.end),
      members: inSharedMemory(tree.members),
    })),
  };
}
