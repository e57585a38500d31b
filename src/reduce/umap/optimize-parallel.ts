/**
 * UMAP's layout on several threads, as umap-learn runs it without a seed (numba `parallel=True`):
 * the edges are split into contiguous ranges, one per worker, and every worker moves the shared
 * coordinates (a SharedArrayBuffer) without locks ("Hogwild"). Epochs are kept in step: each worker
 * finishes epoch n before any starts n + 1, as the learning rate is per epoch.
 *
 * Not deterministic: which worker's write lands first changes from run to run, so the layout differs
 * between runs (as umap-learn's unseeded layout does). The default stays the sequential, seeded,
 * bit-reproducible layout (optimize.ts); this one is chosen explicitly (`layoutThreads`).
 */
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../../util/module-worker.js";
import type { Rng } from "../../util/rng.js";
import { inSharedMemory } from "../../util/shared-memory.js";
import { type LayoutProblem, optimizeLayout } from "./optimize.js";

/** Below this many edges a second thread costs more in start-up and barriers than it saves. */
const MIN_EDGES_PER_THREAD = 50000;

export interface WorkerSetup {
  problem: Omit<LayoutProblem, "headEmbedding" | "tailEmbedding">;
  /** Shared coordinates: head rows, and tail rows when they differ (transform). */
  head: Float64Array;
  tail: Float64Array | null;
  lo: number;
  hi: number;
  sampleState: number;
}

function workerModule(): URL {
  return new URL(`./optimize-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);
}

/**
 * Lays out `problem` on `threads` workers (falls back to the sequential layout for one thread or few
 * edges) and writes the result into problem.headEmbedding.
 */
export async function optimizeLayoutParallel(
  problem: LayoutProblem,
  rng: Rng,
  threads: number,
  onEpoch?: (epoch: number, total: number) => void,
): Promise<void> {
  const edges = problem.head.length;
  const workersWanted = Math.min(Math.floor(threads), Math.floor(edges / MIN_EDGES_PER_THREAD));
  if (workersWanted < 2) {
    optimizeLayout(problem, rng, onEpoch);
    return;
  }
  const same = problem.headEmbedding === problem.tailEmbedding;
  const head = inSharedMemory(problem.headEmbedding);
  const tail = same ? null : inSharedMemory(problem.tailEmbedding);
  const { headEmbedding: _h, tailEmbedding: _t, ...rest } = problem;
  const workers: Worker[] = [];
  const ready: Promise<void>[] = [];
  for (let w = 0; w < workersWanted; w++) {
    const setup: WorkerSetup = {
      problem: rest,
      head,
      tail,
      lo: Math.floor((w * edges) / workersWanted),
      hi: Math.floor(((w + 1) * edges) / workersWanted),
      sampleState: (rng.next() * 4294967296) >>> 0 || 0x9e3779b9 + w,
    };
    const worker = startModuleWorker(workerModule(), setup);
    workers.push(worker);
    ready.push(waitFor(worker));
  }
  try {
    await Promise.all(ready);
    const initialAlpha = problem.initialAlpha ?? 1;
    let alpha = initialAlpha;
    for (let n = 0; n < problem.nEpochs; n++) {
      const done = workers.map((worker) => waitFor(worker));
      for (const worker of workers) worker.postMessage({ epoch: n, alpha });
      await Promise.all(done);
      alpha = initialAlpha * (1 - n / problem.nEpochs);
      onEpoch?.(n + 1, problem.nEpochs);
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  if (head !== problem.headEmbedding) problem.headEmbedding.set(head);
  if (tail !== null && tail !== problem.tailEmbedding) problem.tailEmbedding.set(tail);
}

/** The worker's next message (ready, or an epoch done); its error or early exit rejects. */
function waitFor(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { error?: string }) => {
      cleanup();
      if (message.error !== undefined) reject(new Error(`UMAP layout worker: ${message.error}`));
      else resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`UMAP layout worker exited with code ${code}`));
    };
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
  });
}
