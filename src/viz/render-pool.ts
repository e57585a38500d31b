/**
 * Renders charts (SVG, optionally PNG) on a worker thread and the calling thread together, so that
 * a fit's outputs use both cores: the worker draws static charts while the main thread lays out the
 * documents map and writes report.html and the CSVs, then the main thread takes whatever charts are
 * still queued (docs/charts.md has the 20 Newsgroups numbers). Jobs are taken from one queue by
 * whichever thread is free; where no worker can be started, or it fails, the calling thread renders
 * everything. The files are the same either way.
 */
import type { Worker } from "node:worker_threads";
import type { TopLevelSpec } from "vega-lite";
import { defaultThreads } from "../onnx/runtime.js";
import { startModuleWorker } from "../util/module-worker.js";
import { renderSvg, svgToPng } from "./render.js";
import type { RenderReply, RenderRequest } from "./render-worker.js";

export interface RenderedChart {
  svg: string;
  png?: Uint8Array;
}

interface Job {
  spec: TopLevelSpec;
  pngScale?: number;
  resolve: (chart: RenderedChart) => void;
  reject: (error: Error) => void;
}

async function renderInline(spec: TopLevelSpec, pngScale?: number): Promise<RenderedChart> {
  const svg = await renderSvg(spec);
  return { svg, png: pngScale === undefined ? undefined : svgToPng(svg, pngScale) };
}

function workerModule(): URL {
  return new URL(`./render-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);
}

export class RenderQueue {
  private readonly queue: Job[] = [];
  private worker: Worker | undefined;
  /** The job the worker is drawing, if any. */
  private inWorker: Job | undefined;
  private inWorkerDone: Promise<void> = Promise.resolve();
  private settleInWorker: () => void = () => {};

  /**
   * `threads` 0: the calling thread only; 1: one worker thread besides it; default: 1 when a second
   * core is idle apart from this process (the onnxruntime sessions' policy: on a busy machine the
   * worker's start-up, about a quarter CPU second for loading Vega, only adds work).
   * `module` replaces the worker's script (tests).
   */
  constructor(threads = defaultThreads() >= 2 ? 1 : 0, module: URL = workerModule()) {
    if (threads < 1) return;
    try {
      const worker = startModuleWorker(module);
      worker.on("message", (reply: RenderReply) => this.onReply(reply));
      worker.on("error", () => this.dropWorker());
      worker.on("exit", () => this.dropWorker());
      this.worker = worker;
    } catch {
      this.worker = undefined;
    }
  }

  /** Queues a chart; the promise settles when some thread has drawn it. */
  render(spec: TopLevelSpec, pngScale?: number): Promise<RenderedChart> {
    return new Promise((resolve, reject) => {
      this.queue.push({ spec, pngScale, resolve, reject });
      this.feedWorker();
    });
  }

  /** Draws queued charts on the calling thread until none is left, then waits for the worker's. */
  async drain(): Promise<void> {
    for (;;) {
      const job = this.queue.shift();
      if (job) {
        await renderInline(job.spec, job.pngScale).then(job.resolve, job.reject);
        continue;
      }
      if (!this.inWorker) return;
      // a worker that dies hands its job back to the queue before this settles
      await this.inWorkerDone;
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await this.drain();
    if (worker) await worker.terminate();
  }

  private feedWorker(): void {
    if (!this.worker || this.inWorker) return;
    const job = this.queue.shift();
    if (!job) return;
    this.inWorker = job;
    this.inWorkerDone = new Promise((settle) => {
      this.settleInWorker = settle;
    });
    const request: RenderRequest = { id: 0, spec: job.spec, pngScale: job.pngScale };
    this.worker.postMessage(request);
  }

  private onReply(reply: RenderReply): void {
    const job = this.inWorker;
    if (!job) return;
    this.inWorker = undefined;
    if ("error" in reply) job.reject(new Error(reply.error));
    else job.resolve({ svg: reply.svg, png: reply.png });
    this.settleInWorker();
    this.feedWorker();
  }

  /** The worker failed or exited: its job goes back to the queue for the calling thread. */
  private dropWorker(): void {
    this.worker = undefined;
    const job = this.inWorker;
    this.inWorker = undefined;
    if (job) this.queue.unshift(job);
    this.settleInWorker();
  }
}
