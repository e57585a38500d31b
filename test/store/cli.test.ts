import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { openStore } from "../../src/store/index.js";
import { repoRoot, runCli, testCacheDir } from "../cli/helpers.js";
import { tempDir } from "../embed/helpers.js";
import { writeTinyBert } from "../embed/tiny-bert.js";

const dir = tempDir("store-cli");
after(() => dir.remove());

// The tiny BERT's 40-word vocabulary (test/embed/tiny-bert.ts) makes these texts distinct vectors.
const words = ["cat", "dog", "sat", "mat", "quick", "brown", "fox", "jumps", "lazy", "red", "big", "small"];
function corpus(n: number, start = 0): string {
  return Array.from({ length: n }, (_, k) => {
    const i = start + k;
    const text = `the ${words[i % 12]} ${words[(i * 5 + 1) % 12]} ${words[(i * 7 + 3) % 12]} ${i % 3 === 0 ? "" : words[(i * 11 + 2) % 12]}`;
    return JSON.stringify({ id: `n${i}`, text: i === 4 ? "" : text, label: i % 2 === 0 ? "even" : "odd" });
  }).join("\n");
}

/** The error line: warnings about the corpus may come before it. */
function lastLine(stderr: string): string {
  const lines = stderr.trimEnd().split("\n");
  assert.ok(
    lines.every((l, i) => i === lines.length - 1 || l.startsWith("warning:")),
    stderr,
  );
  return lines[lines.length - 1];
}

describe("topicscope index / search --db", () => {
  const model = writeTinyBert(join(dir.path, "tiny"), { pooling: "mean" });
  const otherModel = writeTinyBert(join(dir.path, "tiny-cls"), { pooling: "cls" });
  const input = join(dir.path, "docs.jsonl");
  writeFileSync(input, corpus(40));
  const db = join(dir.path, "db");
  const index = (...extra: string[]) =>
    runCli([
      "index",
      input,
      "--db",
      db,
      "--model",
      model,
      "--id-field",
      "id",
      "--label-field",
      "label",
      ...extra,
    ]);

  test("indexes, finds a document by its own text first, filters, prints JSON; re-indexing adds nothing", () => {
    const first = index();
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /added 39 documents \(1 blank, not stored\); .* holds 39 rows; exact search/);
    const text = JSON.parse(corpus(40).split("\n")[10]).text as string;
    const hits = runCli(["search", "--db", db, text, "-k", "3"]);
    assert.equal(hits.status, 0, hits.stderr);
    const lines = hits.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^ {2}1 {2}1\.0000 {2}\[n10\] {2}the /);

    const json = runCli(["search", "--db", db, text, "-k", "40", "--where", "label = 'odd'", "--json"]);
    assert.equal(json.status, 0, json.stderr);
    const rows = json.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { rank: number; id: string; label: string; score: number });
    assert.equal(rows.length, 20);
    assert.ok(rows.every((r) => r.label === "odd"));
    assert.deepEqual(
      rows.map((r) => r.rank),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.ok(rows.every((r, i) => i === 0 || r.score <= rows[i - 1].score));

    const again = index();
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /added 0 documents \(39 already stored, 1 blank, not stored\)/);
  });

  test("more documents later: only the new ones are added; the model is the store's own", () => {
    const more = join(dir.path, "more.jsonl");
    writeFileSync(more, corpus(10, 40));
    const result = runCli(["index", more, "--db", db, "--id-field", "id"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /added 10 documents; .* holds 49 rows/);
  });

  test("bad input: another model, a duplicate id, a bad filter, a folder that is not a store — one line, exit 2", () => {
    const other = runCli(["index", input, "--db", db, "--model", otherModel, "--id-field", "id"]);
    assert.equal(other.status, 2);
    assert.match(
      lastLine(other.stderr),
      /^topicscope: error: store .* holds 16-d vectors of onnx:tiny@.*pooling=mean.*; this run embeds with onnx:tiny-cls@.*pooling=cls.*\(16-d\): use --model .*tiny,/,
    );

    const dup = join(dir.path, "dup.jsonl");
    writeFileSync(dup, `${corpus(3)}\n${JSON.stringify({ id: "n1", text: "the red fox" })}`);
    const dupResult = runCli([
      "index",
      dup,
      "--db",
      join(dir.path, "dup-db"),
      "--model",
      model,
      "--id-field",
      "id",
    ]);
    assert.equal(dupResult.status, 2);
    assert.match(
      dupResult.stderr,
      /^topicscope: error: .*dup\.jsonl: duplicate id 'n1' \(documents 2 and 4\).*\n$/,
    );
    assert.doesNotMatch(dupResult.stderr, /warning|▸/);
    assert.ok(!existsSync(join(dir.path, "dup-db")), "no store was created");

    const filter = runCli(["search", "--db", db, "the cat", "--where", "label = = 'odd'"]);
    assert.equal(filter.status, 2);
    assert.match(filter.stderr, /^topicscope: error: filter "label = = 'odd'": sql parser error: [^\n]*\n$/);

    const papers = join(dir.path, "papers");
    mkdirSync(papers);
    writeFileSync(join(papers, "draft.txt"), "not a store");
    for (const args of [
      ["index", input, "--db", papers, "--model", model],
      ["search", "--db", papers, "the cat"],
    ]) {
      const r = runCli(args);
      assert.equal(r.status, 2);
      assert.match(lastLine(r.stderr), /^topicscope: error: .*papers is not a store \(no Lance tables in it/);
    }
    const missing = runCli(["search", "--db", join(dir.path, "nowhere"), "the cat"]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no store at .*nowhere/);
  });

  test("a run killed with SIGKILL resumes: every document once", async () => {
    const big = join(dir.path, "big.jsonl");
    writeFileSync(big, corpus(1500));
    const killedDb = join(dir.path, "killed");
    const args = ["index", big, "--db", killedDb, "--model", model, "--id-field", "id", "--batch-size", "20"];
    const child = spawn(process.execPath, [join(repoRoot, "bin", "topicscope.js"), ...args], {
      env: { ...process.env, TOPICSCOPE_CACHE_DIR: testCacheDir },
      stdio: "ignore",
    });
    const versions = join(killedDb, "docs.lance", "_versions");
    // kill once a few batches are committed (each commit is a new table version)
    let done = false;
    const exited = new Promise<void>((resolve) =>
      child.on("exit", () => {
        done = true;
        resolve();
      }),
    );
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && !done) {
      if (existsSync(versions) && readdirSync(versions).length >= 4) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGKILL");
    await exited;
    const partial = await openStore(killedDb);
    const before = await partial.count();
    await partial.close();
    assert.ok(before > 0 && before < 1499, `the kill should land mid-run (had ${before} rows)`);

    const resumed = runCli(args);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`added ${1499 - before} documents \\(${before} already stored`));
    const store = await openStore(killedDb);
    const ids = [...(await store.knownIds())];
    assert.equal(await store.count(), 1499);
    assert.equal(new Set(ids).size, 1499);
    await store.close();
  });
});
