/** Worker thread body for the USE-lite pool: one model instance, one batch at a time. */
import { parentPort } from "node:worker_threads";
import { loadUseLiteModel } from "./use-lite-model.js";
import { unpackTokens } from "./worker-pool.js";

const port = parentPort;
if (port === null) throw new Error("use-lite-worker must run in a worker thread");
const model = await loadUseLiteModel();
port.on("message", async (message: { id: number; tokens: Int32Array; offsets: Int32Array }) => {
  try {
    const raw = await model.embedTokens(unpackTokens(message));
    // transfer only a buffer the rows own whole
    const rows = raw.byteOffset === 0 && raw.buffer.byteLength === raw.byteLength ? raw : raw.slice();
    port.postMessage({ id: message.id, rows }, [rows.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
port.postMessage({ ready: true });
