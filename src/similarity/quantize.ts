/**
 * Embedding quantization as sentence-transformers v6 `quantize_embeddings` does it:
 * - int8 / uint8: per dimension, 256 buckets between the minimum and maximum of calibration rows
 *   (given `ranges`, else `calibration` rows, else the rows themselves): floor((x − min) / step),
 *   clipped to [0, 255] (minus 128 for int8); a dimension with min = max gets step 1.
 * - binary / ubinary: one bit per dimension (x > 0), packed eight to a byte, first dimension in the
 *   high bit (NumPy's packbits); binary stores the byte minus 128 as int8.
 * Their arithmetic is float32 throughout, and so is ours (every step rounded with Math.fround), so
 * the codes match theirs bit for bit.
 */
import type { Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/log.js";

export const PRECISIONS = ["float32", "int8", "uint8", "binary", "ubinary"] as const;
export type Precision = (typeof PRECISIONS)[number];

/** Quantized rows: `cols` stored values per row (d for int8/uint8, ⌈d/8⌉ bytes for binary). */
export interface QuantizedEmbeddings {
  precision: Precision;
  data: Float32Array | Int8Array | Uint8Array;
  rows: number;
  cols: number;
  /** Dimension of the float rows they came from. */
  dimension: number;
  /** int8/uint8: per-dimension [min…, max…] (2 × dimension), needed to quantize queries alike. */
  ranges?: Float32Array;
}

export interface QuantizeOptions {
  /** 2 × d: row 0 the minimum, row 1 the maximum of each dimension. */
  ranges?: Float32Array;
  /** Rows whose per-dimension min/max give the ranges (theirs: `calibration_embeddings`). */
  calibration?: Matrix;
  logger?: Logger;
}

/** Per-dimension min and max of the rows, as a 2 × d array. */
export function calibrationRanges(rows: Matrix): Float32Array {
  const { data, rows: n, cols } = rows;
  if (n === 0) throw new UserError("calibration needs at least one row");
  const ranges = new Float32Array(2 * cols);
  for (let j = 0; j < cols; j++) {
    ranges[j] = Number.POSITIVE_INFINITY;
    ranges[cols + j] = Number.NEGATIVE_INFINITY;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j];
      if (v < ranges[j]) ranges[j] = v;
      if (v > ranges[cols + j]) ranges[cols + j] = v;
    }
  }
  return ranges;
}

export function quantizeEmbeddings(
  matrix: Matrix,
  precision: Precision,
  options: QuantizeOptions = {},
): QuantizedEmbeddings {
  const { rows, cols, data } = matrix;
  for (let t = 0; t < data.length; t++) {
    if (!Number.isFinite(data[t])) {
      throw new UserError(`embeddings: row ${Math.floor(t / cols)} contains ${data[t]}; cannot quantize it`);
    }
  }
  if (precision === "float32") {
    return { precision, data: Float32Array.from(data), rows, cols, dimension: cols };
  }
  if (precision === "int8" || precision === "uint8") {
    const ranges = scalarRanges(matrix, precision, options);
    const out = precision === "int8" ? new Int8Array(rows * cols) : new Uint8Array(rows * cols);
    const offset = precision === "int8" ? 128 : 0;
    const starts = ranges.subarray(0, cols);
    const steps = new Float32Array(cols);
    for (let j = 0; j < cols; j++) {
      const step = Math.fround(Math.fround(ranges[cols + j] - ranges[j]) / 255);
      steps[j] = step === 0 ? 1 : step;
    }
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const t = i * cols + j;
        const bucket = Math.floor(Math.fround(Math.fround(data[t] - starts[j]) / steps[j]));
        out[t] = Math.min(255, Math.max(0, bucket)) - offset;
      }
    }
    return { precision, data: out, rows, cols, dimension: cols, ranges };
  }
  if (precision === "binary" || precision === "ubinary") {
    const bytes = Math.ceil(cols / 8);
    const packed = new Uint8Array(rows * bytes);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        if (data[i * cols + j] > 0) packed[i * bytes + (j >> 3)] |= 0x80 >> (j & 7);
      }
    }
    if (precision === "ubinary") return { precision, data: packed, rows, cols: bytes, dimension: cols };
    const signed = new Int8Array(packed.length);
    for (let t = 0; t < packed.length; t++) signed[t] = packed[t] - 128;
    return { precision, data: signed, rows, cols: bytes, dimension: cols };
  }
  throw new UserError(`unknown precision '${precision}'; use one of ${PRECISIONS.join(", ")}`);
}

function scalarRanges(matrix: Matrix, precision: Precision, options: QuantizeOptions): Float32Array {
  const d = matrix.cols;
  if (options.ranges) {
    if (options.ranges.length !== 2 * d) {
      throw new UserError(
        `quantization ranges hold ${options.ranges.length / 2} dimensions but the embeddings have ${d}`,
      );
    }
    return options.ranges;
  }
  if (options.calibration) {
    if (options.calibration.cols !== d) {
      throw new UserError(
        `calibration rows have ${options.calibration.cols} dimensions but the embeddings have ${d}`,
      );
    }
    return calibrationRanges(options.calibration);
  }
  if (matrix.rows < 100) {
    options.logger?.warn(
      `computing ${precision} quantization buckets from ${matrix.rows} embedding${matrix.rows === 1 ? "" : "s"}; ` +
        "ranges from more rows (or calibration rows) are more stable",
    );
  }
  return calibrationRanges(matrix);
}

/**
 * The integer codes of every stored value as float32 (int8/uint8 values, or 0/1 bits for binary),
 * for rows [start, end): what their rescoring multiplies the float query with.
 */
export function unpackRows(q: QuantizedEmbeddings, start: number, end: number): Float32Array {
  const d = q.precision === "binary" || q.precision === "ubinary" ? q.cols * 8 : q.cols;
  const out = new Float32Array((end - start) * d);
  if (q.precision === "binary" || q.precision === "ubinary") {
    const offset = q.precision === "binary" ? 128 : 0;
    for (let i = start; i < end; i++) {
      for (let b = 0; b < q.cols; b++) {
        const byte = q.data[i * q.cols + b] + offset;
        const o = (i - start) * d + b * 8;
        for (let bit = 0; bit < 8; bit++) out[o + bit] = (byte >> (7 - bit)) & 1;
      }
    }
    return out;
  }
  out.set(q.data.subarray(start * q.cols, end * q.cols));
  return out;
}

/** Bytes a quantized corpus takes in memory (and on disk, without the header). */
export function quantizedBytes(q: QuantizedEmbeddings): number {
  return q.data.byteLength;
}
