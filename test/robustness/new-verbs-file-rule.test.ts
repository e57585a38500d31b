/**
 * Issue 18 for the verbs that landed after it (pairs, communities, evaluate-pairs, rerank, store
 * export, index / add --db, add, merge-models, train): each refuses to overwrite its input, refuses an
 * existing output without --force (keeping it) and replaces it with --force — the file rule of
 * src/io/atomic.ts, as test/robustness/file-rule.test.ts checks it for the older verbs. A store's
 * folder is its own: no file goes into it, and --db is never a file, an input or a model folder.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { register as registerAdd } from "../../src/cli/add.js";
import { register as registerCommunities } from "../../src/cli/communities.js";
import { register as registerEvaluatePairs } from "../../src/cli/evaluate-pairs.js";
import { register as registerFit } from "../../src/cli/fit.js";
import { register as registerIndex } from "../../src/cli/index-corpus.js";
import { register as registerMergeModels } from "../../src/cli/merge-models.js";
import { register as registerPairs } from "../../src/cli/pairs.js";
import { register as registerRerank } from "../../src/cli/rerank.js";
import { register as registerStore } from "../../src/cli/store.js";
import { register as registerTrain } from "../../src/cli/train.js";
import type { RegisterVerb } from "../../src/cli/verbs.js";
import { writeMatrixNpy } from "../../src/io/npy.js";
import { createRng } from "../../src/util/rng.js";
import { testCacheDir } from "../cli/helpers.js";
import { runInProcess } from "../cli/in-process.js";
import { tempDir } from "../embed/helpers.js";
import { writeTinyBert } from "../embed/tiny-bert.js";
import { writeSyntheticModel } from "../report/model-fixture.js";

// the verbs run in this process: keep their embedding cache away from the user's
process.env.TOPICSCOPE_CACHE_DIR = testCacheDir;

const VERBS: RegisterVerb[] = [
  registerPairs,
  registerCommunities,
  registerEvaluatePairs,
  registerRerank,
  registerStore,
  registerIndex,
  registerAdd,
  registerMergeModels,
  registerTrain,
  registerFit,
];

const dir = tempDir("new-verbs-file-rule");
after(() => dir.remove());
const path = (name: string) => join(dir.path, name);
const crossEncoder = resolve(import.meta.dirname, "..", "fixtures", "crossencoder", "tiny-1label");

// texts over the tiny BERT's vocabulary (test/embed/tiny-bert.ts), three families of words
const FAMILIES = [
  ["cat", "dog", "sat", "mat", "lazy", "ran"],
  ["market", "stock", "rose", "fell", "today", "new"],
  ["team", "won", "game", "play", "quick", "fox"],
];
function corpusText(n: number, seed: number, prefix: string): string {
  return Array.from({ length: n }, (_, i) => {
    const f = FAMILIES[(i + seed) % 3];
    const words = Array.from({ length: 6 }, (_, k) => f[(i * 7 + k * (seed + 3)) % f.length]);
    return JSON.stringify({ id: `${prefix}${i}`, text: `the ${words.join(" ")}` });
  }).join("\n");
}

const bert = writeTinyBert(path("tiny"), { pooling: "mean" });
const corpus = path("c.jsonl");
const more = path("more.jsonl");
const matrix = path("x.npy");
const pairs = path("p.jsonl");
const model = path("model");
const db = path("db");

async function cli(...args: string[]) {
  const result = await runInProcess(VERBS, ["--quiet", ...args]);
  const lines = result.stderr.split("\n").filter((l) => l.length > 0 && !l.startsWith("warning:"));
  return { ...result, lines };
}

/** Exit 2 with one line matching `pattern`. */
function refused(result: Awaited<ReturnType<typeof cli>>, pattern: RegExp): void {
  assert.equal(result.status, 2, result.stderr);
  assert.equal(result.lines.length, 1, result.stderr);
  assert.match(result.lines[0], pattern);
}

function ok(result: Awaited<ReturnType<typeof cli>>): void {
  assert.equal(result.status, 0, result.stderr);
}

/** Refused without --force with the file kept; replaced with --force. */
async function existingNeedsForce(out: string, ...args: string[]): Promise<void> {
  writeFileSync(out, "precious");
  refused(await cli(...args), /already exists; use --force/);
  assert.equal(readFileSync(out, "utf8"), "precious");
  ok(await cli(...args, "--force"));
  assert.notEqual(readFileSync(out, "utf8"), "precious");
}

before(async () => {
  writeFileSync(corpus, corpusText(60, 0, "c"));
  writeFileSync(more, corpusText(20, 1, "m"));
  const rng = createRng(5);
  writeMatrixNpy(matrix, {
    data: Float32Array.from({ length: 60 * 4 }, (_, i) => (i % 4 === 0 ? 3 : 0) + rng.nextGaussian()),
    rows: 60,
    cols: 4,
  });
  const sentences = FAMILIES.flat();
  writeFileSync(
    pairs,
    Array.from({ length: 24 }, (_, i) =>
      JSON.stringify({
        sentence1: `the ${sentences[i % 18]} ${sentences[(i + 1) % 18]}`,
        sentence2: `a ${sentences[(i * 5) % 18]} ${sentences[(i + 2) % 18]}`,
        score: (i % 5) / 4,
      }),
    ).join("\n"),
  );
  ok(
    await cli(
      "fit",
      corpus,
      "-o",
      model,
      "--model",
      bert,
      "--id-field",
      "id",
      "--reducer",
      "pca",
      "--min-cluster-size",
      "8",
    ),
  );
  ok(await cli("index", corpus, "--db", db, "--model", bert, "--id-field", "id"));
});

describe("pairs, communities, evaluate-pairs, rerank: files", () => {
  test("pairs: never its input (.npy, --corpus), an existing -o only with --force", async () => {
    const kept = { corpus: readFileSync(corpus), matrix: readFileSync(matrix) };
    refused(await cli("pairs", matrix, "--corpus", corpus, "-o", matrix, "--force"), /x\.npy is the input/);
    refused(await cli("pairs", matrix, "--corpus", corpus, "-o", corpus, "--force"), /c\.jsonl is the input/);
    refused(
      await cli("pairs", corpus, "--model", bert, "-o", join(dir.path, ".", "c.jsonl")),
      /is the input/,
    );
    assert.deepEqual(readFileSync(corpus), kept.corpus);
    assert.deepEqual(readFileSync(matrix), kept.matrix);
    const out = path("pairs.jsonl");
    await existingNeedsForce(out, "pairs", matrix, "--corpus", corpus, "-o", out, "--show", "0");
    assert.match(readFileSync(out, "utf8").split("\n")[0], /^\{"score":[-0-9.e]+,"i":\d+,"j":\d+,"id1":/);
  });

  test("communities: -o never an input, an existing one only with --force", async () => {
    refused(
      await cli("communities", matrix, "--corpus", corpus, "-o", corpus, "--force"),
      /c\.jsonl is the input/,
    );
    const out = path("communities.json");
    await existingNeedsForce(
      out,
      "communities",
      matrix,
      "--corpus",
      corpus,
      "-o",
      out,
      "--threshold",
      "0.2",
      "--min-size",
      "3",
    );
    assert.equal(JSON.parse(readFileSync(out, "utf8")).documents, 60);
  });

  test("evaluate-pairs: -o never the pairs file, an existing one only with --force", async () => {
    refused(
      await cli("evaluate-pairs", pairs, "--model", bert, "-o", pairs, "--force"),
      /p\.jsonl is the input/,
    );
    const out = path("metrics.json");
    await existingNeedsForce(out, "evaluate-pairs", pairs, "--model", bert, "-o", out);
    assert.equal(JSON.parse(readFileSync(out, "utf8")).count, 24);
  });

  test("rerank: -o never the corpus nor a file of the cross-encoder, an existing one only with --force", async () => {
    refused(
      await cli("rerank", crossEncoder, "the dog", corpus, "-o", corpus, "--force"),
      /c\.jsonl is the input/,
    );
    refused(
      await cli("rerank", crossEncoder, "the dog", corpus, "-o", crossEncoder),
      /tiny-1label is a folder; give a file name/,
    );
    const out = path("ranked.jsonl");
    await existingNeedsForce(out, "rerank", crossEncoder, "the dog", corpus, "-o", out, "-k", "3");
    assert.equal(readFileSync(out, "utf8").trim().split("\n").length, 3);
  });

  test("no verb writes a file into a model folder or a store folder", async () => {
    refused(
      await cli("pairs", matrix, "-o", join(model, "pairs.jsonl")),
      /inside a topicscope model folder .*model, and this verb does not own that file/,
    );
    refused(
      await cli("rerank", crossEncoder, "the dog", corpus, "-o", join(db, "ranked.jsonl")),
      /inside a topicscope vector store .*db, and this verb does not own that file/,
    );
    assert.ok(!existsSync(join(db, "ranked.jsonl")));
  });
});

describe("the store's folder is the store's own", () => {
  test("store export: -o is not the store nor inside it; an existing file only with --force", async () => {
    refused(await cli("store", "export", "--db", db, "-o", db), /db is a folder; give a file name/);
    refused(
      await cli("store", "export", "--db", db, "-o", join(db, "all.arrow")),
      /inside a topicscope vector store/,
    );
    const out = path("all.arrow");
    await existingNeedsForce(out, "store", "export", "--db", db, "-o", out);
    assert.ok(readFileSync(out).subarray(0, 6).equals(Buffer.from("ARROW1")));
    assert.deepEqual(
      readdirSync(dir.path).filter((n) => n.endsWith(".tmp")),
      [],
    );
  });

  test("index --db: never a file, an input, a model folder, inside one, or a folder of other files", async () => {
    const kept = readFileSync(corpus);
    refused(await cli("index", corpus, "--db", corpus, "--model", bert), /--db .*c\.jsonl is the input/);
    refused(
      await cli("index", more, "--db", corpus, "--model", bert),
      /c\.jsonl is a file, not a store folder/,
    );
    refused(
      await cli("index", corpus, "--db", model, "--model", bert),
      /--db .*model is a topicscope model folder; a store needs a folder of its own/,
    );
    refused(
      await cli("index", corpus, "--db", join(db, "docs.lance"), "--model", bert),
      /--db .*docs\.lance is inside a topicscope vector store .*db; pass the store's own folder/,
    );
    refused(
      await cli("index", corpus, "--db", join(model, "store"), "--model", bert),
      /--db .*store is inside a topicscope model folder/,
    );
    const notes = path("notes");
    mkdirSync(notes);
    writeFileSync(join(notes, "thesis.tex"), "years of work");
    refused(
      await cli("index", corpus, "--db", notes, "--model", bert),
      /notes is not a store \(no Lance tables/,
    );
    refused(
      await cli("index", corpus, "--db", join(corpus, "db"), "--model", bert),
      /c\.jsonl is not a folder/,
    );
    assert.deepEqual(readFileSync(corpus), kept);
    assert.deepEqual(readdirSync(notes), ["thesis.tex"]);
    assert.ok(!existsSync(join(model, "store")));
    assert.ok(!readdirSync(model).some((n) => n.endsWith(".lance")));
  });

  test("add --db: checked before any work, never inside the new model folder", async () => {
    const out = path("grown-db");
    refused(await cli("add", model, more, "-o", out, "--id-field", "id", "--db", model), /is the input/);
    const other = path("other-model");
    mkdirSync(other);
    writeSyntheticModel(other);
    refused(
      await cli("add", model, more, "-o", out, "--id-field", "id", "--db", other),
      /other-model is a topicscope model folder/,
    );
    refused(
      await cli("add", model, more, "-o", out, "--id-field", "id", "--db", join(out, "store")),
      /--db .*store is in the new model folder -o/,
    );
    refused(await cli("add", model, more, "-o", out, "--id-field", "id", "--db", more), /is the input/);
    assert.ok(!existsSync(out), "nothing was written");
  });
});

describe("model and adapter folders", () => {
  test("add: -o never holds the corpus; an existing folder only with --force", async () => {
    const holder = path("holder");
    mkdirSync(holder);
    const inside = join(holder, "more.jsonl");
    cpSync(more, inside);
    refused(await cli("add", model, inside, "-o", holder, "--force", "--no-report"), /holds the input/);
    assert.ok(existsSync(inside));
    const out = path("grown");
    mkdirSync(out);
    writeFileSync(join(out, "keep.txt"), "mine");
    refused(
      await cli("add", model, more, "-o", out, "--id-field", "id", "--no-report"),
      /already exists; use --force/,
    );
    refused(
      await cli("add", model, more, "-o", out, "--id-field", "id", "--no-report", "--force"),
      /will not replace .*grown: it is not a topicscope model folder/,
    );
    assert.equal(readFileSync(join(out, "keep.txt"), "utf8"), "mine");
    const fresh = path("grown-fresh");
    ok(await cli("add", model, more, "-o", fresh, "--id-field", "id", "--no-report"));
    refused(await cli("add", model, more, "-o", fresh, "--id-field", "id", "--no-report"), /already exists/);
    ok(await cli("add", model, more, "-o", fresh, "--id-field", "id", "--no-report", "--force"));
    assert.equal(readFileSync(join(fresh, "documents.jsonl"), "utf8").trim().split("\n").length, 80);
  });

  test("merge-models: -o never the second model (merge-models a b -o b --force replaced b)", async () => {
    const b = path("b-model");
    cpSync(model, b, { recursive: true });
    const before = readFileSync(join(b, "documents.jsonl"));
    refused(
      await cli("merge-models", model, b, "-o", b, "--force", "--no-report"),
      /-o .*b-model is the input/,
    );
    refused(
      await cli("merge-models", model, b, "-o", model, "--force", "--no-report"),
      /is the input model folder/,
    );
    assert.deepEqual(readFileSync(join(b, "documents.jsonl")), before);
    const out = path("merged");
    ok(await cli("merge-models", model, b, "-o", out, "--no-report"));
    refused(await cli("merge-models", model, b, "-o", out, "--no-report"), /already exists; use --force/);
    ok(await cli("merge-models", model, b, "-o", out, "--no-report", "--force"));
    assert.equal(readFileSync(join(out, "documents.jsonl"), "utf8").trim().split("\n").length, 120);
  });

  test("train: never its inputs; --force replaces an adapter folder, never another folder", async () => {
    const train = (out: string, ...extra: string[]) =>
      cli("train", pairs, "--loss", "cosent", "--model", bert, "--epochs", "1", "-o", out, ...extra);
    refused(await train(dir.path, "--force"), /holds the input/);
    refused(await train(bert, "--force"), /is the input/);
    const notes = path("train-notes");
    mkdirSync(notes);
    writeFileSync(join(notes, "draft.md"), "years of work");
    refused(
      await train(notes, "--force"),
      /will not replace .*train-notes: it is not an adapter folder written by topicscope train/,
    );
    assert.equal(readFileSync(join(notes, "draft.md"), "utf8"), "years of work");
    const adapter = path("adapter");
    ok(await train(adapter));
    const first = readFileSync(join(adapter, "adapter.json"), "utf8");
    refused(await train(adapter), /output folder .*adapter already exists; use --force/);
    ok(await train(adapter, "--force", "--seed", "9"));
    assert.notEqual(readFileSync(join(adapter, "adapter.json"), "utf8"), first);
  });
});
