/** The language flags' parsers: one line naming the flag for a bad value. */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseLanguage, parseStopWords } from "../../src/cli/language-options.js";
import { UserError } from "../../src/util/errors.js";
import { tempDir } from "../temp-dir.js";

describe("--language and --stop-words", () => {
  test("--language: known codes (any case), auto = detect, unknown = one line listing the codes", () => {
    assert.equal(parseLanguage("ZH"), "zh");
    assert.equal(parseLanguage("th"), "th");
    assert.equal(parseLanguage("auto"), undefined);
    assert.equal(parseLanguage(undefined), undefined);
    assert.throws(
      () => parseLanguage("klingon"),
      (error: Error) =>
        error instanceof UserError &&
        /^--language: unknown language 'klingon'; use an ISO 639-1 code: af, /.test(error.message),
    );
  });

  test("--stop-words: names, language codes, a file of words; anything else is one line", () => {
    assert.equal(parseStopWords("auto"), "auto");
    assert.equal(parseStopWords("None"), "none");
    assert.equal(parseStopWords("english"), "english");
    assert.equal(parseStopWords("de"), "de");
    const dir = tempDir("topicscope-stop-");
    const file = join(dir, "stop.txt");
    writeFileSync(file, "# my list\nthe\n\n  Cat \n");
    assert.deepEqual(parseStopWords(file), ["the", "Cat"]);
    writeFileSync(join(dir, "empty.txt"), "# nothing\n");
    assert.throws(() => parseStopWords(join(dir, "empty.txt")), /holds no words/);
    assert.throws(
      () => parseStopWords("no-such-list"),
      (error: Error) =>
        error instanceof UserError &&
        /^--stop-words: 'no-such-list' is not auto, none, english, a language code/.test(error.message),
    );
  });
});
