/**
 * Issue 18, points 4 and 11: TSV is tab-separated text without quoting, and the text field has one
 * rule (a scalar is text, with a warning when it is not a string; arrays and objects are errors).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readCorpus } from "../../src/corpus/index.js";
import { UserError } from "../../src/util/errors.js";

const root = mkdtempSync(join(tmpdir(), "topicscope-corpus-robust-"));
after(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, contents: string | Uint8Array): string {
  const path = join(root, name);
  writeFileSync(path, contents);
  return path;
}

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UserError, `expected UserError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe("tsv: no quoting, a quote is text", () => {
  it('reads the issue\'s file: He said "hi"', async () => {
    const corpus = await readCorpus(file("q.tsv", 'id\ttext\n1\tHe said "hi"\n'), { idField: "id" });
    assert.deepEqual(corpus.documents, [{ id: "1", text: 'He said "hi"' }]);
  });

  it("keeps quotes wherever they are, commas and all (a quoted-looking field stays as written)", async () => {
    const corpus = await readCorpus(
      file("quotes.tsv", 'text\tlabel\n"whole field quoted"\ta\n"unbalanced\tb\nsays ""doubled"", ok\tc\n'),
      { labelField: "label" },
    );
    assert.deepEqual(
      corpus.documents.map((d) => [d.text, d.label]),
      [
        ['"whole field quoted"', "a"],
        ['"unbalanced', "b"],
        ['says ""doubled"", ok', "c"],
      ],
    );
  });

  it("CRLF line ends, a BOM and blank lines are handled as in CSV", async () => {
    const corpus = await readCorpus(file("crlf.tsv", "\uFEFFtext\r\nfirst\r\n\r\nsecond\r\n"));
    assert.deepEqual(
      corpus.documents.map((d) => d.text),
      ["first", "second"],
    );
  });

  it("a record with the wrong number of fields names its line and says why", async () => {
    await rejects(
      readCorpus(file("ragged.tsv", "id\ttext\n1\tok\n2\tone\textra\n")),
      /ragged\.tsv line 3: 3 fields, the header has 2; TSV has no quoting, so a field cannot hold a tab or a line break/,
    );
  });

  it("a missing text column lists the header", async () => {
    await rejects(
      readCorpus(file("nocol.tsv", "id\tbody\n1\tx\n")),
      /no column 'text' in the header \(columns: 'id', 'body'\)/,
    );
  });

  it("invalid UTF-8 is replaced and counted per line", async () => {
    const bytes = Buffer.concat([
      Buffer.from("text\nok\nbad "),
      Buffer.from([0xff, 0xfe]),
      Buffer.from("\n"),
    ]);
    const corpus = await readCorpus(file("bad.tsv", bytes));
    assert.equal(corpus.documents[1].text, "bad \uFFFD\uFFFD");
    assert.match(corpus.warnings[0], /1 line of .*bad\.tsv had invalid UTF-8 bytes/);
  });

  it("CSV keeps RFC 4180 quoting", async () => {
    const corpus = await readCorpus(file("q.csv", 'text\n"He said ""hi"", then left"\n'));
    assert.equal(corpus.documents[0].text, 'He said "hi", then left');
  });
});

describe("the text field: one rule", () => {
  it("numbers and true/false are read as written, with a warning naming the first", async () => {
    const corpus = await readCorpus(
      file("scalars.jsonl", '{"text":"words"}\n{"text":12345}\n{"text":true}\n{"text":null}\n'),
    );
    assert.deepEqual(
      corpus.documents.map((d) => d.text),
      ["words", "12345", "true", ""],
    );
    assert.ok(
      corpus.warnings.includes(
        `2 of 4 documents in ${join(root, "scalars.jsonl")} have a number or true/false as text (e.g. line 2: 12345); each is read as written`,
      ),
      corpus.warnings.join(" | "),
    );
  });

  it("a string corpus has no such warning", async () => {
    const corpus = await readCorpus(file("strings.jsonl", '{"text":"a"}\n{"text":"12345"}\n'));
    assert.deepEqual(corpus.warnings, []);
  });

  it("arrays and objects are errors naming the line and what to do", async () => {
    await rejects(
      readCorpus(file("array.jsonl", '{"text":"a"}\n{"text":["a","b"]}\n')),
      /array\.jsonl line 2: field 'text' is an array, expected text \(a string, number or true\/false\); join it into one string/,
    );
    await rejects(
      readCorpus(file("object.jsonl", '{"text":{"en":"a"}}\n')),
      /line 1: field 'text' is an object, expected text/,
    );
  });
});
