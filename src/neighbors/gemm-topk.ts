/**
 * The graph behind exact search on onnxruntime's multi-threaded GEMM + TopK (no model file shipped):
 *
 *   scores = Gemm(Q, X, C, transB=1)   b×n, score(q, x) = q·x + c_x
 *   values, indices = TopK(scores, K, largest=1)
 *
 * With c = 0 on unit rows the score is the cosine similarity; with c_x = −‖x‖²/2 it is
 * (‖q‖² − ‖q − x‖²)/2, so the largest scores are the nearest euclidean neighbours in both cases.
 */
import { FLOAT, INT64, OnnxGraph } from "../onnx/graph.js";

/**
 * Serialized ONNX model: inputs Q [b, d], X [n, d], C [n], K [1] (int64); outputs values [b, K],
 * indices [b, K]. With `columns`, also input KC [1] and outputs col_values [KC, n], col_indices [KC, n]:
 * the best rows of the block for every column, which lets the self-join compute each pair once.
 */
export function buildGemmTopKModel(columns = false): Uint8Array {
  const graph = new OnnxGraph();
  graph.input("Q", FLOAT, ["b", "d"]);
  graph.input("X", FLOAT, ["n", "d"]);
  graph.input("C", FLOAT, ["n"]);
  graph.input("K", INT64, [1]);
  graph.op("Gemm", ["Q", "X", "C"], { transB: 1, alpha: { float: 1 }, beta: { float: 1 } }, "S");
  graph.opWithOutputs("TopK", ["S", "K"], ["values", "indices"], { axis: 1, largest: 1, sorted: 1 });
  graph.output("values", FLOAT, ["b", "k"]);
  graph.output("indices", INT64, ["b", "k"]);
  if (columns) {
    graph.input("KC", INT64, [1]);
    graph.opWithOutputs("TopK", ["S", "KC"], ["col_values", "col_indices"], {
      axis: 0,
      largest: 1,
      sorted: 1,
    });
    graph.output("col_values", FLOAT, ["kc", "n"]);
    graph.output("col_indices", INT64, ["kc", "n"]);
  }
  return graph.encode(13);
}
