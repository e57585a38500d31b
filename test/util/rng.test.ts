import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng } from "../../src/util/rng.js";

test("same seed, same sequence; different seed, different sequence", () => {
  const a = createRng(7);
  const b = createRng(7);
  const c = createRng(8);
  const sa = Array.from({ length: 100 }, () => a.next());
  const sb = Array.from({ length: 100 }, () => b.next());
  const sc = Array.from({ length: 100 }, () => c.next());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
  assert.ok(sa.every((x) => x >= 0 && x < 1));
});

test("uniform and gaussian moments are right", () => {
  const rng = createRng(123);
  const n = 200_000;
  let sum = 0;
  let gaussSum = 0;
  let gaussSq = 0;
  const buckets = new Int32Array(10);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    sum += u;
    buckets[rng.nextInt(10)]++;
    const g = rng.nextGaussian();
    gaussSum += g;
    gaussSq += g * g;
  }
  assert.ok(Math.abs(sum / n - 0.5) < 0.005);
  for (const count of buckets) assert.ok(Math.abs(count / n - 0.1) < 0.005);
  assert.ok(Math.abs(gaussSum / n) < 0.01);
  assert.ok(Math.abs(gaussSq / n - 1) < 0.01);
});
