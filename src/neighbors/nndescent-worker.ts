/** Worker thread body of NN-descent: runs tree and join tasks (nndescent-core.ts) on the shared rows. */
import { parentPort, workerData } from "node:worker_threads";
import { type JoinCandidates, joinUpdates, treeUpdates } from "./nndescent-core.js";
import type { PreparedRows } from "./prepare.js";
import { type SimdRows, simdKernel } from "./simd.js";
import type { NeighborMetric } from "./types.js";

export interface NnDescentWorkerSetup {
  /** The rows (shared memory), unless the WebAssembly kernel's memory holds them. */
  data: Float32Array;
  rows: number;
  dim: number;
  metric: NeighborMetric;
  seed: number;
  leafSize: number;
  /** The kernel's rows and this worker's scratch slot in them (simd.ts). */
  simd?: { rows: SimdRows; slot: number };
}

type Task = { kind: "tree"; tree: number } | { kind: "join"; from: number; to: number };

const port = parentPort;
if (port === null) throw new Error("nndescent-worker must run in a worker thread");
const setup = workerData as NnDescentWorkerSetup;
const kernel = setup.simd ? simdKernel(setup.simd.rows, setup.simd.slot) : undefined;
const rows: PreparedRows = {
  metric: setup.metric,
  data: setup.data,
  rows: setup.rows,
  dim: setup.dim,
  sqNorms: new Float32Array(0),
  zeroRows: [],
};
port.on(
  "message",
  (message: { id: number; task: Task; candidates?: JoinCandidates; thresholds: Float32Array }) => {
    try {
      const { task } = message;
      const updates =
        task.kind === "tree"
          ? treeUpdates(rows, setup.seed, task.tree, setup.leafSize, message.thresholds, kernel)
          : joinUpdates(
              rows,
              message.candidates as JoinCandidates,
              message.thresholds,
              task.from,
              task.to,
              kernel,
            );
      port.postMessage({ id: message.id, updates }, [
        updates.p.buffer as ArrayBuffer,
        updates.q.buffer as ArrayBuffer,
        updates.d.buffer as ArrayBuffer,
      ]);
    } catch (error) {
      port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
    }
  },
);
