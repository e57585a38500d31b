/**
 * NumPy `.npy` files (format versions 1–3), the interchange format Python users already hold.
 * We read little-endian float32/float64/int32/int64 and int8/uint8 arrays in C order and write float32,
 * float64, int32, int8 or uint8 (int8/uint8: quantized embeddings, see src/similarity/quantize.ts).
 */
import { readFileSync } from "node:fs";
import type { Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import { writeFileAtomic } from "./atomic.js";

const MAGIC = "\x93NUMPY";

export type NpyDtype = "<f4" | "<f8" | "<i4" | "<i8" | "|i1" | "|u1";

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Int8Array | Uint8Array;
}

export function parseNpy(buffer: Uint8Array, source = "<buffer>"): NpyArray {
  const magic = String.fromCharCode(...buffer.subarray(0, 6));
  if (magic !== MAGIC) throw new UserError(`${source}: not a NumPy .npy file (bad magic bytes)`);
  const major = buffer[6];
  if (buffer.byteLength < (major === 1 ? 10 : 12)) {
    throw new UserError(`${source}: truncated .npy file (${buffer.byteLength} bytes, no complete header)`);
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new UserError(`${source}: unsupported .npy format version ${major}`);
  }
  const header = new TextDecoder().decode(buffer.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new UserError(`${source}: malformed .npy header: ${header.trim()}`);
  }
  if (fortran === "True") {
    throw new UserError(
      `${source}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray`,
    );
  }
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => (/^\d+L?$/.test(s) ? Number.parseInt(s, 10) : Number.NaN));
  if (shape.some((d) => !Number.isSafeInteger(d))) {
    throw new UserError(
      `${source}: malformed .npy shape (${shapeText.trim()}); expected non-negative integers`,
    );
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count))
    throw new UserError(`${source}: .npy shape (${shapeText.trim()}) is too large`);
  const dataStart = headerStart + headerLength;
  const bytes = buffer.slice(dataStart, buffer.byteLength); // copy: aligned and detached from the file buffer
  // one-byte types have no byte order: NumPy writes '|i1', and accepts '<i1' / 'i1' too
  const byteType = /^[<>|=]?([iu])1$/.exec(descr)?.[1];
  const dtype = (descr === "|f4" ? "<f4" : byteType !== undefined ? `|${byteType}1` : descr) as NpyDtype;
  const width = { "<f4": 4, "<f8": 8, "<i4": 4, "<i8": 8, "|i1": 1, "|u1": 1 }[dtype];
  if (width === undefined) {
    throw new UserError(
      `${source}: unsupported dtype '${descr}'; expected little-endian float32/float64/int32/int64, int8 or uint8`,
    );
  }
  if (bytes.byteLength < count * width) {
    throw new UserError(
      `${source}: truncated .npy file (${bytes.byteLength} data bytes, need ${count * width})`,
    );
  }
  const data =
    dtype === "<f4"
      ? new Float32Array(bytes.buffer, 0, count)
      : dtype === "<f8"
        ? new Float64Array(bytes.buffer, 0, count)
        : dtype === "<i4"
          ? new Int32Array(bytes.buffer, 0, count)
          : dtype === "|i1"
            ? new Int8Array(bytes.buffer, 0, count)
            : dtype === "|u1"
              ? new Uint8Array(bytes.buffer, 0, count)
              : new BigInt64Array(bytes.buffer, 0, count);
  return { dtype, shape, data };
}

export function readNpy(path: string): NpyArray {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseNpy(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), path);
}

/** Read a 2-D float array (float32 or float64) as a float32 matrix. */
export function readMatrixNpy(path: string): Matrix {
  const array = readNpy(path);
  if (array.shape.length !== 2) {
    throw new UserError(`${path}: expected a 2-D array, got shape (${array.shape.join(", ")})`);
  }
  if (array.dtype !== "<f4" && array.dtype !== "<f8") {
    throw new UserError(`${path}: expected a float32 or float64 array, got dtype ${array.dtype}`);
  }
  const [rows, cols] = array.shape;
  const data =
    array.data instanceof Float32Array ? array.data : Float32Array.from(array.data as Float64Array);
  return { data, rows, cols };
}

export type WritableNpyData = Float32Array | Float64Array | Int32Array | Int8Array | Uint8Array;

export function encodeNpy(data: WritableNpyData, shape: readonly number[]): Uint8Array {
  const descr =
    data instanceof Float32Array
      ? "<f4"
      : data instanceof Float64Array
        ? "<f8"
        : data instanceof Int32Array
          ? "<i4"
          : data instanceof Int8Array
            ? "|i1"
            : "|u1";
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Pad so that the data starts on a 64-byte boundary, as NumPy does; the header ends with '\n'.
  const total = 10 + header.length + 1;
  header += `${" ".repeat((64 - (total % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

export function writeMatrixNpy(path: string, matrix: Matrix): void {
  writeFileAtomic(path, encodeNpy(matrix.data, [matrix.rows, matrix.cols]));
}

export function writeNpy(path: string, data: WritableNpyData, shape: readonly number[]): void {
  writeFileAtomic(path, encodeNpy(data, shape));
}
