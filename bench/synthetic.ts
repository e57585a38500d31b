/**
 * The synthetic corpus of the scale benchmarks (issue 16): `topics` Gaussian clusters on the unit
 * sphere in `dim` dimensions, and for each document a text drawn from its topic's own word list
 * mixed with shared background words, so c-TF-IDF has something to find. Everything comes from one
 * seed: the same seed and sizes give the same bytes.
 *
 * Run: npx tsx bench/synthetic.ts [--rows 1000000] [--dim 384] [--topics 200] [--seed 42]
 *        [--out ../cache/scale]
 * writes <out>/synthetic-<rows>.npy (float32 rows × dim, unit rows), <out>/synthetic-<rows>.jsonl
 * ({"id","text","label"}), streaming in chunks so 1M rows never sit in memory twice.
 */
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRng, type Rng } from "../src/util/rng.js";
import { benchCacheDir } from "./common.js";

export interface SyntheticSpec {
  rows: number;
  dim: number;
  topics: number;
  seed: number;
  /**
   * Each topic is an anisotropic Gaussian: its centre plus `latent` random directions of its own
   * (coefficients N(0, spread²)) plus isotropic noise N(0, noise²) per coordinate, renormalised onto
   * the sphere. Real sentence embeddings have a low intrinsic dimension; pure isotropic noise in 384
   * dimensions would make every within-topic distance the same and "nearest neighbours" meaningless
   * (no approximate search, nor UMAP, has anything to find there).
   */
  noise?: number;
  spread?: number;
  latent?: number;
}

export const DEFAULT_NOISE = 0.02;
export const DEFAULT_SPREAD = 0.25;
export const DEFAULT_LATENT = 8;

/**
 * Topic sizes: a Zipf-like spread (the largest topic about 10× the smallest), shuffled, documents
 * assigned in a seeded random order so topics are interleaved in the file as in a real corpus.
 */
function drawLabels(rng: Rng, rows: number, topics: number): Int32Array {
  const weights = Array.from({ length: topics }, (_, t) => 1 / (1 + t / 20));
  const total = weights.reduce((a, b) => a + b, 0);
  const labels = new Int32Array(rows);
  let at = 0;
  for (let t = 0; t < topics; t++) {
    const size = t === topics - 1 ? rows - at : Math.round((rows * weights[t]) / total);
    labels.fill(t, at, Math.min(rows, at + size));
    at = Math.min(rows, at + size);
  }
  for (let i = rows - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = labels[i];
    labels[i] = labels[j];
    labels[j] = tmp;
  }
  return labels;
}

function unitGaussian(rng: Rng, dim: number): Float64Array {
  const v = new Float64Array(dim);
  let s = 0;
  for (let d = 0; d < dim; d++) {
    v[d] = rng.nextGaussian();
    s += v[d] * v[d];
  }
  const inv = 1 / Math.sqrt(s);
  for (let d = 0; d < dim; d++) v[d] *= inv;
  return v;
}

const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ren",
  "tas",
  "vo",
  "qui",
  "zel",
  "dan",
  "por",
  "sil",
  "ume",
  "bra",
  "fen",
  "gor",
];

/** A number spelled in letters (the tokenizer keeps letters; digits could be dropped as numbers). */
function letters(n: number): string {
  let s = "";
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

/** A pronounceable made-up word, distinct per (topic, index) because the index is spelled into it. */
function word(rng: Rng, tag: string): string {
  const n = 2 + rng.nextInt(2);
  let w = "";
  for (let i = 0; i < n; i++) w += SYLLABLES[rng.nextInt(SYLLABLES.length)];
  return `${w}${tag}`;
}

export interface SyntheticGenerator {
  labels: Int32Array;
  /** Fills `out` (rows × dim) with rows [start, start + rows). */
  vectors(start: number, rows: number, out: Float32Array): void;
  text(row: number): string;
}

/**
 * Rows are generated from per-row RNGs (seed, row) so any chunk can be made without the rows before
 * it: the 1M file is written in chunks, and a test can regenerate row i alone.
 */
export function syntheticGenerator(spec: SyntheticSpec): SyntheticGenerator {
  const { rows, dim, topics, seed } = spec;
  const noise = spec.noise ?? DEFAULT_NOISE;
  const spread = spec.spread ?? DEFAULT_SPREAD;
  const latent = spec.latent ?? DEFAULT_LATENT;
  const rng = createRng(seed);
  const labels = drawLabels(rng, rows, topics);
  const centres = Array.from({ length: topics }, () => unitGaussian(rng, dim));
  const directions = Array.from({ length: topics }, () =>
    Array.from({ length: latent }, () => unitGaussian(rng, dim)),
  );
  const background = Array.from({ length: 300 }, (_, i) => word(rng, `q${letters(i)}`));
  const vocab = Array.from({ length: topics }, (_, t) =>
    Array.from({ length: 40 }, (_, i) => word(rng, `${letters(t)}x${letters(i)}`)),
  );
  const rowRng = (row: number, salt: number): Rng => createRng(((seed * 1000003) ^ (row * 2 + salt)) >>> 0);
  return {
    labels,
    vectors(start, count, out) {
      for (let r = 0; r < count; r++) {
        const row = start + r;
        const g = rowRng(row, 0);
        const c = centres[labels[row]];
        const base = r * dim;
        for (let d = 0; d < dim; d++) out[base + d] = c[d] + noise * g.nextGaussian();
        for (const direction of directions[labels[row]]) {
          const w = spread * g.nextGaussian();
          for (let d = 0; d < dim; d++) out[base + d] += w * direction[d];
        }
        let s = 0;
        for (let d = 0; d < dim; d++) s += out[base + d] * out[base + d];
        const inv = 1 / Math.sqrt(s);
        for (let d = 0; d < dim; d++) out[base + d] *= inv;
      }
    },
    text(row) {
      const g = rowRng(row, 1);
      const words = vocab[labels[row]];
      const n = 8 + g.nextInt(13);
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        // 60 % topic words (the first ones more often), 40 % background
        if (g.next() < 0.6) out.push(words[Math.floor(words.length * g.next() * g.next())]);
        else out.push(background[g.nextInt(background.length)]);
      }
      return out.join(" ");
    },
  };
}

function npyHeader(shape: readonly number[]): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  const total = 10 + header.length + 1;
  header += `${" ".repeat((64 - (total % 64)) % 64)}\n`;
  const out = Buffer.alloc(10 + header.length);
  out.write("\x93NUMPY", 0, "latin1");
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, "latin1");
  return out;
}

export function writeSynthetic(spec: SyntheticSpec, outDir: string): { npy: string; jsonl: string } {
  mkdirSync(outDir, { recursive: true });
  const gen = syntheticGenerator(spec);
  const npy = join(outDir, `synthetic-${spec.rows}.npy`);
  const jsonl = join(outDir, `synthetic-${spec.rows}.jsonl`);
  const vf = openSync(`${npy}.tmp`, "w");
  const tf = openSync(`${jsonl}.tmp`, "w");
  writeSync(vf, npyHeader([spec.rows, spec.dim]));
  const chunk = 8192;
  const buffer = new Float32Array(chunk * spec.dim);
  for (let start = 0; start < spec.rows; start += chunk) {
    const count = Math.min(chunk, spec.rows - start);
    gen.vectors(start, count, buffer);
    writeSync(vf, new Uint8Array(buffer.buffer, 0, count * spec.dim * 4));
    let lines = "";
    for (let r = start; r < start + count; r++)
      lines += `${JSON.stringify({ id: `s${r}`, text: gen.text(r), label: `topic${gen.labels[r]}` })}\n`;
    writeSync(tf, lines);
    if (start % (chunk * 16) === 0) process.stderr.write(`  synthetic: ${start}/${spec.rows}\r`);
  }
  closeSync(vf);
  closeSync(tf);
  renameSync(`${npy}.tmp`, npy);
  renameSync(`${jsonl}.tmp`, jsonl);
  process.stderr.write("\n");
  return { npy, jsonl };
}

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const spec: SyntheticSpec = {
    rows: Number(flag("rows", "1000000")),
    dim: Number(flag("dim", "384")),
    topics: Number(flag("topics", "200")),
    seed: Number(flag("seed", "42")),
  };
  const started = performance.now();
  const out = writeSynthetic(spec, flag("out", join(benchCacheDir, "scale")));
  console.log(`${out.npy}\n${out.jsonl}\n${((performance.now() - started) / 1000).toFixed(1)} s`);
}
