/**
 * Raw term counts per class (topic), kept so that c-TF-IDF can be refitted after a few documents
 * change class without tokenising the whole corpus again (growing a model: `addDocuments`).
 *
 * The counts are those of the vectorizer *before* min_df pruning, one document at a time: a class's
 * row is the sum of its documents' rows. For unigrams that is exactly what CountVectorizer sees on the
 * class's joined text (documents are joined with a space, and a token never spans a space), so
 * `representFromCounts` gives the same vocabulary, counts and c-TF-IDF as `representTopics`. Longer
 * n-grams can span two joined documents, so counts are only kept for `ngramRange` [1, 1]
 * (`countsSupported`); other ranges refit from the texts.
 */
import { TermTable, type TokenScanner } from "../text/token-scanner.js";
import { createTokenizer } from "../text/tokenizer.js";
import { ClassTfidfTransformer } from "./ctfidf.js";
import { assembleRepresentation, type RepresentOptions, type TopicRepresentation } from "./index.js";
import { csrFromRows, type SparseMatrix } from "./sparse.js";
import { CountVectorizer, compareCodePoints, sortByText, type VectorizerOptions } from "./vocabulary.js";

/** Emits the tokens of one text (the term stream that is counted). */
export type TermStream = (text: string, emit: (term: string) => void) => void;

/** One class's counts: term indices ascending, their counts (> 0) and, when tracked, document frequencies. */
export interface ClassRow {
  ids: Int32Array;
  counts: Int32Array;
  documents?: Int32Array;
}

/** A document leaving class `from` and/or joining class `to` (undefined: not counted there). */
export interface CountChange {
  text: string;
  from?: number;
  to?: number;
}

/**
 * Per-class term counts, document frequencies (how many of the class's documents hold the term,
 * when `trackDocuments`) and token totals. Documents move in batches (`apply`): each is tokenised
 * once, and each class touched is rebuilt from its row plus the moves through dense accumulators, so
 * counting a whole corpus costs what CountVectorizer's one pass does.
 */
export class ClassTermCounts {
  readonly terms: string[] = [];
  /** Term → id; built on first use for tables made `withTerms` (a fit that only sums never needs it). */
  private termIds: Map<string, number> | undefined = new Map<string, number>();
  readonly rows = new Map<number, ClassRow>();
  readonly totals = new Map<number, number>();
  readonly trackDocuments: boolean;
  /** Term ids in code-point order of their text (the vocabulary's order), for the first `sortedCount` terms. */
  private sorted = new Int32Array(0);

  /** Term ids by text range, for the scanner (made on first use). */
  private table: TermTable | undefined;

  /**
   * This table's term ids → `other`'s, from the last `applyPair` (-1: not looked up yet). Terms are
   * only ever appended, so the map stays true; kept, an add looks up only the terms it brings.
   */
  private paired: { other: ClassTermCounts; ids: Int32Array } | undefined;

  constructor(
    private readonly stream: TermStream,
    trackDocuments = false,
    /** The stream's tokens as ids without a string per token (token-scanner.ts), when it is a unigram tokenizer's. */
    private readonly scanner?: TokenScanner,
  ) {
    this.trackDocuments = trackDocuments;
  }

  /** The ids of `text`'s terms through the scanner, else through the stream (same ids, same order). */
  private forEachId(text: string, emit: (id: number) => void): void {
    if (this.scanner) {
      this.table ??= new TermTable((term) => this.intern(term));
      if (this.scanner.ids(text, this.table, emit)) return;
    }
    this.stream(text, (term) => emit(this.intern(term)));
  }

  termIndex(term: string): number | undefined {
    return this.index().get(term);
  }

  private index(): Map<string, number> {
    if (this.termIds === undefined) {
      const ids = new Map<string, number>();
      for (let id = 0; id < this.terms.length; id++) ids.set(this.terms[id], id);
      this.termIds = ids;
    }
    return this.termIds;
  }

  /**
   * The ids of those `words` that are terms: through the term → id map when it exists, else in one
   * scan of the terms (the junk rule's few hundred topic words against 130,000 terms need no map).
   */
  termIndices(words: Iterable<string>): Map<string, number> {
    const found = new Map<string, number>();
    if (this.termIds !== undefined) {
      for (const word of words) {
        const id = this.termIds.get(word);
        if (id !== undefined) found.set(word, id);
      }
      return found;
    }
    const wanted = new Set(words);
    // the terms are distinct: each wanted word is found at most once
    for (let id = 0; id < this.terms.length && found.size < wanted.size; id++)
      if (wanted.has(this.terms[id])) found.set(this.terms[id], id);
    return found;
  }

  /** The count of `term` in class `cls` (0 when absent), and its document frequency. */
  lookup(cls: number, term: number): { count: number; documents: number } {
    const row = this.rows.get(cls);
    if (!row) return { count: 0, documents: 0 };
    let lo = 0;
    let hi = row.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (row.ids[mid] === term) return { count: row.counts[mid], documents: row.documents?.[mid] ?? 0 };
      if (row.ids[mid] < term) lo = mid + 1;
      else hi = mid - 1;
    }
    return { count: 0, documents: 0 };
  }

  private intern(term: string): number {
    const index = this.index();
    let id = index.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      index.set(term, id);
    }
    return id;
  }

  /** Applies a batch of moves. Throws CountsMismatch when a class would hold less than nothing. */
  apply(changes: readonly CountChange[]): void {
    const acc = new DocumentTerms();
    this.applyCounted(
      changes,
      changes.map((change) => {
        this.forEachId(change.text, (id) => acc.add(id));
        return acc.take();
      }),
    );
  }

  /**
   * Each text's terms in table a and in table b, without moving any document: one tokenisation of
   * each text for which `share` says the two tables' streams agree (b's term ids are then found
   * through a's, not looked up again). New terms are interned in text order, as `applyPair` would.
   */
  static countPair(
    a: ClassTermCounts,
    b: ClassTermCounts,
    texts: readonly string[],
    share: (text: string) => boolean,
  ): { a: Counted[]; b: Counted[] } {
    const accA = new DocumentTerms();
    const accB = new DocumentTerms();
    let aToB = a.paired?.other === b ? a.paired.ids : new Int32Array(a.terms.length + 1024).fill(-1);
    const countedA: Counted[] = [];
    const countedB: Counted[] = [];
    const both = (id: number) => {
      if (id >= aToB.length) {
        const grown = new Int32Array(Math.max(aToB.length * 2, id + 1)).fill(-1);
        grown.set(aToB);
        aToB = grown;
      }
      let other = aToB[id];
      if (other < 0) {
        other = b.intern(a.terms[id]);
        aToB[id] = other;
      }
      accA.add(id);
      accB.add(other);
    };
    for (const text of texts) {
      if (share(text)) a.forEachId(text, both);
      else {
        a.forEachId(text, (id) => accA.add(id));
        b.forEachId(text, (id) => accB.add(id));
      }
      countedA.push(accA.take());
      countedB.push(accB.take());
    }
    a.paired = { other: b, ids: aToB };
    return { a: countedA, b: countedB };
  }

  /**
   * `a.apply(changes)` and `b.apply(changes)`, tokenising each text once where the streams agree
   * (countPair). `known[d]`, when given, holds change d's terms already counted in both tables (ids of
   * a.terms and b.terms: a count made in the same term order, precount.ts), and that text is not
   * tokenised again. Returns each changed document's terms in table a (ids of `a.terms`).
   */
  static applyPair(
    a: ClassTermCounts,
    b: ClassTermCounts,
    changes: readonly CountChange[],
    share: (text: string) => boolean,
    known?: readonly ({ a: Counted; b: Counted } | undefined)[],
  ): Counted[] {
    const unknown = known ? changes.filter((_, d) => known[d] === undefined) : changes;
    const fresh = ClassTermCounts.countPair(
      a,
      b,
      unknown.map((c) => c.text),
      share,
    );
    let next = 0;
    const countedA: Counted[] = [];
    const countedB: Counted[] = [];
    for (let d = 0; d < changes.length; d++) {
      const given = known?.[d];
      countedA.push(given ? given.a : fresh.a[next]);
      countedB.push(given ? given.b : fresh.b[next++]);
    }
    a.applyCounted(changes, countedA);
    b.applyCounted(changes, countedB);
    return countedA;
  }

  /**
   * Empty counts whose term ids are `terms` in order (a count made elsewhere: precount.ts), with
   * their code-point `order` when known.
   */
  static withTerms(
    stream: TermStream,
    trackDocuments: boolean,
    terms: readonly string[],
    scanner?: TokenScanner,
    order?: Int32Array,
  ): ClassTermCounts {
    const result = new ClassTermCounts(stream, trackDocuments, scanner);
    // distinct by construction (a count's own interned terms): the look-up map waits for a new term
    for (const term of terms) result.terms.push(term);
    result.termIds = undefined;
    if (order && order.length === terms.length) result.sorted = order.slice();
    return result;
  }

  /** Moves documents already counted: `counted[d]` holds the distinct terms of `changes[d]`. */
  private applyCounted(changes: readonly CountChange[], counted: readonly Counted[]): void {
    const docIds = counted.map((c) => c.ids);
    const docCounts = counted.map((c) => c.counts);
    const docTotals = counted.map((c) => c.total);
    // the moves of each class
    const moves = new Map<number, { doc: number; sign: 1 | -1 }[]>();
    const move = (cls: number | undefined, doc: number, sign: 1 | -1) => {
      if (cls === undefined) return;
      let list = moves.get(cls);
      if (!list) {
        list = [];
        moves.set(cls, list);
      }
      list.push({ doc, sign });
    };
    changes.forEach((change, d) => {
      move(change.from, d, -1);
      move(change.to, d, 1);
    });
    const n = this.terms.length;
    // the change of each term touched by the moves (dense), merged into the row (sorted): linear in
    // the row, so a class gaining a few documents does not re-sort its whole row
    const deltaCounts = new Int32Array(n);
    const deltaDocuments = new Int32Array(this.trackDocuments ? n : 0);
    const track = this.trackDocuments;
    const mark = new Uint8Array(n);
    for (const [cls, list] of moves) {
      const row = this.rows.get(cls) ?? { ids: new Int32Array(0), counts: new Int32Array(0) };
      const seen: number[] = [];
      let total = this.totals.get(cls) ?? 0;
      for (const { doc, sign } of list) {
        const ids = docIds[doc];
        const c = docCounts[doc];
        for (let k = 0; k < ids.length; k++) {
          const id = ids[k];
          if (mark[id] === 0) {
            mark[id] = 1;
            seen.push(id);
          }
          deltaCounts[id] += sign * c[k];
          if (track) deltaDocuments[id] += sign;
        }
        total += sign * docTotals[doc];
      }
      const delta = Int32Array.from(seen).sort();
      const next = mergeRow(row, delta, deltaCounts, track ? deltaDocuments : undefined);
      if (next === undefined) throw new CountsMismatch(`class ${cls} would hold a negative count`);
      for (const id of seen) {
        deltaCounts[id] = 0;
        if (track) deltaDocuments[id] = 0;
        mark[id] = 0;
      }
      if (total < 0) throw new CountsMismatch(`class ${cls} would hold a negative number of tokens`);
      this.rows.set(cls, next);
      this.totals.set(cls, total);
    }
  }

  /** Adds (`sign` 1) or removes (`sign` -1) one document of class `cls` (rebuilds the row: batch with `apply`). */
  update(text: string, cls: number, sign: 1 | -1): void {
    this.apply([sign === 1 ? { text, to: cls } : { text, from: cls }]);
  }

  /**
   * Term ids in code-point order of their text, as CountVectorizer sorts its vocabulary. Terms met
   * since the last call are sorted on their own and merged in, so a rebuild does not sort them all.
   */
  sortedTerms(): Int32Array {
    const done = this.sorted.length;
    if (done === this.terms.length) return this.sorted;
    const fresh: number[] = [];
    for (let id = done; id < this.terms.length; id++) fresh.push(id);
    sortByText(fresh, this.terms);
    // each fresh term's place is found by binary search and the runs between are copied whole: a few
    // thousand new terms cost that many searches, not a comparison per known term (130,000 on 20NG)
    const merged = new Int32Array(this.terms.length);
    const known = this.sorted;
    let a = 0;
    let k = 0;
    for (const id of fresh) {
      const text = this.terms[id];
      let lo = a;
      let hi = done;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareCodePoints(this.terms[known[mid]], text) < 0) lo = mid + 1;
        else hi = mid;
      }
      merged.set(known.subarray(a, lo), k);
      k += lo - a;
      a = lo;
      merged[k++] = id;
    }
    merged.set(known.subarray(a, done), k);
    this.sorted = merged;
    return merged;
  }

  /** Raw arrays for saving: classes in the order given, CSR over term indices, and the term order. */
  toArrays(classes: readonly number[]): CountArrays {
    const indptr = new Int32Array(classes.length + 1);
    classes.forEach((c, r) => {
      indptr[r + 1] = indptr[r] + (this.rows.get(c)?.ids.length ?? 0);
    });
    const indices = new Int32Array(indptr[classes.length]);
    const counts = new Int32Array(indices.length);
    const documents = this.trackDocuments ? new Int32Array(indices.length) : undefined;
    classes.forEach((c, r) => {
      const row = this.rows.get(c);
      if (!row) return;
      indices.set(row.ids, indptr[r]);
      counts.set(row.counts, indptr[r]);
      if (documents && row.documents) documents.set(row.documents, indptr[r]);
    });
    const totals = Float64Array.from(classes, (c) => this.totals.get(c) ?? 0);
    return { indptr, indices, counts, ...(documents ? { documents } : {}), totals };
  }

  /** Restores counts saved with `toArrays` (the caller has checked the shapes); `order` when saved. */
  static fromArrays(
    stream: TermStream,
    terms: readonly string[],
    classes: readonly number[],
    arrays: CountArrays,
    order?: Int32Array,
    scanner?: TokenScanner,
  ): ClassTermCounts {
    const result = new ClassTermCounts(stream, arrays.documents !== undefined, scanner);
    for (const term of terms) result.intern(term);
    if (result.terms.length !== terms.length) throw new CountsMismatch("the saved terms repeat a term");
    classes.forEach((c, r) => {
      const start = arrays.indptr[r];
      const end = arrays.indptr[r + 1];
      const ids = arrays.indices.slice(start, end);
      const counts = arrays.counts.slice(start, end);
      for (let k = 0; k < ids.length; k++) {
        if (ids[k] < 0 || ids[k] >= terms.length || counts[k] <= 0 || (k > 0 && ids[k] <= ids[k - 1]))
          throw new CountsMismatch(`row ${r} holds an entry outside the terms, out of order, or a count ≤ 0`);
      }
      const row: ClassRow = { ids, counts };
      if (arrays.documents) row.documents = arrays.documents.slice(start, end);
      result.rows.set(c, row);
      result.totals.set(c, arrays.totals[r]);
    });
    if (order) {
      // trusted only when it is the terms in order (one pass of comparisons)
      const ok =
        order.length === terms.length &&
        order.every(
          (id, k) =>
            id >= 0 &&
            id < terms.length &&
            (k === 0 || compareCodePoints(terms[order[k - 1]], terms[id]) < 0),
        );
      if (ok) result.sorted = order.slice();
    }
    return result;
  }
}

/**
 * `row` plus the changes at the ids `delta` (ascending) — entries that reach 0 are dropped; undefined
 * when a count or document frequency would fall below 0. (Plain locals in the loop: a closure per entry
 * and optional reads made this merge a third of an `addDocuments` rebuild.)
 */
function mergeRow(
  row: ClassRow,
  delta: Int32Array,
  deltaCounts: Int32Array,
  deltaDocuments: Int32Array | undefined,
): ClassRow | undefined {
  const rowIds = row.ids;
  const rowCounts = row.counts;
  const rowDocuments = row.documents;
  const length = rowIds.length + delta.length;
  const ids = new Int32Array(length);
  const counts = new Int32Array(length);
  const documents = deltaDocuments ? new Int32Array(length) : undefined;
  let size = 0;
  let a = 0;
  for (let b = 0; b < delta.length; b++) {
    const id = delta[b];
    while (a < rowIds.length && rowIds[a] < id) {
      ids[size] = rowIds[a];
      counts[size] = rowCounts[a];
      if (documents && rowDocuments) documents[size] = rowDocuments[a];
      size++;
      a++;
    }
    let count = deltaCounts[id];
    let docs = deltaDocuments ? deltaDocuments[id] : 0;
    if (a < rowIds.length && rowIds[a] === id) {
      count += rowCounts[a];
      if (rowDocuments) docs += rowDocuments[a];
      a++;
    }
    if (count < 0 || docs < 0) return undefined;
    if (count === 0) continue;
    ids[size] = id;
    counts[size] = count;
    if (documents) documents[size] = docs;
    size++;
  }
  const rest = rowIds.length - a;
  ids.set(rowIds.subarray(a), size);
  counts.set(rowCounts.subarray(a), size);
  if (documents && rowDocuments) documents.set(rowDocuments.subarray(a), size);
  size += rest;
  const next: ClassRow = { ids: ids.slice(0, size), counts: counts.slice(0, size) };
  if (documents) next.documents = documents.slice(0, size);
  return next;
}

/**
 * Each document's terms as a count made them, for the topic views (per class, over time), which
 * would otherwise tokenise the whole corpus again: the same stream as the vectorizer's (unigrams).
 */
export interface DocumentTermSource {
  /** Settings key of the stream that made the terms (TopicTermCounts.keyFor): views check it. */
  readonly key: string;
  /** Terms behind the ids. */
  readonly terms: readonly string[];
  /**
   * The term ids in code-point order of their text, when known (for as many terms as `terms` had then):
   * a vocabulary made from these counts is a subsequence of it, so the views map terms to columns in
   * one merge instead of a look-up per term.
   */
  readonly order?: Int32Array;
  /** The terms of document `doc` when they were kept for this very text; undefined otherwise. */
  document(doc: number, text: string): Counted | undefined;
}

/** One document's distinct term ids (first-occurrence order), their counts and its number of tokens. */
export interface Counted {
  ids: Int32Array;
  counts: Int32Array;
  total: number;
}

/** Counts one document's terms in a dense array reused across documents. */
class DocumentTerms {
  private dense = new Int32Array(1024);
  private readonly touched: number[] = [];
  private total = 0;

  add(id: number): void {
    if (id >= this.dense.length) {
      const grown = new Int32Array(Math.max(this.dense.length * 2, id + 1));
      grown.set(this.dense);
      this.dense = grown;
    }
    if (this.dense[id] === 0) this.touched.push(id);
    this.dense[id]++;
    this.total++;
  }

  take(): Counted {
    const n = this.touched.length;
    const ids = new Int32Array(n);
    const counts = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const id = this.touched[i];
      ids[i] = id;
      counts[i] = this.dense[id];
      this.dense[id] = 0;
    }
    const result = { ids, counts, total: this.total };
    this.touched.length = 0;
    this.total = 0;
    return result;
  }
}

export interface CountArrays {
  indptr: Int32Array;
  indices: Int32Array;
  counts: Int32Array;
  documents?: Int32Array;
  totals: Float64Array;
}

/** Counts that cannot be the sum of the documents they claim (a damaged state): recount. */
export class CountsMismatch extends Error {}

/** The options the CountVectorizer of `representTopics` records for these representation options. */
export function vectorizerOptions(options: RepresentOptions): VectorizerOptions {
  return new CountVectorizer({
    ngramRange: options.ngramRange,
    minDf: options.minDf,
    stopWords: options.stopWords,
    dropNumbers: options.dropNumbers,
    language: options.language,
  }).options;
}

/** Whether class counts reproduce CountVectorizer on joined texts for these options (see the top). */
export function countsSupported(options: Pick<RepresentOptions, "ngramRange">): boolean {
  return options.ngramRange[0] === 1 && options.ngramRange[1] === 1;
}

/** The token stream CountVectorizer counts for these options (unigrams only; see countsSupported). */
export function vectorizerStream(options: RepresentOptions): TermStream {
  const tokenizer = createTokenizer(vectorizerOptions(options));
  return (text, emit) => tokenizer.forEachToken(text, emit);
}

/**
 * `representTopics` (or the seed-word variant, with `seedMultiplier` for `seedWords`) computed from
 * class counts instead of texts: `topicIds` are the classes present (ascending); each must have a row
 * (possibly empty) in `counts`.
 */
export function representFromCounts(
  counts: ClassTermCounts,
  topicIds: readonly number[],
  options: RepresentOptions,
  seeds?: { words: readonly string[]; multiplier: number },
): TopicRepresentation {
  const { terms } = counts;
  const df = new Int32Array(terms.length);
  const rows = topicIds.map((id) => counts.rows.get(id));
  for (const row of rows) if (row) for (const term of row.ids) df[term]++;
  const kept: number[] = [];
  for (const t of counts.sortedTerms()) if (df[t] >= options.minDf) kept.push(t);
  const column = new Int32Array(terms.length).fill(-1);
  for (let c = 0; c < kept.length; c++) column[kept[c]] = c;
  const rowColumns: Int32Array[] = [];
  const rowValues: Float64Array[] = [];
  for (const row of rows) {
    let n = 0;
    if (row) for (const term of row.ids) if (column[term] >= 0) n++;
    const columns = new Int32Array(n);
    const values = new Float64Array(n);
    let j = 0;
    if (row) {
      for (let k = 0; k < row.ids.length; k++) {
        const c = column[row.ids[k]];
        if (c < 0) continue;
        columns[j] = c;
        values[j++] = row.counts[k];
      }
    }
    rowColumns.push(columns);
    rowValues.push(values);
  }
  const matrix: SparseMatrix = csrFromRows(rowColumns, rowValues, kept.length);
  const vocabulary = kept.map((t) => terms[t]);
  const vectorizer = CountVectorizer.fromJSON({ options: vectorizerOptions(options), vocabulary });
  let multiplier: Float64Array | undefined;
  if (seeds && seeds.words.length > 0) {
    const set = new Set(seeds.words.map((w) => w.toLowerCase()));
    multiplier = Float64Array.from(vocabulary, (term) => (set.has(term) ? seeds.multiplier : 1));
  }
  const transformer = new ClassTfidfTransformer(options).fit(matrix, multiplier);
  return assembleRepresentation(
    [...topicIds],
    vectorizer,
    { transformer, matrix: transformer.transform(matrix) },
    options.topN,
  );
}
