/**
 * Starts a worker thread from a module URL; TypeScript sources (tests, `tsx`) get tsx's loader first.
 * Used by the embedder pool, NN-descent and the parallel UMAP layout.
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
