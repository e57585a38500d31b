import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  compareNotebooks,
  firstDifference,
  type Notebook,
  type NotebookCell,
  normalizeText,
  UNCHECKED_TAG,
} from "../../notebooks/tools/normalize.js";
import { repoRoot } from "../cli/helpers.js";

const context = { paths: [{ path: "/work/wt", as: "<repo>" }] };

test("durations, rates, temp folders and the checkout's path are masked; the rest is kept", () => {
  assert.equal(
    normalizeText("fitted in 12.3 s (embed 850 ms), 1,234 docs/s, 2.5 min, 65.0 h", context),
    "fitted in <time> (embed <time>), <rate>, <time>, <time>",
  );
  assert.equal(
    normalizeText("wrote /work/wt/output/x and /tmp/abc-1/y.npy", context),
    "wrote <repo>/output/x and <tmp>",
  );
  // decades, counts and scores are content, not timings
  assert.equal(
    normalizeText("the 1790s: 24 topics, 594 outliers, NPMI 0.123", context),
    "the 1790s: 24 topics, 594 outliers, NPMI 0.123",
  );
});

function cell(source: string, outputs: NotebookCell["outputs"]): NotebookCell {
  return { cell_type: "code", source, metadata: {}, outputs, execution_count: 1 };
}

function notebook(cells: NotebookCell[]): Notebook {
  return { cells, metadata: {}, nbformat: 4, nbformat_minor: 5 };
}

test("outputs that differ only in timings or in how stdout was chunked compare equal", () => {
  const committed = notebook([
    cell("fit()", [{ output_type: "stream", name: "stdout", text: ["24 topics in 7.8 s\n", "done\n"] }]),
    cell("chart()", [
      { output_type: "display_data", data: { "image/png": "AAAA", "text/plain": "[chart]" } },
    ]),
  ]);
  const executed = notebook([
    cell("fit()", [
      { output_type: "stream", name: "stdout", text: "24 topics in 31.0 s\n" },
      { output_type: "stream", name: "stdout", text: "done\n" },
    ]),
    cell("chart()", [
      { output_type: "display_data", data: { "image/png": "BBBB", "text/plain": "[chart]" } },
    ]),
  ]);
  assert.deepEqual(compareNotebooks(committed, executed, context), []);
});

test("a changed result is reported with its cell and the first differing line", () => {
  const committed = notebook([
    { cell_type: "markdown", source: "# title", metadata: {} },
    cell("table()", [{ output_type: "execute_result", data: { "text/plain": "topic size\n0 120\n1 80" } }]),
  ]);
  const executed = notebook([
    { cell_type: "markdown", source: "# title", metadata: {} },
    cell("table()", [{ output_type: "execute_result", data: { "text/plain": "topic size\n0 120\n1 81" } }]),
  ]);
  const diffs = compareNotebooks(committed, executed, context);
  assert.equal(diffs.length, 1);
  assert.equal(diffs[0].cell, 1);
  assert.equal(diffs[0].source, "table()");
  assert.match(firstDifference(diffs[0].expected, diffs[0].actual), /- 1 80\n {2}\+ 1 81$/);
});

test("a missing output (e.g. a lost execute_result) and a changed cell list are differences", () => {
  const committed = notebook([cell("x", [{ output_type: "execute_result", data: { "text/plain": "1" } }])]);
  assert.equal(compareNotebooks(committed, notebook([cell("x", [])]), context).length, 1);
  const moreCells = notebook([...committed.cells, cell("y", [])]);
  const diffs = compareNotebooks(committed, moreCells, context);
  assert.equal(diffs.length, 1);
  assert.equal(diffs[0].cell, 1);
});

test("a cell tagged outputs-unchecked may differ; its source may not, and an untagged neighbour is still compared", () => {
  const tagged = (source: string, text: string): NotebookCell => ({
    ...cell(source, [{ output_type: "stream", name: "stdout", text }]),
    metadata: { tags: [UNCHECKED_TAG] },
  });
  const committed = notebook([tagged("train()", "Spearman 0.702 → 0.699\n"), cell("y", [])]);
  const executed = notebook([tagged("train()", "SICK not found: skipped\n"), cell("y", [])]);
  assert.deepEqual(compareNotebooks(committed, executed, context), []);
  const otherSource = notebook([tagged("train(2)", "SICK not found: skipped\n"), cell("y", [])]);
  assert.equal(compareNotebooks(committed, otherSource, context).length, 1);
  const neighbour = notebook([
    tagged("train()", "x\n"),
    cell("y", [{ output_type: "stream", name: "stdout", text: "z\n" }]),
  ]);
  const diffs = compareNotebooks(committed, neighbour, context);
  assert.equal(diffs.length, 1);
  assert.equal(diffs[0].cell, 1);
});

test("every committed notebook runs on the Deno kernel, has outputs and no errors", () => {
  const dir = join(repoRoot, "notebooks");
  const files = readdirSync(dir).filter((f) => f.endsWith(".ipynb"));
  assert.ok(files.length >= 3, `notebooks found: ${files.join(", ")}`);
  for (const file of files) {
    const nb = JSON.parse(readFileSync(join(dir, file), "utf8")) as Notebook;
    assert.equal((nb.metadata.kernelspec as { name: string }).name, "deno", file);
    const code = nb.cells.filter((c) => c.cell_type === "code");
    assert.ok(
      code.every((c) => typeof c.execution_count === "number"),
      `${file}: every code cell executed (run npm run notebooks -- --write)`,
    );
    const errors = code.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "error"));
    assert.deepEqual(errors, [], `${file}: committed with an error output`);
  }
});
