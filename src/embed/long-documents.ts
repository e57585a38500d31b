/**
 * Documents longer than the encoder's token budget. `truncate` (the encoders' own behaviour) embeds
 * the first `tokenBudget` tokens; `chunk` cuts the document into overlapping windows that end at
 * sentence boundaries (ICU sentence breaks, any language), each within the budget, embeds every
 * window and takes the mean of the window vectors, L2-normalised — the whole text counts, at the cost
 * of one encoder pass per window.
 */

import { splitSentences, splitWords } from "../text/sentences.js";
import type { Matrix } from "../types.js";
import { isBlank } from "../util/text.js";
import { normalizeRows } from "./batching.js";
import { textKey } from "./cache.js";
import type { LongDocumentMode } from "./methods.js";
import { storableReading } from "./readings.js";
import type { Embedder, TextReading } from "./types.js";

export interface ChunkOptions {
  /** Tokens a window may hold (the encoder's budget). */
  budget: number;
  /** Tokens of the previous window a window repeats at its start, in whole sentences (default budget / 4). */
  overlap?: number;
  /** Token count of a piece of text, as the encoder counts it (up to budget + 1). */
  count: (text: string) => number;
  /** Locale of the sentence and word breaks (default "en"; ICU's rules differ little between languages). */
  locale?: string;
}

/** Hashed in front of a chunked document's text: its cache key is never that of any text's own hash. */
const CHUNK_MARK = "\u0000long-documents=chunk\u0000";

/**
 * Text kept as keys of the readings per embedder, in UTF-16 code units (then all forgotten at once):
 * 32 M is 64 MB, above 20 Newsgroups' 22 M, and bounds what a long-lived embedder holds on to.
 */
const KEPT_READING_CHARS = 32_000_000;

/** A run of text with its token count. */
interface Unit {
  text: string;
  tokens: number;
}

/** Sentences, with any sentence over the budget cut at word boundaries into pieces within it. */
function units(text: string, options: ChunkOptions): Unit[] {
  const out: Unit[] = [];
  for (const sentence of splitSentences(text, options.locale)) {
    if (isBlank(sentence)) {
      if (out.length > 0) out[out.length - 1].text += sentence;
      continue;
    }
    const tokens = options.count(sentence);
    if (tokens <= options.budget) {
      out.push({ text: sentence, tokens });
      continue;
    }
    out.push(...pack(splitWords(sentence, options.locale), options));
  }
  return out;
}

/**
 * Greedy packing of pieces (sentences or words) into runs of at most `budget` tokens. Token counts are
 * summed piece by piece — one tokenizer pass per piece, not per candidate run — and each finished run
 * is counted once as a whole, shedding its last pieces while tokenizing in context counts more (a
 * piece's count alone and inside a run can differ by a token or two).
 */
function greedyRun(pieces: readonly Unit[], start: number, options: ChunkOptions): number {
  let end = start + 1;
  let sum = pieces[start].tokens;
  while (end < pieces.length && sum + pieces[end].tokens <= options.budget) sum += pieces[end++].tokens;
  while (end - start > 1 && options.count(joinText(pieces, start, end)) > options.budget) end--;
  return end;
}

function joinText(pieces: readonly Unit[], start: number, end: number): string {
  let text = "";
  for (let i = start; i < end; i++) text += pieces[i].text;
  return text;
}

/** Words packed into pieces of at most `budget` tokens (a single word over it stays one piece). */
function pack(words: readonly string[], options: ChunkOptions): Unit[] {
  const units = words.map((text) => ({ text, tokens: options.count(text) }));
  const out: Unit[] = [];
  for (let start = 0; start < units.length; ) {
    const end = greedyRun(units, start, options);
    const text = joinText(units, start, end);
    out.push({ text, tokens: options.count(text) });
    start = end;
  }
  return out;
}

/**
 * The windows of a long text: consecutive sentences as long as they fit the budget, the next window
 * starting with the last sentences of the previous one (up to `overlap` tokens). Each window is
 * counted as a whole text, so it never exceeds the budget.
 */
export function chunkText(text: string, options: ChunkOptions): string[] {
  const overlap = options.overlap ?? Math.floor(options.budget / 4);
  const list = units(text, options);
  const windows: string[] = [];
  for (let start = 0; start < list.length; ) {
    const end = greedyRun(list, start, options);
    windows.push(joinText(list, start, end).trim());
    if (end >= list.length) break;
    // carry back whole sentences worth at most `overlap` tokens, always moving forward
    let next = end;
    let carried = 0;
    while (next - 1 > start && carried + list[next - 1].tokens <= overlap) {
      next--;
      carried += list[next].tokens;
    }
    start = next;
  }
  return windows;
}

/** Mean of the window rows of each document, L2-normalised (a one-window document keeps its row). */
export function poolWindows(windowRows: Matrix, owners: Int32Array, documents: number): Matrix {
  const dim = windowRows.cols;
  const sums = new Float64Array(documents * dim);
  const counts = new Int32Array(documents);
  for (let w = 0; w < windowRows.rows; w++) {
    const d = owners[w];
    counts[d]++;
    for (let j = 0; j < dim; j++) sums[d * dim + j] += windowRows.data[w * dim + j];
  }
  const data = new Float32Array(documents * dim);
  for (let d = 0; d < documents; d++) {
    if (counts[d] === 0) continue;
    for (let j = 0; j < dim; j++) data[d * dim + j] = sums[d * dim + j] / counts[d];
  }
  normalizeRows(data, dim);
  return { data, rows: documents, cols: dim };
}

/**
 * Turns finished windows into finished documents for `EmbedOptions.onRows` (the cache saves them
 * while a long call runs): a document is reported once all its windows are in, pooled exactly as
 * `poolWindows` pools it (window order, so the early row equals the final one).
 */
function finishedDocuments(
  owners: readonly number[],
  documents: number,
  onRows: (indices: Int32Array, rows: Float32Array) => void,
): (indices: Int32Array, rows: Float32Array) => void {
  const windowsOf: number[][] = Array.from({ length: documents }, () => []);
  owners.forEach((d, w) => {
    windowsOf[d].push(w);
  });
  const remaining = Int32Array.from(windowsOf, (list) => list.length);
  const arrived = new Map<number, Float32Array>();
  return (indices, rows) => {
    const dim = rows.length / Math.max(indices.length, 1);
    const done: number[] = [];
    indices.forEach((w, r) => {
      arrived.set(w, rows.slice(r * dim, (r + 1) * dim));
      if (--remaining[owners[w]] === 0) done.push(owners[w]);
    });
    if (done.length === 0) return;
    const out = new Float32Array(done.length * dim);
    done.forEach((d, k) => {
      const list = windowsOf[d];
      const windowRows = new Float32Array(list.length * dim);
      list.forEach((w, i) => {
        windowRows.set(arrived.get(w) as Float32Array, i * dim);
        arrived.delete(w);
      });
      const pooled = poolWindows(
        { data: windowRows, rows: list.length, cols: dim },
        new Int32Array(list.length),
        1,
      );
      out.set(pooled.data, k * dim);
    });
    onRows(Int32Array.from(done), out);
  };
}

/**
 * The embedder with `mode` applied: `truncate` is the embedder (keeping its readings); `chunk` embeds each document
 * over the budget as pooled windows (documents within it are embedded as they are). Both modes give a
 * document within the budget the same vector and share its cache entry; a chunked long document is
 * cached under its own key (the text's hash with a `chunk` mark), never confused with its truncated
 * vector. The id stays the encoder's: the vectors live in the same space.
 */
export function withLongDocuments(embedder: Embedder, mode: LongDocumentMode): Embedder {
  const budget = embedder.tokenBudget;
  const read = embedder.read;
  // embedders that read texts whole (tfidf, precomputed) have nothing to read or chunk
  if (budget === undefined || read === undefined || !Number.isFinite(budget)) return embedder;
  // The corpus check and the cache keys read the same documents one after the other: each reading is
  // kept for the next ask (a 20 Newsgroups run from the cache tokenised every post twice, 1.7 s each),
  // and the embedding cache stores them for the next run (readings.ts) — in either mode.
  const readings = new Map<string, TextReading>();
  let keptChars = 0;
  const keep = (text: string, reading: TextReading): void => {
    if (keptChars + text.length > KEPT_READING_CHARS) {
      readings.clear();
      keptChars = 0;
    }
    readings.set(text, reading);
    keptChars += text.length;
  };
  const readOnce = (text: string): TextReading => {
    let reading = readings.get(text);
    if (reading === undefined) {
      reading = storableReading(read(text));
      keep(text, reading);
    }
    return reading;
  };
  const memo = { get: (text: string) => readings.get(text), set: keep };
  if (mode === "truncate") return { ...embedder, read: readOnce, readings: memo };
  const count = (text: string) => read(text).tokens;
  // n characters make at most n + 1 tokens (2n + 1 after NFKC spelled out a ligature or two), so
  // texts under half the budget need no tokenizing to be within it
  const isLong = (text: string) =>
    text.length * 2 >= budget &&
    ((embedder.minTokens?.(text) ?? 0) > budget || readOnce(text).tokens > budget);
  return {
    ...embedder,
    read: readOnce,
    readings: memo,
    cacheKey: (text: string) => (isLong(text) ? textKey(`${CHUNK_MARK}${text}`) : textKey(text)),
    embed: async (texts, options) => {
      const windows: string[] = [];
      const owners: number[] = [];
      texts.forEach((text, d) => {
        if (isBlank(text)) return;
        const parts = isLong(text) ? chunkText(text, { budget, count }) : [text];
        for (const part of parts) {
          windows.push(part);
          owners.push(d);
        }
      });
      const rows = await embedder.embed(windows, {
        batchSize: options?.batchSize,
        onProgress: (done, total) =>
          options?.onProgress?.(Math.round((texts.length * done) / Math.max(total, 1)), texts.length),
        onRows: options?.onRows && finishedDocuments(owners, texts.length, options.onRows),
      });
      if (rows.rows !== windows.length) {
        throw new Error(`${embedder.id} returned ${rows.rows} rows for ${windows.length} windows`);
      }
      return poolWindows(rows, Int32Array.from(owners), texts.length);
    },
  };
}
