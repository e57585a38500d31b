import assert from "node:assert/strict";
import { test } from "node:test";
import { inSharedMemory, sharedArray, sharedCopy } from "../../src/util/shared-memory.js";

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

test("sharedCopy always copies (a shared array too); sharedArray is zeroed and sized by the element type", () => {
  const shared = sharedArray(Uint32Array, 3);
  assert.ok(shared.buffer instanceof SharedArrayBuffer);
  assert.equal(shared.byteLength, 12);
  assert.deepEqual([...shared], [0, 0, 0]);
  shared[1] = 7;
  const copy = sharedCopy(shared);
  assert.notEqual(copy.buffer, shared.buffer);
  assert.deepEqual([...copy], [0, 7, 0]);
  assert.equal(sharedArray(Uint8Array, 0).length, 0);
});
