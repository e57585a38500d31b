/**
 * NN-descent (Dong, Moses & Li 2011) as pynndescent runs it for umap-learn: a forest of random
 * projection trees gives every row candidate neighbours from its leaves, then rounds of "local
 * joins" (a neighbour of my neighbour is likely my neighbour) refine the k-nearest-neighbour heaps
 * until fewer than delta·n·k entries change. Candidates are sampled by random priority, at most
 * `maxCandidates` new and old ones per row and round.
 *
 * Parallel the way pynndescent's threaded version is: the trees and fixed blocks of rows are tasks
 * that only read the heaps (a snapshot of each row's worst distance) and return candidate updates
 * (nndescent-core.ts); the main thread applies them in task order. Each tree has its own seeded
 * stream and the blocks do not depend on the thread count, so the same seed gives the same graph
 * whatever `threads` is (tested).
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { ProgressCallback } from "../types.js";
import { siblingModule, startModuleWorker } from "../util/module-worker.js";
import { createRng, UNIT_32, xorshift32 } from "../util/rng.js";
import { inSharedMemory } from "../util/shared-memory.js";
import type { BlockResult } from "./exact.js";
import {
  type JoinCandidates,
  joinUpdates,
  makeDistance,
  type PackedUpdates,
  treeUpdates,
} from "./nndescent-core.js";
import type { NnDescentWorkerSetup } from "./nndescent-worker.js";
import type { PreparedRows } from "./prepare.js";
import { type SimdKernel, type SimdRows, simdKernel, simdRows } from "./simd.js";

export interface NnDescentParams {
  seed: number;
  trees?: number;
  iterations?: number;
  leafSize?: number;
  maxCandidates?: number;
  delta?: number;
  /** Worker threads (default: min(2, cores)); 0 or 1 computes on the calling thread. Same graph either way. */
  threads?: number;
}

/** Rows per join task: fixed, so that the graph does not depend on the number of threads. */
const JOIN_BLOCK = 4096;
/**
 * Below this many rows worker start-up costs more than it saves (20 Newsgroups' 18,846 × 512 in the
 * WebAssembly kernel: 1.9 s on this thread, 1.4 s on two workers, the same graph).
 */
const MIN_ROWS_FOR_WORKERS = 10000;

/**
 * n fixed-size max-heaps (largest distance at the root) of neighbour ids, distances and "new" flags.
 */
class NeighborHeaps {
  readonly ids: Int32Array;
  readonly dist: Float32Array;
  readonly flags: Uint8Array;
  constructor(
    readonly n: number,
    readonly size: number,
  ) {
    this.ids = new Int32Array(n * size).fill(-1);
    this.dist = new Float32Array(n * size).fill(Number.POSITIVE_INFINITY);
    this.flags = new Uint8Array(n * size);
  }

  top(row: number): number {
    return this.dist[row * this.size];
  }

  /** Pushes (d, id) into row's heap unless it is no better than the worst or already there. */
  push(row: number, d: number, id: number, flag: number): number {
    const size = this.size;
    const base = row * size;
    const { ids, dist, flags } = this;
    if (d >= dist[base]) return 0;
    for (let i = 0; i < size; i++) if (ids[base + i] === id) return 0;
    // replace the root and sift down
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      const r = l + 1;
      let swap = c;
      let swapDist = d;
      if (l < size && dist[base + l] > swapDist) {
        swap = l;
        swapDist = dist[base + l];
      }
      if (r < size && dist[base + r] > swapDist) swap = r;
      if (swap === c) break;
      dist[base + c] = dist[base + swap];
      ids[base + c] = ids[base + swap];
      flags[base + c] = flags[base + swap];
      c = swap;
    }
    dist[base + c] = d;
    ids[base + c] = id;
    flags[base + c] = flag;
    return 1;
  }
}

/** Random-priority sampling of forward and reverse neighbours: up to `max` ids per row, smallest priorities. */
class CandidateLists {
  readonly ids: Int32Array;
  readonly prio: Float32Array;
  readonly count: Int32Array;
  constructor(
    n: number,
    readonly max: number,
    shared: boolean,
  ) {
    this.ids = new Int32Array(allocate(n * max * 4, shared));
    this.prio = new Float32Array(n * max);
    this.count = new Int32Array(allocate(n * 4, shared));
  }
  reset(): void {
    this.count.fill(0);
  }
  add(row: number, id: number, priority: number): void {
    const max = this.max;
    const base = row * max;
    const count = this.count[row];
    const { ids, prio } = this;
    for (let i = 0; i < count; i++) if (ids[base + i] === id) return;
    if (count < max) {
      ids[base + count] = id;
      prio[base + count] = priority;
      this.count[row] = count + 1;
      return;
    }
    let worst = 0;
    for (let i = 1; i < max; i++) if (prio[base + i] > prio[base + worst]) worst = i;
    if (priority >= prio[base + worst]) return;
    ids[base + worst] = id;
    prio[base + worst] = priority;
  }
}

function allocate(bytes: number, shared: boolean): ArrayBufferLike {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

export function defaultNnDescentParams(
  n: number,
  k: number,
): Required<Omit<NnDescentParams, "seed" | "threads">> {
  return {
    // pynndescent: min(64, 5 + round(n^¼)) trees; 8 reach the same recall here (docs/reduce.md) once
    // the joins have run, and the trees were two thirds of the time
    trees: Math.min(8, 5 + Math.round(n ** 0.25)),
    iterations: Math.max(5, Math.round(Math.log2(n))),
    leafSize: Math.max(10, k),
    maxCandidates: Math.min(60, k),
    delta: 0.001,
  };
}

type Task = { kind: "tree"; tree: number } | { kind: "join"; from: number; to: number };

/** Runs tasks inline or on worker threads; results come back in task order either way. */
interface Executor {
  run(
    tasks: Task[],
    candidates: JoinCandidates | undefined,
    thresholds: Float32Array,
  ): Promise<PackedUpdates[]>;
  close(): Promise<void>;
}

function inlineExecutor(
  rows: PreparedRows,
  seed: number,
  leafSize: number,
  kernel: SimdKernel | undefined,
): Executor {
  return {
    async run(tasks, candidates, thresholds) {
      return tasks.map((task) =>
        task.kind === "tree"
          ? treeUpdates(rows, seed, task.tree, leafSize, thresholds, kernel)
          : joinUpdates(rows, candidates as JoinCandidates, thresholds, task.from, task.to, kernel),
      );
    },
    close: async () => {},
  };
}

async function workerExecutor(
  rows: PreparedRows,
  seed: number,
  leafSize: number,
  threads: number,
  simd: SimdRows | undefined,
): Promise<Executor> {
  const workers: Worker[] = [];
  for (let w = 0; w < threads; w++) {
    const setup: NnDescentWorkerSetup = {
      // with the kernel the rows live in its memory: the workers need no copy of their own
      data: simd ? new Float32Array(0) : rows.data,
      rows: rows.rows,
      dim: rows.dim,
      metric: rows.metric,
      seed,
      leafSize,
      ...(simd ? { simd: { rows: simd, slot: w + 1 } } : {}),
    };
    workers.push(startModuleWorker(siblingModule("nndescent-worker", import.meta.url), setup));
  }
  return {
    run(tasks, candidates, thresholds) {
      return new Promise((resolve, reject) => {
        const results: PackedUpdates[] = new Array(tasks.length);
        let next = 0;
        let done = 0;
        const cleanups: (() => void)[] = [];
        const finish = (error?: unknown) => {
          for (const cleanup of cleanups) cleanup();
          if (error) reject(error instanceof Error ? error : new Error(String(error)));
          else resolve(results);
        };
        const feed = (worker: Worker) => {
          if (next >= tasks.length) return;
          const id = next++;
          worker.postMessage({ id, task: tasks[id], candidates, thresholds });
        };
        for (const worker of workers) {
          const onMessage = (message: { id: number; updates?: PackedUpdates; error?: string }) => {
            if (message.error !== undefined) return finish(new Error(message.error));
            results[message.id] = message.updates as PackedUpdates;
            done++;
            if (done === tasks.length) finish();
            else feed(worker);
          };
          const onError = (error: Error) => finish(error);
          worker.on("message", onMessage);
          worker.on("error", onError);
          cleanups.push(() => {
            worker.off("message", onMessage);
            worker.off("error", onError);
          });
          feed(worker);
        }
        if (tasks.length === 0) finish();
      });
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

/** Rows in a SharedArrayBuffer, so the workers read the caller's copy instead of one each. */
function sharedRows(rows: PreparedRows): PreparedRows {
  const data = inSharedMemory(rows.data);
  return data === rows.data ? rows : { ...rows, data };
}

/**
 * The k nearest rows of every row. With the self convention of `knn`, row i comes first at distance
 * 0, followed by its k − 1 nearest other rows (the heaps hold k others, one more than needed, which
 * costs little and gives the joins more to work with).
 */
export async function nnDescentKnn(
  input: PreparedRows,
  k: number,
  params: NnDescentParams,
  onProgress?: ProgressCallback,
): Promise<BlockResult> {
  const n = input.rows;
  const defaults = defaultNnDescentParams(n, k);
  const trees = params.trees ?? defaults.trees;
  const iterations = params.iterations ?? defaults.iterations;
  const leafSize = params.leafSize ?? defaults.leafSize;
  const maxCandidates = params.maxCandidates ?? defaults.maxCandidates;
  const delta = params.delta ?? defaults.delta;
  const threads = Math.max(0, Math.floor(params.threads ?? Math.min(2, availableParallelism())));
  const parallel = threads > 1 && n >= MIN_ROWS_FOR_WORKERS;
  // one shared copy of the rows for the WebAssembly kernel (slot 0 this thread's, 1… the workers'),
  // else for the JavaScript distance when workers read them
  const simd = simdRows(input, 1 + (parallel ? threads : 0));
  const kernel = simd ? simdKernel(simd, 0) : undefined;
  const rows = parallel && !simd ? sharedRows(input) : input;
  const heapSize = Math.min(k, n - 1);
  const rng = createRng(params.seed);
  const distance = makeDistance(rows, kernel);
  const heaps = new NeighborHeaps(n, heapSize);
  const thresholds = new Float32Array(allocate(n * 4, parallel)).fill(Number.POSITIVE_INFINITY);
  const snapshot = () => {
    for (let i = 0; i < n; i++) thresholds[i] = heaps.top(i);
  };
  const total = 1 + iterations;
  const executor = parallel
    ? await workerExecutor(rows, params.seed, leafSize, threads, simd)
    : inlineExecutor(rows, params.seed, leafSize, kernel);
  try {
    let updates = 0;
    const apply = (batches: PackedUpdates[]) => {
      for (const { p, q, d } of batches) {
        for (let u = 0; u < p.length; u++) {
          const dist = d[u];
          if (dist < heaps.top(p[u])) updates += heaps.push(p[u], dist, q[u], 1);
          if (dist < heaps.top(q[u])) updates += heaps.push(q[u], dist, p[u], 1);
        }
      }
    };
    // trees: in groups of `threads`, each group against the heaps left by the previous one
    const group = Math.max(1, threads);
    for (let t = 0; t < trees; t += group) {
      snapshot();
      const tasks: Task[] = [];
      for (let tree = t; tree < Math.min(trees, t + group); tree++) tasks.push({ kind: "tree", tree });
      apply(await executor.run(tasks, undefined, thresholds));
    }
    onProgress?.(1, total);
    // rows the forest left short of neighbours (tiny leaves at the edges) get random ones
    for (let i = 0; i < n; i++) {
      let guard = 0;
      while (heaps.ids[i * heapSize] < 0 && guard++ < 4 * heapSize) {
        const j = rng.nextInt(n);
        if (j !== i) heaps.push(i, distance(i, j), j, 1);
      }
    }

    const fresh = new CandidateLists(n, maxCandidates, parallel);
    const old = new CandidateLists(n, maxCandidates, parallel);
    const candidates: JoinCandidates = {
      max: maxCandidates,
      freshIds: fresh.ids,
      freshCount: fresh.count,
      oldIds: old.ids,
      oldCount: old.count,
    };
    const joinTasks: Task[] = [];
    for (let from = 0; from < n; from += JOIN_BLOCK)
      joinTasks.push({ kind: "join", from, to: Math.min(n, from + JOIN_BLOCK) });
    // xorshift32 priorities: a closure call per draw in the sampling loop costs more than the join
    let state = (rng.next() * 4294967296) >>> 0 || 0x2545f491;
    const { ids, flags } = heaps;
    for (let it = 0; it < iterations; it++) {
      fresh.reset();
      old.reset();
      for (let i = 0; i < n; i++) {
        const base = i * heapSize;
        for (let s = 0; s < heapSize; s++) {
          const j = ids[base + s];
          if (j < 0) continue;
          state = xorshift32(state);
          const priority = state * UNIT_32;
          const target = flags[base + s] ? fresh : old;
          target.add(i, j, priority);
          target.add(j, i, priority);
        }
      }
      // sampled new entries become old: they are joined this round
      for (let i = 0; i < n; i++) {
        const base = i * heapSize;
        const cBase = i * maxCandidates;
        const count = fresh.count[i];
        for (let s = 0; s < heapSize; s++) {
          if (!flags[base + s]) continue;
          const j = ids[base + s];
          for (let c = 0; c < count; c++) {
            if (fresh.ids[cBase + c] === j) {
              flags[base + s] = 0;
              break;
            }
          }
        }
      }
      snapshot();
      updates = 0;
      apply(await executor.run(joinTasks, candidates, thresholds));
      onProgress?.(2 + it, total);
      if (updates <= delta * k * n) break;
    }
  } finally {
    await executor.close();
  }
  onProgress?.(total, total);
  return sortedResult(rows, heaps, k);
}

/** Heaps → rows of (self, nearest others…) sorted by distance, ties by lower index. */
function sortedResult(rows: PreparedRows, heaps: NeighborHeaps, k: number): BlockResult {
  const n = rows.rows;
  const size = heaps.size;
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  const order = Array.from({ length: size }, (_, i) => i);
  const euclidean = rows.metric === "euclidean";
  for (let i = 0; i < n; i++) {
    const base = i * size;
    order.sort(
      (a, b) => heaps.dist[base + a] - heaps.dist[base + b] || heaps.ids[base + a] - heaps.ids[base + b],
    );
    indices[i * k] = i;
    distances[i * k] = 0;
    for (let j = 1; j < k; j++) {
      const s = order[j - 1];
      indices[i * k + j] = heaps.ids[base + s];
      const d = heaps.dist[base + s];
      distances[i * k + j] = euclidean ? Math.sqrt(Math.max(0, d)) : Math.max(0, d);
    }
  }
  return { indices, distances };
}
