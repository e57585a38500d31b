/**
 * A cross-encoder scores a text pair by reading both texts at once (one model call per pair), where a
 * bi-encoder embeds each text alone and compares vectors. It is the slow, accurate second stage of
 * retrieve-and-rerank: sentence-transformers' `CrossEncoder.predict` / `rank`, on onnxruntime.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { lengthSortedBatches } from "../embed/batching.js";
import { createSession, type Ort, type OrtSession } from "../onnx/runtime.js";
import type { Matrix, ProgressCallback } from "../types.js";
import { UserError } from "../util/errors.js";
import { type Activation, applyActivation, softmaxRows } from "./activation.js";
import { type CrossEncoderFolder, inspectCrossEncoderFolder } from "./folder.js";
import { type EncodedPair, loadPairTokenizer, type PairTokenizer } from "./pair-tokenizer.js";

/** sentence-transformers' default `batch_size` of predict and rank. */
export const CROSS_ENCODER_BATCH_SIZE = 32;

export interface CrossEncoderOptions {
  /** "fp32" (onnx/model.onnx, default when present) or "q8" (onnx/model_quantized.onnx). */
  dtype?: string;
  /** Tokens per pair, special tokens included (default: the folder's, as sentence-transformers reads it). */
  maxLength?: number;
  /** onnxruntime intra-op threads; default: the project's policy (src/onnx/runtime.ts: the idle cores). */
  threads?: number;
  /** Called with messages worth showing the user (e.g. a config activation we do not run). */
  onWarning?: (message: string) => void;
}

export interface PredictOptions {
  batchSize?: number;
  /** Softmax over each pair's labels after the activation (models with more than one label only). */
  applySoftmax?: boolean;
  /** Replaces the model's activation for this call. */
  activation?: Activation;
  onProgress?: ProgressCallback;
}

export interface RankOptions extends PredictOptions {
  /** Keep the best k (default: all). */
  topK?: number;
  /** Include each document's text in the results. */
  returnDocuments?: boolean;
}

/** One entry of `rank`'s result, sentence-transformers' `{corpus_id, score, text}`. */
export interface RankedDocument {
  corpusId: number;
  score: number;
  text?: string;
}

export type TextPair = readonly [string, string];

interface OrtTensor {
  data: unknown;
  dims: readonly number[];
}

export class CrossEncoder {
  /** Folder name + hash of weights and tokenizer + token budget. */
  readonly id: string;
  readonly numLabels: number;
  /** Label names by output column (config.json id2label), possibly empty. */
  readonly labels: readonly string[];
  readonly activation: Activation;
  readonly maxLength: number;
  readonly folder: string;

  private constructor(
    private readonly info: CrossEncoderFolder,
    private readonly tokenizer: PairTokenizer,
    private readonly session: OrtSession,
    private readonly ort: Ort,
    private readonly outputName: string,
  ) {
    this.numLabels = info.numLabels;
    this.labels = info.labels;
    this.activation = info.activation.activation;
    this.maxLength = info.maxLength;
    this.folder = info.folder;
    const hash = createHash("sha256");
    hash.update(readFileSync(info.onnxFile));
    hash.update(readFileSync(join(info.folder, "tokenizer.json")));
    this.id = `cross-encoder:${basename(info.folder)}@${hash.digest("hex").slice(0, 12)};${info.dtype};max_length=${info.maxLength}`;
  }

  /** Loads a sentence-transformers CrossEncoder ONNX folder (every missing file is named). */
  static async load(folder: string, options: CrossEncoderOptions = {}): Promise<CrossEncoder> {
    const info = inspectCrossEncoderFolder(folder, { dtype: options.dtype, maxLength: options.maxLength });
    if (info.activation.warning) options.onWarning?.(info.activation.warning);
    const tokenizer = await loadPairTokenizer(info.folder, info.maxLength);
    let ort: Ort;
    let session: OrtSession;
    try {
      ({ ort, session } = await createSession(info.onnxFile, { threads: options.threads }));
    } catch (error) {
      throw new UserError(
        `cannot load ${info.onnxFile}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const outputName = session.outputNames.includes("logits") ? "logits" : session.outputNames[0];
    for (const name of session.inputNames) {
      if (!["input_ids", "attention_mask", "token_type_ids"].includes(name)) {
        await session.release();
        throw new UserError(
          `${info.onnxFile}: unexpected model input '${name}' (a cross-encoder takes input_ids, attention_mask and optionally token_type_ids)`,
        );
      }
    }
    return new CrossEncoder(info, tokenizer, session, ort, outputName);
  }

  /** The token ids and token types the model sees for a pair (truncated, special tokens added). */
  tokenize(a: string, b: string): EncodedPair {
    return this.tokenizer.encode(a, b);
  }

  /**
   * Scores each pair: an n × numLabels matrix in input order, after the model's activation (and a
   * softmax over labels with `applySoftmax`). One-label models give one column.
   */
  async predict(pairs: readonly TextPair[], options: PredictOptions = {}): Promise<Matrix> {
    const batchSize = options.batchSize ?? CROSS_ENCODER_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new UserError(`batch size must be a positive integer, got ${batchSize}`);
    }
    const cols = this.numLabels;
    const out = new Float32Array(pairs.length * cols);
    const encoded = pairs.map(([a, b]) => this.tokenizer.encode(a, b));
    // longest first, as sentence-transformers sorts: each batch pads only to its own longest pair
    const batches = lengthSortedBatches(
      encoded.map((e) => e.inputIds.length),
      batchSize,
    );
    let done = 0;
    options.onProgress?.(0, pairs.length);
    for (const batch of batches) {
      const logits = await this.run(Array.from(batch.indices, (i) => encoded[i]));
      batch.indices.forEach((i, k) => {
        out.set(logits.subarray(k * cols, (k + 1) * cols), i * cols);
      });
      done += batch.indices.length;
      options.onProgress?.(done, pairs.length);
    }
    applyActivation(options.activation ?? this.activation, out, cols);
    // sentence-transformers softmaxes the [n, 1] column of one-label models too, turning every score
    // into 1.0; its documentation says "if num_labels > 1", which is what we do
    if (options.applySoftmax && cols > 1) softmaxRows(out, cols);
    return { data: out, rows: pairs.length, cols };
  }

  /**
   * Scores `query` against every document and returns them best first (ties keep input order), as
   * sentence-transformers' `rank`: `{corpusId, score, text?}`, the first `topK` (default all).
   * Like sentence-transformers 6, only one-label models rank.
   */
  async rank(
    query: string,
    documents: readonly string[],
    options: RankOptions = {},
  ): Promise<RankedDocument[]> {
    if (this.numLabels !== 1) {
      throw new UserError(
        `cross-encoder ${basename(this.folder)} has ${this.numLabels} labels; rank needs a one-label (relevance) model — use predict for classification models`,
      );
    }
    if (options.topK !== undefined && (!Number.isInteger(options.topK) || options.topK < 1)) {
      throw new UserError(`top k must be a positive integer, got ${options.topK}`);
    }
    const scores = await this.predict(
      documents.map((d) => [query, d] as const),
      options,
    );
    const results: RankedDocument[] = documents.map((text, i) =>
      options.returnDocuments
        ? { corpusId: i, score: scores.data[i], text }
        : { corpusId: i, score: scores.data[i] },
    );
    results.sort((x, y) => y.score - x.score || x.corpusId - y.corpusId);
    return options.topK === undefined ? results : results.slice(0, options.topK);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }

  private async run(pairs: EncodedPair[]): Promise<Float32Array> {
    const { ort } = this;
    const batch = pairs.length;
    const sequence = Math.max(...pairs.map((p) => p.inputIds.length));
    const ids = new BigInt64Array(batch * sequence);
    const mask = new BigInt64Array(batch * sequence);
    const types = new BigInt64Array(batch * sequence);
    pairs.forEach((p, b) => {
      for (let t = 0; t < p.inputIds.length; t++) {
        ids[b * sequence + t] = BigInt(p.inputIds[t]);
        mask[b * sequence + t] = 1n;
        types[b * sequence + t] = BigInt(p.tokenTypeIds[t]);
      }
    });
    const shape = [batch, sequence];
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
    for (const name of this.session.inputNames) {
      const data = name === "input_ids" ? ids : name === "attention_mask" ? mask : types;
      feeds[name] = new ort.Tensor("int64", data, shape);
    }
    const results = await this.session.run(feeds, [this.outputName]);
    const output = results[this.outputName] as OrtTensor;
    if (output.dims.length !== 2 || output.dims[0] !== batch || output.dims[1] !== this.numLabels) {
      throw new UserError(
        `${this.info.onnxFile}: output ${this.outputName} has shape [${output.dims.join(", ")}], expected [${batch}, ${this.numLabels}] (config.json says ${this.numLabels} labels)`,
      );
    }
    return Float32Array.from(output.data as Float32Array);
  }
}

/**
 * Retrieve-and-rerank's second step: re-scores a bi-encoder's shortlist with the cross-encoder and
 * returns the best `topK`, each hit with its cross-encoder `score` (the hit's own fields kept).
 */
export async function rerankHits<T extends { text: string }>(
  crossEncoder: CrossEncoder,
  query: string,
  hits: readonly T[],
  options: RankOptions = {},
): Promise<Array<T & { score: number }>> {
  const ranked = await crossEncoder.rank(
    query,
    hits.map((h) => h.text),
    { ...options, returnDocuments: false },
  );
  return ranked.map((r) => ({ ...hits[r.corpusId], score: r.score }));
}
