/** Worker thread body of the blocked UMAP layout (optimize-blocks.ts): claims blocks phase by phase. */
import { workerData } from "node:worker_threads";
import { type BlockedLayoutState, serveBlocks } from "./optimize-blocks.js";

serveBlocks(workerData as BlockedLayoutState);
