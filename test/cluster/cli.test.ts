/** `topicscope cluster`: NumPy-written .npy in, JSON out; bad files give one clear line and exit code 2. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Command } from "commander";
import { register } from "../../src/cli/cluster.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cluster/${name}`, import.meta.url));
const bin = fileURLToPath(new URL("../../bin/topicscope.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "topicscope-cluster-"));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Output {
  labels: number[];
  probabilities: number[];
  outlierScores: number[];
  membershipVectors?: number[][];
}

/** Runs the verb in this process; returns the exit code it set and what it wrote to stderr. */
async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const program = new Command().exitOverride().option("-q, --quiet").option("--debug");
  register(program);
  const write = process.stderr.write.bind(process.stderr);
  let stderr = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    await program.parseAsync(["cluster", ...args], { from: "user" });
  } finally {
    process.stderr.write = write;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stderr };
}

describe("topicscope cluster", () => {
  it("reads float64 and float32 .npy written by NumPy and writes labels in input order", async () => {
    const outputs: Output[] = [];
    for (const name of ["numpy-float64.npy", "numpy-float32.npy"]) {
      const out = join(dir, `${name}.json`);
      const { code } = await run([fixture(name), "-o", out, "--min-cluster-size", "5", "--membership", "-q"]);
      assert.equal(code, 0);
      outputs.push(JSON.parse(readFileSync(out, "utf8")) as Output);
    }
    const [a, b] = outputs;
    assert.deepEqual(a, b);
    assert.equal(a.labels.length, 41);
    assert.deepEqual(new Set(a.labels.slice(0, 20)).size, 1);
    assert.deepEqual(new Set(a.labels.slice(20, 40)).size, 1);
    assert.notEqual(a.labels[0], a.labels[20]);
    assert.equal(a.labels[40], -1);
    assert.equal(a.probabilities[40], 0);
    assert.ok(a.outlierScores[40] > 0.9);
    assert.equal(a.membershipVectors?.length, 41);
  });

  it("--match r follows R's definitions; --trees writes both trees", async () => {
    const out = join(dir, "match-r.json");
    const trees = join(dir, "trees.json");
    const args = ["-o", out, "--min-cluster-size", "5", "--match", "r", "--trees", trees, "-q"];
    const { code } = await run([fixture("numpy-float64.npy"), ...args]);
    assert.equal(code, 0);
    const result = JSON.parse(readFileSync(out, "utf8")) as Output;
    assert.equal(result.labels[40], -1);
    assert.notEqual(result.labels[0], result.labels[20]);
    const t = JSON.parse(readFileSync(trees, "utf8")) as {
      condensedTree: { parent: number[]; child: number[]; selectedClusters: number[] };
      singleLinkageTree: { distance: number[] };
    };
    assert.equal(t.singleLinkageTree.distance.length, 40);
    assert.equal(Math.min(...t.condensedTree.parent), 41);
    assert.equal(t.condensedTree.selectedClusters.length, 2);
  });

  it("other clusterers by name", async () => {
    const out = join(dir, "kmeans.json");
    const { code } = await run([
      fixture("numpy-float32.npy"),
      "-o",
      out,
      "--clusterer",
      "kmeans",
      "--n-clusters",
      "2",
      "-q",
    ]);
    assert.equal(code, 0);
    const result = JSON.parse(readFileSync(out, "utf8")) as Output;
    assert.ok(result.labels.every((l) => l === 0 || l === 1));
  });

  it("bad input: one line naming the file and the problem, exit code 2", async () => {
    const cases: [string[], RegExp][] = [
      [[fixture("numpy-int32.npy")], /numpy-int32\.npy: expected a float32 or float64 array/],
      [[fixture("numpy-3d.npy")], /numpy-3d\.npy: expected a 2-D array/],
      [[fixture("numpy-inf.npy")], /numpy-inf\.npy: row 3 has a non-finite value \(Infinity\)/],
      [
        [fixture("numpy-float32.npy"), "--min-cluster-size", "100"],
        /at least min_samples = 100 points, got 41/,
      ],
      [[join(dir, "missing.npy")], /cannot read .*missing\.npy/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await run([...args, "-o", join(dir, "x.json")]);
      assert.equal(code, 2, stderr);
      assert.match(stderr, message);
      assert.equal(stderr.trim().split("\n").length, 1);
    }
  });

  it("exits non-zero from the real binary", async () => {
    const result = await promisify(execFile)(process.execPath, [
      bin,
      "cluster",
      fixture("numpy-int32.npy"),
      "-o",
      "-",
    ]).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(result.code, 2);
    assert.match(result.stderr, /topicscope: error: .*numpy-int32\.npy/);
  });
});
