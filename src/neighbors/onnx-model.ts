/**
 * A tiny ONNX graph built by hand (a few protobuf fields), so that exact search can run on
 * onnxruntime's multi-threaded GEMM + TopK without shipping a model file:
 *
 *   scores = Gemm(Q, X, C, transB=1)   b×n, score(q, x) = q·x + c_x
 *   values, indices = TopK(scores, K, largest=1)
 *
 * With c = 0 on unit rows the score is the cosine similarity; with c_x = −‖x‖²/2 it is
 * (‖q‖² − ‖q − x‖²)/2, so the largest scores are the nearest euclidean neighbours in both cases.
 */

class ProtoWriter {
  private readonly bytes: number[] = [];

  private varint(value: number): void {
    // negative int64 values are written as their 64-bit two's complement (10 bytes)
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }

  int(field: number, value: number): this {
    this.varint(field * 8);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.varint(field * 8 + 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.bytes.push(...b);
    return this;
  }

  string(field: number, value: string): this {
    return this.message(field, new TextEncoder().encode(value));
  }

  message(field: number, payload: Uint8Array | ProtoWriter): this {
    const data = payload instanceof ProtoWriter ? payload.finish() : payload;
    this.varint(field * 8 + 2);
    this.varint(data.length);
    for (const byte of data) this.bytes.push(byte);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const FLOAT = 1;
const INT64 = 7;

function valueInfo(name: string, elemType: number, dims: (number | string)[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const dim of dims) {
    shape.message(
      1,
      typeof dim === "number" ? new ProtoWriter().int(1, dim) : new ProtoWriter().string(2, dim),
    );
  }
  const tensorType = new ProtoWriter().int(1, elemType).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

function node(op: string, inputs: string[], outputs: string[], attributes: ProtoWriter[] = []): ProtoWriter {
  const w = new ProtoWriter();
  for (const input of inputs) w.string(1, input);
  for (const output of outputs) w.string(2, output);
  w.string(3, `${op}_${outputs[0]}`).string(4, op);
  for (const attribute of attributes) w.message(5, attribute);
  return w;
}

const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const intAttribute = (name: string, value: number) =>
  new ProtoWriter().string(1, name).int(3, value).int(20, ATTR_INT);
const floatAttribute = (name: string, value: number) =>
  new ProtoWriter().string(1, name).float(2, value).int(20, ATTR_FLOAT);

/**
 * Serialized ONNX model: inputs Q [b, d], X [n, d], C [n], K [1] (int64); outputs values [b, K],
 * indices [b, K]. With `columns`, also input KC [1] and outputs col_values [KC, n], col_indices [KC, n]:
 * the best rows of the block for every column, which lets the self-join compute each pair once.
 */
export function buildGemmTopKModel(columns = false): Uint8Array {
  const graph = new ProtoWriter()
    .message(
      1,
      node(
        "Gemm",
        ["Q", "X", "C"],
        ["S"],
        [intAttribute("transB", 1), floatAttribute("alpha", 1), floatAttribute("beta", 1)],
      ),
    )
    .message(
      1,
      node(
        "TopK",
        ["S", "K"],
        ["values", "indices"],
        [intAttribute("axis", 1), intAttribute("largest", 1), intAttribute("sorted", 1)],
      ),
    )
    .string(2, "gemm_topk")
    .message(11, valueInfo("Q", FLOAT, ["b", "d"]))
    .message(11, valueInfo("X", FLOAT, ["n", "d"]))
    .message(11, valueInfo("C", FLOAT, ["n"]))
    .message(11, valueInfo("K", INT64, [1]))
    .message(12, valueInfo("values", FLOAT, ["b", "k"]))
    .message(12, valueInfo("indices", INT64, ["b", "k"]));
  if (columns) {
    graph
      .message(
        1,
        node(
          "TopK",
          ["S", "KC"],
          ["col_values", "col_indices"],
          [intAttribute("axis", 0), intAttribute("largest", 1), intAttribute("sorted", 1)],
        ),
      )
      .message(11, valueInfo("KC", INT64, [1]))
      .message(12, valueInfo("col_values", FLOAT, ["kc", "n"]))
      .message(12, valueInfo("col_indices", INT64, ["kc", "n"]));
  }
  return new ProtoWriter()
    .int(1, 8)
    .string(2, "topicscope")
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, "").int(2, 13))
    .finish();
}
