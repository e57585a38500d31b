import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import type { Embedder } from "../../src/embed/types.js";
import type { Matrix } from "../../src/types.js";
import { tempDir as exitTempDir } from "../temp-dir.js";

/** A temp folder to remove early; removed at exit anyway (test/temp-dir.ts). */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = exitTempDir(`topicscope-${prefix}-`);
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A deterministic stand-in model: a text's vector comes from its hash; counts what it embeds. */
export function fakeEmbedder(
  id = "fake@1",
  dimension = 8,
): Embedder & { seen: string[]; failAfter?: number } {
  const seen: string[] = [];
  const embedder: Embedder & { seen: string[]; failAfter?: number } = {
    id,
    dimension,
    maxTokens: 100,
    seen,
    async embed(texts: readonly string[]): Promise<Matrix> {
      if (embedder.failAfter !== undefined && seen.length + texts.length > embedder.failAfter) {
        throw new Error("simulated crash");
      }
      seen.push(...texts);
      const data = new Float32Array(texts.length * dimension);
      texts.forEach((text, i) => {
        const digest = createHash("sha256").update(`${id}:${text}`).digest();
        for (let j = 0; j < dimension; j++) data[i * dimension + j] = digest[j] / 255;
      });
      return { data, rows: texts.length, cols: dimension };
    },
  };
  return embedder;
}

export function rowOf(matrix: Matrix, i: number): number[] {
  return Array.from(matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols));
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}
