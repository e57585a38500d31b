/**
 * Counting the terms ahead of the topics (precount.ts, TopicTermCounts.precount / fromPrecount): the
 * counts, term ids, vocabulary order and per-document terms must be exactly those of counting on the
 * main thread; documents the precount does not hold (or whose text changed) are tokenised as before;
 * the worker gives what the in-process count gives, and a cancelled job resolves to nothing.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  MIN_PRECOUNT_CHARACTERS,
  precountedTerms,
  startPrecount,
} from "../../src/topics/lifecycle/precount.js";
import { type DocumentPrecount, TopicTermCounts } from "../../src/topics/lifecycle/term-counts.js";
import { DEFAULT_PARAMETERS } from "../../src/topics/parameters.js";
import type { TopicModelParameters } from "../../src/topics/types.js";
import { syntheticCorpus } from "./helpers.js";

const represent: TopicModelParameters["represent"] = {
  ...structuredClone(DEFAULT_PARAMETERS.represent),
  stopWords: "english",
  language: "en",
};

const { texts } = syntheticCorpus({ topics: ["space", "food", "football"], noise: 6 });
// a text the scanner leaves to the segmenter (no spaces), numbers, stop words only, an empty one
texts.push("東京の天気は晴れです rocket", "1993 1994 orbit", "the and of", "");
const included = Uint8Array.from(texts, (t) => (t.trim() === "" ? 0 : 1));
const labels = Int32Array.from(texts, (_, i) => (i % 4) - 1);

function documentsOf(mask: Uint8Array): Int32Array {
  return Int32Array.from([...mask.keys()].filter((i) => mask[i]));
}

/** The precount of the documents `mask` marks, texts as they are. */
function precountOf(mask: Uint8Array): DocumentPrecount {
  const documents = documentsOf(mask);
  return TopicTermCounts.precount(
    represent,
    Array.from(documents, (i) => texts[i]),
    documents,
  )!;
}

function scratch(): TopicTermCounts {
  const counts = TopicTermCounts.empty(represent)!;
  counts.update(texts, labels, included);
  return counts;
}

function assertSameCounts(actual: TopicTermCounts, expected: TopicTermCounts): void {
  assert.deepEqual(actual.toState(), expected.toState());
  const a = actual.documentTerms()!;
  const b = expected.documentTerms()!;
  assert.deepEqual(a.terms, b.terms);
  assert.deepEqual(a.order, b.order);
  texts.forEach((text, i) => {
    const x = a.document(i, text);
    const y = b.document(i, text);
    assert.deepEqual(
      x && [Array.from(x.ids), Array.from(x.counts), x.total],
      y && [Array.from(y.ids), Array.from(y.counts), y.total],
    );
  });
}

describe("term counts made ahead of the topics", () => {
  test("fromPrecount + update = a count from scratch, and nothing is tokenised again", () => {
    const precount = precountOf(included);
    const counts = TopicTermCounts.fromPrecount(represent, precount)!;
    assert.equal(counts.update(texts, labels, included), 0, "every document came precounted");
    assertSameCounts(counts, scratch());
    // term ids by a scan (no term map built yet) and through the map agree
    const words = ["rocket", "orbit", "nonexistent", "rocket"];
    const scanned = Object.fromEntries(counts.junk.termIndices(words));
    assert.deepEqual(scanned, {
      rocket: counts.junk.termIndex("rocket"),
      orbit: counts.junk.termIndex("orbit"),
    });
    assert.deepEqual(Object.fromEntries(counts.junk.termIndices(words)), scanned, "the same through the map");
    // later updates (a merge, an add) work on the counts as on any others
    const merged = labels.map((l) => (l === 2 ? 1 : l));
    const expected = scratch();
    expected.update(texts, merged, included);
    counts.update(texts, merged, included);
    assertSameCounts(counts, expected);
  });

  test("documents the precount lacks, or whose text changed, are tokenised", () => {
    const half = included.map((v, i) => (v && i % 2 === 0 ? 1 : 0));
    const documents = documentsOf(half);
    const precountTexts = Array.from(documents, (i) => (i === 4 ? `${texts[i]} extra words` : texts[i]));
    const precount = TopicTermCounts.precount(represent, precountTexts, documents)!;
    const counts = TopicTermCounts.fromPrecount(represent, precount)!;
    const precounted = documents.length - 1;
    const total = included.reduce((n, v) => n + v, 0);
    assert.equal(counts.update(texts, labels, included), total - precounted);
    // the term ids follow first appearance in the precounted texts, then the rest: the c-TF-IDF and
    // per-topic counts are those of a count from scratch
    const expected = scratch();
    const rows = (c: TopicTermCounts) =>
      [...c.words.rows].map(([cls, row]) => [
        cls,
        Object.fromEntries([...row.ids].map((id, k) => [c.words.terms[id], row.counts[k]])),
      ]);
    assert.deepEqual(rows(counts).sort(), rows(expected).sort());
  });

  test("a precount for other tokenizer settings is not used", () => {
    const precount = precountOf(included);
    assert.equal(TopicTermCounts.fromPrecount({ ...represent, stopWords: "none" }, precount), undefined);
    assert.equal(
      TopicTermCounts.precount({ ...represent, ngramRange: [1, 2] }, [], new Int32Array(0)),
      undefined,
    );
  });

  test("the worker counts what the main thread counts; small corpora are counted in place", async () => {
    assert.equal(startPrecount(texts, included, represent), undefined, "too little text for a worker");
    const copies = Math.ceil(MIN_PRECOUNT_CHARACTERS / texts.join("").length) + 1;
    const many = Array.from({ length: copies }, (_, c) => texts.map((t) => `${t} copy${c}`)).flat();
    const manyIncluded = Uint8Array.from(many, (t) => (t.trim() === "" ? 0 : 1));
    const manyLabels = Int32Array.from(many, (_, i) => i % 3);
    const job = startPrecount(many, manyIncluded, represent);
    assert.ok(job, "a worker for 2,000,000 characters");
    const fromWorker = (await precountedTerms(job, represent))!;
    fromWorker.update(many, manyLabels, manyIncluded);
    const expected = TopicTermCounts.empty(represent)!;
    expected.update(many, manyLabels, manyIncluded);
    assert.deepEqual(fromWorker.toState(), expected.toState());

    const cancelled = startPrecount(many, manyIncluded, represent)!;
    cancelled.cancel();
    assert.equal(await cancelled.result, undefined);
  });
});
