/**
 * The sparse rows behind topics per class / over time and the hierarchy's distances, on hand-made
 * rows with known answers.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cosineDistances } from "../../../src/cluster/linkage.js";
import {
  type Counted,
  type DocumentTermSource,
  vectorizerStream,
} from "../../../src/represent/class-counts.js";
import { representTopics } from "../../../src/represent/index.js";
import { TopicTermCounts } from "../../../src/topics/lifecycle/term-counts.js";
import { resolveParameters } from "../../../src/topics/parameters.js";
import { sparseRowsToDistances } from "../../../src/topics/views/hierarchy.js";
import {
  averageRows,
  GroupCounts,
  mergedColumns,
  topTerms,
  type WeightRow,
} from "../../../src/topics/views/local-ctfidf.js";

const row = (pairs: [number, number][]): WeightRow => ({
  indices: Int32Array.from(pairs, ([i]) => i),
  values: Float64Array.from(pairs, ([, v]) => v),
});

describe("averageRows", () => {
  it("halves each entry and adds the two rows term by term, a missing term counting 0", () => {
    const merged = averageRows(
      row([
        [1, 0.5],
        [4, 0.5],
      ]),
      row([
        [0, 0.2],
        [4, 0.3],
        [9, 0.5],
      ]),
    );
    assert.deepEqual([...merged.indices], [0, 1, 4, 9]);
    assert.deepEqual([...merged.values], [0.1, 0.25, 0.25 + 0.15, 0.25]);
  });

  it("keeps an empty row empty", () => {
    const merged = averageRows(row([]), row([]));
    assert.equal(merged.indices.length, 0);
  });
});

describe("topTerms", () => {
  it("ranks by weight, ties by vocabulary order, and skips zero weights", () => {
    const vocabulary = ["a", "b", "c", "d"];
    const terms = topTerms(
      row([
        [0, 0.2],
        [1, 0.5],
        [2, 0],
        [3, 0.2],
      ]),
      vocabulary,
      10,
    );
    assert.deepEqual(
      terms.map((t) => t.word),
      ["b", "a", "d"],
    );
  });
});

describe("sparseRowsToDistances", () => {
  it("equals the dense cosine distances bit for bit", () => {
    const dense = [
      [0, 1.5, 0, 2, 0],
      [1, 0, 0, 3, 0.25],
      [0, 0, 0, 0, 0],
      [0, 4, 0, 1, 0],
    ];
    const cols = 5;
    const indptr = [0];
    const indices: number[] = [];
    const data: number[] = [];
    for (const r of dense) {
      r.forEach((v, c) => {
        if (v !== 0) {
          indices.push(c);
          data.push(v);
        }
      });
      indptr.push(indices.length);
    }
    const matrix = {
      rows: dense.length,
      cols,
      indptr: Int32Array.from(indptr),
      indices: Int32Array.from(indices),
      data: Float64Array.from(data),
    };
    // rows picked out of order, as the hierarchy picks the real topics' rows
    const picked = [3, 0, 1, 2];
    const sparse = sparseRowsToDistances(matrix, picked);
    const reference = cosineDistances({
      data: Float64Array.from(picked.flatMap((r) => dense[r])),
      rows: picked.length,
      cols,
    });
    assert.deepEqual([...sparse.data], [...reference.data]);
    // rows 3 and 0 of the input: 1 − (1.5·4 + 2·1) / (2.5 · √17)
    assert.ok(Math.abs(sparse.data[1] - (1 - 8 / (2.5 * Math.sqrt(17)))) < 1e-12);
    // an all-zero row is at distance 1 from everything
    assert.equal(sparse.data[3], 1);
  });
});

describe("GroupCounts", () => {
  const texts = [
    "the cat sat on the mat",
    "a cat and a dog",
    "",
    "dogs bark at cats, cats and dogs",
    "markets fell sharply today",
    "the market rallied; markets rose",
    "   ",
    "cat market dog",
  ];
  const labels = Int32Array.from([0, 0, -1, 0, 1, 1, -1, 1]);
  const represent = resolveParameters({ represent: { minDf: 1 } }).represent;
  const representation = representTopics(texts, labels, represent);
  const key = TopicTermCounts.keyFor(represent);
  /** A source that kept the terms of `keptDocs` only, counted with the vectorizer's own stream. */
  function partialSource(keptDocs: number[]): DocumentTermSource {
    const stream = vectorizerStream(represent);
    const terms: string[] = [];
    const index = new Map<string, number>();
    const kept = new Map<number, Counted>();
    for (const d of keptDocs) {
      const counts = new Map<number, number>();
      stream(texts[d], (term) => {
        let id = index.get(term);
        if (id === undefined) {
          id = terms.length;
          terms.push(term);
          index.set(term, id);
        }
        counts.set(id, (counts.get(id) ?? 0) + 1);
      });
      kept.set(d, {
        ids: Int32Array.from(counts.keys()),
        counts: Int32Array.from(counts.values()),
        total: [...counts.values()].reduce((a, b) => a + b, 0),
      });
    }
    return { key: key!, terms, document: (d, text) => (text === texts[d] ? kept.get(d) : undefined) };
  }
  const groups = [
    [0, 1, 2, 3],
    [4, 5, 6, 7],
    [0, 7],
  ];

  it("summed kept terms, with the rest tokenised, equal the joined texts' counts", () => {
    const fromTexts = new GroupCounts(representation, texts, undefined, key).counts(groups);
    for (const keptDocs of [[0, 1, 3, 4, 5, 7], [1, 5], []]) {
      const counts = new GroupCounts(representation, texts, partialSource(keptDocs), key).counts(groups);
      assert.deepEqual(counts, fromTexts, `kept ${keptDocs.join(",")}`);
    }
  });

  it("a subset maps its rows to the texts; a source of other settings is not used", () => {
    const all = new GroupCounts(representation, texts, partialSource([0, 1, 3, 4, 5, 7]), key);
    const sub = all.subset([4, 5, 7]);
    assert.deepEqual(sub.counts([[0, 1, 2]]), all.counts([[4, 5, 7]]));
    const wrongKey = new GroupCounts(representation, texts, partialSource([0, 1]), "other settings");
    assert.deepEqual(
      wrongKey.counts(groups),
      new GroupCounts(representation, texts, undefined, key).counts(groups),
    );
  });
});

describe("mergedColumns", () => {
  const terms = ["zeta", "alpha", "émile", "beta", "ab", "😀x", "gamma"];
  // code-point order of the terms' texts
  const order = Int32Array.from(
    [...terms.keys()].sort((a, b) => (terms[a] < terms[b] ? -1 : terms[a] > terms[b] ? 1 : 0)),
  );
  const source = { key: "k", terms, order, document: () => undefined };

  it("maps each term to its column, or -1, as a look-up per term would", () => {
    const vocabulary = ["ab", "beta", "zeta", "émile"];
    const columns = mergedColumns(source, vocabulary);
    assert.deepEqual(
      [...(columns ?? [])],
      terms.map((t) => vocabulary.indexOf(t)),
    );
  });

  it("gives up (undefined) on a vocabulary not made from these terms, or a stale order", () => {
    assert.equal(mergedColumns(source, ["ab", "delta"]), undefined);
    assert.equal(mergedColumns({ ...source, terms: [...terms, "new"] }, ["ab"]), undefined);
    assert.equal(mergedColumns({ ...source, order: undefined }, ["ab"]), undefined);
  });
});
