/** Worker thread body of the chart renderer (render-pool.ts): Vega-Lite spec → SVG (→ PNG). */
import { parentPort } from "node:worker_threads";
import type { TopLevelSpec } from "vega-lite";
import { renderSvg, svgToPng } from "./render.js";

export interface RenderRequest {
  id: number;
  spec: TopLevelSpec;
  /** PNG pixels per SVG pixel; absent = no PNG. */
  pngScale?: number;
}

export type RenderReply = { id: number; svg: string; png?: Uint8Array } | { id: number; error: string };

const port = parentPort;
if (port === null) throw new Error("render-worker must run in a worker thread");
port.on("message", async (request: RenderRequest) => {
  try {
    const svg = await renderSvg(request.spec);
    const png = request.pngScale === undefined ? undefined : svgToPng(svg, request.pngScale);
    port.postMessage({ id: request.id, svg, png } satisfies RenderReply);
  } catch (error) {
    port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
