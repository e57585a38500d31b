/**
 * Row blocks of a 2-D `.npy` matrix read straight from the file, so a million-row embedding file
 * (1.5 GB at 384-d float32) can be streamed through a pipeline without ever being in memory whole.
 * Only the header is parsed up front; `read(start, count)` returns float32 rows [start, start + count).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { UserError } from "../util/errors.js";
import { parseNpy } from "./npy.js";

export interface NpyRowReader {
  readonly path: string;
  readonly rows: number;
  readonly cols: number;
  /** Rows [start, start + count) as a row-major float32 block (float64 files are converted). */
  read(start: number, count: number): Float32Array;
  close(): void;
}

/** The header's length in bytes and its parsed shape / dtype (parsed by parseNpy on a header-only prefix). */
function readHeader(fd: number, path: string): { dataStart: number; shape: number[]; dtype: string } {
  const prefix = new Uint8Array(12);
  readSync(fd, prefix, 0, 12, 0);
  const view = new DataView(prefix.buffer);
  const major = prefix[6];
  const headerStart = major === 1 ? 10 : 12;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  const head = new Uint8Array(dataStart);
  readSync(fd, head, 0, dataStart, 0);
  // parseNpy checks magic, version, dtype and order; an empty data section is all it needs to see here
  try {
    const parsed = parseNpy(head, path);
    return { dataStart, shape: parsed.shape, dtype: parsed.dtype };
  } catch (error) {
    if (error instanceof UserError && /truncated/.test(error.message)) {
      const header = new TextDecoder().decode(head.subarray(headerStart));
      const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1] ?? "";
      const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1] ?? "";
      const shape = shapeText
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
        .map(Number);
      return { dataStart, shape, dtype: descr === "|f4" ? "<f4" : descr };
    }
    throw error;
  }
}

export function openNpyRows(path: string): NpyRowReader {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const { dataStart, shape, dtype } = readHeader(fd, path);
  if (shape.length !== 2) {
    closeSync(fd);
    throw new UserError(
      `${path}: expected a 2-D matrix (rows × dimensions), got shape (${shape.join(", ")})`,
    );
  }
  if (dtype !== "<f4" && dtype !== "<f8") {
    closeSync(fd);
    throw new UserError(`${path}: expected float32 or float64 values, got ${dtype}`);
  }
  const [rows, cols] = shape;
  const width = dtype === "<f4" ? 4 : 8;
  return {
    path,
    rows,
    cols,
    read(start, count) {
      if (!Number.isInteger(start) || start < 0 || count < 0 || start + count > rows)
        throw new RangeError(`rows [${start}, ${start + count}) outside 0..${rows}`);
      const bytes = new Uint8Array(count * cols * width);
      let done = 0;
      while (done < bytes.length) {
        const got = readSync(fd, bytes, done, bytes.length - done, dataStart + start * cols * width + done);
        if (got === 0)
          throw new UserError(`${path}: truncated .npy file (rows ${start}..${start + count} missing)`);
        done += got;
      }
      if (width === 4) return new Float32Array(bytes.buffer);
      return Float32Array.from(new Float64Array(bytes.buffer));
    },
    close: () => closeSync(fd),
  };
}

/**
 * The given rows (any order, repeats allowed) of a row source, as one row-major block; runs of
 * consecutive rows are read at once.
 */
export function readRowsAt(
  source: { readonly cols: number; read(start: number, count: number): Float32Array },
  rows: readonly number[],
): Float32Array {
  const { cols } = source;
  const data = new Float32Array(rows.length * cols);
  for (let i = 0; i < rows.length; ) {
    let j = i + 1;
    while (j < rows.length && rows[j] === rows[j - 1] + 1) j++;
    data.set(source.read(rows[i], j - i), i * cols);
    i = j;
  }
  return data;
}
