/** The golden values of test/fixtures/similarity/golden.json (made by make_fixtures.py next to it). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Matrix } from "../../src/types.js";

export interface Golden {
  vectors: number[][];
  queries: number[][];
  mining: { settings: Record<string, number>; pairs: [number, number, number][] }[];
  communities: { settings: Record<string, number>; communities: number[][] }[];
  search: { settings: Record<string, number>; hits: [number, number][][] }[];
  quantize: Record<string, number[][]>;
  calibration_rows: number;
  quantized_search: {
    precision: "int8" | "uint8" | "binary" | "ubinary";
    top_k: number;
    rescore_multiplier: number;
    hits: [number, number][][];
  }[];
  evaluators: {
    vectors: number[][];
    sts: { s1: number[]; s2: number[]; gold: number[]; metrics: Record<string, number> };
    binary: { labels: number[]; metrics: Record<string, number> };
    ir: {
      queries: Record<string, number>;
      relevant: Record<string, number[]>;
      metrics: Record<string, number>;
    };
    paraphrase_mining: { duplicates: [number, number][]; metrics: Record<string, number> };
    statistics: {
      x: number[];
      y: number[];
      rank_x: number[];
      pearson: number;
      spearman: number;
      ap_labels: number[];
      ap_scores: number[];
      average_precision: number;
      mcc_pred: number[];
      mcc: number;
    };
  };
}

export const golden: Golden = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "fixtures", "similarity", "golden.json"), "utf8"),
);

export function matrixOf(rows: number[][]): Matrix {
  const cols = rows[0].length;
  const data = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => {
    data.set(r, i * cols);
  });
  return { data, rows: rows.length, cols };
}
