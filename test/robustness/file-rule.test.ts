/**
 * Issue 18, points 1, 3 and 7: every verb that writes follows one file rule (src/io/atomic.ts) —
 * never its input, never a model folder's file it does not own, never an existing file without
 * --force, a writable place checked before any work — and leftovers of killed runs are cleaned.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { register as registerCluster } from "../../src/cli/cluster.js";
import { register as registerEmbed } from "../../src/cli/embed.js";
import { register as registerEvaluate } from "../../src/cli/evaluate.js";
import { register as registerFit } from "../../src/cli/fit.js";
import { register as registerHierarchy } from "../../src/cli/hierarchy.js";
import { register as registerNeighbors } from "../../src/cli/neighbors.js";
import { register as registerReduce } from "../../src/cli/reduce.js";
import { register as registerTransform } from "../../src/cli/transform.js";
import type { RegisterVerb } from "../../src/cli/verbs.js";
import { register as registerVisualize } from "../../src/cli/visualize.js";
import { cleanLeftovers, writeFolderAtomic } from "../../src/io/atomic.js";
import { writeMatrixNpy } from "../../src/io/npy.js";
import { loadModelFolder } from "../../src/topics/folder/format.js";
import { UserError } from "../../src/util/errors.js";
import { createRng } from "../../src/util/rng.js";
import { repoRoot } from "../cli/helpers.js";
import { runInProcess } from "../cli/in-process.js";
import { writeSyntheticModel } from "../report/model-fixture.js";

const VERBS: RegisterVerb[] = [
  registerEmbed,
  registerTransform,
  registerReduce,
  registerCluster,
  registerNeighbors,
  registerEvaluate,
  registerHierarchy,
  registerFit,
  registerVisualize,
];

const dir = mkdtempSync(join(tmpdir(), "topicscope-file-rule-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const corpus = join(dir, "c.jsonl");
const matrix = join(dir, "x.npy");
const model = join(dir, "model");
const otherModel = join(dir, "other-model");
const CORPUS = Array.from({ length: 40 }, (_, i) =>
  JSON.stringify({ id: `d${i}`, text: `${["tax budget deficit", "goal match team"][i % 2]} note ${i}` }),
).join("\n");

before(() => {
  writeFileSync(corpus, CORPUS);
  const rng = createRng(3);
  writeMatrixNpy(matrix, {
    data: Float32Array.from({ length: 40 * 4 }, () => rng.nextGaussian()),
    rows: 40,
    cols: 4,
  });
  mkdirSync(model);
  writeSyntheticModel(model);
  mkdirSync(otherModel);
  writeSyntheticModel(otherModel);
});

async function cli(...args: string[]) {
  const result = await runInProcess(VERBS, ["--quiet", ...args]);
  const lines = result.stderr.split("\n").filter((l) => l.length > 0);
  return { ...result, lines };
}

/** Exit 2 with one line matching `pattern`. */
function refused(result: Awaited<ReturnType<typeof cli>>, pattern: RegExp): void {
  assert.equal(result.status, 2, result.stderr);
  assert.equal(result.lines.length, 1, result.stderr);
  assert.match(result.lines[0], pattern);
}

describe("never the input", () => {
  test("embed, transform, reduce, cluster and neighbors refuse to write over their input", async () => {
    const before = { corpus: readFileSync(corpus), matrix: readFileSync(matrix) };
    refused(await cli("embed", corpus, "-o", corpus, "--force"), /-o .*c\.jsonl is the input/);
    refused(await cli("transform", model, corpus, "-o", corpus, "--force"), /is the input/);
    refused(await cli("reduce", matrix, "-o", matrix, "--force"), /x\.npy is the input/);
    refused(await cli("cluster", matrix, "-o", matrix, "--force"), /x\.npy is the input/);
    refused(await cli("neighbors", matrix, "-o", matrix, "--force"), /x\.npy is the input/);
    // also through another spelling of the same path
    refused(await cli("reduce", matrix, "-o", join(dir, ".", "x.npy"), "--force"), /is the input/);
    assert.deepEqual(readFileSync(corpus), before.corpus);
    assert.deepEqual(readFileSync(matrix), before.matrix);
  });

  test("cluster's --trees may not be its -o", async () => {
    const out = join(dir, "trees.json");
    refused(await cli("cluster", matrix, "-o", out, "--trees", out), /--trees .* is the input/);
  });

  test("fit will not replace a folder that holds its corpus", async () => {
    const folder = join(dir, "holds-corpus");
    mkdirSync(folder, { recursive: true });
    const inside = join(folder, "c.jsonl");
    writeFileSync(inside, CORPUS);
    refused(await cli("fit", inside, "-o", folder, "--force"), /holds the input/);
    assert.equal(readFileSync(inside, "utf8"), CORPUS);
  });
});

describe("a model folder's files belong to the model", () => {
  test("evaluate -o M/documents.jsonl is refused, even with --force, and the model still loads", async () => {
    const target = join(model, "documents.jsonl");
    const before = readFileSync(target);
    refused(await cli("evaluate", model, "-o", target), /inside a topicscope model folder/);
    refused(await cli("evaluate", model, "-o", target, "--force"), /does not own that file/);
    assert.deepEqual(readFileSync(target), before);
    assert.equal(loadModelFolder(model).documents.length, 67);
  });

  test("a verb's own file in another model's folder is not its own", async () => {
    refused(
      await cli("hierarchy", model, "-o", join(otherModel, "hierarchy.json")),
      /other-model, and this verb does not own/,
    );
    refused(await cli("visualize", model, "-o", otherModel), /inside a topicscope model folder/);
  });

  test("a verb's own file in its own model folder is replaced without --force", async () => {
    const first = await cli("hierarchy", model);
    assert.equal(first.status, 0, first.stderr);
    assert.ok(existsSync(join(model, "hierarchy.json")));
    const again = await cli("hierarchy", model);
    assert.equal(again.status, 0, again.stderr);
  });

  test("--force replaces a model folder, never another folder", async () => {
    const notes = join(dir, "notes");
    mkdirSync(notes, { recursive: true });
    writeFileSync(join(notes, "thesis.tex"), "years of work");
    refused(
      await cli("fit", corpus, "-o", notes, "--force"),
      /will not replace .*notes: it is not a topicscope model folder/,
    );
    assert.equal(readFileSync(join(notes, "thesis.tex"), "utf8"), "years of work");
  });
});

describe("never an existing file without --force", () => {
  test("reduce: refused without --force (file kept), replaced with it", async () => {
    const out = join(dir, "existing.npy");
    writeFileSync(out, "precious");
    refused(
      await cli("reduce", matrix, "-o", out, "--reducer", "none"),
      /existing\.npy already exists; use --force/,
    );
    assert.equal(readFileSync(out, "utf8"), "precious");
    const forced = await cli("reduce", matrix, "-o", out, "--reducer", "none", "--force");
    assert.equal(forced.status, 0, forced.stderr);
    assert.notEqual(readFileSync(out, "utf8"), "precious");
  });
});

describe("the output place is checked before any work", () => {
  test("-o naming a folder, or a path under a file, is one line, exit 2", async () => {
    const folder = join(dir, "a-folder");
    mkdirSync(folder, { recursive: true });
    refused(await cli("reduce", matrix, "-o", folder), /a-folder is a folder; give a file name/);
    refused(await cli("cluster", matrix, "-o", join(matrix, "out.json")), /x\.npy is not a folder/);
    // embed names the output problem, not the (missing) model it would have loaded first
    refused(
      await cli("embed", corpus, "-o", folder, "--model", join(dir, "no-such-model")),
      /a-folder is a folder/,
    );
  });

  test("a read-only output folder: exit 2 naming it, before embedding", {
    skip: process.platform === "win32",
  }, () => {
    const readOnly = join(dir, "read-only");
    mkdirSync(readOnly, { recursive: true });
    chmodSync(readOnly, 0o555);
    chmodSync(dir, 0o755);
    // root writes anywhere, so the CLI runs as nobody when the tests run as root
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const nobodyCache = mkdtempSync(join(tmpdir(), "topicscope-nobody-cache-"));
    chmodSync(nobodyCache, 0o777);
    chmodSync(corpus, 0o644);
    const runAs = (args: string[]) =>
      spawnSync(process.execPath, [join(repoRoot, "bin", "topicscope.js"), ...args], {
        encoding: "utf8",
        env: { ...process.env, TOPICSCOPE_CACHE_DIR: nobodyCache, HOME: nobodyCache, TMPDIR: nobodyCache },
        ...asNobody,
      });
    const fit = runAs(["fit", corpus, "-o", join(readOnly, "model"), "--model", "no/such-model"]);
    assert.equal(fit.status, 2, fit.stderr);
    assert.match(
      fit.stderr,
      /^topicscope: error: -o .*model: cannot write to .*read-only: permission denied \(EACCES\)/,
    );
    const run = spawnSync(
      process.execPath,
      [
        join(repoRoot, "bin", "topicscope.js"),
        "embed",
        corpus,
        "-o",
        join(readOnly, "e.npy"),
        "--model",
        "no/such-model",
      ],
      {
        encoding: "utf8",
        env: { ...process.env, TOPICSCOPE_CACHE_DIR: nobodyCache, HOME: nobodyCache, TMPDIR: nobodyCache },
        ...asNobody,
      },
    );
    rmSync(nobodyCache, { recursive: true, force: true });
    assert.equal(run.status, 2, run.stderr);
    assert.match(
      run.stderr,
      /^topicscope: error: -o .*e\.npy: cannot write to .*read-only: permission denied \(EACCES\)/,
    );
    assert.equal(run.stderr.trim().split("\n").length, 1);
  });
});

describe("leftovers of killed runs", () => {
  /** The id of a process that has exited. */
  function deadPid(): number {
    const child = spawnSync(process.execPath, ["-e", ""]);
    assert.equal(child.status, 0);
    return child.pid;
  }

  test("partial folders and temporary files of dead processes go; a moved-aside result comes back", () => {
    const parent = mkdtempSync(join(dir, "leftovers-"));
    const dead = deadPid();
    const partial = join(parent, `.model.partial.${dead}.1700000000000`);
    mkdirSync(partial);
    writeFileSync(join(partial, "embeddings.npy"), Buffer.alloc(100_000));
    const live = join(parent, `.other.partial.${process.pid}.1700000000000`);
    mkdirSync(live);
    writeFileSync(join(parent, `.x.npy.${dead}.1700000000000.tmp`), "half");
    // another program's temporary file, and a file named like a partial folder: not ours, kept
    writeFileSync(join(parent, `.editor.${dead}.42.tmp`), "theirs");
    writeFileSync(join(parent, `.notes.partial.${dead}.1700000000000`), "a file");
    const aside = join(parent, `.kept.old.${dead}.1700000000000`);
    mkdirSync(aside);
    writeFileSync(join(aside, "model.json"), "{}");
    const report = cleanLeftovers(parent);
    assert.deepEqual(
      report.removed.sort(),
      [
        join(parent, `.model.partial.${dead}.1700000000000`),
        join(parent, `.x.npy.${dead}.1700000000000.tmp`),
      ].sort(),
    );
    assert.ok(report.bytes >= 100_000);
    assert.deepEqual(report.restored, [join(parent, "kept")]);
    assert.deepEqual(report.inProgress, [live]);
    assert.deepEqual(readdirSync(parent).sort(), [
      `.editor.${dead}.42.tmp`,
      `.notes.partial.${dead}.1700000000000`,
      `.other.partial.${process.pid}.1700000000000`,
      "kept",
    ]);
    assert.equal(readFileSync(join(parent, "kept", "model.json"), "utf8"), "{}");
  });

  test("a later run next to them removes them and says so", async () => {
    const parent = mkdtempSync(join(dir, "later-run-"));
    const dead = deadPid();
    for (let i = 0; i < 4; i++) {
      const partial = join(parent, `.m.partial.${dead}.${1700000000000 + i}`);
      mkdirSync(partial);
      writeFileSync(join(partial, "embeddings.npy"), Buffer.alloc(1_000_000));
    }
    const run = await runInProcess(VERBS, [
      "reduce",
      matrix,
      "-o",
      join(parent, "r.npy"),
      "--reducer",
      "none",
    ]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /warning: removed 4 leftovers of killed runs \(4\.0 MB\)/);
    assert.deepEqual(readdirSync(parent), ["r.npy"]);
  });

  test("a folder write killed by SIGKILL leaves a partial that the next write removes", async () => {
    const parent = mkdtempSync(join(dir, "killed-"));
    const target = join(parent, "model");
    // a child builds a folder and is killed while it writes
    const script = `
      import { writeFolderAtomic } from ${JSON.stringify(join(repoRoot, "src", "io", "atomic.ts"))};
      import { writeFileSync } from "node:fs";
      await writeFolderAtomic(${JSON.stringify(target)}, async (dir) => {
        writeFileSync(dir + "/big.bin", Buffer.alloc(2_000_000));
        process.kill(process.pid, "SIGKILL");
      });`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    assert.equal(child.signal, "SIGKILL", child.stderr);
    assert.equal(readdirSync(parent).filter((n) => n.includes(".partial.")).length, 1);
    const notices: string[] = [];
    await writeFolderAtomic(target, (dir) => writeFileSync(join(dir, "ok"), "ok"), {
      onNotice: (m) => notices.push(m),
    });
    assert.deepEqual(readdirSync(parent), ["model"]);
    assert.match(notices.join(), /removed 1 leftover of killed runs \(2\.0 MB\)/);
  });

  test("writeFolderAtomic without a replaceable rule replaces only empty folders", async () => {
    const parent = mkdtempSync(join(dir, "replace-"));
    const target = join(parent, "t");
    mkdirSync(target);
    writeFileSync(join(target, "mine"), "x");
    await assert.rejects(
      writeFolderAtomic(target, () => {}, { force: true }),
      (e: unknown) => e instanceof UserError && /will not replace/.test(e.message),
    );
    assert.equal(readFileSync(join(target, "mine"), "utf8"), "x");
  });
});
