/**
 * The one ONNX writer: the few messages of onnx.proto a small graph needs (field numbers as in
 * onnx/onnx.proto3), encoded with protobufjs, plus a builder that names intermediate values. Used to
 * run USE-lite's weights on onnxruntime (src/embed/use-lite-onnx.ts), for exact neighbours as one
 * GEMM + TopK graph (src/neighbors/gemm-topk.ts), and by the tests to build tiny BERTs.
 */
import protobuf from "protobufjs";

const ONNX_SUBSET = `
syntax = "proto3";
package onnx;
message AttributeProto {
  string name = 1; float f = 2; int64 i = 3; bytes s = 4; TensorProto t = 5;
  repeated float floats = 7; repeated int64 ints = 8; int32 type = 20;
}
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message NodeProto {
  repeated string input = 1; repeated string output = 2; string name = 3; string op_type = 4;
  repeated AttributeProto attribute = 5; string domain = 7;
}
message ModelProto {
  int64 ir_version = 1; repeated OperatorSetIdProto opset_import = 8; string producer_name = 2;
  GraphProto graph = 7;
}
message GraphProto {
  repeated NodeProto node = 1; string name = 2; repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12;
}
message TensorProto {
  repeated int64 dims = 1; int32 data_type = 2; string name = 8; bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { int64 dim_value = 1; string dim_param = 2; }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  Tensor tensor_type = 1;
}
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
`;

export const FLOAT = 1;
export const INT64 = 7;
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

type Attribute = number | number[] | { float: number };

interface TensorMessage {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

export class OnnxGraph {
  private readonly nodes: object[] = [];
  private readonly initializers: TensorMessage[] = [];
  private readonly inputs: object[] = [];
  private readonly outputs: object[] = [];
  private counter = 0;

  input(name: string, elemType: number, dims: Array<number | string>): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  output(name: string, elemType: number, dims: Array<number | string>): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  floats(name: string, dims: number[], data: Float32Array | number[]): string {
    const values = Float32Array.from(data);
    this.initializers.push({ name, dims, data_type: FLOAT, raw_data: new Uint8Array(values.buffer) });
    return name;
  }

  int64s(name: string, dims: number[], data: number[]): string {
    const values = BigInt64Array.from(data.map((v) => BigInt(v)));
    this.initializers.push({ name, dims, data_type: INT64, raw_data: new Uint8Array(values.buffer) });
    return name;
  }

  /** Adds a node; attributes: integer → INT, array → INTS, {float} → FLOAT. Returns the output name. */
  op(
    opType: string,
    inputs: string[],
    attributes: Record<string, Attribute> = {},
    outputName?: string,
  ): string {
    const output = outputName ?? `${opType.toLowerCase()}_${this.counter++}`;
    this.opWithOutputs(opType, inputs, [output], attributes);
    return output;
  }

  /** A node with several named outputs (e.g. TopK's values and indices). */
  opWithOutputs(
    opType: string,
    inputs: string[],
    outputs: string[],
    attributes: Record<string, Attribute> = {},
  ): void {
    const attribute = Object.entries(attributes).map(([name, value]) =>
      Array.isArray(value)
        ? { name, ints: value, type: ATTR_INTS }
        : typeof value === "number"
          ? { name, i: value, type: ATTR_INT }
          : { name, f: value.float, type: ATTR_FLOAT },
    );
    this.nodes.push({ input: inputs, output: outputs, name: outputs[0], op_type: opType, attribute });
  }

  encode(opset = 17): Uint8Array {
    const root = protobuf.parse(ONNX_SUBSET, { keepCase: true }).root;
    const Model = root.lookupType("onnx.ModelProto");
    const message = Model.fromObject({
      ir_version: 8,
      producer_name: "topicscope",
      opset_import: [{ domain: "", version: opset }],
      graph: {
        name: "tiny",
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return Model.encode(message).finish();
  }
}

function valueInfo(name: string, elemType: number, dims: Array<number | string>): object {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}
