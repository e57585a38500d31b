/**
 * Worker thread body of the chart renderer (render-pool.ts): Vega-Lite spec → SVG (→ PNG), for each
 * chart of a batch that this thread claims before the calling thread does.
 */
import { parentPort } from "node:worker_threads";
import { renderSvg, svgToPng } from "./render.js";
import { CLAIMED_BY_WORKER, type RenderBatch, type RenderReply, UNCLAIMED } from "./render-batch.js";

const port = parentPort;
if (port === null) throw new Error("render-worker must run in a worker thread");
port.on("message", async ({ batch, claims, charts }: RenderBatch) => {
  for (let index = 0; index < charts.length; index++) {
    if (Atomics.compareExchange(claims, index, UNCLAIMED, CLAIMED_BY_WORKER) !== UNCLAIMED) continue;
    try {
      const svg = await renderSvg(charts[index].spec);
      const scale = charts[index].pngScale;
      const png = scale === undefined ? undefined : svgToPng(svg, scale);
      port.postMessage({ batch, index, svg, png } satisfies RenderReply);
    } catch (error) {
      port.postMessage({ batch, index, error: error instanceof Error ? error.message : String(error) });
    }
  }
});
