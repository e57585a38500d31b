/** The messages between the chart render queue (render-pool.ts) and its worker (render-worker.ts). */
import type { TopLevelSpec } from "vega-lite";

/** A batch's claim slots: free, taken by the worker, taken by the calling thread. */
export const UNCLAIMED = 0;
export const CLAIMED_BY_WORKER = 1;
export const CLAIMED_BY_CALLER = 2;

export interface RenderBatch {
  batch: number;
  /** One slot per chart, over a SharedArrayBuffer. */
  claims: Int32Array;
  /** `pngScale`: PNG pixels per SVG pixel; absent = no PNG. */
  charts: { spec: TopLevelSpec; pngScale?: number }[];
}

export type RenderReply =
  | { batch: number; index: number; svg: string; png?: Uint8Array }
  | { batch: number; index: number; error: string };
