import assert from "node:assert/strict";
import { test } from "node:test";
import { inSharedMemory } from "../../src/util/shared-memory.js";

test("inSharedMemory: a shared copy of the same type and values (views too), or the array itself when shared", () => {
  for (const array of [
    Float32Array.of(1.5, -2),
    Float64Array.of(Math.PI),
    Int32Array.of(3, -4, 5).subarray(1),
  ]) {
    const copy = inSharedMemory(array);
    assert.ok(copy.buffer instanceof SharedArrayBuffer);
    assert.equal(copy.constructor, array.constructor);
    assert.deepEqual([...copy], [...array]);
    assert.equal(inSharedMemory(copy), copy);
  }
});
