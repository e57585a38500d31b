/** Worker thread body for the USE-lite onnx engine: one single-threaded onnxruntime session per worker. */
import { parentPort, workerData } from "node:worker_threads";
import { createUseLiteSession } from "./use-lite-onnx.js";
import { unpackTokens } from "./worker-pool.js";

const port = parentPort;
if (port === null) throw new Error("use-lite-onnx-worker must run in a worker thread");
const session = await createUseLiteSession((workerData as { threads?: number } | null)?.threads ?? 1);
port.on("message", async (message: { id: number; tokens: Int32Array; offsets: Int32Array }) => {
  try {
    const rows = await session.embedTokens(unpackTokens(message));
    port.postMessage({ id: message.id, rows }, [rows.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
port.postMessage({ ready: true });
