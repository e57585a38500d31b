/**
 * Issue 18, point 9: raw control bytes from the input never reach the terminal. An error quoting a
 * JSONL line that starts with ESC ]0;… (set the window title) or holds NUL, a warning quoting an id,
 * and search results quoting a document all print escapes instead.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { reportError } from "../../src/cli/command.js";
import { register as registerEmbed } from "../../src/cli/embed.js";
import { UserError } from "../../src/util/errors.js";
import { escapeForTerminal } from "../../src/util/escape.js";
import { createLogger } from "../../src/util/log.js";
import { runInProcess } from "./in-process.js";

const dir = mkdtempSync(join(tmpdir(), "topicscope-escape-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// C0 (but newline), DEL, C1 and the bidi formatting characters
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const UNSAFE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

/** What the terminal gets while `run` writes to stderr. */
function captureStderr(run: () => void): string {
  let out = "";
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    run();
  } finally {
    process.stderr.write = write;
  }
  return out;
}

describe("control characters are escaped on the way to the terminal", () => {
  test("escapeForTerminal: visible escapes; tabs and newlines only when asked", () => {
    assert.equal(escapeForTerminal("a\u001b]0;x\u0007b\u0000c"), "a\\x1b]0;x\\x07b\\x00c");
    assert.equal(escapeForTerminal("\u009b2J \u202Eexe \u007f"), "\\x9b2J \\u202eexe \\x7f");
    assert.equal(escapeForTerminal("one\ntwo\tthree\r"), "one\\ntwo\\tthree\\r");
    assert.equal(escapeForTerminal("one\ntwo\tthree", { newlines: true, tabs: true }), "one\ntwo\tthree");
    assert.equal(escapeForTerminal("plain text, é 中文 שלום"), "plain text, é 中文 שלום");
  });

  test("the issue's file: an invalid JSONL line starting with ESC ]0; and holding NUL", async () => {
    const path = join(dir, "evil.jsonl");
    writeFileSync(path, '{"text":"fine"}\n\u001b]0;pwned\u0007 {"text": "a\u0000b"}\n');
    const run = await runInProcess(
      [registerEmbed],
      ["embed", path, "-o", join(dir, "e.npy"), "--model", "tfidf"],
    );
    assert.equal(run.status, 2);
    assert.doesNotMatch(run.stderr, UNSAFE);
    assert.match(run.stderr, /^topicscope: error: .*evil\.jsonl line 2: invalid JSON .*\\x1b\]0;pwned\\x07/);
    assert.equal(run.stderr.split("\n").length, 2, "one line");
  });

  test("a message with a line break from quoted input stays one line", () => {
    const out = captureStderr(() =>
      reportError(new UserError("c.csv: no column 'a\nb' in the header"), false),
    );
    assert.equal(out, "topicscope: error: c.csv: no column 'a\\nb' in the header\n");
    const internal = captureStderr(() => reportError(new Error("boom \u001b[2J\nsecond line"), false));
    assert.equal(internal, "topicscope: internal error: boom \\x1b[2J (run with --debug for details)\n");
  });

  test("warnings quoting corpus text are escaped", () => {
    const out = captureStderr(() => createLogger(false).warn("ids are not unique (e.g. '\u001b[31mred')"));
    assert.equal(out, "warning: ids are not unique (e.g. '\\x1b[31mred')\n");
  });
});
