/**
 * Quantized embeddings on disk: the codes as a NumPy `.npy` (int8 or uint8, what
 * sentence-transformers' `quantize_embeddings` returns) and, beside it, `<name>.quantization.json`
 * with what the codes alone do not say: the precision (int8 codes and packed binary bits share a dtype),
 * the original dimension, and for int8/uint8 the ranges that queries must be quantized with.
 */
import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../io/atomic.js";
import { readNpy, writeNpy } from "../io/npy.js";
import { UserError } from "../util/errors.js";
import { PRECISIONS, type Precision, type QuantizedEmbeddings } from "./quantize.js";

interface QuantizationInfo {
  format: "topicscope-quantization";
  version: 1;
  precision: Precision;
  dimension: number;
  /** int8/uint8: [minima, maxima], one per dimension. */
  ranges?: [number[], number[]];
}

export function quantizationInfoPath(npyPath: string): string {
  return `${npyPath.replace(/\.npy$/i, "")}.quantization.json`;
}

/** Writes the description first, then the codes, each atomically. */
export function writeQuantizedEmbeddings(path: string, q: QuantizedEmbeddings): void {
  if (q.precision === "float32") {
    writeNpy(path, q.data as Float32Array, [q.rows, q.cols]);
    return;
  }
  const info: QuantizationInfo = {
    format: "topicscope-quantization",
    version: 1,
    precision: q.precision,
    dimension: q.dimension,
  };
  if (q.ranges) {
    info.ranges = [Array.from(q.ranges.subarray(0, q.dimension)), Array.from(q.ranges.subarray(q.dimension))];
  }
  writeFileAtomic(quantizationInfoPath(path), `${JSON.stringify(info)}\n`);
  writeNpy(path, q.data as Int8Array | Uint8Array, [q.rows, q.cols]);
}

/**
 * Reads an int8/uint8 `.npy` written by `embed --precision` (its .quantization.json beside it), or
 * returns undefined for a float `.npy` (read it as a matrix instead).
 */
export function readQuantizedEmbeddings(path: string): QuantizedEmbeddings | undefined {
  const array = readNpy(path);
  if (array.dtype !== "|i1" && array.dtype !== "|u1") return undefined;
  if (array.shape.length !== 2) {
    throw new UserError(`${path}: expected a 2-D array, got shape (${array.shape.join(", ")})`);
  }
  const infoPath = quantizationInfoPath(path);
  if (!existsSync(infoPath)) {
    throw new UserError(
      `${path} holds ${array.dtype === "|i1" ? "int8" : "uint8"} codes but ${infoPath} is missing: it says which precision they are and the ranges to quantize queries with (write both with topicscope embed --precision)`,
    );
  }
  let info: QuantizationInfo;
  try {
    info = JSON.parse(readFileSync(infoPath, "utf8")) as QuantizationInfo;
  } catch (error) {
    throw new UserError(`${infoPath}: not valid JSON (${(error as Error).message})`);
  }
  if (info.format !== "topicscope-quantization" || !PRECISIONS.includes(info.precision)) {
    throw new UserError(`${infoPath}: not a topicscope quantization description`);
  }
  const [rows, cols] = array.shape;
  const signed = info.precision === "int8" || info.precision === "binary";
  if (signed !== (array.dtype === "|i1")) {
    throw new UserError(
      `${path}: ${info.precision} codes must be ${signed ? "int8" : "uint8"}, got ${array.dtype}`,
    );
  }
  const binary = info.precision === "binary" || info.precision === "ubinary";
  const expectedCols = binary ? Math.ceil(info.dimension / 8) : info.dimension;
  if (cols !== expectedCols) {
    throw new UserError(
      `${path}: ${cols} columns, but ${info.precision} codes of ${info.dimension} dimensions take ${expectedCols}`,
    );
  }
  let ranges: Float32Array | undefined;
  if (!binary) {
    if (
      !info.ranges ||
      info.ranges[0]?.length !== info.dimension ||
      info.ranges[1]?.length !== info.dimension
    ) {
      throw new UserError(
        `${infoPath}: ${info.precision} needs ranges with ${info.dimension} minima and maxima`,
      );
    }
    ranges = Float32Array.from([...info.ranges[0], ...info.ranges[1]]);
  }
  return {
    precision: info.precision,
    data: array.data as Int8Array | Uint8Array,
    rows,
    cols,
    dimension: info.dimension,
    ranges,
  };
}
