/**
 * From pairs files to a trained adapter: embeds every distinct text once (through the embedding
 * cache) with the base model, splits off validation pairs when asked, trains, and returns the adapter
 * with a record of how it was made. The `train` verb is a thin shell around `trainFromFiles`.
 */
import { readCorpus } from "../corpus/index.js";
import type { Adapter } from "../embed/adapter.js";
import { createEmbedder, embedWithCache } from "../embed/index.js";
import type { Matrix, ProgressCallback } from "../types.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/log.js";
import { createRng } from "../util/rng.js";
import { DEFAULT_SCALE } from "./losses.js";
import { type PairFields, type PairSet, readPairs, subsetPairs } from "./pairs.js";
import {
  classifierAccuracy,
  type LossName,
  TRAIN_DEFAULTS,
  type TrainingPairs,
  type TrainOptions,
  type TrainProgress,
  type TrainResult,
  trainAdapter,
} from "./trainer.js";

export interface TrainFromFilesOptions extends Omit<TrainOptions, "preserve" | "onProgress"> {
  /** Base embedding model (createEmbedder's `model`). */
  model?: string;
  validationFile?: string;
  /** Share of the training pairs held out for validation when there is no validation file (0 = none). */
  validationSplit?: number;
  fields?: Partial<PairFields>;
  /** Softmax: the labels in class order (default: those of the training file, sorted). */
  labels?: string[];
  /** MNRL: keep only pairs with this label (e.g. entailment). */
  positiveLabel?: string;
  /** A corpus of general-domain texts whose similarities the adapter should keep. */
  preserveCorpus?: string;
  preserveTextField?: string;
  /** Embedding cache folder, or false for none. */
  cache?: boolean | string;
  logger?: Logger;
  onEmbedProgress?: ProgressCallback;
  onTrainProgress?: (progress: TrainProgress) => void;
}

export interface TrainFromFilesResult {
  adapter: Adapter;
  result: TrainResult;
  trainPairs: number;
  validationPairs: number;
  labelNames?: string[];
}

export const DEFAULT_VALIDATION_SPLIT = 0.1;

export async function trainFromFiles(
  pairsFile: string,
  options: TrainFromFilesOptions,
): Promise<TrainFromFilesResult> {
  const loss: LossName = options.loss;
  const readOptions = {
    fields: options.fields,
    needLabel: loss === "softmax",
    needScore: loss === "cosent",
    keepLabel: loss === "mnrl" ? options.positiveLabel : undefined,
  };
  if (loss !== "mnrl" && options.positiveLabel !== undefined) {
    throw new UserError("--positive-label selects positive pairs for --loss mnrl only");
  }
  let train = readPairs(pairsFile, { ...readOptions, labelNames: options.labels });
  let validation: PairSet | undefined;
  const split = options.validationSplit ?? (options.validationFile ? 0 : DEFAULT_VALIDATION_SPLIT);
  if (options.validationFile !== undefined) {
    if (options.validationSplit !== undefined && options.validationSplit > 0) {
      throw new UserError("give either --validation <file> or --validation-split, not both");
    }
    validation = readPairs(options.validationFile, { ...readOptions, labelNames: train.labelNames });
  } else if (split > 0) {
    if (!(split < 1)) throw new UserError(`--validation-split must be in [0, 1), got ${split}`);
    const order = Array.from({ length: train.sentence1.length }, (_, i) => i);
    const rng = createRng((options.seed ?? 42) + 1);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const held = Math.round(order.length * split);
    if (held >= 2 && order.length - held >= 2) {
      validation = subsetPairs(
        train,
        order.slice(0, held).sort((a, b) => a - b),
      );
      train = subsetPairs(
        train,
        order.slice(held).sort((a, b) => a - b),
      );
    } else {
      options.logger?.warn(
        `${pairsFile}: too few pairs to hold out ${split} for validation; training without`,
      );
    }
  }

  // every distinct text once, through the cache
  const preserveTexts: string[] = [];
  if (options.preserveCorpus !== undefined) {
    const corpus = await readCorpus(options.preserveCorpus, {
      textField: options.preserveTextField,
      logger: options.logger,
    });
    for (const d of corpus.documents) if (d.text.trim() !== "") preserveTexts.push(d.text);
  }
  const keyOf = new Map<string, number>();
  const texts: string[] = [];
  const key = (text: string): number => {
    let k = keyOf.get(text);
    if (k === undefined) {
      k = texts.length;
      keyOf.set(text, k);
      texts.push(text);
    }
    return k;
  };
  const keysOf = (set: PairSet) => ({
    a: Int32Array.from(set.sentence1, key),
    b: Int32Array.from(set.sentence2, key),
  });
  const trainKeys = keysOf(train);
  const validationKeys = validation ? keysOf(validation) : undefined;
  const preserveKeys = Int32Array.from(preserveTexts, key);

  const embedder = await createEmbedder({ model: options.model ?? "use-lite", logger: options.logger });
  let vectors: Matrix;
  try {
    vectors = (
      await embedWithCache(embedder, texts, {
        cache: options.cache,
        onProgress: options.onEmbedProgress,
        logger: options.logger,
      })
    ).matrix;
  } finally {
    await embedder.dispose?.();
  }
  const d = vectors.cols;
  const rowsOf = (keys: Int32Array): Matrix => {
    const data = new Float32Array(keys.length * d);
    keys.forEach((k, i) => {
      data.set(vectors.data.subarray(k * d, (k + 1) * d), i * d);
    });
    return { data, rows: keys.length, cols: d };
  };
  const toTraining = (set: PairSet, keys: { a: Int32Array; b: Int32Array }): TrainingPairs => ({
    a: rowsOf(keys.a),
    b: rowsOf(keys.b),
    labels: set.labels,
    numLabels: set.labelNames?.length,
    scores: set.scores,
    keysA: keys.a,
    keysB: keys.b,
  });
  const trainingPairs = toTraining(train, trainKeys);
  const validationPairs = validation && validationKeys ? toTraining(validation, validationKeys) : undefined;
  if (loss === "softmax" && (train.labelNames?.length ?? 0) < 2) {
    throw new UserError(
      `${pairsFile}: softmax needs at least 2 labels, found ${train.labelNames?.join(", ") ?? "none"}`,
    );
  }

  const started = performance.now();
  const result = await trainAdapter(trainingPairs, validationPairs, {
    ...options,
    preserve: preserveKeys.length > 0 ? rowsOf(preserveKeys) : undefined,
    onProgress: options.onTrainProgress,
  });
  const seconds = (performance.now() - started) / 1000;
  const validationAccuracy =
    result.classifier && validationPairs
      ? classifierAccuracy(result.params, result.classifier, validationPairs)
      : undefined;

  const adapter: Adapter = {
    baseModel: embedder.id,
    inputDimension: d,
    outputDimension: d,
    activation: result.params.activation,
    weight: result.params.weight,
    bias: result.params.bias,
    training: {
      loss,
      pairsFile,
      trainPairs: train.sentence1.length,
      validation: validation
        ? { source: options.validationFile ?? `${split} of ${pairsFile}`, pairs: validation.sentence1.length }
        : null,
      ...(train.labelNames ? { labels: train.labelNames } : {}),
      ...(options.positiveLabel !== undefined ? { positiveLabel: options.positiveLabel } : {}),
      ...(options.preserveCorpus !== undefined
        ? {
            preserve: {
              corpus: options.preserveCorpus,
              texts: preserveTexts.length,
              weight: options.preserveWeight ?? TRAIN_DEFAULTS.preserveWeight,
            },
          }
        : {}),
      options: {
        epochs: options.epochs ?? TRAIN_DEFAULTS.epochs,
        batchSize: options.batchSize ?? TRAIN_DEFAULTS.batchSize,
        lr: options.lr ?? TRAIN_DEFAULTS.lr,
        seed: options.seed ?? TRAIN_DEFAULTS.seed,
        weightDecay: options.weightDecay ?? TRAIN_DEFAULTS.weightDecay,
        patience: options.patience ?? TRAIN_DEFAULTS.patience,
        selectBy: options.selectBy ?? (validation?.scores ? "spearman" : "loss"),
        ...(loss === "softmax"
          ? { multiplication: options.multiplication === true }
          : { scale: options.scale ?? DEFAULT_SCALE }),
      },
      history: result.history,
      bestEpoch: result.bestEpoch,
      stoppedEarly: result.stoppedEarly,
      ...(validationAccuracy !== undefined ? { validationAccuracy } : {}),
      seconds: Math.round(seconds * 10) / 10,
    },
  };
  return {
    adapter,
    result,
    trainPairs: train.sentence1.length,
    validationPairs: validation?.sentence1.length ?? 0,
    labelNames: train.labelNames,
  };
}
