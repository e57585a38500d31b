import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, describe, it } from "node:test";
import { corpusFromDocuments, readCorpus } from "../../src/corpus/index.js";
import { UserError } from "../../src/util/errors.js";
import { createSilentLogger } from "../../src/util/log.js";

const root = mkdtempSync(join(tmpdir(), "topicscope-corpus-"));
after(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, contents: string | Uint8Array): string {
  const path = join(root, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, contents);
  return path;
}

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UserError, `expected UserError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes("\n"), "one line");
    return true;
  });
}

describe("jsonl", () => {
  it("reads text, id, label and time fields; skips blank lines; keeps empty documents in place", async () => {
    const path = file(
      "a.jsonl",
      '{"body":"first doc","k":"x1","cat":"news","year":2001}\n\n{"body":"  ","k":"x2","cat":"sport","year":2002}\r\n{"body":"third","k":7,"cat":"news","year":2003}\n',
    );
    const logger = createSilentLogger();
    const corpus = await readCorpus(path, {
      textField: "body",
      idField: "k",
      labelField: "cat",
      timeField: "year",
      logger,
    });
    assert.deepEqual(corpus.documents, [
      { id: "x1", text: "first doc", label: "news", timestamp: "2001" },
      { id: "x2", text: "  ", label: "sport", timestamp: "2002" },
      { id: "7", text: "third", label: "news", timestamp: "2003" },
    ]);
    assert.equal(corpus.emptyCount, 1);
    assert.deepEqual(corpus.warnings, ["1 of 3 documents are empty"]);
    assert.deepEqual(logger.warnings, corpus.warnings);
    assert.equal(corpus.source, path);
  });

  it("defaults: field 'text', ids = row index; null text is an empty document", async () => {
    const path = file("b.ndjson", '{"text":"a b"}\n{"text":null}\n{"text":3}\n');
    const corpus = await readCorpus(path);
    assert.deepEqual(
      corpus.documents.map((d) => [d.id, d.text]),
      [
        ["0", "a b"],
        ["1", ""],
        ["2", "3"],
      ],
    );
    assert.equal(corpus.emptyCount, 1);
  });

  it("invalid JSON names the file and line", async () => {
    const path = file("bad.jsonl", '{"text":"ok"}\n\n{"text": oops}\n');
    await rejects(readCorpus(path), /bad\.jsonl line 3: invalid JSON/);
  });

  it("a non-object line is an error", async () => {
    await rejects(readCorpus(file("arr.jsonl", '["text"]\n')), /line 1: expected a JSON object.*an array/);
  });

  it("missing text field names the available fields and the line", async () => {
    const path = file("nofield.jsonl", '{"text":"a"}\n{"body":"b","id":1}\n');
    await rejects(
      readCorpus(path),
      /nofield\.jsonl line 2: no field 'text' \(fields: 'body', 'id'\).*--text-field/,
    );
  });

  it("label/time missing on some rows is a counted warning; on all rows an error", async () => {
    const path = file("partial.jsonl", '{"text":"a","g":"x"}\n{"text":"b"}\n{"text":"c","g":""}\n');
    const corpus = await readCorpus(path, { labelField: "g" });
    assert.deepEqual(
      corpus.documents.map((d) => d.label),
      ["x", undefined, undefined],
    );
    assert.equal(corpus.warnings.length, 1);
    assert.match(corpus.warnings[0], /^2 of 3 documents .* no label field 'g'/);
    await rejects(readCorpus(path, { timeField: "when" }), /no line has the time field 'when'.*--time-field/);
  });

  it("object-valued fields are rejected with the line", async () => {
    await rejects(readCorpus(file("obj.jsonl", '{"text":{"a":1}}\n')), /line 1: field 'text' is an object/);
  });

  it("warns about duplicate ids", async () => {
    const corpus = await readCorpus(file("dup.jsonl", '{"text":"a","id":"q"}\n{"text":"b","id":"q"}\n'), {
      idField: "id",
    });
    assert.match(corpus.warnings.join("|"), /ids are not unique \(e\.g\. 'q'\)/);
  });

  it("invalid UTF-8 is replaced and counted per line", async () => {
    const good = Buffer.from('{"text":"caf\u00e9 \uFFFD ok"}\n', "utf8"); // a genuine U+FFFD is not damage
    const bad = Buffer.concat([Buffer.from('{"text":"bad '), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
    const corpus = await readCorpus(file("latin.jsonl", Buffer.concat([good, bad, bad])));
    assert.equal(corpus.documents.length, 3);
    assert.equal(corpus.documents[1].text, "bad \uFFFD\uFFFD");
    assert.equal(corpus.documents[0].text, "caf\u00e9 \uFFFD ok");
    assert.match(corpus.warnings[0], /^2 lines of .*latin\.jsonl had invalid UTF-8 bytes/);
  });

  it("a UTF-8 byte-order mark is ignored", async () => {
    const corpus = await readCorpus(file("bom.jsonl", '\uFEFF{"text":"x"}\n'));
    assert.equal(corpus.documents[0].text, "x");
  });
});

describe("csv / tsv", () => {
  it("reads a header, quoted multi-line fields and optional columns", async () => {
    const path = file("a.csv", 'id,text,party\nd1,"hello, world",R\nd2,"two\nlines",\nd3,,D\n');
    const corpus = await readCorpus(path, { idField: "id", labelField: "party" });
    assert.deepEqual(corpus.documents, [
      { id: "d1", text: "hello, world", label: "R" },
      { id: "d2", text: "two\nlines" },
      { id: "d3", text: "", label: "D" },
    ]);
    assert.equal(corpus.emptyCount, 1);
    assert.match(corpus.warnings.join("|"), /1 of 3 documents .* no label field 'party'/);
  });

  it("reads tab-separated values", async () => {
    const corpus = await readCorpus(file("a.tsv", "body\tyear\nalpha beta\t1999\ngamma\t2000\n"), {
      textField: "body",
      timeField: "year",
    });
    assert.deepEqual(
      corpus.documents.map((d) => [d.id, d.text, d.timestamp]),
      [
        ["0", "alpha beta", "1999"],
        ["1", "gamma", "2000"],
      ],
    );
  });

  it("missing column lists the header", async () => {
    await rejects(
      readCorpus(file("h.csv", "a,b\n1,2\n")),
      /h\.csv: no column 'text' in the header \(columns: 'a', 'b'\)/,
    );
    await rejects(
      readCorpus(file("h2.csv", "text,b\n1,2\n"), { labelField: "c" }),
      /no column 'c'.*--label-field/,
    );
  });

  it("a ragged row is a parse error with its line", async () => {
    await rejects(readCorpus(file("r.csv", "text,b\n1,2\n3,4,5\n")), /r\.csv: cannot parse as CSV: .*line 3/);
  });

  it("a header only is an empty corpus", async () => {
    await rejects(readCorpus(file("empty.csv", "text,b\n")), /empty\.csv has no documents/);
  });

  it("counts records with invalid UTF-8", async () => {
    const bytes = Buffer.concat([
      Buffer.from("text\nok\nbad "),
      Buffer.from([0xc3, 0x28]),
      Buffer.from("\n"),
    ]);
    const corpus = await readCorpus(file("bad.csv", bytes));
    assert.equal(corpus.documents.length, 2);
    assert.match(corpus.warnings[0], /^1 record of .*bad\.csv had invalid UTF-8/);
  });
});

describe("txt and folders", () => {
  it(".txt: one document per line; blank lines are empty documents in place", async () => {
    const corpus = await readCorpus(file("lines.txt", "first line\n\nthird line\r\n"));
    assert.deepEqual(
      corpus.documents.map((d) => [d.id, d.text]),
      [
        ["0", "first line"],
        ["1", ""],
        ["2", "third line"],
      ],
    );
    assert.equal(corpus.emptyCount, 1);
  });

  it("folder: sorted relative paths as ids, first sub-folder as label, other files skipped", async () => {
    const dir = join(root, "folder");
    file("folder/sport/b.txt", "match report");
    file("folder/sport/a.txt", "goal\nscored");
    file("folder/politics/deep/x.TXT", "vote");
    file("folder/top.txt", "");
    file("folder/notes.md", "ignored");
    file("folder/.hidden/z.txt", "ignored");
    const corpus = await readCorpus(dir);
    assert.deepEqual(corpus.documents, [
      { id: "politics/deep/x.TXT", text: "vote", label: "politics" },
      { id: "sport/a.txt", text: "goal\nscored", label: "sport" },
      { id: "sport/b.txt", text: "match report", label: "sport" },
      { id: "top.txt", text: "" },
    ]);
    assert.equal(corpus.emptyCount, 1);
    assert.match(corpus.warnings.join("|"), /skipped 1 file not ending in \.txt/);
  });

  it("a folder without .txt files is an empty corpus", async () => {
    file("nothing/readme.md", "x");
    await rejects(readCorpus(join(root, "nothing")), /has no documents/);
  });
});

describe("stdin", () => {
  it("JSONL when the first non-blank line is a JSON object", async () => {
    const stdin = Readable.from([Buffer.from('\n{"text":"a","c":"x"}\n{"te'), Buffer.from('xt":"b"}\n')]);
    const corpus = await readCorpus("-", { stdin, labelField: "c" });
    assert.equal(corpus.source, "<stdin>");
    assert.deepEqual(
      corpus.documents.map((d) => d.text),
      ["a", "b"],
    );
    assert.equal(corpus.documents[0].label, "x");
  });

  it("otherwise one document per line", async () => {
    const stdin = Readable.from(["{not json\nsecond\n"]);
    const corpus = await readCorpus("-", { stdin });
    assert.deepEqual(
      corpus.documents.map((d) => d.text),
      ["{not json", "second"],
    );
  });

  it("an explicit format wins", async () => {
    const stdin = Readable.from(['{"text":"a"}\n']);
    const corpus = await readCorpus("-", { stdin, format: "txt" });
    assert.equal(corpus.documents[0].text, '{"text":"a"}');
  });

  it("empty stdin is an empty corpus", async () => {
    await rejects(readCorpus("-", { stdin: Readable.from([]) }), /<stdin> has no documents/);
  });
});

describe("bad sources", () => {
  it("missing file", async () => {
    await rejects(readCorpus(join(root, "nope.jsonl")), /corpus not found: .*nope\.jsonl/);
  });

  it("unknown extension lists the supported ones", async () => {
    await rejects(
      readCorpus(file("x.json", "{}")),
      /unknown corpus format '\.json'; use one of \.jsonl, \.ndjson, \.csv, \.tsv, \.txt/,
    );
  });

  it("unreadable file (permissions, when not root)", {
    skip: process.getuid?.() === 0 ? "root reads anything" : false,
  }, async () => {
    const path = file("locked.txt", "x");
    chmodSync(path, 0o000);
    await rejects(readCorpus(path), /cannot read .*locked\.txt: EACCES/);
  });

  it("unreadable file (I/O error, also as root)", { skip: process.platform !== "linux" }, async () => {
    // Reading /proc/self/mem from offset 0 fails with EIO.
    await rejects(readCorpus("/proc/self/mem", { format: "txt" }), /cannot read \/proc\/self\/mem: EIO/);
  });

  it("a folder path that is a file inside a file is 'not found'", async () => {
    await rejects(readCorpus(join(file("plain.txt", "x"), "inner.txt")), /corpus not found/);
  });

  it("corpusFromDocuments applies the same checks", () => {
    const corpus = corpusFromDocuments(
      [
        { id: "a", text: " " },
        { id: "b", text: "x" },
      ],
      "api",
    );
    assert.equal(corpus.emptyCount, 1);
    assert.throws(() => corpusFromDocuments([], "api"), /api has no documents/);
  });

  it("a file that is only blank lines is an empty corpus (jsonl)", async () => {
    await rejects(readCorpus(file("blank.jsonl", "\n\n  \n")), /blank\.jsonl has no documents/);
  });
});
