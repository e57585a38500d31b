/**
 * A small pool of worker threads, each holding its own model instance: TF.js's wasm backend runs
 * single-threaded in Node (it disables its threaded build there) and onnxruntime-node runs a session
 * synchronously on its calling thread, so using both cores means two models in two threads. Work
 * items are handed out as workers free up, longest batches first.
 *
 * Workers are `unref`ed while idle so a caller that forgets `close()` does not hang the process.
 */
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../util/module-worker.js";

export interface PoolRequest {
  tokens: Int32Array;
  offsets: Int32Array;
}

export interface PoolResponse {
  id: number;
  rows?: Float32Array;
  error?: string;
}

interface PendingTask {
  id: number;
  request: PoolRequest;
  resolve: (rows: Float32Array) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  busy?: PendingTask;
}

export class WorkerPool {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: PendingTask[] = [];
  private nextId = 0;
  private closed = false;
  private failure?: Error;

  private constructor() {}

  /** Starts `size` workers and waits until each reports `ready` (its model is loaded). */
  static async start(url: URL, size: number, workerData?: unknown): Promise<WorkerPool> {
    const pool = new WorkerPool();
    const ready: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const worker = startModuleWorker(url, workerData);
      const entry: PoolWorker = { worker };
      pool.workers.push(entry);
      ready.push(
        new Promise<void>((resolve, reject) => {
          const onReady = (message: { ready?: boolean }) => {
            if (message.ready) {
              worker.off("message", onReady);
              worker.on("message", (response: PoolResponse) => pool.finish(entry, response));
              worker.unref();
              resolve();
            }
          };
          worker.on("message", onReady);
          worker.once("error", reject);
        }),
      );
      worker.on("error", (error) => pool.fail(error));
      worker.on("exit", (code) => {
        if (!pool.closed) pool.fail(new Error(`embedding worker exited with code ${code}`));
      });
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  run(request: PoolRequest): Promise<Float32Array> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error("worker pool is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const entry of this.workers) {
      if (entry.busy !== undefined) continue;
      const task = this.queue.shift();
      if (task === undefined) return;
      entry.busy = task;
      entry.worker.ref();
      entry.worker.postMessage({ id: task.id, tokens: task.request.tokens, offsets: task.request.offsets }, [
        task.request.tokens.buffer as ArrayBuffer,
        task.request.offsets.buffer as ArrayBuffer,
      ]);
    }
  }

  private finish(entry: PoolWorker, response: PoolResponse): void {
    const task = entry.busy;
    entry.busy = undefined;
    entry.worker.unref();
    if (task === undefined || task.id !== response.id) return;
    if (response.error !== undefined || response.rows === undefined) {
      task.reject(new Error(response.error ?? "embedding worker returned nothing"));
    } else {
      task.resolve(response.rows);
    }
    this.dispatch();
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const entry of this.workers) {
      entry.busy?.reject(error);
      entry.busy = undefined;
    }
    for (const task of this.queue.splice(0)) task.reject(error);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((entry) => entry.worker.terminate()));
  }
}

/** Packs token sequences into one transferable buffer plus offsets (length n + 1). */
export function packTokens(sequences: readonly Int32Array[]): PoolRequest {
  const offsets = new Int32Array(sequences.length + 1);
  for (let i = 0; i < sequences.length; i++) offsets[i + 1] = offsets[i] + sequences[i].length;
  const tokens = new Int32Array(offsets[sequences.length]);
  sequences.forEach((s, i) => {
    tokens.set(s, offsets[i]);
  });
  return { tokens, offsets };
}

export function unpackTokens(request: PoolRequest): Int32Array[] {
  const out: Int32Array[] = [];
  for (let i = 0; i + 1 < request.offsets.length; i++) {
    out.push(request.tokens.subarray(request.offsets[i], request.offsets[i + 1]));
  }
  return out;
}
