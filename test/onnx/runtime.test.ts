import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FLOAT, OnnxGraph } from "../../src/onnx/graph.js";
import { createSession, defaultThreads, idleCoreWorkers } from "../../src/onnx/runtime.js";

describe("thread policy", () => {
  test("sessions use extra threads only when at least two cores are idle", () => {
    assert.equal(idleCoreWorkers(2, 0.1), 2);
    assert.equal(idleCoreWorkers(2, 1.2), 0);
    assert.equal(idleCoreWorkers(2, 8), 0);
    assert.equal(idleCoreWorkers(8, 3), 5);
    assert.ok(defaultThreads() >= 1);
  });
});

describe("graph writer + session", () => {
  test("a graph with a multi-output node runs and gives hand-computed values", async () => {
    const graph = new OnnxGraph();
    graph.input("A", FLOAT, [2, 3]);
    graph.opWithOutputs("TopK", ["A", graph.int64s("k", [1], [2])], ["values", "indices"], { axis: 1 });
    graph.output("values", FLOAT, [2, 2]);
    graph.output("indices", 7, [2, 2]);
    const { ort, session } = await createSession(graph.encode(13), { threads: 1 });
    const result = await session.run({
      A: new ort.Tensor("float32", Float32Array.from([1, 5, 3, 9, 2, 4]), [2, 3]),
    });
    assert.deepEqual(Array.from(result.values.data as Float32Array), [5, 3, 9, 4]);
    assert.deepEqual(Array.from(result.indices.data as BigInt64Array, Number), [1, 2, 0, 2]);
    await session.release();
  });
});
