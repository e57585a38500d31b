/** Worker thread body of `QueryIndex.queryParallel`: searches one range of queries in the shared index. */
import { parentPort, workerData } from "node:worker_threads";
import { type GraphIndexArrays, searchGraphIndex } from "./graph-search.js";
import type { PreparedRows } from "./prepare.js";

export interface GraphSearchSetup {
  indexed: Pick<PreparedRows, "rows" | "dim" | "metric">;
  index: GraphIndexArrays;
  queries: PreparedRows;
  k: number;
  epsilon: number;
  from: number;
  to: number;
}

const port = parentPort;
if (port === null) throw new Error("graph-search-worker must run in a worker thread");
try {
  const { indexed, index, queries, k, epsilon, from, to } = workerData as GraphSearchSetup;
  // scratch slot 1: the caller's thread searches with slot 0 meanwhile
  const result = searchGraphIndex(indexed, index, queries, k, epsilon, from, to, undefined, 1);
  port.postMessage(result, [result.indices.buffer as ArrayBuffer, result.distances.buffer as ArrayBuffer]);
} catch (error) {
  port.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
