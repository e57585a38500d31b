/** Worker thread body of the parallel UMAP layout: one contiguous range of edges, epoch by epoch. */
import { parentPort, workerData } from "node:worker_threads";
import { createEdgePass, runEdges } from "./optimize.js";
import type { WorkerSetup } from "./optimize-parallel.js";

const port = parentPort;
if (port === null) throw new Error("optimize-worker must run in a worker thread");
const setup = workerData as WorkerSetup;
const pass = createEdgePass(
  { ...setup.problem, headEmbedding: setup.head, tailEmbedding: setup.tail ?? setup.head },
  setup.lo,
  setup.hi,
);
let state = setup.sampleState;
port.on("message", (message: { epoch: number; alpha: number }) => {
  try {
    state = runEdges(pass, message.epoch, message.alpha, state);
    port.postMessage({});
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
port.postMessage({});
