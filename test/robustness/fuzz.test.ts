/**
 * Seeded fuzzing of everything that reads user files: the corpus readers (JSONL, CSV, TSV, TXT, stdin
 * sniffing) and the .npy reader get random bytes, random truncations and byte flips of valid files,
 * and JSON lines of random shapes. Each case must either succeed or fail with a UserError (one line,
 * exit 2 at the CLI) — never another exception, which the CLI would report as an internal error.
 * A smaller set goes through the CLI itself (in process) to check the exit code, that stderr is one
 * line, and that a failed run leaves no output file and no temporary file behind.
 *
 * The seed is fixed, so a failure reproduces; FUZZ_SEED=<n> FUZZ_CASES=<n> explore further.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, describe, test } from "node:test";
import { register as registerCluster } from "../../src/cli/cluster.js";
import { register as registerEmbed } from "../../src/cli/embed.js";
import { register as registerReduce } from "../../src/cli/reduce.js";
import { type CorpusFormat, readCorpus } from "../../src/corpus/index.js";
import { encodeNpy, parseNpy, readMatrixNpy } from "../../src/io/npy.js";
import { UserError } from "../../src/util/errors.js";
import { createRng, type Rng } from "../../src/util/rng.js";
import { runInProcess } from "../cli/in-process.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const CASES = Number(process.env.FUZZ_CASES ?? 700);

const dir = mkdtempSync(join(tmpdir(), "topicscope-fuzz-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.nextInt(items.length)];

const ALPHABET = [
  '"',
  ",",
  "\t",
  "\n",
  "\r",
  "{",
  "}",
  "[",
  "]",
  ":",
  "\\",
  " ",
  "a",
  "é",
  "\u202E",
  "\u0000",
  "\u001b",
  "1",
  "-",
  ".",
];

function randomString(rng: Rng, max = 12): string {
  let out = "";
  const n = rng.nextInt(max + 1);
  for (let i = 0; i < n; i++)
    out += rng.next() < 0.7 ? pick(rng, ALPHABET) : String.fromCharCode(32 + rng.nextInt(0x3000));
  return out;
}

/** A random JSON value, nested up to `depth`. */
function randomJson(rng: Rng, depth = 3): unknown {
  const kind = rng.nextInt(depth > 0 ? 8 : 5);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.next() < 0.5;
    case 2:
      return pick(rng, [0, -1, 12345, 1.5e300, -0, 3.14]);
    case 3:
    case 4:
      return randomString(rng);
    case 5:
      return Array.from({ length: rng.nextInt(4) }, () => randomJson(rng, depth - 1));
    default: {
      const out: Record<string, unknown> = {};
      const keys = ["text", "id", "label", "time", randomString(rng, 4)];
      for (let i = rng.nextInt(5); i > 0; i--) out[pick(rng, keys)] = randomJson(rng, depth - 1);
      return out;
    }
  }
}

function randomBytes(rng: Rng, max = 300): Uint8Array {
  return Uint8Array.from({ length: rng.nextInt(max + 1) }, () => rng.nextInt(256));
}

function mutate(rng: Rng, bytes: Uint8Array): Uint8Array {
  const r = rng.next();
  if (r < 0.4) return bytes.slice(0, rng.nextInt(bytes.length + 1)); // truncation
  const out = Uint8Array.from(bytes);
  for (let flips = 1 + rng.nextInt(4); flips > 0 && out.length > 0; flips--)
    out[rng.nextInt(out.length)] = rng.nextInt(256);
  return r < 0.7 ? out : out.slice(rng.nextInt(out.length + 1)); // flipped, or flipped and cut at the front
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** A valid file of the format, to be mutated. */
function validCorpus(rng: Rng, format: Exclude<CorpusFormat, "folder">): Uint8Array {
  const n = 1 + rng.nextInt(5);
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `d${i}`,
    text: `doc ${i} ${randomString(rng, 6)}`,
  }));
  switch (format) {
    case "jsonl":
      return utf8(rows.map((r) => JSON.stringify(r)).join("\n"));
    case "csv":
      return utf8(`id,text\n${rows.map((r) => `${r.id},"${r.text.replace(/"/g, '""')}"`).join("\n")}\n`);
    case "tsv":
      return utf8(
        `id\ttext\n${rows.map((r) => `${r.id}\t${r.text.replace(/[\t\n\r]/g, " ")}`).join("\n")}\n`,
      );
    case "txt":
      return utf8(rows.map((r) => r.text).join("\n"));
  }
}

/** Random JSON shapes, one per line (some lines not JSON at all). */
function randomJsonl(rng: Rng): Uint8Array {
  const lines = Array.from({ length: 1 + rng.nextInt(5) }, () =>
    rng.next() < 0.1 ? randomString(rng) : JSON.stringify(randomJson(rng)),
  );
  return utf8(lines.join(rng.next() < 0.2 ? "\r\n" : "\n"));
}

function corpusCase(rng: Rng): { bytes: Uint8Array; format?: Exclude<CorpusFormat, "folder"> } {
  const format = pick(rng, ["jsonl", "csv", "tsv", "txt", undefined] as const);
  const r = rng.next();
  if (r < 0.25) return { bytes: randomBytes(rng), format };
  if (r < 0.55 && (format === "jsonl" || format === undefined)) return { bytes: randomJsonl(rng), format };
  return { bytes: mutate(rng, validCorpus(rng, format ?? "jsonl")), format };
}

/** A valid .npy (several dtypes and shapes) to be mutated, or the header alone rewritten at random. */
function npyCase(rng: Rng): Uint8Array {
  const rows = rng.nextInt(4);
  const cols = 1 + rng.nextInt(4);
  const data =
    rng.next() < 0.5
      ? Float32Array.from({ length: rows * cols }, () => rng.nextGaussian())
      : rng.next() < 0.5
        ? Float64Array.from({ length: rows * cols }, () => rng.nextGaussian())
        : Int32Array.from({ length: rows * cols }, () => rng.nextInt(100));
  const valid = encodeNpy(data, rng.next() < 0.8 ? [rows, cols] : [rows * cols]);
  const r = rng.next();
  if (r < 0.15) return randomBytes(rng, 80);
  if (r < 0.4) {
    // a hand-written header with random pieces
    const descr = pick(rng, ["<f4", "<f8", "<i4", "<i8", "|f4", ">f4", "<u1", "x", ""]);
    const shape = pick(rng, [
      "(2, 3)",
      "(3,)",
      "()",
      "(-1, 2)",
      "(a, 2)",
      "(1e9, 1e9)",
      "(2, 3, 4)",
      "(0, 5)",
      "(99999999999999999999,)",
    ]);
    const order = pick(rng, ["False", "True", "Maybe"]);
    const header = `{'descr': '${descr}', 'fortran_order': ${order}, 'shape': ${shape}, }\n`;
    const body = randomBytes(rng, 64);
    const out = new Uint8Array(10 + header.length + body.length);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, pick(rng, [1, 2, 3, 9]), 0]);
    new DataView(out.buffer).setUint16(8, rng.next() < 0.9 ? header.length : rng.nextInt(65536), true);
    out.set(utf8(header), 10);
    out.set(body, 10 + header.length);
    return out;
  }
  return mutate(rng, valid);
}

/** Fails the test with the case when `run` throws anything but a UserError. */
async function expectUserErrorOrSuccess(what: string, input: Uint8Array, run: () => unknown): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof UserError) {
      assert.ok(error.message.length > 0, `${what}: empty message`);
      return;
    }
    const shown = Buffer.from(input).toString("base64");
    assert.fail(`${what}: ${error instanceof Error ? error.stack : String(error)}\ninput (base64): ${shown}`);
  }
}

describe("fuzz: readers fail only with a UserError", () => {
  test(`corpus readers: ${CASES * 3} random, truncated and mutated files`, async () => {
    const rng = createRng(SEED);
    let ok = 0;
    let refused = 0;
    for (let i = 0; i < CASES * 3; i++) {
      const { bytes, format } = corpusCase(rng);
      let succeeded = false;
      await expectUserErrorOrSuccess(`corpus case ${i} (${format ?? "sniffed"})`, bytes, async () => {
        const corpus = await readCorpus("-", { stdin: Readable.from([Buffer.from(bytes)]), format });
        // what a reader returns is what the pipeline expects
        for (const d of corpus.documents) {
          assert.equal(typeof d.id, "string");
          assert.equal(typeof d.text, "string");
        }
        succeeded = true;
      });
      if (succeeded) ok++;
      else refused++;
    }
    // the generator must exercise both outcomes, or it tests nothing
    assert.ok(ok > CASES / 4 && refused > CASES / 4, `${ok} read, ${refused} refused`);
  });

  test(`.npy reader: ${CASES * 2} random, truncated and mutated files`, async () => {
    const rng = createRng(SEED + 1);
    let ok = 0;
    let refused = 0;
    for (let i = 0; i < CASES * 2; i++) {
      const bytes = npyCase(rng);
      let succeeded = false;
      await expectUserErrorOrSuccess(`npy case ${i}`, bytes, () => {
        const array = parseNpy(bytes, "fuzz.npy");
        const count = array.shape.reduce((a, b) => a * b, 1);
        assert.equal(array.data.length, count, "data length matches the shape");
        succeeded = true;
      });
      if (succeeded) ok++;
      else refused++;
    }
    assert.ok(ok > CASES / 10 && refused > CASES / 4, `${ok} read, ${refused} refused`);
  });

  test("readMatrixNpy on files: 2-D float or a UserError", async () => {
    const rng = createRng(SEED + 2);
    for (let i = 0; i < CASES / 2; i++) {
      const bytes = npyCase(rng);
      const path = join(dir, `m${i}.npy`);
      writeFileSync(path, bytes);
      await expectUserErrorOrSuccess(`matrix case ${i}`, bytes, () => {
        const m = readMatrixNpy(path);
        assert.equal(m.data.length, m.rows * m.cols);
      });
      rmSync(path);
    }
  });
});

describe("fuzz: the CLI exits 0 or 2 with one line, never leaving a partial output", () => {
  /** Runs a verb on a fuzzed input; checks the exit code, stderr and the output folder. */
  async function check(verb: string, input: Uint8Array, name: string, args: string[]): Promise<void> {
    const work = mkdtempSync(join(dir, "cli-"));
    const inputPath = join(work, name);
    writeFileSync(inputPath, input);
    const output = join(work, "out", verb === "cluster" ? "clusters.json" : "out.npy");
    const registers = { embed: registerEmbed, reduce: registerReduce, cluster: registerCluster }[verb]!;
    const run = await runInProcess([registers], ["--quiet", verb, inputPath, "-o", output, ...args]);
    const lines = run.stderr.split("\n").filter((l) => l.length > 0 && !l.startsWith("warning: "));
    const shown = `${verb} ${name} (base64 ${Buffer.from(input).toString("base64")}): ${run.stderr}`;
    assert.ok(run.status === 0 || run.status === 2, `exit ${run.status}: ${shown}`);
    if (run.status === 2) {
      assert.equal(lines.length, 1, `one line: ${shown}`);
      assert.match(lines[0], /^topicscope: error: /, shown);
      assert.equal(existsSync(output), false, `no output after a failure: ${shown}`);
    } else {
      assert.ok(existsSync(output), `output written: ${shown}`);
    }
    const outDir = join(work, "out");
    const leftovers = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.startsWith(".")) : [];
    assert.deepEqual(leftovers, [], `no temporary files: ${shown}`);
    rmSync(work, { recursive: true, force: true });
  }

  test("embed (tfidf) on fuzzed corpora", async () => {
    const rng = createRng(SEED + 3);
    for (let i = 0; i < 40; i++) {
      const { bytes, format } = corpusCase(rng);
      const extension = format === undefined ? "jsonl" : format;
      await check("embed", bytes, `c${i}.${extension}`, ["--model", "tfidf", "--no-cache"]);
    }
  });

  test("reduce (pca) and cluster on fuzzed .npy files", async () => {
    const rng = createRng(SEED + 4);
    for (let i = 0; i < 40; i++) {
      const bytes = npyCase(rng);
      await check("reduce", bytes, `x${i}.npy`, ["--reducer", "pca", "--n-components", "1"]);
      await check("cluster", bytes, `x${i}.npy`, ["--min-cluster-size", "2"]);
    }
  });
});
