/**
 * `topicscope train <pairs.jsonl> --loss softmax|mnrl|cosent -o <adapter dir>`: learn an adapter on top
 * of an embedding model's (frozen) vectors with one of sentence-transformers' objectives; `embed`,
 * `fit`, `search`, `pairs` and `evaluate-pairs` apply it with `--adapter <dir>`.
 */
import { type Command, Option } from "commander";
import {
  ADAPTER_ACTIVATIONS,
  type AdapterActivation,
  replaceableAdapterFolder,
  saveAdapter,
} from "../embed/adapter.js";
import {
  DEFAULT_SCALE,
  DEFAULT_VALIDATION_SPLIT,
  LOSSES,
  type LossName,
  SELECT_BY,
  type SelectBy,
  TRAIN_DEFAULTS,
  trainFromFiles,
} from "../train/index.js";
import { createLogger } from "../util/log.js";
import { createProgress } from "../util/progress.js";
import { action, globalFlags, parseInteger, parseNumber } from "./command.js";
import { checkModelOutput, modelInput } from "./output.js";

interface TrainFlags {
  loss: LossName;
  output: string;
  model: string;
  validation?: string;
  validationSplit?: number;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  activation: AdapterActivation;
  weightDecay: number;
  patience: number;
  selectBy?: SelectBy;
  scale: number;
  multiplication: boolean;
  labels?: string;
  positiveLabel?: string;
  sentence1Field: string;
  sentence2Field: string;
  labelField: string;
  scoreField: string;
  preserve?: string;
  preserveWeight: number;
  preserveTextField: string;
  cache: boolean;
  cacheDir?: string;
  force: boolean;
}

export function register(program: Command): void {
  program
    .command("train")
    .description(
      "train an adapter on an embedding model's vectors from sentence pairs (SBERT's softmax, MNRL or CoSENT objective)",
    )
    .argument("<pairs>", "JSONL pairs: sentence1, sentence2 and a label (softmax) or a score (cosent)")
    .addOption(new Option("--loss <name>", "training objective").choices([...LOSSES]).makeOptionMandatory())
    .requiredOption("-o, --output <dir>", "adapter folder to write")
    .option(
      "--model <id>",
      "base embedding model (use-lite, or a sentence-transformers ONNX folder)",
      "use-lite",
    )
    .option("--validation <file>", "validation pairs (same fields); default: hold out --validation-split")
    .option(
      "--validation-split <share>",
      `share of the pairs held out for validation and early stopping (default ${DEFAULT_VALIDATION_SPLIT}; 0 = none)`,
      parseNumber("--validation-split", 0),
    )
    .option(
      "--epochs <n>",
      "most epochs (early stopping may end sooner)",
      parseInteger("--epochs", 1),
      TRAIN_DEFAULTS.epochs,
    )
    .option("--batch-size <n>", "pairs per step", parseInteger("--batch-size", 2), TRAIN_DEFAULTS.batchSize)
    .option("--lr <rate>", "AdamW learning rate", parseNumber("--lr", 0), TRAIN_DEFAULTS.lr)
    .option(
      "--seed <n>",
      "random seed (shuffling, split, classifier init)",
      parseInteger("--seed"),
      TRAIN_DEFAULTS.seed,
    )
    .addOption(
      new Option(
        "--activation <name>",
        "adapter activation after the linear map (sentence-transformers Dense)",
      )
        .choices([...ADAPTER_ACTIVATIONS])
        .default(TRAIN_DEFAULTS.activation),
    )
    .option(
      "--weight-decay <w>",
      "decoupled weight decay towards the identity map",
      parseNumber("--weight-decay", 0),
      TRAIN_DEFAULTS.weightDecay,
    )
    .option(
      "--patience <n>",
      "epochs without a better validation score (--select-by) before stopping",
      parseInteger("--patience", 1),
      TRAIN_DEFAULTS.patience,
    )
    .addOption(
      new Option(
        "--select-by <metric>",
        "what picks the best epoch: validation spearman (default when the pairs have scores) or loss",
      ).choices([...SELECT_BY]),
    )
    .option(
      "--scale <s>",
      "mnrl/cosent: similarity scale (1 / temperature)",
      parseNumber("--scale", 0),
      DEFAULT_SCALE,
    )
    .option("--multiplication", "softmax: also feed u * v to the classifier", false)
    .option("--labels <a,b,c>", "softmax: the labels in class order (default: those in the file, sorted)")
    .option("--positive-label <label>", "mnrl: train only on pairs with this label (e.g. entailment)")
    .option("--sentence1-field <name>", "field of the first text", "sentence1")
    .option("--sentence2-field <name>", "field of the second text", "sentence2")
    .option("--label-field <name>", "field of the class label", "label")
    .option("--score-field <name>", "field of the similarity score", "score")
    .option(
      "--preserve <corpus>",
      "general-domain texts whose similarities the adapter should keep (distillation towards the base model)",
    )
    .option(
      "--preserve-weight <w>",
      "weight of the preservation term",
      parseNumber("--preserve-weight", 0),
      TRAIN_DEFAULTS.preserveWeight,
    )
    .option("--preserve-text-field <name>", "text field of the --preserve corpus", "text")
    .option("--no-cache", "do not read or write the embedding cache")
    .option("--cache-dir <dir>", "embedding cache folder")
    .option("--force", "replace the adapter folder if it exists", false)
    .action(
      action(async (pairsFile: string, flags: TrainFlags, cmd: Command) => {
        const quiet = globalFlags(cmd).quiet === true;
        const logger = createLogger(quiet);
        checkModelOutput(flags.output, {
          inputs: [pairsFile, flags.validation, flags.preserve, modelInput(flags.model)],
          force: flags.force,
          replaceable: replaceableAdapterFolder,
          logger,
        });
        const progress = createProgress({ quiet });
        const embedStage = progress.stage(`embed the pairs' texts (${flags.model})`, "texts");
        let trainStage: ReturnType<typeof progress.stage> | undefined;
        let lastEpoch = 0;
        const outcome = await trainFromFiles(pairsFile, {
          loss: flags.loss,
          model: flags.model,
          validationFile: flags.validation,
          validationSplit: flags.validationSplit,
          epochs: flags.epochs,
          batchSize: flags.batchSize,
          lr: flags.lr,
          seed: flags.seed,
          activation: flags.activation,
          weightDecay: flags.weightDecay,
          patience: flags.patience,
          selectBy: flags.selectBy,
          scale: flags.scale,
          multiplication: flags.multiplication,
          labels: flags.labels?.split(",").map((l) => l.trim()),
          positiveLabel: flags.positiveLabel,
          fields: {
            sentence1: flags.sentence1Field,
            sentence2: flags.sentence2Field,
            label: flags.labelField,
            score: flags.scoreField,
          },
          preserveCorpus: flags.preserve,
          preserveWeight: flags.preserve !== undefined ? flags.preserveWeight : undefined,
          preserveTextField: flags.preserveTextField,
          cache: flags.cache ? (flags.cacheDir ?? true) : false,
          logger,
          onEmbedProgress: embedStage.update,
          onTrainProgress: (p) => {
            if (trainStage === undefined) {
              embedStage.end();
              trainStage = progress.stage(`train a ${flags.loss} adapter`, "steps");
            }
            if (p.epoch !== lastEpoch) lastEpoch = p.epoch;
            const total = p.steps * p.epochs;
            trainStage.update(
              (p.epoch - 1) * p.steps + p.step,
              total,
              `epoch ${p.epoch} loss ${p.loss.toFixed(4)}`,
            );
          },
        });
        if (trainStage === undefined) embedStage.end();
        const { result } = outcome;
        trainStage?.end(
          `best epoch ${result.bestEpoch} of ${result.history.length}${result.stoppedEarly ? " (stopped early)" : ""}`,
        );
        for (const e of result.history) {
          const validation =
            e.validationLoss !== undefined ? `, validation loss ${e.validationLoss.toFixed(4)}` : "";
          const rho =
            e.validationSpearman !== undefined ? `, Spearman ${(100 * e.validationSpearman).toFixed(2)}` : "";
          const accuracy =
            e.validationAccuracy !== undefined
              ? `, accuracy ${(100 * e.validationAccuracy).toFixed(1)}%`
              : "";
          logger.info(
            `  epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}${validation}${rho}${accuracy}`,
          );
        }
        await saveAdapter(flags.output, outcome.adapter, { force: flags.force });
        logger.info(
          `wrote adapter ${flags.output} (${outcome.trainPairs} training pairs, ${outcome.validationPairs} validation) for ${outcome.adapter.baseModel}`,
        );
        process.stdout.write(`${flags.output}\n`);
      }),
    );
}
