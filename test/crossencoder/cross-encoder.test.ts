/**
 * The cross-encoder against sentence-transformers 6 itself: tiny BertForSequenceClassification models
 * built by test/fixtures/crossencoder/make_tiny_crossencoders.py (torch, seeded), exported to ONNX, with
 * the token ids, raw logits, predict and rank results sentence-transformers' CrossEncoder gave for them.
 */
import assert from "node:assert/strict";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import {
  applyActivation,
  CrossEncoder,
  longestFirst,
  resolveActivation,
} from "../../src/crossencoder/index.js";
import { UserError } from "../../src/util/errors.js";
import { tempDir } from "../embed/helpers.js";

const fixtures = resolve(import.meta.dirname, "..", "fixtures", "crossencoder");

interface Expected {
  num_labels: number;
  max_length: number;
  activation: string;
  pairs: [string, string][];
  tokens: { input_ids: number[]; token_type_ids: number[] }[];
  logits: number[][];
  predict: number[] | number[][];
  predict_softmax: number[] | number[][];
  predict_identity: number[] | number[][];
  query?: string;
  documents?: string[];
  rank?: { corpus_id: number; score: number }[];
  rank_top2_docs?: { corpus_id: number; score: number; text: string }[];
}

const expected = JSON.parse(readFileSync(join(fixtures, "expected.json"), "utf8")) as Record<
  string,
  Expected
>;

function assertClose(actual: ArrayLike<number>, wanted: ArrayLike<number>, tolerance: number, what: string) {
  assert.equal(actual.length, wanted.length, `${what}: length`);
  for (let i = 0; i < wanted.length; i++) {
    assert.ok(
      Math.abs(actual[i] - wanted[i]) <= tolerance,
      `${what}[${i}]: ${actual[i]} vs ${wanted[i]} (tolerance ${tolerance})`,
    );
  }
}

const dir = tempDir("crossencoder");
after(() => dir.remove());

describe("longest_first truncation", () => {
  test("keeps the token counts Hugging Face tokenizers keeps, for every pinned (len A, len B, max)", () => {
    const table = JSON.parse(readFileSync(join(fixtures, "truncation.json"), "utf8")) as { rows: number[][] };
    assert.ok(table.rows.length > 2000);
    for (const [n1, n2, max, keep1, keep2] of table.rows) {
      assert.deepEqual(longestFirst(n1, n2, max), [keep1, keep2], `lengths ${n1}, ${n2}, max ${max}`);
    }
  });

  test("pairs that fit are untouched", () => {
    assert.deepEqual(longestFirst(3, 4, 7), [3, 4]);
    assert.deepEqual(longestFirst(0, 9, 5), [0, 5]);
  });
});

for (const [name, e] of Object.entries(expected)) {
  describe(`cross-encoder ${name} (${e.num_labels} label${e.num_labels > 1 ? "s" : ""}) against sentence-transformers`, () => {
    const load = () => CrossEncoder.load(join(fixtures, name));

    test("reads labels, activation and max length from the folder", async () => {
      const ce = await load();
      try {
        assert.equal(ce.numLabels, e.num_labels);
        assert.equal(ce.maxLength, e.max_length);
        assert.equal(ce.activation, e.activation.toLowerCase());
        assert.match(ce.id, new RegExp(`^cross-encoder:${name}@[0-9a-f]{12};fp32;max_length=16$`));
      } finally {
        await ce.dispose();
      }
    });

    test("tokenises each pair jointly, truncating longest-first, with the token types", async () => {
      const ce = await load();
      try {
        e.pairs.forEach(([a, b], i) => {
          const got = ce.tokenize(a, b);
          assert.deepEqual(got.inputIds, e.tokens[i].input_ids, `pair ${i} ids`);
          assert.deepEqual(got.tokenTypeIds, e.tokens[i].token_type_ids, `pair ${i} token types`);
        });
        // the fixture's long pairs do reach the 16-token budget
        assert.ok(e.tokens.some((t) => t.input_ids.length === 16));
      } finally {
        await ce.dispose();
      }
    });

    test("raw logits equal torch's; predict equals CrossEncoder.predict (activation, apply_softmax)", async () => {
      const ce = await load();
      try {
        const raw = await ce.predict(e.pairs, { activation: "identity" });
        assert.deepEqual([raw.rows, raw.cols], [e.pairs.length, e.num_labels]);
        assertClose(raw.data, e.logits.flat(), 2e-5, "logits");
        assertClose(raw.data, e.predict_identity.flat(), 2e-5, "predict(activation_fn=Identity)");
        const scores = await ce.predict(e.pairs, { batchSize: 3 });
        assertClose(scores.data, e.predict.flat(), 2e-5, "predict");
        const softmax = await ce.predict(e.pairs, { applySoftmax: true });
        if (e.num_labels > 1) {
          assertClose(softmax.data, e.predict_softmax.flat(), 2e-5, "predict(apply_softmax=True)");
        } else {
          // we softmax only when there is more than one label (sentence-transformers turns every
          // one-label score into 1.0 — the fixture records that)
          assert.ok((e.predict_softmax as number[]).every((v) => v === 1));
          assertClose(softmax.data, e.predict.flat(), 2e-5, "one-label apply_softmax leaves scores");
        }
      } finally {
        await ce.dispose();
      }
    });

    test("the batch size changes nothing (each batch pads to its own longest pair)", async () => {
      const ce = await load();
      try {
        const one = await ce.predict(e.pairs, { batchSize: 1 });
        const all = await ce.predict(e.pairs, { batchSize: 64 });
        assertClose(one.data, all.data, 1e-5, "batch 1 vs 64");
      } finally {
        await ce.dispose();
      }
    });

    if (e.rank !== undefined) {
      const rank = e.rank;
      const top2 = e.rank_top2_docs!;
      test("rank returns CrossEncoder.rank's order and scores (top_k, return_documents)", async () => {
        const ce = await load();
        try {
          const ranked = await ce.rank(e.query!, e.documents!);
          assert.deepEqual(
            ranked.map((r) => r.corpusId),
            rank.map((r) => r.corpus_id),
          );
          assertClose(
            ranked.map((r) => r.score),
            rank.map((r) => r.score),
            2e-5,
            "rank scores",
          );
          assert.ok(ranked.every((r) => r.text === undefined));
          const best = await ce.rank(e.query!, e.documents!, { topK: 2, returnDocuments: true });
          assert.deepEqual(
            best.map((r) => [r.corpusId, r.text]),
            top2.map((r) => [r.corpus_id, r.text]),
          );
        } finally {
          await ce.dispose();
        }
      });
    }
  });
}

describe("cross-encoder edge cases", () => {
  test("a long document costs a prefix: same tokens as its first words", async () => {
    const ce = await CrossEncoder.load(join(fixtures, "tiny-1label"));
    try {
      const huge = "the cat sat on the mat ".repeat(50_000);
      const short = "the cat sat on the mat ".repeat(5);
      assert.deepEqual(ce.tokenize("a dog", huge), ce.tokenize("a dog", short));
      assert.equal(ce.tokenize("a dog", huge).inputIds.length, 16);
    } finally {
      await ce.dispose();
    }
  });

  test("empty texts and an empty pair list", async () => {
    const ce = await CrossEncoder.load(join(fixtures, "tiny-1label"));
    try {
      assert.deepEqual(ce.tokenize("", "").inputIds, [2, 3, 3]);
      const none = await ce.predict([]);
      assert.deepEqual([none.rows, none.cols, none.data.length], [0, 1, 0]);
      assert.deepEqual(await ce.rank("q", []), []);
    } finally {
      await ce.dispose();
    }
  });

  test("rank needs a one-label model (as sentence-transformers 6)", async () => {
    const ce = await CrossEncoder.load(join(fixtures, "tiny-3label"));
    try {
      await assert.rejects(ce.rank("the dog", ["a cat"]), (error: Error) => {
        assert.ok(error instanceof UserError);
        assert.match(error.message, /3 labels; rank needs a one-label/);
        return true;
      });
    } finally {
      await ce.dispose();
    }
  });

  test("a missing file is named", async () => {
    for (const file of ["onnx/model.onnx", "tokenizer.json", "config.json", "tokenizer_config.json"]) {
      const copy = join(dir.path, `missing-${file.replace("/", "-")}`);
      cpSync(join(fixtures, "tiny-1label"), copy, { recursive: true });
      rmSync(join(copy, file));
      await assert.rejects(CrossEncoder.load(copy), (error: Error) => {
        assert.ok(error instanceof UserError);
        assert.match(error.message, new RegExp(`is missing ${file.replace(".", "\\.")};`));
        assert.ok(!error.message.includes("\n"));
        return true;
      });
    }
    await assert.rejects(
      CrossEncoder.load(join(dir.path, "nowhere")),
      /cross-encoder folder .* does not exist/,
    );
  });

  test("config activations: torch classes run, custom code falls back with a warning, unknown ones fail", async () => {
    const copy = join(dir.path, "tanh");
    cpSync(join(fixtures, "tiny-1label"), copy, { recursive: true });
    const config = JSON.parse(readFileSync(join(copy, "config.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(
      join(copy, "config.json"),
      JSON.stringify({
        ...config,
        sentence_transformers: { activation_fn: "torch.nn.modules.activation.Tanh" },
      }),
    );
    const ce = await CrossEncoder.load(copy);
    try {
      assert.equal(ce.activation, "tanh");
      const scores = await ce.predict(expected["tiny-1label"].pairs);
      assertClose(scores.data, expected["tiny-1label"].logits.flat().map(Math.tanh), 2e-5, "tanh(logits)");
    } finally {
      await ce.dispose();
    }

    const warnings: string[] = [];
    const custom = resolveActivation(
      { sentence_transformers: { activation_fn: "my_pkg.Scale" } },
      1,
      "c.json",
    );
    warnings.push(custom.warning ?? "");
    assert.equal(custom.activation, "sigmoid");
    assert.match(warnings[0], /c\.json: sentence_transformers\.activation_fn 'my_pkg\.Scale' is custom code/);
    // the pre-v4 key
    assert.equal(
      resolveActivation({ sbert_ce_default_activation_function: "torch.nn.modules.linear.Identity" }, 1, "c")
        .activation,
      "identity",
    );
    assert.equal(resolveActivation({}, 3, "c").activation, "identity");
    assert.throws(
      () => resolveActivation({ sentence_transformers: { activation_fn: "torch.nn.GELU" } }, 1, "c.json"),
      /c\.json: sentence_transformers\.activation_fn 'torch\.nn\.GELU' is not supported/,
    );
  });

  test("activations by hand", () => {
    const logits = Float32Array.from([0, 2, -1, 1, 1, 1]);
    const sigmoid = Float32Array.from(logits);
    applyActivation("sigmoid", sigmoid, 3);
    assertClose(sigmoid, [0.5, 0.880797, 0.268941, 0.731059, 0.731059, 0.731059], 1e-6, "sigmoid");
    const softmax = Float32Array.from(logits);
    applyActivation("softmax", softmax, 3);
    // e^0, e^2, e^-1 over their sum 1 + 7.389056 + 0.367879 = 8.756935
    assertClose(softmax, [0.114195, 0.843795, 0.04201, 1 / 3, 1 / 3, 1 / 3], 1e-6, "softmax");
    const logSoftmax = Float32Array.from(logits);
    applyActivation("log-softmax", logSoftmax, 3);
    assertClose(logSoftmax, [-2.169846, -0.169846, -3.169846, -1.098612, -1.098612, -1.098612], 1e-5, "log");
    const relu = Float32Array.from(logits);
    applyActivation("relu", relu, 3);
    assert.deepEqual(Array.from(relu), [0, 2, 0, 1, 1, 1]);
  });
});
