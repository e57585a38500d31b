/**
 * The tokenizer's unigram tokens (tokenizer.ts: maximal runs of ≥ 2 letters, numbers or "_", stop
 * words and, with `dropNumbers`, digit-only tokens removed) turned straight into term ids, for the
 * counts a fit keeps (represent/class-counts.ts). Counting 20 Newsgroups spent 40 % of its time
 * looking each token up in a Map: every token is a new string, whose hash V8 computes before the look-up.
 * Here the text is scanned once, each run's hash computed on the way, and the run compared in place
 * with the term a hash table holds for it, so a known term makes no string at all (tokens + ids of
 * 20 Newsgroups: 630–700 → 260–370 ms).
 *
 * Exactly the tokenizer's tokens, in its order (tested on the benchmark corpora and on random
 * Unicode). Texts holding a script written without spaces go through the tokenizer itself (its
 * Intl.Segmenter path): `ids` returns false for them.
 */
import { NO_SPACE_CHARACTER } from "./scripts.js";
import type { Tokenizer } from "./tokenizer.js";

const WORD = /^[\p{L}\p{N}_]$/u;
const NUMBER = /^\p{N}$/u;
/** Per UTF-16 unit (BMP code point): 0 not yet classified, then NOT_WORD, WORD or DIGIT (a word character in \p{N}). */
const NOT_WORD = 1;
const WORD_CHAR = 2;
const DIGIT = 3;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

const bmp = new Uint8Array(65536);
const astral = new Map<number, number>();

function classify(char: string): number {
  if (!WORD.test(char)) return NOT_WORD;
  return NUMBER.test(char) ? DIGIT : WORD_CHAR;
}

function classOfUnit(unit: number): number {
  let c = bmp[unit];
  if (c === 0) {
    // a lone surrogate is no letter (the tokenizer's `u` regex reads it as a code point of its own)
    c = unit >= 0xd800 && unit <= 0xdfff ? NOT_WORD : classify(String.fromCharCode(unit));
    bmp[unit] = c;
  }
  return c;
}

function classOfCodePoint(codePoint: number): number {
  let c = astral.get(codePoint);
  if (c === undefined) {
    c = classify(String.fromCodePoint(codePoint));
    astral.set(codePoint, c);
  }
  return c;
}

/** A term → id table looked up by a range of a string, ids given by `intern` (-1: a dropped token). */
export class TermTable {
  private slots = new Int32Array(1 << 12);
  private readonly keys: string[] = [];
  private readonly hashes: number[] = [];
  private readonly values: number[] = [];

  constructor(private readonly intern: (term: string) => number) {}

  /** The id of `text[start, end)` (hash `hash`), interning it (or marking it dropped) when new. */
  idOf(text: string, start: number, end: number, hash: number, dropped: (term: string) => boolean): number {
    const mask = this.slots.length - 1;
    const length = end - start;
    let slot = hash & mask;
    for (;;) {
      const entry = this.slots[slot];
      if (entry === 0) break;
      const k = entry - 1;
      if (this.hashes[k] === hash) {
        const key = this.keys[k];
        if (key.length === length) {
          let i = 0;
          while (i < length && key.charCodeAt(i) === text.charCodeAt(start + i)) i++;
          if (i === length) return this.values[k];
        }
      }
      slot = (slot + 1) & mask;
    }
    const term = text.slice(start, end);
    const value = dropped(term) ? -1 : this.intern(term);
    this.keys.push(term);
    this.hashes.push(hash);
    this.values.push(value);
    this.slots[slot] = this.keys.length;
    if (this.keys.length * 2 > this.slots.length) this.grow();
    return value;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let k = 0; k < this.keys.length; k++) {
      let slot = this.hashes[k] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = k + 1;
    }
    this.slots = slots;
  }
}

/** The tokenizer's settings the scanner follows (a Tokenizer is one). */
export type ScannerOptions = Pick<Tokenizer, "stopWords" | "dropNumbers" | "segmentWords">;

/** Scans texts into term ids through a TermTable (see the file comment). */
export class TokenScanner {
  /** Stop words; digit-only tokens are recognised in the scan. The table asks only about new terms. */
  private readonly dropped: (term: string) => boolean;
  private readonly dropNumbers: boolean;

  constructor(private readonly options: ScannerOptions) {
    const { stopWords, dropNumbers } = options;
    this.dropped = (term) => stopWords.has(term);
    this.dropNumbers = dropNumbers;
  }

  /**
   * Calls `emit` with the id of each kept token of `text`, in order; returns false (emitting nothing)
   * when the text needs the tokenizer's segmenter.
   */
  ids(text: string, table: TermTable, emit: (id: number) => void): boolean {
    const lower = text.toLowerCase();
    if (this.options.segmentWords && NO_SPACE_CHARACTER.test(lower)) return false;
    const n = lower.length;
    let i = 0;
    while (i < n) {
      const start = i;
      let hash = FNV_OFFSET;
      let codePoints = 0;
      let digits = true;
      while (i < n) {
        const unit = lower.charCodeAt(i);
        let c: number;
        let width = 1;
        if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < n) {
          const low = lower.charCodeAt(i + 1);
          if (low >= 0xdc00 && low <= 0xdfff) {
            c = classOfCodePoint((unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000);
            width = 2;
          } else c = NOT_WORD;
        } else c = unit < 128 ? ASCII[unit] : classOfUnit(unit);
        if (c === NOT_WORD) break;
        if (c !== DIGIT) digits = false;
        hash = Math.imul(hash ^ unit, FNV_PRIME);
        if (width === 2) hash = Math.imul(hash ^ lower.charCodeAt(i + 1), FNV_PRIME);
        i += width;
        codePoints++;
      }
      if (codePoints >= 2 && !(digits && this.dropNumbers)) {
        const id = table.idOf(lower, start, i, hash, this.dropped);
        if (id >= 0) emit(id);
      }
      if (i === start) {
        // not a word character: one code point on (a surrogate pair whole)
        const unit = lower.charCodeAt(i);
        i +=
          unit >= 0xd800 && unit <= 0xdbff && i + 1 < n && (lower.charCodeAt(i + 1) & 0xfc00) === 0xdc00
            ? 2
            : 1;
      }
    }
    return true;
  }
}

const ASCII = Uint8Array.from({ length: 128 }, (_, unit) => classify(String.fromCharCode(unit)));
