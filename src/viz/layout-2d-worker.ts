/** Worker thread body of startDocumentsMapLayout (data.ts): the map's layout at the lowest priority. */
import { parentPort, workerData } from "node:worker_threads";
import { selectRows } from "../types.js";
import { lowerThreadPriority } from "../util/priority.js";
import { documentsMapLayout, type MapLayoutJob } from "./layout-2d.js";

lowerThreadPriority();
const { embeddings, ...input } = workerData as MapLayoutJob;
const layout = await documentsMapLayout({ ...input, embeddingRows: (rows) => selectRows(embeddings, rows) });
parentPort?.postMessage(layout?.data, layout ? [layout.data.buffer as ArrayBuffer] : []);
