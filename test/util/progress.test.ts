/** Stage lines on stderr: a lazy stage prints nothing until its first update or end. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createProgress, lazyStage } from "../../src/util/progress.js";

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = {
    isTTY: false,
    write: (chunk: string) => {
      chunks.push(chunk);
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join("") };
}

describe("progress", () => {
  test("a stage prints its name at once and its duration at the end", () => {
    const out = capture();
    const stage = createProgress({ stream: out.stream }).stage("read corpus");
    assert.equal(out.text(), "▸ read corpus\n");
    stage.end("12 documents");
    assert.match(out.text(), /done in \d+\.\d s — 12 documents\n$/);
  });

  test("a lazy stage prints nothing until its first update; one never updated prints nothing", () => {
    const out = capture();
    const progress = createProgress({ stream: out.stream });
    const stage = lazyStage(progress, "embed 3 documents");
    assert.equal(out.text(), "");
    stage.update(1, 3);
    assert.ok(out.text().startsWith("▸ embed 3 documents\n"));
    stage.end();
    lazyStage(progress, "never started");
    assert.ok(!out.text().includes("never started"));
  });
});
