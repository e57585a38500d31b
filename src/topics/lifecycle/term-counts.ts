/**
 * The raw per-topic term counts a model keeps next to its c-TF-IDF (represent/class-counts.ts), so a
 * rebuild after a few documents changed topic — `addDocuments` above all — tokenises only those
 * documents instead of the whole corpus. Two tables: the vectorizer's counts (c-TF-IDF) and the junk
 * rule's token counts, document frequencies and totals (junk.ts). `counted` records which topic each
 * document is counted under (-2: not counted), so an update is the difference between it and the new
 * labels, whatever operation made them; the result equals a recount from scratch (tested).
 */
import {
  ClassTermCounts,
  type CountChange,
  type Counted,
  CountsMismatch,
  countsSupported,
  type DocumentTermSource,
  type TermStream,
  vectorizerOptions,
} from "../../represent/class-counts.js";
import { NO_SPACE_CHARACTER } from "../../text/scripts.js";
import { TokenScanner } from "../../text/token-scanner.js";
import { createTokenizer } from "../../text/tokenizer.js";
import type { TopicModelParameters } from "../types.js";

type Represent = TopicModelParameters["represent"];

import type { StageState } from "../../types.js";
import { junkTokenizer } from "./junk.js";

export const TERM_COUNTS_METHOD = "topic-term-counts";

/** Not counted (blank documents, documents added since). */
const NOT_COUNTED = -2;

/**
 * Term entries (distinct terms summed over documents) kept per document for the views, at most:
 * 16 M entries are ~130 MB; 20 Newsgroups needs 2.3 M. Past it none are kept and the views tokenise.
 */
const KEPT_ENTRIES_BUDGET = 16_000_000;

/**
 * One table's terms of many documents, packed for a worker's message: document k's distinct term
 * ids and counts are entries [offsets[k], offsets[k + 1]), its token count totals[k].
 */
export interface PackedTerms {
  terms: string[];
  ids: Int32Array;
  counts: Int32Array;
  offsets: Int32Array;
  totals: Int32Array;
}

/**
 * Documents' terms counted before their topics are known (precount.ts): both tables' terms of
 * document `documents[k]` (corpus index), whose text had `lengths[k]` UTF-16 units.
 */
export interface DocumentPrecount {
  key: string;
  documents: Int32Array;
  lengths: Int32Array;
  /** With the words' code-point order (ClassTermCounts.sortedTerms). */
  words: PackedTerms & { order: Int32Array };
  junk: PackedTerms;
}

type PairTerms = { a: Counted; b: Counted };

function pack(terms: string[], counted: readonly Counted[]): PackedTerms {
  const offsets = new Int32Array(counted.length + 1);
  for (let k = 0; k < counted.length; k++) offsets[k + 1] = offsets[k] + counted[k].ids.length;
  const ids = new Int32Array(offsets[counted.length]);
  const counts = new Int32Array(ids.length);
  const totals = new Int32Array(counted.length);
  for (let k = 0; k < counted.length; k++) {
    ids.set(counted[k].ids, offsets[k]);
    counts.set(counted[k].counts, offsets[k]);
    totals[k] = counted[k].total;
  }
  return { terms, ids, counts, offsets, totals };
}

function unpack(packed: PackedTerms, k: number): Counted {
  const { offsets } = packed;
  return {
    ids: packed.ids.subarray(offsets[k], offsets[k + 1]),
    counts: packed.counts.subarray(offsets[k], offsets[k + 1]),
    total: packed.totals[k],
  };
}

export class TopicTermCounts {
  /** Each document's vectorizer terms from when it was last counted (views; see documentTerms). */
  private kept: ({ terms: Counted; text: string } | undefined)[] = [];
  private keptEntries = 0;
  private keptDocuments = 0;
  private keepingStopped = false;
  /**
   * Terms counted ahead of the topics (fromPrecount), for the first update to use: the precount and
   * each document's entry in it (-1: not precounted).
   */
  private pending: { precount: DocumentPrecount; entry: Int32Array } | undefined;

  private constructor(
    /** The tokenizer settings the counts were made with (JSON); counts made otherwise are not reused. */
    readonly key: string,
    readonly words: ClassTermCounts,
    readonly junk: ClassTermCounts,
    /** Topic each document is counted under, corpus order (-2: not counted). */
    private counted: Int32Array,
    /** Whether a text's tokens are the same for both tables (tokenised once then). */
    private readonly share: (text: string) => boolean,
  ) {}

  /** The settings key, or undefined when counts cannot reproduce c-TF-IDF (n-grams; class-counts.ts). */
  static keyFor(represent: Represent): string | undefined {
    if (!countsSupported(represent)) return undefined;
    const { stopWords, dropNumbers } = represent;
    return JSON.stringify({ vectorizer: vectorizerOptions(represent), junk: { stopWords, dropNumbers } });
  }

  /** Empty counts for these options (undefined when not supported). */
  static empty(represent: Represent): TopicTermCounts | undefined {
    const key = TopicTermCounts.keyFor(represent);
    if (key === undefined) return undefined;
    const [word, junk, share, scanners] = streams(represent);
    return new TopicTermCounts(
      key,
      new ClassTermCounts(word, false, scanners.word),
      new ClassTermCounts(junk, true, scanners.junk),
      new Int32Array(0),
      share,
    );
  }

  /**
   * Both tables' terms of `texts` (text k is document `documents[k]`), counted as the first `update`
   * over those documents would count them — the same term ids in the same order — but under no topic
   * yet (precount.ts runs this on a worker while the embeddings are reduced). Undefined when counts are
   * not supported for these options.
   */
  static precount(
    represent: Represent,
    texts: readonly string[],
    documents: Int32Array,
  ): DocumentPrecount | undefined {
    const counts = TopicTermCounts.empty(represent);
    if (!counts) return undefined;
    const { a, b } = ClassTermCounts.countPair(counts.words, counts.junk, texts, counts.share);
    return {
      key: counts.key,
      documents,
      lengths: Int32Array.from(texts, (text) => text.length),
      words: { ...pack(counts.words.terms, a), order: counts.words.sortedTerms() },
      junk: pack(counts.junk.terms, b),
    };
  }

  /**
   * Empty counts holding a precount's terms: the first `update` takes each precounted document's
   * terms from it instead of tokenising the text (when the text still has the counted length), and is
   * then what a count from scratch gives (tested). Undefined when the precount was made for other
   * tokenizer settings.
   */
  static fromPrecount(represent: Represent, precount: DocumentPrecount): TopicTermCounts | undefined {
    const key = TopicTermCounts.keyFor(represent);
    if (key === undefined || precount.key !== key) return undefined;
    const [word, junk, share, scanners] = streams(represent);
    const counts = new TopicTermCounts(
      key,
      ClassTermCounts.withTerms(word, false, precount.words.terms, scanners.word, precount.words.order),
      ClassTermCounts.withTerms(junk, true, precount.junk.terms, scanners.junk),
      new Int32Array(0),
      share,
    );
    const { documents } = precount;
    let last = -1;
    for (const doc of documents) last = Math.max(last, doc);
    const entry = new Int32Array(last + 1).fill(-1);
    documents.forEach((doc, k) => {
      entry[doc] = k;
    });
    counts.pending = { precount, entry };
    return counts;
  }

  /** Documents counted under a topic. */
  get countedDocuments(): number {
    return this.counted.reduce((n, c) => n + (c === NOT_COUNTED ? 0 : 1), 0);
  }

  /**
   * Brings the counts to `labels` (one per document; `included` marks the documents c-TF-IDF sees):
   * each document whose topic differs from the one it is counted under is removed from that topic and
   * added to its new one. Returns how many documents were tokenised.
   */
  update(texts: readonly string[], labels: Int32Array, included: Uint8Array): number {
    const n = texts.length;
    if (this.counted.length > n) throw new CountsMismatch("more documents counted than the model holds");
    if (this.counted.length < n) {
      const grown = new Int32Array(n).fill(NOT_COUNTED);
      grown.set(this.counted);
      this.counted = grown;
    }
    const changes: CountChange[] = [];
    const moved: number[] = [];
    for (let i = 0; i < n; i++) {
      const target = included[i] ? labels[i] : NOT_COUNTED;
      const current = this.counted[i];
      if (target === current) continue;
      changes.push({
        text: texts[i],
        ...(current === NOT_COUNTED ? {} : { from: current }),
        ...(target === NOT_COUNTED ? {} : { to: target }),
      });
      moved.push(i);
    }
    if (changes.length === 0) return 0;
    const pending = this.pending;
    this.pending = undefined;
    const known = pending
      ? moved.map((doc, k): PairTerms | undefined => {
          const { precount, entry } = pending;
          const at = doc < entry.length ? entry[doc] : -1;
          if (at < 0 || precount.lengths[at] !== changes[k].text.length) return undefined;
          return { a: unpack(precount.words, at), b: unpack(precount.junk, at) };
        })
      : undefined;
    // a failure part-way leaves the tables between two states: the caller recounts from scratch
    const terms = ClassTermCounts.applyPair(this.words, this.junk, changes, this.share, known);
    for (const i of moved) this.counted[i] = included[i] ? labels[i] : NOT_COUNTED;
    this.keep(texts, moved, terms);
    return changes.length - (known?.reduce((n, k) => n + (k ? 1 : 0), 0) ?? 0);
  }

  private keep(texts: readonly string[], moved: readonly number[], terms: readonly Counted[]): void {
    if (this.keepingStopped) return;
    moved.forEach((doc, c) => {
      this.keptEntries += terms[c].ids.length - (this.kept[doc]?.terms.ids.length ?? 0);
      if (this.kept[doc] === undefined) this.keptDocuments++;
      this.kept[doc] = { terms: terms[c], text: texts[doc] };
    });
    if (this.keptEntries > KEPT_ENTRIES_BUDGET) {
      this.keepingStopped = true;
      this.kept = [];
      this.keptEntries = 0;
      this.keptDocuments = 0;
    }
  }

  /**
   * The documents' vectorizer terms kept from their counts (undefined once the corpus outgrew the
   * budget, or when fewer than half the counted documents have theirs — a loaded model that moved a
   * few: the views then tokenise joined texts as they always did, rather than every other document
   * one by one). A document counted before a load, or whose text is not the one counted, has none: the
   * views tokenise it. (The texts are the model's own strings, so the comparison is a pointer's.)
   */
  documentTerms(): DocumentTermSource | undefined {
    if (this.keepingStopped || this.keptDocuments * 2 < this.countedDocuments) return undefined;
    const kept = this.kept;
    return {
      key: this.key,
      terms: this.words.terms,
      order: this.words.sortedTerms(),
      document: (doc, text) => {
        const entry = kept[doc];
        return entry !== undefined && entry.text === text ? entry.terms : undefined;
      },
    };
  }

  /** The model-folder state (term-counts.json + arrays; folder/format.ts). */
  toState(): StageState {
    const classesOf = (table: ClassTermCounts) => [...table.rows.keys()].sort((a, b) => a - b);
    const wordClasses = classesOf(this.words);
    const junkClasses = classesOf(this.junk);
    const w = this.words.toArrays(wordClasses);
    const j = this.junk.toArrays(junkClasses);
    const vector = (data: Int32Array | Float64Array) => ({ data, shape: [data.length] });
    return {
      method: TERM_COUNTS_METHOD,
      options: {
        key: this.key,
        words: { terms: this.words.terms, classes: wordClasses },
        junk: { terms: this.junk.terms, classes: junkClasses },
      },
      arrays: {
        counted: vector(this.counted),
        "words-indptr": vector(w.indptr),
        "words-indices": vector(w.indices),
        "words-counts": vector(w.counts),
        "words-totals": vector(w.totals),
        "words-order": vector(this.words.sortedTerms()),
        "junk-indptr": vector(j.indptr),
        "junk-indices": vector(j.indices),
        "junk-counts": vector(j.counts),
        "junk-documents": vector(j.documents!),
        "junk-totals": vector(j.totals),
      },
    };
  }

  /**
   * Counts saved with `toState`, when they were made with the tokenizer settings `represent` asks
   * for; undefined otherwise (the rebuild then recounts). Throws CountsMismatch on arrays that do not
   * fit together.
   */
  static fromState(state: StageState, represent: Represent): TopicTermCounts | undefined {
    const key = TopicTermCounts.keyFor(represent);
    const options = state.options as {
      key: string;
      words: { terms: string[]; classes: number[] };
      junk: { terms: string[]; classes: number[] };
    };
    if (key === undefined || state.method !== TERM_COUNTS_METHOD || options.key !== key) return undefined;
    const a = state.arrays ?? {};
    const int = (name: string): Int32Array => {
      const data = a[name]?.data;
      if (!(data instanceof Int32Array)) throw new CountsMismatch(`${name} is missing or not int32`);
      return data;
    };
    const float = (name: string): Float64Array => {
      const data = a[name]?.data;
      if (!(data instanceof Float64Array)) throw new CountsMismatch(`${name} is missing or not float64`);
      return data;
    };
    const table = (prefix: "words" | "junk", stream: TermStream) => {
      const { terms, classes } = options[prefix];
      const arrays = {
        indptr: int(`${prefix}-indptr`),
        indices: int(`${prefix}-indices`),
        counts: int(`${prefix}-counts`),
        totals: float(`${prefix}-totals`),
        ...(prefix === "junk" ? { documents: int("junk-documents") } : {}),
      };
      const nnz = arrays.indices.length;
      if (
        arrays.indptr.length !== classes.length + 1 ||
        arrays.indptr[0] !== 0 ||
        arrays.indptr[classes.length] !== nnz ||
        arrays.counts.length !== nnz ||
        (arrays.documents !== undefined && arrays.documents.length !== nnz) ||
        arrays.totals.length !== classes.length ||
        arrays.indptr.some((v, i) => i > 0 && v < arrays.indptr[i - 1])
      )
        throw new CountsMismatch(`the ${prefix} arrays do not fit together`);
      const order = prefix === "words" ? a["words-order"]?.data : undefined;
      return ClassTermCounts.fromArrays(
        stream,
        terms,
        classes,
        arrays,
        order instanceof Int32Array ? order : undefined,
        prefix === "words" ? scanners.word : scanners.junk,
      );
    };
    const [wordStream, junkStream, share, scanners] = streams(represent);
    return new TopicTermCounts(
      key,
      table("words", wordStream),
      table("junk", junkStream),
      int("counted").slice(),
      share,
    );
  }
}

/**
 * The token streams of the two tables — the vectorizer's and the junk rule's — and when one stream
 * serves both: the same stop words and number rule, and a text without a script written without
 * spaces (only those go through the segmenter, whose locale the two may set differently).
 */
function streams(
  represent: Represent,
): [TermStream, TermStream, (text: string) => boolean, { word: TokenScanner; junk: TokenScanner }] {
  const word = createTokenizer(vectorizerOptions(represent));
  const junk = junkTokenizer(represent);
  const same =
    word.dropNumbers === junk.dropNumbers &&
    word.stopWords.size === junk.stopWords.size &&
    [...word.stopWords].every((w) => junk.stopWords.has(w));
  return [
    (text, emit) => word.forEachToken(text, emit),
    (text, emit) => junk.forEachToken(text, emit),
    // (these scripts have no case: testing the text as it is spares lower-casing each one again)
    (text) => same && !NO_SPACE_CHARACTER.test(text),
    // the same tokens as ids, without a string per token (token-scanner.ts)
    { word: new TokenScanner(word), junk: new TokenScanner(junk) },
  ];
}
