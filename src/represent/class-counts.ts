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
import { createTokenizer } from "../text/tokenizer.js";
import { ClassTfidfTransformer } from "./ctfidf.js";
import { assembleRepresentation, type RepresentOptions, type TopicRepresentation } from "./index.js";
import { csrFromRows, type SparseMatrix } from "./sparse.js";
import { CountVectorizer, sortByText, type VectorizerOptions } from "./vocabulary.js";

/** Emits the tokens of one text (the term stream that is counted). */
export type TermStream = (text: string, emit: (term: string) => void) => void;

/** One class's counts: term index → count, only entries > 0. */
export type ClassRow = Map<number, number>;

/**
 * Per-class term counts, document frequencies (how many of the class's documents hold the term,
 * when `trackDocuments`) and token totals, updated one document at a time.
 */
export class ClassTermCounts {
  readonly terms: string[] = [];
  private readonly index = new Map<string, number>();
  readonly counts = new Map<number, ClassRow>();
  readonly documents: Map<number, ClassRow> | undefined;
  readonly totals = new Map<number, number>();
  /** Reused per document. */
  private readonly scratch = new Map<number, number>();

  constructor(
    private readonly stream: TermStream,
    trackDocuments = false,
  ) {
    this.documents = trackDocuments ? new Map() : undefined;
  }

  termIndex(term: string): number | undefined {
    return this.index.get(term);
  }

  private intern(term: string): number {
    let id = this.index.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.index.set(term, id);
    }
    return id;
  }

  /** Adds (`sign` 1) or removes (`sign` -1) one document of class `cls`. */
  update(text: string, cls: number, sign: 1 | -1): void {
    const doc = this.scratch;
    doc.clear();
    let total = 0;
    this.stream(text, (term) => {
      const id = this.intern(term);
      doc.set(id, (doc.get(id) ?? 0) + 1);
      total++;
    });
    if (total === 0) return;
    addTo(this.counts, cls, doc, sign, false);
    if (this.documents) addTo(this.documents, cls, doc, sign, true);
    const t = (this.totals.get(cls) ?? 0) + sign * total;
    if (t < 0) throw new CountsMismatch(`class ${cls} would hold a negative number of tokens`);
    this.totals.set(cls, t);
  }

  /** Raw arrays for saving: classes in the order given, CSR over term indices. */
  toArrays(classes: readonly number[]): {
    indptr: Int32Array;
    indices: Int32Array;
    counts: Int32Array;
    documents?: Int32Array;
    totals: Float64Array;
  } {
    const indptr = new Int32Array(classes.length + 1);
    classes.forEach((c, r) => {
      indptr[r + 1] = indptr[r] + (this.counts.get(c)?.size ?? 0);
    });
    const indices = new Int32Array(indptr[classes.length]);
    const counts = new Int32Array(indices.length);
    const documents = this.documents ? new Int32Array(indices.length) : undefined;
    classes.forEach((c, r) => {
      let k = indptr[r];
      const docs = this.documents?.get(c);
      for (const [term, count] of this.counts.get(c) ?? []) {
        indices[k] = term;
        counts[k] = count;
        if (documents) documents[k] = docs?.get(term) ?? 0;
        k++;
      }
    });
    const totals = Float64Array.from(classes, (c) => this.totals.get(c) ?? 0);
    return { indptr, indices, counts, ...(documents ? { documents } : {}), totals };
  }

  /** Restores counts saved with `toArrays` (the caller has checked the shapes). */
  static fromArrays(
    stream: TermStream,
    terms: readonly string[],
    classes: readonly number[],
    arrays: {
      indptr: Int32Array;
      indices: Int32Array;
      counts: Int32Array;
      documents?: Int32Array;
      totals: Float64Array;
    },
  ): ClassTermCounts {
    const result = new ClassTermCounts(stream, arrays.documents !== undefined);
    for (const term of terms) result.intern(term);
    if (result.terms.length !== terms.length) throw new CountsMismatch("the saved terms repeat a term");
    classes.forEach((c, r) => {
      const row: ClassRow = new Map();
      const docs: ClassRow = new Map();
      for (let k = arrays.indptr[r]; k < arrays.indptr[r + 1]; k++) {
        const term = arrays.indices[k];
        if (term < 0 || term >= terms.length || arrays.counts[k] <= 0)
          throw new CountsMismatch(`row ${r} holds an entry outside the terms or a count ≤ 0`);
        row.set(term, arrays.counts[k]);
        if (arrays.documents) docs.set(term, arrays.documents[k]);
      }
      result.counts.set(c, row);
      result.documents?.set(c, docs);
      result.totals.set(c, arrays.totals[r]);
    });
    return result;
  }
}

/** Counts that cannot be the sum of the documents they claim (a damaged state): recount. */
export class CountsMismatch extends Error {}

function addTo(
  table: Map<number, ClassRow>,
  cls: number,
  doc: ClassRow,
  sign: 1 | -1,
  presence: boolean,
): void {
  let row = table.get(cls);
  if (!row) {
    row = new Map();
    table.set(cls, row);
  }
  for (const [term, count] of doc) {
    const next = (row.get(term) ?? 0) + sign * (presence ? 1 : count);
    if (next < 0) throw new CountsMismatch(`class ${cls} would hold a negative count`);
    if (next === 0) row.delete(term);
    else row.set(term, next);
  }
}

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
  const rows = topicIds.map((id) => counts.counts.get(id) ?? new Map<number, number>());
  for (const row of rows) for (const term of row.keys()) df[term]++;
  const kept: number[] = [];
  for (let t = 0; t < terms.length; t++) if (df[t] >= options.minDf) kept.push(t);
  sortByText(kept, terms);
  const column = new Int32Array(terms.length).fill(-1);
  for (let c = 0; c < kept.length; c++) column[kept[c]] = c;
  const rowColumns: Int32Array[] = [];
  const rowValues: Float64Array[] = [];
  for (const row of rows) {
    let n = 0;
    for (const term of row.keys()) if (column[term] >= 0) n++;
    const columns = new Int32Array(n);
    const values = new Float64Array(n);
    let j = 0;
    for (const [term, count] of row) {
      if (column[term] < 0) continue;
      columns[j] = column[term];
      values[j++] = count;
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
