/**
 * A CountVectorizer: learns a vocabulary (terms kept when they occur in at least `minDf` of the fitted
 * texts, sorted by code point as scikit-learn sorts feature names) and turns texts into sparse
 * term-count rows.
 *
 * Speed: tokens are interned once through a Map; n-grams are never built as strings in the hot loop.
 * They are nodes of a prefix tree keyed by (prefix node, next token) integer pairs in a typed-array
 * hash map, and a gram's text is made only the first time it is seen. Counting uses typed arrays.
 */

import { TermTable, TokenScanner } from "../text/token-scanner.js";
import { createTokenizer, type StopWordsOption, type Tokenizer } from "../text/tokenizer.js";
import { IntPairMap } from "./pairmap.js";
import { csrFromRows, type SparseMatrix } from "./sparse.js";

export interface VectorizerOptions {
  ngramRange: [number, number];
  /** Minimum number of fitted texts a term must occur in (scikit-learn's integer min_df). */
  minDf: number;
  stopWords: StopWordsOption;
  /** Leave tokens made only of digits out (see TokenizerOptions.dropNumbers); default false. */
  dropNumbers?: boolean;
  /** Find words with Intl.Segmenter in scripts written without spaces (default true; see TokenizerOptions). */
  segmentWords?: boolean;
  /** The corpus language (segmenter locale), when known. */
  language?: string;
}

export interface VectorizerJSON {
  /**
   * `dropNumbers` is absent in representations saved before it existed (= false); `segmentWords` too
   * (= false: those vocabularies were made with scikit-learn's pattern everywhere).
   */
  options: VectorizerOptions;
  vocabulary: string[];
}

/** Growable count buffer indexed by id, reset per row by remembering which ids it touched. */
class Counter {
  counts = new Float64Array(1024);
  lastRow = new Int32Array(1024).fill(-1);
  touched: number[] = [];

  ensure(size: number): void {
    if (size <= this.counts.length) return;
    let capacity = this.counts.length;
    while (capacity < size) capacity *= 2;
    const counts = new Float64Array(capacity);
    counts.set(this.counts);
    const lastRow = new Int32Array(capacity).fill(-1);
    lastRow.set(this.lastRow);
    this.counts = counts;
    this.lastRow = lastRow;
  }

  add(id: number, row: number): void {
    if (this.lastRow[id] !== row) {
      this.lastRow[id] = row;
      this.counts[id] = 0;
      this.touched.push(id);
    }
    this.counts[id]++;
  }

  /** The row's (id, count) pairs; resets for the next row. */
  take(): [Int32Array, Float64Array] {
    const ids = Int32Array.from(this.touched);
    const values = new Float64Array(ids.length);
    for (let i = 0; i < ids.length; i++) values[i] = this.counts[ids[i]];
    this.touched.length = 0;
    return [ids, values];
  }
}

/** Growable Int32 buffer reused across texts. */
class IntBuffer {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/** Prefix tree of grams: unigram nodes by token text, longer grams by (prefix node, token node). */
class GramTree {
  readonly tokenNode = new Map<string, number>();
  readonly child = new IntPairMap();
  /** Per node: gram text (dropped after fitting), number of tokens. */
  text: string[] = [];
  readonly length: number[] = [];

  private newNode(text: string, length: number): number {
    const id = this.length.length;
    this.text.push(text);
    this.length.push(length);
    return id;
  }

  internToken(token: string): number {
    let id = this.tokenNode.get(token);
    if (id === undefined) {
      id = this.newNode(token, 1);
      this.tokenNode.set(token, id);
    }
    return id;
  }

  internChild(parent: number, token: number): number {
    let id = this.child.get(parent, token);
    if (id === -1) {
      id = this.newNode(`${this.text[parent]} ${this.text[token]}`, this.length[parent] + 1);
      this.child.set(parent, token, id);
    }
    return id;
  }

  get size(): number {
    return this.length.length;
  }
}

/** Text (UTF-16 units) up to which a unigram transform searches the sorted terms instead of mapping them. */
const FEW_TEXT_CHARACTERS = 100_000;

export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; ) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

/** Sorts node ids by gram text in code point order, as Python's sorted() on str (UTF-16 order agrees without surrogates). */
// No "u" flag: with it, a surrogate pair is one code point and the class would match only lone halves.
export function sortByText(nodes: number[], text: readonly string[]): void {
  const hasSurrogates = nodes.some((node) => /[\uD800-\uDFFF]/.test(text[node]));
  if (hasSurrogates) nodes.sort((a, b) => compareCodePoints(text[a], text[b]));
  else nodes.sort((a, b) => (text[a] < text[b] ? -1 : text[a] > text[b] ? 1 : 0));
}

export class CountVectorizer {
  readonly options: VectorizerOptions;
  private readonly tokenizer: Tokenizer;
  private index: Map<string, number> | undefined;
  private terms: string[] = [];
  /** Whether `terms` ascend in code-point order, once checked (columnLookup). */
  private ordered: boolean | undefined;
  /**
   * Look-up tree over the vocabulary's grams and their prefixes; node → column (-1: prefix only).
   * Built on first `transform` for a vocabulary that was set rather than fitted: a rebuilt c-TF-IDF
   * often never transforms, and the tree of a large vocabulary costs a noticeable part of a rebuild.
   */
  private lookupTree: { tree: GramTree; nodeColumn: Int32Array } | undefined;

  constructor(options: VectorizerOptions) {
    const [minN, maxN] = options.ngramRange;
    if (!Number.isInteger(options.minDf) || options.minDf < 1) {
      throw new RangeError(`minDf must be an integer ≥ 1, got ${options.minDf}`);
    }
    this.options = {
      ngramRange: [minN, maxN],
      minDf: options.minDf,
      stopWords: typeof options.stopWords === "string" ? options.stopWords : [...options.stopWords],
      dropNumbers: options.dropNumbers === true,
      segmentWords: options.segmentWords !== false,
      ...(options.language === undefined ? {} : { language: options.language }),
    };
    this.tokenizer = createTokenizer(this.options);
  }

  /** Terms in column order. */
  get vocabulary(): readonly string[] {
    return this.terms;
  }

  get size(): number {
    return this.terms.length;
  }

  columnOf(term: string): number | undefined {
    return this.vocabularyIndex.get(term);
  }

  /** Term → column, built on first use (a million-term Map costs a second we rarely need). */
  private get vocabularyIndex(): Map<string, number> {
    if (this.index === undefined) {
      this.index = new Map();
      for (let i = 0; i < this.terms.length; i++) this.index.set(this.terms[i], i);
    }
    return this.index;
  }

  /** Token node ids of one text into `buffer` (-1 for tokens the tree does not know when not growing). */
  private tokenIds(text: string, tree: GramTree, grow: boolean, buffer: IntBuffer): void {
    buffer.length = 0;
    this.tokenizer.forEachToken(text, (token) => {
      buffer.push(grow ? tree.internToken(token) : (tree.tokenNode.get(token) ?? -1));
    });
  }

  /** Learns the vocabulary and returns the counts of the fitted texts (one pass over the texts). */
  fitTransform(texts: readonly string[]): SparseMatrix {
    const [minN, maxN] = this.options.ngramRange;
    const tree = new GramTree();
    const counter = new Counter();
    const buffer = new IntBuffer();
    const rowIds: Int32Array[] = new Array(texts.length);
    const rowValues: Float64Array[] = new Array(texts.length);
    // unigrams: tokens straight to their tree nodes (token-scanner.ts), the same nodes in the same order
    const scanner = maxN === 1 ? new TokenScanner(this.tokenizer) : undefined;
    const table = new TermTable((token) => tree.internToken(token));
    const push = (node: number) => buffer.push(node);
    for (let r = 0; r < texts.length; r++) {
      buffer.length = 0;
      if (!scanner?.ids(texts[r], table, push)) this.tokenIds(texts[r], tree, true, buffer);
      const tokens = buffer.data;
      const count = buffer.length;
      for (let i = 0; i < count; i++) {
        let node = tokens[i];
        for (let n = 1; n <= maxN && i + n <= count; n++) {
          if (n > 1) node = tree.internChild(node, tokens[i + n - 1]);
          if (n >= minN) {
            counter.ensure(tree.size);
            counter.add(node, r);
          }
        }
      }
      [rowIds[r], rowValues[r]] = counter.take();
    }
    const documentFrequency = new Int32Array(tree.size);
    for (const ids of rowIds) for (let k = 0; k < ids.length; k++) documentFrequency[ids[k]]++;
    const kept: number[] = [];
    for (let node = 0; node < tree.size; node++) {
      if (documentFrequency[node] >= this.options.minDf) kept.push(node);
    }
    const text = tree.text;
    sortByText(kept, text);
    const column = new Int32Array(tree.size).fill(-1);
    for (let c = 0; c < kept.length; c++) column[kept[c]] = c;
    this.setTerms(kept.map((node) => text[node]));
    // The fitting tree doubles as the look-up tree (pruned grams map to -1); gram texts are not needed.
    tree.text = [];
    this.lookupTree = { tree, nodeColumn: column };
    for (let r = 0; r < texts.length; r++) {
      const ids = rowIds[r];
      const values = rowValues[r];
      let n = 0;
      for (let k = 0; k < ids.length; k++) if (column[ids[k]] >= 0) n++;
      const columns = new Int32Array(n);
      const keptValues = new Float64Array(n);
      for (let k = 0, j = 0; k < ids.length; k++) {
        const c = column[ids[k]];
        if (c < 0) continue;
        columns[j] = c;
        keptValues[j++] = values[k];
      }
      rowIds[r] = columns;
      rowValues[r] = keptValues;
    }
    return csrFromRows(rowIds, rowValues, this.terms.length);
  }

  fit(texts: readonly string[]): this {
    this.fitTransform(texts);
    return this;
  }

  /** Counts of known terms per text; unknown terms are ignored. */
  transform(texts: readonly string[]): SparseMatrix {
    const [minN, maxN] = this.options.ngramRange;
    if (maxN === 1) return this.transformUnigrams(texts);
    this.lookupTree ??= this.buildLookupTree();
    const { tree, nodeColumn } = this.lookupTree;
    const counter = new Counter();
    counter.ensure(this.terms.length);
    const buffer = new IntBuffer();
    const rowIds: Int32Array[] = new Array(texts.length);
    const rowValues: Float64Array[] = new Array(texts.length);
    for (let r = 0; r < texts.length; r++) {
      this.tokenIds(texts[r], tree, false, buffer);
      const tokens = buffer.data;
      const count = buffer.length;
      for (let i = 0; i < count; i++) {
        let node = tokens[i];
        for (let n = 1; n <= maxN && i + n <= count && node >= 0; n++) {
          if (n > 1) {
            const next = tokens[i + n - 1];
            node = next < 0 ? -1 : tree.child.get(node, next);
            if (node < 0) break;
          }
          if (n >= minN && nodeColumn[node] >= 0) counter.add(nodeColumn[node], r);
        }
      }
      [rowIds[r], rowValues[r]] = counter.take();
    }
    return csrFromRows(rowIds, rowValues, this.terms.length);
  }

  /**
   * `transform` of a unigram vocabulary: each token looked up in the term → column map. The n-gram
   * look-up tree would be built over the whole vocabulary first (0.2–0.3 s for 20 Newsgroups' terms,
   * paid by a report's one-document topic distribution).
   */
  private transformUnigrams(texts: readonly string[]): SparseMatrix {
    const lookup = this.columnLookup(texts);
    const counter = new Counter();
    counter.ensure(this.terms.length);
    const rowIds: Int32Array[] = new Array(texts.length);
    const rowValues: Float64Array[] = new Array(texts.length);
    // tokens straight to columns (token-scanner.ts), words outside the vocabulary held as -1
    const scanner = new TokenScanner(this.tokenizer);
    const table = new TermTable((term) => lookup(term) ?? -1);
    for (let r = 0; r < texts.length; r++) {
      const add = (column: number) => counter.add(column, r);
      if (!scanner.ids(texts[r], table, add)) {
        this.tokenizer.forEachToken(texts[r], (token) => {
          const column = lookup(token);
          if (column !== undefined) add(column);
        });
      }
      [rowIds[r], rowValues[r]] = counter.take();
    }
    return csrFromRows(rowIds, rowValues, this.terms.length);
  }

  /**
   * How `transformUnigrams` finds a token's column: the term → column map, or — for a few texts
   * against a vocabulary whose map is not built yet — a binary search over the terms, which are in
   * code-point order (checked once: 134,000 terms in a few ms, where building the map takes ~60 ms
   * that a report's one-document topic distribution would pay for a few hundred look-ups).
   */
  private columnLookup(texts: readonly string[]): (term: string) => number | undefined {
    let characters = 0;
    for (const text of texts) characters += text.length;
    if (this.index !== undefined || characters > FEW_TEXT_CHARACTERS || !this.inCodePointOrder()) {
      const index = this.vocabularyIndex;
      return (term) => index.get(term);
    }
    const terms = this.terms;
    return (term) => {
      let lo = 0;
      let hi = terms.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const order = compareCodePoints(terms[mid], term);
        if (order === 0) return mid;
        if (order < 0) lo = mid + 1;
        else hi = mid - 1;
      }
      return undefined;
    };
  }

  /** Whether the terms ascend in code-point order (they do unless a saved vocabulary was edited). */
  private inCodePointOrder(): boolean {
    if (this.ordered === undefined) {
      const terms = this.terms;
      let ordered = true;
      for (let i = 1; i < terms.length && ordered; i++)
        ordered = compareCodePoints(terms[i - 1], terms[i]) < 0;
      this.ordered = ordered;
    }
    return this.ordered;
  }

  /** The vocabulary terms of one text, unigrams then longer grams (for per-word views and tests). */
  knownTerms(text: string): string[] {
    const out: string[] = [];
    this.tokenizer.forEachTerm(text, (term) => {
      if (this.vocabularyIndex.has(term)) out.push(term);
    });
    return out;
  }

  toJSON(): VectorizerJSON {
    return { options: this.options, vocabulary: [...this.terms] };
  }

  static fromJSON(json: VectorizerJSON): CountVectorizer {
    const vectorizer = new CountVectorizer({
      ...json.options,
      segmentWords: json.options.segmentWords === true,
    });
    vectorizer.setVocabulary(json.vocabulary);
    return vectorizer;
  }

  private setTerms(terms: string[]): void {
    this.terms = terms;
    this.index = undefined;
    this.ordered = undefined;
  }

  private setVocabulary(terms: string[]): void {
    this.setTerms(terms);
    this.lookupTree = undefined;
  }

  /** The look-up tree from the terms alone, so a vocabulary loaded from JSON works the same. */
  private buildLookupTree(): { tree: GramTree; nodeColumn: Int32Array } {
    const terms = this.terms;
    const tree = new GramTree();
    const columns: number[] = [];
    for (let c = 0; c < terms.length; c++) {
      const parts = terms[c].split(" ");
      let node = tree.internToken(parts[0]);
      for (let j = 1; j < parts.length; j++) node = tree.internChild(node, tree.internToken(parts[j]));
      while (columns.length < tree.size) columns.push(-1);
      columns[node] = c;
    }
    return { tree, nodeColumn: Int32Array.from(columns) };
  }
}
