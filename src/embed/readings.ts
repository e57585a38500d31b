/**
 * Readings of texts (token count, unknown-token share), stored next to the embedding cache so that a
 * corpus is tokenised for reading once, not on every run. Reading every document — USE-lite's
 * SentencePiece lattice — was 2.0 of the 3.4 s of a fully cached 20 Newsgroups `embed`: the corpus
 * check reads each document, and chunk mode's cache keys read the ones that may be over the budget.
 *
 * The store is an EmbeddingCache of 2-float rows (tokens, unknown share) under the embedder's id +
 * READINGS_SUFFIX: the same chunk files, atomic appends, compaction and handling of damaged files.
 * Shares are kept as float32, and a fresh reading is rounded the same way (`storableReading`), so a
 * run from the store and a run that tokenised decide alike.
 */
import { isBlank } from "../util/text.js";
import { EmbeddingCache, READINGS_SUFFIX, textKey } from "./cache.js";
import type { Embedder, ReadingMemo, TextReading } from "./types.js";

/** A reading as the store keeps it. */
export function storableReading(reading: TextReading): TextReading {
  return { tokens: reading.tokens, unknownShare: Math.fround(reading.unknownShare) };
}

/** Texts `prime` found no stored reading for, with their keys. */
export interface UnreadTexts {
  texts: string[];
  keys: string[];
}

export class ReadingStore {
  private constructor(
    private readonly store: EmbeddingCache,
    private readonly memo: ReadingMemo,
  ) {}

  /** The store of `embedder`'s readings under `root`; undefined when it keeps none or the folder is unusable. */
  static open(root: string, embedder: Embedder): ReadingStore | undefined {
    if (!embedder.readings || !embedder.read) return undefined;
    try {
      return new ReadingStore(
        EmbeddingCache.open(root, `${embedder.id}${READINGS_SUFFIX}`, 2),
        embedder.readings,
      );
    } catch {
      // the embedding cache reports an unusable folder; readings only save time
      return undefined;
    }
  }

  /** Puts the stored readings of `texts` into the embedder's memo; returns the (distinct, non-blank) rest. */
  prime(texts: readonly string[]): UnreadTexts {
    const distinct = [...new Set(texts)].filter((text) => !isBlank(text));
    const keys = distinct.map((text) => textKey(text));
    const rows = new Float32Array(keys.length * 2);
    const found = this.store.lookup(keys, rows);
    const unread: UnreadTexts = { texts: [], keys: [] };
    distinct.forEach((text, i) => {
      if (found[i]) this.memo.set(text, { tokens: rows[2 * i], unknownShare: rows[2 * i + 1] });
      else {
        unread.texts.push(text);
        unread.keys.push(keys[i]);
      }
    });
    return unread;
  }

  /** Stores the readings the embedder has made since `prime` of the texts it did not find. */
  save(unread: UnreadTexts): void {
    const keys: string[] = [];
    const values: number[] = [];
    unread.texts.forEach((text, i) => {
      const reading = this.memo.get(text);
      if (reading === undefined) return;
      keys.push(unread.keys[i]);
      values.push(reading.tokens, reading.unknownShare);
    });
    this.store.append(keys, Float32Array.from(values));
  }
}
