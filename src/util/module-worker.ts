/**
 * Starts a worker thread from a module URL; TypeScript sources (tests, `tsx`) get tsx's loader first.
 * Used by the embedder pool, NN-descent, the parallel UMAP layout and the background jobs below.
 */
import { Worker } from "node:worker_threads";

export function startModuleWorker(url: URL, workerData?: unknown): Worker {
  if (!url.pathname.endsWith(".ts")) return new Worker(url, { workerData });
  const tsx = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/**
 * The module `name` beside the module at `from` (its import.meta.url), with the extension that
 * module has: .ts when running from TypeScript sources (tests, tsx), .js from compiled output.
 */
export function siblingModule(name: string, from: string): URL {
  return new URL(`./${name}${from.endsWith(".ts") ? ".ts" : ".js"}`, from);
}

/** A worker started for one answer (startBackgroundJob). */
export interface BackgroundJob<T> {
  /** The worker's one message, or undefined when it failed, exited without one, or was cancelled. */
  readonly result: Promise<T | undefined>;
  /** Stops the worker if it is still running (its result is then undefined). */
  cancel(): void;
}

/**
 * Starts the module at `url` on a worker with `workerData`, for the one message it posts back:
 * work done ahead in the background, whose caller does the work itself when the answer is undefined.
 * Undefined when no worker can be started.
 */
export function startBackgroundJob<T>(url: URL, workerData: unknown): BackgroundJob<T> | undefined {
  let worker: Worker;
  try {
    worker = startModuleWorker(url, workerData);
  } catch {
    return undefined;
  }
  const result = new Promise<T | undefined>((resolve) => {
    worker.once("message", (message: T | undefined) => resolve(message));
    worker.once("error", () => resolve(undefined));
    worker.once("exit", () => resolve(undefined));
  });
  return { result, cancel: () => void worker.terminate() };
}
