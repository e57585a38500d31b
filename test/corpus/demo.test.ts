import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { demoPassages, loadDemoCorpus, splitIntoPassages } from "../../src/corpus/demo.js";

describe("demo corpus (State of the Union)", () => {
  it("splits a speech into passages of ≥ targetWords words and drops a short tail", () => {
    const text = "One two three. Four five six seven! Eight nine? Ten. Eleven twelve.";
    // "Eight nine? Ten." has 3 < 4 words, so the next sentence joins it.
    assert.deepEqual(splitIntoPassages(text, 4, 2), [
      "One two three. Four five six seven!",
      "Eight nine? Ten. Eleven twelve.",
    ]);
    const tail = "One two three four. Five six.";
    assert.deepEqual(splitIntoPassages(tail, 4, 2), ["One two three four.", "Five six."]);
    assert.deepEqual(splitIntoPassages(tail, 4, 3), ["One two three four."]);
  });

  it("all passages: unique ids <year>-<president>-<n>, party labels, year timestamps, ≥ 20 words", () => {
    const all = demoPassages();
    assert.ok(all.length > 20000, `${all.length} passages`);
    assert.equal(new Set(all.map((d) => d.id)).size, all.length);
    assert.equal(all[0].id, "1790-george_washington-0");
    assert.ok(all.every((d) => /^\d{4}-[a-z_]+-\d+$/.test(d.id)));
    assert.ok(all.every((d) => d.timestamp === d.id.slice(0, 4)));
    assert.deepEqual(
      new Set(all.map((d) => d.label)),
      new Set([
        "none",
        "Federalist",
        "Democratic-Republican",
        "Democratic",
        "Whig & Democratic",
        "Whig",
        "Republican",
        "National Union",
      ]),
    );
    assert.ok(all.every((d) => d.text.split(/\s+/).length >= 20));
  });

  it("a seeded sample is deterministic, in corpus order, and changes with the seed", async () => {
    const a = await loadDemoCorpus({ sample: 200, seed: 7 });
    const b = await loadDemoCorpus({ sample: 200, seed: 7 });
    const c = await loadDemoCorpus({ sample: 200, seed: 8 });
    assert.equal(a.documents.length, 200);
    assert.deepEqual(a.documents, b.documents);
    assert.notDeepEqual(a.documents, c.documents);
    const all = demoPassages();
    const position = new Map(all.map((d, i) => [d.id, i]));
    const order = a.documents.map((d) => position.get(d.id)!);
    assert.deepEqual(
      order,
      [...order].sort((x, y) => x - y),
    );
    assert.equal(a.emptyCount, 0);
    const everything = await loadDemoCorpus({ sample: 0 });
    assert.equal(everything.documents.length, all.length);
  });
});
