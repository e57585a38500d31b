/**
 * Issue 18, point 2: `search M "<4,000 words>"` with a cold cache died with SIGSEGV (exit 139, nothing
 * printed). onnxruntime's POSIX telemetry matched std::regex patterns against the command line and
 * recursed once per character, past the main thread's stack; src/onnx/runtime.ts turns it off. The
 * query itself is truncated to the model's token budget like every text (checked here too).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { createUseLiteEmbedder } from "../../src/embed/use-lite.js";
import { writeModelFiles } from "../../src/topics/folder/format.js";
import { runCli } from "../cli/helpers.js";
import { syntheticModel } from "../report/model-fixture.js";

const dir = mkdtempSync(join(tmpdir(), "topicscope-long-query-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("search with a ~100 KB query (a 14,000-word argument) and a cold cache answers", async () => {
  // a model folder whose documents live in USE-lite's space, so the query runs through the model
  const documents = ["squash is played with a racket", "the budget deficit grew", "a film festival award"];
  const embedder = await createUseLiteEmbedder({ workers: 0 });
  const embeddings = await embedder.embed(documents);
  await embedder.dispose?.();
  const base = syntheticModel(1, 0);
  const model = join(dir, "model");
  mkdirSync(model);
  writeModelFiles(model, {
    ...base,
    manifest: {
      ...base.manifest,
      parameters: {
        ...base.manifest.parameters,
        embedding: { ...base.manifest.parameters.embedding, model: "use-lite" },
      },
      embedder: { id: "use-lite", dimension: 512 },
      corpus: { documents: 3, emptyDocuments: 0 },
    },
    documents: documents.map((text, i) => ({ id: `d${i}`, text, topic: i, probability: 1 })),
    topics: base.topics.filter((t) => t.id >= 0).map((t, i) => ({ ...t, size: 1, representativeDocs: [i] })),
    embeddings,
    reduced: { data: new Float32Array(3 * 5), rows: 3, cols: 5 },
  });
  const query = `squash ${"racket squash ".repeat(7000)}`.trim();
  assert.ok(query.length > 90_000);
  const cold = mkdtempSync(join(dir, "cache-"));
  const run = runCli(["search", model, query, "-k", "1", "--json"], { env: { TOPICSCOPE_CACHE_DIR: cold } });
  assert.equal(run.status, 0, `exit ${run.status}, signal-like status means a crash: ${run.stderr}`);
  const hit = JSON.parse(run.stdout.trim()) as { id: string };
  assert.equal(hit.id, "d0", "the squash document is the closest");
});

test("a text of any length reaches the model truncated to its token budget", async () => {
  const embedder = await createUseLiteEmbedder({ workers: 0 });
  try {
    const short = await embedder.embed(["squash ".repeat(200)]);
    const long = await embedder.embed(["squash ".repeat(200_000)]);
    // both are cut to the same 128 tokens, so they are the same vector
    assert.deepEqual(Array.from(long.data), Array.from(short.data));
  } finally {
    await embedder.dispose?.();
  }
});
