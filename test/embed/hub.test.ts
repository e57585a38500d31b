/**
 * Hub downloads against a loopback hub (hub-server.ts) serving the tiny BERT the tests build: the
 * first use downloads into <cache>/models/org/name, later uses never touch the network, and every
 * failure (unknown id, private model, no ONNX export, a server dying mid-download, no network, offline
 * without a copy) is one line and leaves nothing half-downloaded in the cache.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import { hubModelFolder, listHubModels } from "../../src/embed/hub.js";
import { createEmbedder } from "../../src/embed/index.js";
import { UserError } from "../../src/util/errors.js";
import { type CliResult, repoRoot, testCacheDir } from "../cli/helpers.js";
import { tempDir } from "./helpers.js";
import { deadEndpoint, type HubServer, startHubServer } from "./hub-server.js";
import { writeTinyBert } from "./tiny-bert.js";

const dir = tempDir("hub");
const tiny = writeTinyBert(join(dir.path, "tiny"), { pooling: "mean", maxSeqLength: 32 });
const noOnnx = writeTinyBert(join(dir.path, "no-onnx"), { omit: ["onnx/model.onnx"] });
const TEXTS = ["the cat sat on the mat", "the team won the game today", ""];
let hub: HubServer;
const savedEnv = { ...process.env };

before(async () => {
  hub = await startHubServer({
    "tiny/bert": { folder: tiny, revisions: ["v1"] },
    "tiny/private": { folder: tiny, token: "secret-token" },
    "tiny/no-onnx": { folder: noOnnx },
    "tiny/flaky": { folder: tiny, dieDuring: ["onnx/model.onnx"] },
  });
});
after(async () => {
  await hub.close();
  dir.remove();
});
afterEach(() => {
  for (const key of ["HF_ENDPOINT", "HF_TOKEN", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"]) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

/** The CLI as a child process, without blocking this process (which serves the hub). */
function runCliAsync(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "bin", "topicscope.js"), ...args], {
      cwd: repoRoot,
      env: { ...process.env, TOPICSCOPE_CACHE_DIR: testCacheDir, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Every file under the cache's models folder (staging folders included), relative. */
function cachedFiles(cacheDir: string): string[] {
  const root = join(cacheDir, "models");
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true }) as string[]).sort();
}

async function embedWith(model: string, options: Record<string, unknown>): Promise<Float32Array> {
  const embedder = await createEmbedder({ model, ...options });
  try {
    return (await embedder.embed(TEXTS)).data;
  } finally {
    await embedder.dispose?.();
  }
}

describe("hub models (loopback hub)", () => {
  test("downloads once into <cache>/models/org/name, then loads from there without the network", async () => {
    const cacheDir = join(dir.path, "cache-download");
    process.env.HF_ENDPOINT = hub.endpoint;
    const before = hub.requests.length;
    const downloaded = await embedWith("tiny/bert", { cacheDir });
    const requested = hub.requests.slice(before).map((r) => r.path);
    for (const file of [
      "config.json",
      "tokenizer.json",
      "tokenizer_config.json",
      "onnx/model.onnx",
      "modules.json",
    ]) {
      assert.ok(
        requested.includes(`/tiny/bert/resolve/main/${file}`),
        `${file} requested: ${requested.join(" ")}`,
      );
    }
    const folder = hubModelFolder(cacheDir, "tiny/bert");
    assert.equal(folder, join(cacheDir, "models", "tiny", "bert"));
    for (const file of [
      "config.json",
      "tokenizer.json",
      "onnx/model.onnx",
      "1_Pooling/config.json",
      "sentence_bert_config.json",
    ]) {
      assert.ok(existsSync(join(folder, file)), file);
    }
    assert.ok(!cachedFiles(cacheDir).some((f) => f.startsWith(".partial/") && f.split("/").length > 1));
    const listed = listHubModels(cacheDir);
    assert.deepEqual(
      listed.map((m) => [m.id, m.folder]),
      [["tiny/bert", folder]],
    );
    assert.ok(listed[0].bytes > 10_000);
    // the same vectors as the folder itself gives
    assert.deepEqual(Array.from(downloaded), Array.from(await embedWith(tiny, {})));
    // later: no request at all, even with the hub gone
    process.env.HF_ENDPOINT = await deadEndpoint();
    const count = hub.requests.length;
    assert.deepEqual(Array.from(await embedWith("tiny/bert", { cacheDir })), Array.from(downloaded));
    assert.equal(hub.requests.length, count);
  });

  test("--revision fetches that revision into org/name@revision", async () => {
    const cacheDir = join(dir.path, "cache-revision");
    process.env.HF_ENDPOINT = hub.endpoint;
    await embedWith("tiny/bert", { cacheDir, revision: "v1" });
    assert.ok(hub.requests.some((r) => r.path === "/tiny/bert/resolve/v1/onnx/model.onnx"));
    assert.ok(existsSync(join(cacheDir, "models", "tiny", "bert@v1", "onnx", "model.onnx")));
    assert.ok(!existsSync(join(cacheDir, "models", "tiny", "bert")));
    assert.deepEqual(
      listHubModels(cacheDir).map((m) => m.id),
      ["tiny/bert@v1"],
    );
    await assert.rejects(
      embedWith("tiny/bert", { cacheDir, revision: "v9" }),
      (error: Error) => error instanceof UserError && /no revision 'v9'.*--revision/.test(error.message),
    );
  });

  test("an unknown id is a 404 that says so and suggests checking the name; nothing is cached", async () => {
    const cacheDir = join(dir.path, "cache-404");
    process.env.HF_ENDPOINT = hub.endpoint;
    await assert.rejects(
      embedWith("tiny/does-not-exist", { cacheDir }),
      (error: Error) =>
        error instanceof UserError &&
        /model 'tiny\/does-not-exist' was not found on http:\/\/127\.0\.0\.1:\d+ \(HTTP 404\): check the name/.test(
          error.message,
        ),
    );
    assert.deepEqual(
      cachedFiles(cacheDir).filter((f) => f !== ".partial"),
      [],
    );
  });

  test("a private model needs HF_TOKEN (401), which is sent to HF_ENDPOINT", async () => {
    const cacheDir = join(dir.path, "cache-private");
    process.env.HF_ENDPOINT = hub.endpoint;
    delete process.env.HF_TOKEN;
    await assert.rejects(
      embedWith("tiny/private", { cacheDir }),
      (error: Error) => error instanceof UserError && /HTTP 401.*set HF_TOKEN/.test(error.message),
    );
    process.env.HF_TOKEN = "wrong";
    await assert.rejects(
      embedWith("tiny/private", { cacheDir }),
      (error: Error) => error instanceof UserError && /token in HF_TOKEN gives no access/.test(error.message),
    );
    process.env.HF_TOKEN = "secret-token";
    const start = hub.requests.length;
    await embedWith("tiny/private", { cacheDir });
    const sent = hub.requests.slice(start);
    assert.ok(sent.length >= 4 && sent.every((r) => r.authorization === "Bearer secret-token"));
  });

  test("a model without an ONNX export lists its files and how to export one", async () => {
    const cacheDir = join(dir.path, "cache-no-onnx");
    process.env.HF_ENDPOINT = hub.endpoint;
    await assert.rejects(
      embedWith("tiny/no-onnx", { cacheDir }),
      (error: Error) =>
        error instanceof UserError &&
        /has no ONNX export .*its files are config\.json, tokenizer\.json, tokenizer_config\.json.*optimum-cli export onnx --model tiny\/no-onnx/.test(
          error.message,
        ),
    );
    assert.ok(!existsSync(hubModelFolder(cacheDir, "tiny/no-onnx")));
  });

  test("a server dying mid-download leaves no half model in the cache", async () => {
    const cacheDir = join(dir.path, "cache-flaky");
    process.env.HF_ENDPOINT = hub.endpoint;
    await assert.rejects(
      embedWith("tiny/flaky", { cacheDir }),
      (error: Error) =>
        error instanceof UserError &&
        /download of 'tiny\/flaky' .* was interrupted \(onnx\/model\.onnx, after .* of .*\); nothing was kept/.test(
          error.message,
        ),
    );
    assert.ok(!existsSync(hubModelFolder(cacheDir, "tiny/flaky")));
    assert.deepEqual(
      cachedFiles(cacheDir).filter((f) => f !== ".partial"),
      [],
    );
  });

  test("no network and no cached copy: says so, and how to work offline", async () => {
    const cacheDir = join(dir.path, "cache-no-network");
    process.env.HF_ENDPOINT = await deadEndpoint();
    await assert.rejects(
      embedWith("tiny/bert", { cacheDir }),
      (error: Error) =>
        error instanceof UserError &&
        /cannot reach http:\/\/127\.0\.0\.1:\d+ to download model 'tiny\/bert' \(ECONNREFUSED\).*--model use-lite or --model tfidf/.test(
          error.message,
        ),
    );
  });

  test("offline (--offline or HF_HUB_OFFLINE=1) never touches the network", async () => {
    const cacheDir = join(dir.path, "cache-offline");
    process.env.HF_ENDPOINT = hub.endpoint;
    const count = hub.requests.length;
    await assert.rejects(
      embedWith("tiny/bert", { cacheDir, offline: true }),
      (error: Error) =>
        error instanceof UserError && /not in the cache .*downloads are off/.test(error.message),
    );
    process.env.HF_HUB_OFFLINE = "1";
    await assert.rejects(embedWith("tiny/bert", { cacheDir }), /downloads are off/);
    assert.equal(hub.requests.length, count);
  });

  test("CLI: embed downloads a hub id (exit 0) and fails with one line on an unknown one (exit 2)", async () => {
    const cacheDir = join(dir.path, "cache-cli");
    const corpus = join(dir.path, "corpus.txt");
    writeFileSync(corpus, "the cat sat on the mat\nthe team won the game\n");
    const env = { HF_ENDPOINT: hub.endpoint };
    const ok = await runCliAsync(
      ["embed", corpus, "-o", join(dir.path, "cli.npy"), "--model", "tiny/bert", "--cache-dir", cacheDir],
      env,
    );
    assert.equal(ok.status, 0, ok.stderr);
    assert.ok(existsSync(join(cacheDir, "models", "tiny", "bert", "onnx", "model.onnx")));
    // a progress line per downloaded file (a bar on a terminal), before the embed stage
    const download = ok.stderr.indexOf("▸ download tiny/bert from http://127.0.0.1:");
    assert.ok(download >= 0 && download < ok.stderr.indexOf("▸ embed 2 documents"), ok.stderr);
    assert.match(ok.stderr, /▸ download tiny\/bert from .*: onnx\/model\.onnx/);
    const missing = await runCliAsync(
      ["embed", corpus, "-o", join(dir.path, "x.npy"), "--model", "tiny/nope", "--cache-dir", cacheDir],
      env,
    );
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr.trim().split("\n").length, 1, missing.stderr);
    assert.match(missing.stderr, /error: model 'tiny\/nope' was not found on .*check the name/);
  });
});
