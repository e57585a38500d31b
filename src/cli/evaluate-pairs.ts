/**
 * `topicscope evaluate-pairs <pairs.jsonl>`: how well an embedding model's similarities follow a
 * pair file's gold scores (sentence-transformers' EmbeddingSimilarityEvaluator: pearson_/spearman_
 * per similarity function) and separate its binary labels (BinaryClassificationEvaluator: accuracy,
 * F1, precision, recall with their thresholds, AP, MCC). Each evaluator runs when the file has what it
 * needs; prints a table, and writes JSON with -o.
 */
import type { Command } from "commander";
import { writeFileAtomic } from "../io/atomic.js";
import {
  binaryLabels,
  DEFAULT_PAIR_FIELDS,
  evaluateBinaryClassification,
  evaluateEmbeddingSimilarity,
  readPairsFile,
  SIMILARITY_FUNCTIONS,
  type SimilarityFunction,
} from "../similarity/index.js";
import { selectRows } from "../types.js";
import { UserError } from "../util/errors.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags } from "./command.js";
import { addEmbeddingOptions, type EmbeddingFlags, embedTexts, openEmbedder } from "./embedding-input.js";
import { addForceOption, checkFileOutput, modelInput } from "./output.js";

interface EvaluatePairsFlags extends EmbeddingFlags {
  scoreField: string;
  labelField: string;
  sentence1Field: string;
  sentence2Field: string;
  positiveLabel?: string;
  similarity: SimilarityFunction[];
  output?: string;
  json: boolean;
  force: boolean;
}

function parseSimilarityList(value: string): SimilarityFunction[] {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const name of names) {
    if (!(SIMILARITY_FUNCTIONS as readonly string[]).includes(name)) {
      throw new UserError(`--similarity: unknown function '${name}'; use ${SIMILARITY_FUNCTIONS.join(", ")}`);
    }
  }
  if (names.length === 0) throw new UserError("--similarity names no function");
  return names as SimilarityFunction[];
}

export function register(program: Command): void {
  const command = program
    .command("evaluate-pairs")
    .description(
      "score an embedding model on sentence pairs: correlation with gold scores, binary classification of labels",
    )
    .argument("<pairs>", "JSON Lines, one pair per line: sentence1, sentence2 and a score and/or a label")
    .option("--score-field <name>", "field with the gold similarity score", DEFAULT_PAIR_FIELDS.score)
    .option(
      "--label-field <name>",
      "field with the binary label (0/1, true/false)",
      DEFAULT_PAIR_FIELDS.label,
    )
    .option("--sentence1-field <name>", "field with the first text", DEFAULT_PAIR_FIELDS.sentence1)
    .option("--sentence2-field <name>", "field with the second text", DEFAULT_PAIR_FIELDS.sentence2)
    .option("--positive-label <value>", "count pairs with this label as positives, all others as negatives")
    .option(
      "--similarity <list>",
      `similarity functions, comma-separated (${SIMILARITY_FUNCTIONS.join(", ")})`,
      parseSimilarityList,
      [...SIMILARITY_FUNCTIONS],
    )
    .option("-o, --output <results.json>", "write the metrics as JSON")
    .option("--json", "print the metrics as JSON instead of a table", false);
  addEmbeddingOptions(command);
  addForceOption(command, "replace the -o file if it exists");
  command.action(
    action(async (path: string, flags: EvaluatePairsFlags, cmd: Command) => {
      const quiet = globalFlags(cmd).quiet === true;
      const logger = createLogger(quiet);
      if (flags.output !== undefined) {
        checkFileOutput(flags.output, {
          inputs: [path, modelInput(flags.model), flags.adapter],
          force: flags.force,
          logger,
        });
      }
      const file = readPairsFile(path, {
        sentence1: flags.sentence1Field,
        sentence2: flags.sentence2Field,
        score: flags.scoreField,
        label: flags.labelField,
      });
      const explicit = (option: string) => cmd.getOptionValueSource(option) === "cli";
      if (explicit("scoreField") && !file.hasScore) {
        throw new UserError(`${path}: no pair has the score field '${flags.scoreField}'`);
      }
      if ((explicit("labelField") || flags.positiveLabel !== undefined) && !file.hasLabel) {
        throw new UserError(`${path}: no pair has the label field '${flags.labelField}'`);
      }
      if (!file.hasScore && !file.hasLabel) {
        throw new UserError(
          `${path}: pairs have neither a '${flags.scoreField}' nor a '${flags.labelField}' field; name them with --score-field / --label-field`,
        );
      }
      let labels: Int8Array | undefined;
      if (file.hasLabel) {
        const binary = binaryLabels(file, flags.positiveLabel);
        if ("labels" in binary) {
          labels = binary.labels;
          if (flags.positiveLabel !== undefined && !labels.includes(1)) {
            throw new UserError(`${path}: no pair has the label '${flags.positiveLabel}' (--positive-label)`);
          }
        } else {
          const { line, label } = binary.unknown;
          const message = `${path} line ${line}: label ${JSON.stringify(label)} is not binary (0/1, true/false); pass --positive-label <value> to count one label as positive`;
          if (explicit("labelField") || !file.hasScore) throw new UserError(message);
          logger.warn(`${message} — binary classification skipped`);
        }
      }
      // each distinct sentence is embedded once
      const slot = new Map<string, number>();
      const texts: string[] = [];
      const index = (text: string) => {
        let s = slot.get(text);
        if (s === undefined) {
          s = texts.length;
          slot.set(text, s);
          texts.push(text);
        }
        return s;
      };
      const left = file.pairs.map((p) => index(p.sentence1));
      const right = file.pairs.map((p) => index(p.sentence2));
      const embedder = await openEmbedder(flags, logger);
      let matrix: Awaited<ReturnType<typeof embedTexts>>;
      try {
        matrix = await embedTexts(embedder, texts, flags, { quiet, logger, what: "sentences" });
      } finally {
        await embedder.dispose?.();
      }
      const a = selectRows(matrix, left);
      const b = selectRows(matrix, right);
      const results: Record<string, Record<string, number>> = {};
      if (file.hasScore) {
        const gold = file.pairs.map((p) => p.score!);
        results.embeddingSimilarity = evaluateEmbeddingSimilarity(a, b, gold, {
          similarityFunctions: flags.similarity,
        });
      }
      if (labels) {
        results.binaryClassification = evaluateBinaryClassification(a, b, labels, {
          similarityFunctions: flags.similarity,
        });
      }
      const report = { pairs: path, model: flags.model, count: file.pairs.length, ...results };
      if (flags.output) {
        writeFileAtomic(flags.output, `${JSON.stringify(report, null, 2)}\n`);
        logger.info(`wrote ${flags.output}`);
      }
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : table(results, file.pairs.length));
    }),
  );
}

const TITLES: Record<string, string> = {
  embeddingSimilarity: "EmbeddingSimilarityEvaluator",
  binaryClassification: "BinaryClassificationEvaluator",
};

function table(results: Record<string, Record<string, number>>, count: number): string {
  const lines: string[] = [];
  for (const [name, metrics] of Object.entries(results)) {
    lines.push(`${TITLES[name] ?? name} (${count} pairs)`);
    const width = Math.max(...Object.keys(metrics).map((k) => k.length));
    for (const [metric, value] of Object.entries(metrics)) {
      lines.push(`  ${metric.padEnd(width)}  ${Number.isFinite(value) ? value.toFixed(4) : String(value)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
