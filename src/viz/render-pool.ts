/**
 * Renders charts (SVG, optionally PNG) on a worker thread and the calling thread together, so that
 * a fit's outputs use both cores: the worker draws static charts while the main thread lays out the
 * documents map and writes report.html and the CSVs, then the main thread takes whatever charts are
 * still left (docs/charts.md has the 20 Newsgroups numbers). Where no worker can be started, or it
 * fails, the calling thread renders everything. The files are the same either way.
 *
 * Queued charts go to the worker in batches, each with a shared array of claims: the worker takes a
 * batch's charts from the front, the calling thread (when it drains) from the back, and a chart is
 * drawn by whichever claims it first (Atomics). The worker therefore never waits for the calling
 * thread to hand it the next chart — which it would, one reply at a time, while that thread is busy
 * laying out the documents map (measured: the worker drew one chart of seven in a 20NG fit).
 */
import type { Worker } from "node:worker_threads";
import type { TopLevelSpec } from "vega-lite";
import { defaultThreads } from "../onnx/runtime.js";
import { siblingModule, startModuleWorker } from "../util/module-worker.js";
import { renderSvg, svgToPng } from "./render.js";
import {
  CLAIMED_BY_CALLER,
  CLAIMED_BY_WORKER,
  type RenderBatch,
  type RenderReply,
  UNCLAIMED,
} from "./render-batch.js";

export interface RenderedChart {
  svg: string;
  png?: Uint8Array;
}

interface Job {
  spec: TopLevelSpec;
  pngScale?: number;
  resolve: (chart: RenderedChart) => void;
  reject: (error: Error) => void;
  settled: boolean;
}

interface Batch {
  jobs: Job[];
  /** Per job: UNCLAIMED, claimed by the worker, or CLAIMED_BY_CALLER (shared with the worker). */
  claims: Int32Array;
}

async function renderInline(job: Job): Promise<void> {
  try {
    const svg = await renderSvg(job.spec);
    settle(job, { svg, png: job.pngScale === undefined ? undefined : svgToPng(svg, job.pngScale) });
  } catch (error) {
    settle(job, error instanceof Error ? error : new Error(String(error)));
  }
}

function settle(job: Job, result: RenderedChart | Error): void {
  if (job.settled) return;
  job.settled = true;
  if (result instanceof Error) job.reject(result);
  else job.resolve(result);
}

export class RenderQueue {
  /** Charts not yet handed to the worker (all of them when there is none). */
  private pending: Job[] = [];
  private readonly batches = new Map<number, Batch>();
  private nextBatch = 0;
  private worker: Worker | undefined;
  private flushScheduled = false;
  /** Resolves when the worker replies or goes away (what a draining caller waits for). */
  private wake: () => void = () => {};

  /**
   * `threads` 0: the calling thread only; 1: one worker thread besides it; default: 1 when a second
   * core is idle apart from this process (the onnxruntime sessions' policy: on a busy machine the
   * worker's start-up, about a quarter CPU second for loading Vega, only adds work).
   * `module` replaces the worker's script (tests).
   */
  constructor(
    threads = defaultThreads() >= 2 ? 1 : 0,
    module: URL = siblingModule("render-worker", import.meta.url),
  ) {
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
      this.pending.push({ spec, pngScale, resolve, reject, settled: false });
      // charts queued in one go (a loop of render calls) travel as one batch
      if (this.worker && !this.flushScheduled) {
        this.flushScheduled = true;
        queueMicrotask(() => this.flush());
      }
    });
  }

  /** Draws the charts no thread has claimed on this one, then waits for the worker's. */
  async drain(): Promise<void> {
    this.flush();
    for (;;) {
      const job = this.pending.shift() ?? this.claimLast();
      if (job) {
        await renderInline(job);
        continue;
      }
      const unsettled = [...this.batches.values()].flatMap((b) => b.jobs.filter((j) => !j.settled));
      if (unsettled.length === 0) return;
      if (!this.worker) {
        // the worker died with these claimed: they are this thread's now
        for (const j of unsettled) await renderInline(j);
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  async close(): Promise<void> {
    await this.drain();
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  /** Charts of unfinished batches the worker has taken (so far). */
  claimedByWorker(): number {
    let n = 0;
    for (const batch of this.batches.values())
      for (let i = 0; i < batch.claims.length; i++)
        if (Atomics.load(batch.claims, i) === CLAIMED_BY_WORKER) n++;
    return n;
  }

  /** The last chart of any batch that the worker has not claimed, now claimed by this thread. */
  private claimLast(): Job | undefined {
    for (const batch of this.batches.values()) {
      for (let i = batch.jobs.length - 1; i >= 0; i--) {
        if (Atomics.compareExchange(batch.claims, i, UNCLAIMED, CLAIMED_BY_CALLER) === UNCLAIMED)
          return batch.jobs[i];
      }
    }
    return undefined;
  }

  /** Hands the charts queued so far to the worker now (else they leave with the next microtasks). */
  flush(): void {
    this.flushScheduled = false;
    if (!this.worker || this.pending.length === 0) return;
    const jobs = this.pending.splice(0);
    const claims = new Int32Array(new SharedArrayBuffer(4 * jobs.length));
    const batch = this.nextBatch++;
    this.batches.set(batch, { jobs, claims });
    const message: RenderBatch = {
      batch,
      claims,
      charts: jobs.map((j) => ({ spec: j.spec, pngScale: j.pngScale })),
    };
    this.worker.postMessage(message);
  }

  private onReply(reply: RenderReply): void {
    const batch = this.batches.get(reply.batch);
    const job = batch?.jobs[reply.index];
    if (!batch || !job) return;
    settle(job, "error" in reply ? new Error(reply.error) : { svg: reply.svg, png: reply.png });
    if (batch.jobs.every((j) => j.settled)) this.batches.delete(reply.batch);
    this.wake();
  }

  /** The worker failed or exited: the charts it claimed and had not sent are drawn here (drain). */
  private dropWorker(): void {
    this.worker = undefined;
    this.wake();
  }
}
