/**
 * The approximate searches' distances in WebAssembly SIMD (simd-kernel.wat): a 384-d dot product
 * costs ~85 ns here against ~400 ns in the JavaScript loop (distance.ts), and NN-descent's time is
 * nearly all such dot products (its joins and its random projection trees; docs/scale.md).
 *
 * The rows are copied once into a shared WebAssembly memory, each padded with zeros to a multiple of
 * 16 floats, followed by one scratch row per thread (a tree's hyperplane normal). Worker threads
 * instantiate the kernel on the same memory (simdKernel with their own slot), so there is still one
 * copy of the rows. Sums are float32 as umap-learn's pynndescent computes them. Where WebAssembly
 * SIMD or shared memory is unavailable, the rows exceed its 4 GiB, or TOPICSCOPE_NO_SIMD=1, callers
 * keep distance.ts.
 */
import type { PreparedRows } from "./prepare.js";

// The parts of the WebAssembly API used here (TypeScript's lib has them only with the DOM's).
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}
type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** simd-kernel.wat compiled by wabt's wat2wasm 1.0.39 (--enable-threads); the test rebuilds and compares. */
export const SIMD_KERNEL_WASM =
  "AGFzbQEAAAABCAFgA39/fwF9AhIBA2VudgZtZW1vcnkCAwGAgAQDAwIAAAcQAgNkb3QAAAZzcWRpc3QAAQqLAwKxAQIBfwR7IAAgAkECdGohAwJAA0AgACADTw0BIAQgAP0ABAAgAf0ABAD95gH95AEhBCAFIAD9AAQQIAH9AAQQ/eYB/eQBIQUgBiAA/QAEICAB/QAEIP3mAf3kASEGIAcgAP0ABDAgAf0ABDD95gH95AEhByAAQcAAaiEAIAFBwABqIQEMAAsLIAQgBf3kASAGIAf95AH95AEhBCAE/R8AIAT9HwGSIAT9HwIgBP0fA5KSC9UBAgF/BXsgACACQQJ0aiEDAkADQCAAIANPDQEgAP0ABAAgAf0ABAD95QEhBCAFIAQgBP3mAf3kASEFIAD9AAQQIAH9AAQQ/eUBIQQgBiAEIAT95gH95AEhBiAA/QAEICAB/QAEIP3lASEEIAcgBCAE/eYB/eQBIQcgAP0ABDAgAf0ABDD95QEhBCAIIAQgBP3mAf3kASEIIABBwABqIQAgAUHAAGohAQwACwsgBSAG/eQBIAcgCP3kAf3kASEFIAX9HwAgBf0fAZIgBf0fAiAF/R8DkpIL";

const LANES = 16;
const PAGE_BYTES = 65536;
/** Byte offsets are 32-bit: the last row must end below 4 GiB (an end of exactly 2³² would wrap to 0). */
const MAX_PAGES = 65535;

let compiled: WasmModule | null | undefined;

/** TOPICSCOPE_NO_SIMD=1 keeps distance.ts's JavaScript loop (to rule the kernel out, or to time it). */
function simdDisabled(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.TOPICSCOPE_NO_SIMD === "1";
}

function kernelModule(): WasmModule | undefined {
  if (simdDisabled()) return undefined;
  if (compiled === undefined) {
    try {
      if (!wasm) throw new Error("no WebAssembly");
      // atob, not Buffer: the notebooks' Deno kernel runs this module too
      compiled = new wasm.Module(Uint8Array.from(atob(SIMD_KERNEL_WASM), (c) => c.charCodeAt(0)));
    } catch {
      compiled = null;
    }
  }
  return compiled ?? undefined;
}

/** Rows in a shared WebAssembly memory (posted to workers as they are). */
export interface SimdRows {
  memory: WasmMemory;
  rows: number;
  dim: number;
  /** Floats per row in memory: dim rounded up to 16. */
  stride: number;
  /** Scratch rows after the data, one per thread. */
  slots: number;
}

/** The rows copied into shared WebAssembly memory with `slots` scratch rows; undefined when that cannot be. */
export function simdRows(rows: PreparedRows, slots: number): SimdRows | undefined {
  return simdRowsOf([{ data: rows.data, rows: rows.rows }], rows.dim, slots);
}

/** Several blocks of `dim`-wide rows one after the other (then the scratch rows), as simdRows. */
export function simdRowsOf(
  parts: readonly { data: Float32Array; rows: number }[],
  dim: number,
  slots: number,
): SimdRows | undefined {
  if (!kernelModule() || typeof SharedArrayBuffer === "undefined") return undefined;
  const stride = Math.ceil(dim / LANES) * LANES;
  const total = parts.reduce((sum, part) => sum + part.rows, 0);
  const bytes = (total + slots) * stride * 4;
  const pages = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
  if (pages > MAX_PAGES) return undefined;
  let memory: WasmMemory;
  try {
    memory = new (wasm as WasmApi).Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return undefined;
  }
  const view = new Float32Array(memory.buffer, 0, (total + slots) * stride);
  let row = 0;
  for (const { data, rows } of parts) {
    if (stride === dim) view.set(data.subarray(0, rows * dim), row * stride);
    else for (let i = 0; i < rows; i++) view.set(data.subarray(i * dim, (i + 1) * dim), (row + i) * stride);
    row += rows;
  }
  return { memory, rows: total, dim, stride, slots };
}

/** One thread's kernel over SimdRows: distances between rows, and against its scratch row. */
export interface SimdKernel {
  /** The memory as floats: row i at [i·stride, i·stride + dim). */
  view: Float32Array;
  stride: number;
  /** This thread's scratch row (stride floats; what is past dim must stay 0). */
  scratch: Float32Array;
  dot(a: number, b: number): number;
  sqdist(a: number, b: number): number;
  /** scratch · row. */
  dotScratch(row: number): number;
  /** ‖scratch − row‖². */
  sqdistScratch(row: number): number;
}

export function simdKernel(rows: SimdRows, slot: number): SimdKernel {
  const module = kernelModule();
  if (!module || !wasm) throw new Error("WebAssembly SIMD kernel unavailable");
  if (!(slot >= 0 && slot < rows.slots)) throw new RangeError(`scratch slot ${slot} of ${rows.slots}`);
  const instance = new wasm.Instance(module, { env: { memory: rows.memory } });
  const exports = instance.exports as {
    dot: (a: number, b: number, n: number) => number;
    sqdist: (a: number, b: number, n: number) => number;
  };
  const { stride } = rows;
  const rowBytes = stride * 4;
  const scratchRow = rows.rows + slot;
  const scratchBytes = scratchRow * rowBytes;
  const view = new Float32Array(rows.memory.buffer, 0, (rows.rows + rows.slots) * stride);
  const { dot, sqdist } = exports;
  return {
    view,
    stride,
    scratch: view.subarray(scratchRow * stride, (scratchRow + 1) * stride),
    dot: (a, b) => dot(a * rowBytes, b * rowBytes, stride),
    sqdist: (a, b) => sqdist(a * rowBytes, b * rowBytes, stride),
    dotScratch: (row) => dot(scratchBytes, row * rowBytes, stride),
    sqdistScratch: (row) => sqdist(scratchBytes, row * rowBytes, stride),
  };
}
