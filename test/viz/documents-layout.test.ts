/**
 * Issue 18, point 5: the report's documents map uses the model's own reduction when it is 2-D, PCA
 * when UMAP cannot run, so a tiny corpus fitted with --reducer pca|none keeps its report.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { register as registerFit } from "../../src/cli/fit.js";
import { fitPca, projectPca } from "../../src/reduce/pca.js";
import { writeModelFiles } from "../../src/topics/folder/format.js";
import { buildChartData } from "../../src/viz/data.js";
import { runInProcess } from "../cli/in-process.js";
import { syntheticModel } from "../report/model-fixture.js";

const dir = mkdtempSync(join(tmpdir(), "topicscope-layout-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("documents map layout", () => {
  test("a 2-D reduction of the model is the map, as it is (nothing recomputed or cached)", async () => {
    const model = syntheticModel(10, 0);
    const n = model.documents.length;
    const reduced = Float32Array.from({ length: n * 2 }, (_, i) => (i % 2 === 0 ? i : -i));
    reduced[2 * (n - 1)] = Number.NaN; // the empty document is not reduced
    reduced[2 * (n - 1) + 1] = Number.NaN;
    const folder = join(dir, "two-d");
    mkdirSync(folder);
    const withReduction = {
      ...model,
      manifest: {
        ...model.manifest,
        parameters: {
          ...model.manifest.parameters,
          reduce: { ...model.manifest.parameters.reduce, method: "pca" as const, nComponents: 2 },
        },
      },
      reduced: { data: reduced, rows: n, cols: 2 },
    };
    writeModelFiles(folder, withReduction);
    // as `topicscope report` loads it: without reduced.npy in memory
    const data = await buildChartData({ ...withReduction, reduced: undefined }, { modelDir: folder });
    const points = data.documentsMap?.points ?? [];
    assert.equal(points.length, n - 1);
    assert.deepEqual(
      points.slice(0, 3).map((p) => [p.x, p.y]),
      [
        [0, -1],
        [2, -3],
        [4, -5],
      ],
    );
    assert.equal(existsSync(join(folder, "reduced-2d.npy")), false, "no separate layout was computed");
  });

  test("fewer documents than UMAP needs: a PCA layout (the documents' own principal axes)", async () => {
    const model = syntheticModel(1, 2); // 3 topic documents, 2 outliers, 1 empty
    const messages: string[] = [];
    const data = await buildChartData(model, { onProgress: (m) => messages.push(m) });
    assert.deepEqual(messages, ["laying out 5 documents in 2-D (PCA)…"]);
    const points = data.documentsMap?.points ?? [];
    assert.equal(points.length, 5);
    // the same numbers as PCA of the non-empty rows
    const cols = model.embeddings!.cols;
    const rows = { data: model.embeddings!.data.slice(0, 5 * cols), rows: 5, cols };
    const expected = projectPca(fitPca(rows, 2, model.manifest.parameters.seed), rows);
    points.forEach((p, i) => {
      assert.ok(
        Math.abs(p.x - expected.data[2 * i]) < 1e-6 && Math.abs(p.y - expected.data[2 * i + 1]) < 1e-6,
      );
    });
  });
});

describe("a tiny corpus fitted with --reducer pca or none", () => {
  for (const reducer of ["pca", "none"]) {
    test(`--reducer ${reducer} on 3 documents writes the model and its report`, async () => {
      const corpus = join(dir, `tiny-${reducer}.jsonl`);
      writeFileSync(
        corpus,
        [
          "The dollar hit its highest level against the euro",
          "Yukos shares fell after the court ruling",
          "Profits at the media giant rose in the quarter",
        ]
          .map((text) => JSON.stringify({ text }))
          .join("\n"),
      );
      const out = join(dir, `tiny-${reducer}`);
      const run = await runInProcess(
        [registerFit],
        [
          "--quiet",
          "fit",
          corpus,
          "-o",
          out,
          "--reducer",
          reducer,
          "--min-cluster-size",
          "2",
          "--model",
          "tfidf",
        ],
      );
      assert.equal(run.status, 0, run.stderr);
      assert.ok(existsSync(join(out, "report.html")));
      assert.ok(existsSync(join(out, "reduced-2d.npy")), "the documents map's layout was computed");
    });
  }
});
