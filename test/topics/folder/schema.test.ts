/**
 * Issue 18, point 8: every model file is checked against its schema on load. A file that parses but
 * has the wrong shape fails in one line naming the file and the field — never later as an internal
 * error ("readJson(...).map is not a function").
 */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { register as registerReport } from "../../../src/cli/report.js";
import { register as registerSearch } from "../../../src/cli/search.js";
import { writeNpy } from "../../../src/io/npy.js";
import type { RepresentationJSON } from "../../../src/represent/index.js";
import {
  loadModelFolder,
  MODEL_FILES,
  readSavedView,
  VIEW_FILES,
} from "../../../src/topics/folder/format.js";
import { TopicModel } from "../../../src/topics/model.js";
import { UserError } from "../../../src/util/errors.js";
import { runInProcess } from "../../cli/in-process.js";
import { bagOfWordsEmbedder, embedBagOfWords, syntheticCorpus } from "../helpers.js";

const work = mkdtempSync(join(tmpdir(), "topicscope-schema-"));
after(() => rmSync(work, { recursive: true, force: true }));
const model = join(work, "model");
let copies = 0;

before(async () => {
  const corpus = syntheticCorpus({ noise: 6 });
  const fitted = new TopicModel({ embedder: bagOfWordsEmbedder, cache: false, reduce: { method: "pca" } });
  await fitted.fit(corpus.texts, { embeddings: embedBagOfWords(corpus.texts) });
  await fitted.save(model);
});

type Json = Record<string, unknown> & unknown[];

/** A copy of the model with `file` changed by `edit` (JSON files) or replaced by `text`. */
function broken(file: string, edit: ((json: Json) => unknown) | string): string {
  const dir = join(work, `copy-${copies++}`);
  cpSync(model, dir, { recursive: true });
  const path = join(dir, file);
  if (typeof edit === "string") writeFileSync(path, edit);
  else writeFileSync(path, JSON.stringify(edit(JSON.parse(readFileSync(path, "utf8")) as Json)));
  return dir;
}

function loadFails(dir: string, pattern: RegExp): void {
  assert.throws(
    () => loadModelFolder(dir),
    (error: unknown) => {
      assert.ok(
        error instanceof UserError,
        `a UserError, got ${error instanceof Error ? error.stack : error}`,
      );
      assert.match(error.message, pattern);
      assert.ok(!error.message.includes("\n"), "one line");
      return true;
    },
  );
}

describe("model files are validated on load", () => {
  test("the intact folder loads", () => {
    assert.ok(loadModelFolder(model).topics.length > 1);
  });

  test('topics.json = {"topics":"x"} (the issue\'s case)', () => {
    loadFails(
      broken(MODEL_FILES.topics, '{"topics":"x"}'),
      /topics\.json: the file: expected an array, got an object; refit the model/,
    );
  });

  test("topics.json: a field of the wrong type, a missing field, a duplicate id, a stray document index", () => {
    loadFails(
      broken(MODEL_FILES.topics, (t) => {
        (t[1] as { words: unknown }).words = "x";
        return t;
      }),
      /topics\.json: \[1\]\.words: expected an array, got "x"/,
    );
    loadFails(
      broken(MODEL_FILES.topics, (t) => {
        delete (t[0] as { size?: unknown }).size;
        return t;
      }),
      /topics\.json: \[0\]\.size: missing/,
    );
    loadFails(
      broken(MODEL_FILES.topics, (t) => [...t, t[t.length - 1]]),
      /topics\.json: \[\d+\]\.id: topic \d+ appears twice/,
    );
    loadFails(
      broken(MODEL_FILES.topics, (t) => {
        (t[1] as { representativeDocs: number[] }).representativeDocs = [99999];
        return t;
      }),
      /topics\.json: \[1\]\.representativeDocs\[0\]: 99999 is not a document/,
    );
  });

  test("documents.jsonl: a line of the wrong shape, a topic topics.json does not list", () => {
    const lines = readFileSync(join(model, MODEL_FILES.documents), "utf8").trimEnd().split("\n");
    const edit = (i: number, change: (d: Record<string, unknown>) => void) => {
      const copy = [...lines];
      const record = JSON.parse(copy[i]) as Record<string, unknown>;
      change(record);
      copy[i] = JSON.stringify(record);
      return `${copy.join("\n")}\n`;
    };
    loadFails(
      broken(
        MODEL_FILES.documents,
        edit(4, (d) => {
          d.topic = "3";
        }),
      ),
      /documents\.jsonl line 5: topic: expected an integer ≥ -1, got "3"/,
    );
    loadFails(
      broken(
        MODEL_FILES.documents,
        edit(2, (d) => {
          d.topic = 777;
        }),
      ),
      /documents\.jsonl: document 3 has topic 777, which .*topics\.json does not list/,
    );
    loadFails(
      broken(MODEL_FILES.documents, `${lines[0]}\n[1,2]\n`),
      /documents\.jsonl line 2: the file: expected an object/,
    );
  });

  test("model.json: parameters of the wrong type, not an object at all", () => {
    loadFails(
      broken(MODEL_FILES.manifest, (m) => {
        (m.parameters as Record<string, Record<string, unknown>>).reduce.nComponents = "5";
        return m;
      }),
      /model\.json: parameters\.reduce\.nComponents: expected an integer ≥ 1, got "5"/,
    );
    loadFails(
      broken(MODEL_FILES.manifest, (m) => {
        (m.parameters as Record<string, Record<string, unknown>>).cluster.method = "magic";
        return m;
      }),
      /model\.json: parameters\.cluster\.method: expected one of "hdbscan"/,
    );
    loadFails(broken(MODEL_FILES.manifest, "[]"), /model\.json: the file: expected an object, got an array/);
    loadFails(broken(MODEL_FILES.manifest, "null"), /model\.json: the file: expected an object, got null/);
  });

  test("representation.json, topic-state.json and stages.json", () => {
    loadFails(
      broken(MODEL_FILES.representation, (r) => {
        (r.arrays as Record<string, string>).idf = "../../model/representation-idf.npy";
        return r;
      }),
      /representation\.json: arrays\.idf: expected a \.npy file name in the model folder/,
    );
    loadFails(
      broken(MODEL_FILES.representation, (r) => {
        (r.vectorizer as { vocabulary: unknown }).vocabulary = 5;
        return r;
      }),
      /representation\.json: vectorizer\.vocabulary: expected an array, got 5/,
    );
    loadFails(
      broken(MODEL_FILES.topicState, (s) => {
        s.clusterTopic = [[1, 2, 3]];
        return s;
      }),
      /topic-state\.json: clusterTopic\[0\]: expected an array of 2, got an array of 3/,
    );
    loadFails(
      broken(MODEL_FILES.stages, (s) => {
        (s.reducer as { arrays: Record<string, string> }).arrays = { components: "../../../etc/passwd" };
        return s;
      }),
      /stages\.json: reducer\.arrays\.components: expected a \.npy file name in the model folder/,
    );
  });

  test("representation.json's arrays: in .npy files beside it, or inline as older folders have them", () => {
    const saved = loadModelFolder(model).representation as RepresentationJSON;
    assert.ok(saved.matrix.data instanceof Float64Array, "read from representation-data.npy");
    assert.ok(saved.matrix.indices instanceof Int32Array);
    const json = JSON.parse(readFileSync(join(model, MODEL_FILES.representation), "utf8"));
    assert.deepEqual(Object.keys(json.arrays).sort(), ["data", "idf", "indices", "indptr"]);
    assert.equal(json.matrix, undefined);

    // a folder of an earlier release: the arrays inline, no .npy files — the same representation
    const inline = {
      ...saved,
      ctfidf: { ...saved.ctfidf, idf: Array.from(saved.ctfidf.idf) },
      matrix: {
        indptr: Array.from(saved.matrix.indptr),
        indices: Array.from(saved.matrix.indices),
        data: Array.from(saved.matrix.data),
      },
    };
    const older = broken(MODEL_FILES.representation, JSON.stringify(inline));
    for (const file of Object.values(json.arrays as Record<string, string>)) rmSync(join(older, file));
    const loaded = loadModelFolder(older).representation as RepresentationJSON;
    assert.deepEqual(Array.from(loaded.matrix.data), Array.from(saved.matrix.data));
    assert.deepEqual(Array.from(loaded.ctfidf.idf), Array.from(saved.ctfidf.idf));
    loadFails(
      broken(
        MODEL_FILES.representation,
        JSON.stringify({ ...inline, matrix: { ...inline.matrix, indptr: inline.matrix.indptr.slice(1) } }),
      ),
      /representation\.json: matrix\.indptr: expected \d+ entries \(topics \+ 1\)/,
    );

    // damaged array files: one line naming the file and what is wrong
    const missing = broken(MODEL_FILES.representation, JSON.stringify(json));
    rmSync(join(missing, "representation-data.npy"));
    loadFails(missing, /representation\.json: arrays\.data: representation-data\.npy is missing/);
    const floats = broken(MODEL_FILES.representation, JSON.stringify(json));
    writeNpy(join(floats, "representation-indices.npy"), Float64Array.from(saved.matrix.indices), [
      saved.matrix.indices.length,
    ]);
    loadFails(floats, /representation-indices\.npy: expected a 1-d int32 array, got \S+ of shape \[\d+\]/);
    const outside = broken(MODEL_FILES.representation, JSON.stringify(json));
    const indices = Int32Array.from(saved.matrix.indices);
    indices[3] = saved.vectorizer.vocabulary.length;
    writeNpy(join(outside, "representation-indices.npy"), indices, [indices.length]);
    loadFails(outside, /representation\.json: matrix\.indices\[3\]: \d+ is outside the vocabulary/);
  });

  test("saved views: hierarchy.json and topics-over-time.json", () => {
    const dir = broken(MODEL_FILES.topics, (t) => t);
    writeFileSync(
      join(dir, VIEW_FILES.hierarchy),
      JSON.stringify({ leaves: [], merges: [[0, 1, "far", 2]] }),
    );
    assert.throws(
      () => readSavedView(dir, "hierarchy"),
      /hierarchy\.json: merges\[0\]\[2\]: expected a number, got "far"; rerun the verb/,
    );
    writeFileSync(join(dir, VIEW_FILES.overTime), JSON.stringify({ entries: [{ topic: 0 }] }));
    assert.throws(() => readSavedView(dir, "overTime"), /topics-over-time\.json: entries\[0\]\.bin: missing/);
  });

  test("through the CLI: one line, exit 2", async () => {
    const dir = broken(MODEL_FILES.topics, '{"topics":"x"}');
    for (const args of [
      ["report", dir],
      ["search", dir, "rocket"],
    ]) {
      const run = await runInProcess([registerReport, registerSearch], ["--quiet", ...args]);
      assert.equal(run.status, 2, run.stderr);
      assert.match(
        run.stderr,
        /^topicscope: error: .*topics\.json: the file: expected an array, got an object; refit the model with 'topicscope fit' or restore the file\n$/,
      );
    }
  });
});
