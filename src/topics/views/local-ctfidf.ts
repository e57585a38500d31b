/**
 * c-TF-IDF of a slice of the corpus (one time bin, one class) with the model's fitted vocabulary and
 * idf, each topic's row L1-normalised and averaged with the topic's global row (BERTopic's
 * `global_tuning`), so words rare in the slice but typical of the topic still count.
 *
 * Rows are sorted sparse vectors (typed arrays), merged in one pass: a 20 Newsgroups report has
 * ~2,500 (topic, class) rows, and building a Map per row and per average then sorting it took
 * two thirds of the views' time.
 */
import type { DocumentTermSource } from "../../represent/class-counts.js";
import { rowTopTerms, type SparseMatrix, type TopicRepresentation } from "../../represent/index.js";
import { csrFromRows } from "../../represent/sparse.js";
import { isBlank } from "../../util/text.js";
import type { TopicTerm } from "../types.js";

/** A sparse weight vector over the vocabulary, term ids ascending. */
export interface WeightRow {
  indices: Int32Array;
  values: Float64Array;
}

export interface SliceTopics {
  topicIds: number[];
  /** Documents of each topic in the slice. */
  frequencies: number[];
  /** c-TF-IDF weights per topic, tuned with the global row when asked. */
  weights: WeightRow[];
}

/** Row `row` of a sparse matrix divided by its L1 norm (as it is when the norm is 0). */
function l1Row(matrix: SparseMatrix, row: number): WeightRow {
  const from = matrix.indptr[row];
  const to = matrix.indptr[row + 1];
  let total = 0;
  for (let p = from; p < to; p++) total += Math.abs(matrix.data[p]);
  const scale = total === 0 ? 1 : total;
  const values = new Float64Array(to - from);
  for (let p = from; p < to; p++) values[p - from] = matrix.data[p] / scale;
  return sortedRow(matrix.indices.slice(from, to), values);
}

/** Sorts a row's entries by term id when they are not (a CSR built by the vectorizer usually is). */
function sortedRow(indices: Int32Array, values: Float64Array): WeightRow {
  let sorted = true;
  for (let p = 1; p < indices.length && sorted; p++) sorted = indices[p - 1] < indices[p];
  if (sorted) return { indices, values };
  const order = Array.from(indices.keys()).sort((a, b) => indices[a] - indices[b]);
  return {
    indices: Int32Array.from(order, (p) => indices[p]),
    values: Float64Array.from(order, (p) => values[p]),
  };
}

/**
 * wa·a + wb·b entry by entry (rows with ascending term ids), a term missing from one row counting 0
 * there. With weights ½ this is BERTopic's averaging of two c-TF-IDF rows; with 1 a sum of counts.
 */
export function addRows(a: WeightRow, b: WeightRow, wa = 1, wb = 1): WeightRow {
  const indices = new Int32Array(a.indices.length + b.indices.length);
  const values = new Float64Array(indices.length);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < a.indices.length || j < b.indices.length) {
    const ta = i < a.indices.length ? a.indices[i] : Number.POSITIVE_INFINITY;
    const tb = j < b.indices.length ? b.indices[j] : Number.POSITIVE_INFINITY;
    indices[o] = Math.min(ta, tb);
    values[o++] = (ta <= tb ? a.values[i++] * wa : 0) + (tb <= ta ? b.values[j++] * wb : 0);
  }
  return { indices: indices.slice(0, o), values: values.slice(0, o) };
}

/** (a + b) / 2 entry by entry, a term missing from one row counting 0 there. */
export function averageRows(a: WeightRow, b: WeightRow): WeightRow {
  return addRows(a, b, 0.5, 0.5);
}

/** The topics' global rows, L1-normalised, each made once however many slices use it. */
export class GlobalRows {
  private readonly rows = new Map<number, WeightRow | undefined>();

  constructor(private readonly representation: TopicRepresentation) {}

  /** The global row of `topic`, or undefined when the representation has no row for it. */
  get(topic: number): WeightRow | undefined {
    if (!this.rows.has(topic)) {
      const row = this.representation.topicIds.indexOf(topic);
      this.rows.set(topic, row < 0 ? undefined : l1Row(this.representation.ctfidf.matrix, row));
    }
    return this.rows.get(topic);
  }
}

/**
 * Term counts of groups of documents in the vectorizer's columns: what the vectorizer counts on each
 * group's joined text. With kept document terms (a model that just counted them) the groups' counts
 * are sums of the documents' — the same numbers, since a unigram never spans the joining space (the
 * source exists only for unigram models) — else the joined texts are tokenised.
 */
export class GroupCounts {
  private readonly source: DocumentTermSource | undefined;
  /** Vectorizer column of each of the source's term ids (-1: not in the vocabulary). */
  private columns: Int32Array = new Int32Array(0);

  constructor(
    readonly representation: TopicRepresentation,
    private readonly texts: readonly string[],
    source: DocumentTermSource | undefined,
    /** The settings key the representation's counts have (TopicTermCounts.keyFor). */
    key: string | undefined,
  ) {
    this.source = source !== undefined && key !== undefined && source.key === key ? source : undefined;
  }

  /** The same counts for a subset of the texts: index i of the subset is text `rows[i]`. */
  subset(rows: readonly number[]): GroupCounts {
    const sub = new GroupCounts(this.representation, this.texts, this.source, this.source?.key);
    sub.rows = this.rows ? rows.map((r) => this.rows![r]) : rows;
    sub.columns = this.columns;
    return sub;
  }

  private rows: readonly number[] | undefined;

  counts(groups: readonly (readonly number[])[]): SparseMatrix {
    const { vectorizer } = this.representation;
    const source = this.source;
    const doc = this.rows ? (d: number) => this.rows![d] : (d: number) => d;
    if (source === undefined)
      return vectorizer.transform(groups.map((docs) => docs.map((d) => this.texts[doc(d)]).join(" ")));
    this.mapTerms(source);
    const vocabulary = vectorizer.size;
    const dense = new Float64Array(vocabulary);
    const touched: number[] = [];
    const add = (column: number, count: number) => {
      if (column < 0) return;
      if (dense[column] === 0) touched.push(column);
      dense[column] += count;
    };
    // each member's kept terms, looked up once; documents without them (added after a load) are
    // tokenised in one call, blank ones have none
    const members = groups.flat().map(doc);
    const kept = members.map((d) => source.document(d, this.texts[d]));
    const missing = [...new Set(members.filter((d, m) => kept[m] === undefined && !isBlank(this.texts[d])))];
    // (transform builds the vocabulary's lookup tree first: not worth it for nothing)
    const fallback = missing.length > 0 ? vectorizer.transform(missing.map((d) => this.texts[d])) : undefined;
    const fallbackRow = new Map(missing.map((d, r) => [d, r]));
    const rowIds: Int32Array[] = [];
    const rowValues: Float64Array[] = [];
    let m = 0;
    for (const docs of groups) {
      for (const end = m + docs.length; m < end; m++) {
        const terms = kept[m];
        const r = terms ? undefined : fallbackRow.get(members[m]);
        if (terms)
          for (let t = 0; t < terms.ids.length; t++) add(this.columns[terms.ids[t]], terms.counts[t]);
        else if (fallback && r !== undefined)
          for (let p = fallback.indptr[r]; p < fallback.indptr[r + 1]; p++)
            add(fallback.indices[p], fallback.data[p]);
      }
      rowIds.push(Int32Array.from(touched));
      rowValues.push(Float64Array.from(touched, (c) => dense[c]));
      for (const c of touched) dense[c] = 0;
      touched.length = 0;
    }
    return csrFromRows(rowIds, rowValues, vocabulary);
  }

  /** Extends the term → column map to terms the source gained since (it grows with the model). */
  private mapTerms(source: DocumentTermSource): void {
    const from = this.columns.length;
    if (source.terms.length === from) return;
    if (from === 0) {
      const merged = mergedColumns(source, this.representation.vectorizer.vocabulary);
      if (merged) {
        this.columns = merged;
        return;
      }
    }
    const columns = new Int32Array(source.terms.length);
    columns.set(this.columns);
    for (let t = from; t < columns.length; t++)
      columns[t] = this.representation.vectorizer.columnOf(source.terms[t]) ?? -1;
    this.columns = columns;
  }
}

/**
 * The vocabulary column of every source term (-1: not in it) by one merge of two code-point orders:
 * a vocabulary made from the source's counts is a subsequence of its sorted terms (20 Newsgroups:
 * 134,000 terms, 54,000 kept; a term map and a look-up per term took 0.15 s). Undefined when the
 * order is missing or stale, or the vocabulary is not such a subsequence: the caller looks terms up.
 */
export function mergedColumns(
  source: DocumentTermSource,
  vocabulary: readonly string[],
): Int32Array | undefined {
  const { order, terms } = source;
  if (!order || order.length !== terms.length) return undefined;
  const columns = new Int32Array(terms.length).fill(-1);
  let v = 0;
  for (let k = 0; k < order.length && v < vocabulary.length; k++) {
    const t = order[k];
    if (terms[t] === vocabulary[v]) columns[t] = v++;
  }
  return v === vocabulary.length ? columns : undefined;
}

/** The documents (indices) of each of `topics`, in their order. */
export function documentsByTopic(topics: readonly { id: number }[], labels: Int32Array): number[][] {
  const row = new Map(topics.map((t, r) => [t.id, r]));
  const groups: number[][] = topics.map(() => []);
  labels.forEach((label, doc) => {
    const r = row.get(label);
    if (r !== undefined) groups[r].push(doc);
  });
  return groups;
}

/** Topic rows of the documents `members` (indices into the counted texts and labels). */
export function sliceCtfidf(
  counts: GroupCounts,
  labels: Int32Array,
  members: readonly number[],
  global: GlobalRows | undefined,
): SliceTopics {
  const { representation } = counts;
  const byTopic = new Map<number, number[]>();
  for (const i of members) {
    const list = byTopic.get(labels[i]);
    if (list) list.push(i);
    else byTopic.set(labels[i], [i]);
  }
  const topicIds = [...byTopic.keys()].sort((a, b) => a - b);
  const weighted = representation.ctfidf.transformer.transform(
    counts.counts(topicIds.map((id) => byTopic.get(id)!)),
  );
  const weights = topicIds.map((id, row) => {
    const local = l1Row(weighted, row);
    const globalRow = global?.get(id);
    return globalRow ? averageRows(local, globalRow) : local;
  });
  return { topicIds, frequencies: topicIds.map((id) => byTopic.get(id)!.length), weights };
}

/** Best `n` terms of one weight row, ties by vocabulary order (as represent's rowTopTerms). */
export function topTerms(weights: WeightRow, vocabulary: readonly string[], n: number): TopicTerm[] {
  const row: SparseMatrix = {
    rows: 1,
    cols: vocabulary.length,
    indptr: Int32Array.from([0, weights.indices.length]),
    indices: weights.indices,
    data: weights.values,
  };
  return rowTopTerms(row, 0, vocabulary, n);
}
