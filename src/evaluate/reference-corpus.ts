/**
 * The reference corpus that coherence is measured on: every document as a run of token ids, all
 * documents concatenated in one typed array. 20 Newsgroups (~3.5M tokens) fits in ~14 MB this way,
 * where arrays of strings would take hundreds.
 */

export interface ReferenceCorpus {
  /** Token ids of all documents, concatenated in corpus order. */
  tokens: Int32Array;
  /** Document d holds tokens[offsets[d]] … tokens[offsets[d + 1] - 1]; length = documents + 1. */
  offsets: Int32Array;
  /** Token id → token. */
  vocabulary: string[];
  /** Token → token id. */
  ids: Map<string, number>;
}

export function documentCount(corpus: ReferenceCorpus): number {
  return corpus.offsets.length - 1;
}

/** Builds a reference corpus from token lists (one list per document, in corpus order). */
export function referenceCorpusFromTokens(documents: Iterable<readonly string[]>): ReferenceCorpus {
  const builder = createReferenceCorpusBuilder();
  for (const tokens of documents) builder.add(tokens);
  return builder.finish();
}

/** Builds a reference corpus by tokenizing texts one at a time (the token lists are never all held). */
export function referenceCorpusFromTexts(
  texts: Iterable<string>,
  tokenize: (text: string) => readonly string[],
): ReferenceCorpus {
  const builder = createReferenceCorpusBuilder();
  for (const text of texts) builder.add(tokenize(text));
  return builder.finish();
}

export interface ReferenceCorpusBuilder {
  add(tokens: readonly string[]): void;
  finish(): ReferenceCorpus;
}

export function createReferenceCorpusBuilder(): ReferenceCorpusBuilder {
  let tokens = new Int32Array(1 << 16);
  let length = 0;
  const offsets: number[] = [0];
  const vocabulary: string[] = [];
  const ids = new Map<string, number>();
  return {
    add(documentTokens) {
      if (length + documentTokens.length > tokens.length) {
        let capacity = tokens.length * 2;
        while (capacity < length + documentTokens.length) capacity *= 2;
        const grown = new Int32Array(capacity);
        grown.set(tokens.subarray(0, length));
        tokens = grown;
      }
      for (const token of documentTokens) {
        let id = ids.get(token);
        if (id === undefined) {
          id = vocabulary.length;
          vocabulary.push(token);
          ids.set(token, id);
        }
        tokens[length++] = id;
      }
      offsets.push(length);
    },
    finish() {
      return { tokens: tokens.slice(0, length), offsets: Int32Array.from(offsets), vocabulary, ids };
    },
  };
}
