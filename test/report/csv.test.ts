/** CSV exports: RFC 4180 quoting (checked by parsing back with csv-parse) and formula-injection guard. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse } from "csv-parse/sync";
import { csvField, documentsCsv, toCsv, topicsCsv } from "../../src/report/csv.js";
import { PLANTED_TEXT, syntheticModel } from "./model-fixture.js";

describe("csv", () => {
  test("fields are quoted only when needed, quotes doubled (hand-written expectations)", () => {
    assert.equal(csvField("plain"), "plain");
    assert.equal(csvField("a,b"), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField("two\nlines"), '"two\nlines"');
    assert.equal(csvField("cr\rhere"), '"cr\rhere"');
    assert.equal(csvField(""), "");
    assert.equal(csvField(undefined), "");
    assert.equal(csvField(-1), "-1");
    assert.equal(csvField(0.25), "0.25");
    assert.equal(csvField(Number.NaN), "");
  });

  test("spreadsheet formulas are defused; negative numbers are not", () => {
    assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvField("+1+1"), "'+1+1");
    assert.equal(csvField("@SUM(A1)"), "'@SUM(A1)");
    assert.equal(csvField("-1"), "-1");
    assert.equal(csvField("-2.5e3"), "-2.5e3");
    assert.equal(csvField("-x"), "'-x");
  });

  test("toCsv uses CRLF and round-trips through csv-parse", () => {
    const rows = [
      ["a", 'b "c"', "d,e"],
      ["multi\nline", "", "x"],
    ];
    const text = toCsv(["h1", "h2", "h3"], rows);
    assert.ok(text.endsWith("\r\n"));
    assert.deepEqual(parse(text), [["h1", "h2", "h3"], ...rows]);
  });

  test("documents.csv: id, topic, label, probability, text (+ class, timestamp) and hostile text intact", () => {
    const model = syntheticModel();
    const records = parse(documentsCsv(model.documents, model.topics), { columns: true }) as Record<
      string,
      string
    >[];
    assert.equal(records.length, model.documents.length);
    assert.deepEqual(Object.keys(records[0]), [
      "id",
      "topic",
      "label",
      "probability",
      "text",
      "class",
      "timestamp",
    ]);
    assert.equal(records[0].text, PLANTED_TEXT);
    assert.equal(records[0].label, model.topics.find((t) => t.id === 0)!.label);
    assert.equal(records.at(-1)!.topic, "-1");
    assert.equal(Number(records[0].probability), Number(model.documents[0].probability.toFixed(6)));
  });

  test("topics.csv: one row per topic with words and representative document ids", () => {
    const model = syntheticModel();
    const records = parse(topicsCsv(model.topics, model.documents), { columns: true }) as Record<
      string,
      string
    >[];
    assert.deepEqual(
      records.map((r) => r.topic),
      ["-1", "0", "1", "2"],
    );
    assert.equal(records[2].words, "match goal team season coach");
    assert.equal(records[2].representative_documents, "d20 d21 d22");
    assert.equal(records[2].share, String(Number((20 / model.documents.length).toFixed(6))));
  });
});
