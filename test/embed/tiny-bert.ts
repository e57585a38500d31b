/**
 * Builds a tiny but real BERT sentence encoder on disk, offline: random weights, 2 encoder layers
 * with masked multi-head attention, a 40-word WordPiece vocabulary, exported as ONNX next to the
 * tokenizer files a sentence-transformers export has.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FLOAT, INT64, OnnxGraph } from "../../src/onnx/graph.js";
import { createRng } from "../../src/util/rng.js";

export const TINY_VOCAB = [
  "[PAD]",
  "[UNK]",
  "[CLS]",
  "[SEP]",
  "[MASK]",
  "the",
  "cat",
  "sat",
  "on",
  "mat",
  "dog",
  "ran",
  "a",
  "quick",
  "brown",
  "fox",
  "jump",
  "over",
  "lazy",
  "play",
  "market",
  "stock",
  "rose",
  "fell",
  "today",
  "team",
  "won",
  "game",
  "##s",
  "##ed",
  "##ing",
  "##er",
  ".",
  ",",
  "!",
  "?",
  "un",
  "##happy",
  "happy",
  "new",
];

export const HIDDEN = 16;
const HEADS = 2;
const FFN = 32;
const LAYERS = 2;
export const MAX_POSITIONS = 64;

export interface TinyBertOptions {
  seed?: number;
  /** Write modules.json + 1_Pooling/config.json selecting this pooling. */
  pooling?: "mean" | "cls" | "max";
  /** Write sentence_bert_config.json with this max_seq_length. */
  maxSeqLength?: number;
  /** Also write onnx/model_quantized.onnx (a model with other weights, to see which file loads). */
  quantized?: boolean;
  /** Leave these files out (to test error messages). */
  omit?: string[];
}

export function buildTinyBertOnnx(seed: number): Uint8Array {
  const rng = createRng(seed);
  const g = new OnnxGraph();
  const random = (name: string, dims: number[], scale = 0.5) =>
    g.floats(
      name,
      dims,
      Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => rng.nextGaussian() * scale),
    );
  const constant = (name: string, dims: number[], value: number) =>
    g.floats(name, dims, new Array(dims.reduce((a, b) => a * b, 1)).fill(value));
  // gamma near 1: LayerNorm outputs keep their spread, so different texts get different vectors
  const layerNorm = (x: string, prefix: string) =>
    g.op(
      "LayerNormalization",
      [
        x,
        g.floats(
          `${prefix}.gamma`,
          [HIDDEN],
          Array.from({ length: HIDDEN }, () => 1 + 0.1 * rng.nextGaussian()),
        ),
        random(`${prefix}.beta`, [HIDDEN], 0.1),
      ],
      {
        axis: -1,
        epsilon: { float: 1e-12 },
      },
    );

  const ids = g.input("input_ids", INT64, ["batch", "sequence"]);
  const mask = g.input("attention_mask", INT64, ["batch", "sequence"]);
  const types = g.input("token_type_ids", INT64, ["batch", "sequence"]);
  const wordEmbeddings = random("embeddings.word", [TINY_VOCAB.length, HIDDEN]);
  const positionEmbeddings = random("embeddings.position", [MAX_POSITIONS, HIDDEN]);
  const typeEmbeddings = random("embeddings.type", [2, HIDDEN]);
  const one = g.int64s("one", [], [1]);
  const zero = g.int64s("zero", [], [0]);
  const length = g.op("Gather", [g.op("Shape", [ids]), one], { axis: 0 });
  const positions = g.op("Range", [zero, length, one]);
  let x = g.op("Add", [
    g.op("Add", [g.op("Gather", [wordEmbeddings, ids]), g.op("Gather", [positionEmbeddings, positions])]),
    g.op("Gather", [typeEmbeddings, types]),
  ]);
  x = layerNorm(x, "embeddings.norm");
  // additive attention bias: 0 for real tokens, -10000 for padding, shaped [batch, 1, 1, sequence]
  const maskFloat = g.op("Cast", [mask], { to: FLOAT });
  const bias = g.op("Mul", [g.op("Sub", [constant("fone", [], 1), maskFloat]), constant("neg", [], -10000)]);
  const bias4 = g.op("Unsqueeze", [bias, g.int64s("axes12", [2], [1, 2])]);
  const headShape = g.int64s("head_shape", [4], [0, 0, HEADS, HIDDEN / HEADS]);
  const mergedShape = g.int64s("merged_shape", [3], [0, 0, HIDDEN]);
  const scale = constant("scale", [], 1 / Math.sqrt(HIDDEN / HEADS));
  for (let layer = 0; layer < LAYERS; layer++) {
    const p = `layer${layer}`;
    const project = (input: string, name: string, inDim: number, outDim: number) =>
      g.op("Add", [
        g.op("MatMul", [input, random(`${p}.${name}.w`, [inDim, outDim])]),
        random(`${p}.${name}.b`, [outDim], 0.1),
      ]);
    const heads = (name: string, perm: number[]) =>
      g.op("Transpose", [g.op("Reshape", [project(x, name, HIDDEN, HIDDEN), headShape])], { perm });
    const q = heads("query", [0, 2, 1, 3]);
    const kT = heads("key", [0, 2, 3, 1]);
    const v = heads("value", [0, 2, 1, 3]);
    const scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, kT]), scale]), bias4]);
    const context = g.op("MatMul", [g.op("Softmax", [scores], { axis: -1 }), v]);
    const merged = g.op("Reshape", [g.op("Transpose", [context], { perm: [0, 2, 1, 3] }), mergedShape]);
    const attended = layerNorm(
      g.op("Add", [project(merged, "output", HIDDEN, HIDDEN), x]),
      `${p}.attention.norm`,
    );
    const hidden = project(attended, "intermediate", HIDDEN, FFN);
    // exact GELU: x · ½(1 + erf(x/√2))
    const gelu = g.op("Mul", [
      g.op("Mul", [hidden, constant(`${p}.half`, [], 0.5)]),
      g.op("Add", [
        constant(`${p}.one`, [], 1),
        g.op("Erf", [g.op("Mul", [hidden, constant(`${p}.rsqrt2`, [], Math.SQRT1_2)])]),
      ]),
    ]);
    const out = project(gelu, "ffn_output", FFN, HIDDEN);
    x = layerNorm(g.op("Add", [out, attended]), `${p}.output.norm`);
  }
  g.op("Identity", [x], {}, "last_hidden_state");
  g.output("last_hidden_state", FLOAT, ["batch", "sequence", HIDDEN]);
  return g.encode();
}

export function tokenizerJson(): object {
  const special = (content: string, id: number) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: TINY_VOCAB.slice(0, 5).map(special),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [2], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [3], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_VOCAB.map((token, id) => [token, id])),
    },
  };
}

/** Writes the model folder into `dir` and returns it. */
export function writeTinyBert(dir: string, options: TinyBertOptions = {}): string {
  const omit = new Set(options.omit ?? []);
  const write = (name: string, contents: string | Uint8Array) => {
    if (omit.has(name)) return;
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), typeof contents === "string" ? contents : contents);
  };
  const json = (value: object) => `${JSON.stringify(value, null, 2)}\n`;
  write(
    "config.json",
    json({
      model_type: "bert",
      architectures: ["BertModel"],
      hidden_size: HIDDEN,
      num_hidden_layers: LAYERS,
      num_attention_heads: HEADS,
      intermediate_size: FFN,
      max_position_embeddings: MAX_POSITIONS,
      type_vocab_size: 2,
      vocab_size: TINY_VOCAB.length,
    }),
  );
  write("tokenizer.json", json(tokenizerJson()));
  write(
    "tokenizer_config.json",
    json({
      tokenizer_class: "BertTokenizer",
      do_lower_case: true,
      model_max_length: MAX_POSITIONS,
      cls_token: "[CLS]",
      sep_token: "[SEP]",
      pad_token: "[PAD]",
      unk_token: "[UNK]",
      mask_token: "[MASK]",
    }),
  );
  write("onnx/model.onnx", buildTinyBertOnnx(options.seed ?? 1));
  if (options.quantized) write("onnx/model_quantized.onnx", buildTinyBertOnnx((options.seed ?? 1) + 1000));
  if (options.pooling) {
    write(
      "modules.json",
      json([
        { idx: 0, name: "0", path: "", type: "sentence_transformers.models.Transformer" },
        { idx: 1, name: "1", path: "1_Pooling", type: "sentence_transformers.models.Pooling" },
      ]),
    );
    write(
      "1_Pooling/config.json",
      json({
        word_embedding_dimension: HIDDEN,
        pooling_mode_cls_token: options.pooling === "cls",
        pooling_mode_mean_tokens: options.pooling === "mean",
        pooling_mode_max_tokens: options.pooling === "max",
        pooling_mode_mean_sqrt_len_tokens: false,
      }),
    );
  }
  if (options.maxSeqLength !== undefined) {
    write("sentence_bert_config.json", json({ max_seq_length: options.maxSeqLength, do_lower_case: false }));
  }
  return dir;
}
