/**
 * What the topic-operation verbs share: load a model folder, and write the changed model to a NEW
 * folder (built aside and swapped in, the input never touched), with its reports.
 */
import { copyFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { writeFileAtomic } from "../io/atomic.js";
import { saveModelWithReports } from "../report/outputs.js";
import { OUTPUT_FILES } from "../topics/folder/format.js";
import { TopicModel } from "../topics/model.js";
import type { TopicTerm } from "../topics/types.js";
import { UserError } from "../util/errors.js";
import { escapeForTerminal } from "../util/escape.js";
import { createLogger, type Logger } from "../util/log.js";
import { action, globalFlags } from "./command.js";
import { checkModelOutput } from "./output.js";

export interface OperationFlags {
  output: string;
  force: boolean;
  report: boolean;
}

export function addOperationOptions(command: Command): Command {
  return command
    .requiredOption("-o, --output <dir>", "new model folder to write (the input folder is never changed)")
    .option("--force", "replace the output folder if it exists", false)
    .option("--no-report", "write only the model files, not report.html / charts (faster)");
}

/**
 * The action of a verb that changes a model: `checkFlags`, then the output folder, are checked before
 * any work; the model is loaded, changed by `change`, and saved to the new folder.
 */
export function operationAction<F extends OperationFlags>(
  change: (model: TopicModel, flags: F, logger: Logger) => Promise<void>,
  checkFlags: (flags: F) => void = () => {},
): (modelDir: string, flags: F, cmd: Command) => Promise<void> {
  return action(async (modelDir: string, flags: F, cmd: Command) => {
    const logger = createLogger(globalFlags(cmd).quiet === true);
    checkFlags(flags);
    checkOperationOutput(modelDir, flags, logger);
    const model = await loadModel(modelDir, logger);
    await change(model, flags, logger);
    await saveOperationResult(model, modelDir, flags, logger);
  });
}

export async function loadModel(modelDir: string, logger: Logger): Promise<TopicModel> {
  return TopicModel.load(modelDir, { onWarning: (message) => logger.warn(message) });
}

/**
 * Fails before any work when the output folder is the input (or holds it) or exists without --force.
 * `otherInputs`: what else the verb reads (add's corpus, merge-models' second model).
 */
export function checkOperationOutput(
  modelDir: string,
  flags: OperationFlags,
  logger?: Logger,
  otherInputs: readonly (string | undefined)[] = [],
): void {
  if (resolve(modelDir) === resolve(flags.output)) {
    throw new UserError(`-o ${flags.output} is the input model folder; write the result to a new folder`);
  }
  checkModelOutput(flags.output, { inputs: [modelDir, ...otherInputs], force: flags.force, logger });
}

// The 2-D documents-map layout depends only on the embeddings, which operations do not change.
const REUSABLE_FILES = [OUTPUT_FILES.layout2d];

export async function saveOperationResult(
  model: TopicModel,
  modelDir: string,
  flags: OperationFlags,
  logger: Logger,
): Promise<void> {
  await saveModelWithReports(model, flags.output, {
    force: flags.force,
    reports: flags.report,
    alsoWrite: (dir) => {
      for (const name of REUSABLE_FILES)
        if (existsSync(join(modelDir, name))) copyFileSync(join(modelDir, name), join(dir, name));
    },
  });
  printTopics(model, logger);
  process.stdout.write(`${resolve(flags.output)}\n`);
}

export function printTopics(model: TopicModel, logger: Logger, limit = 15): void {
  const real = model.topics.filter((t) => t.id >= 0);
  const outliers = model.topic(-1)?.size ?? 0;
  logger.info(`${real.length} topics, ${outliers} outliers:`);
  for (const topic of real.slice(0, limit)) {
    const name =
      topic.customLabel ??
      topic.zeroShotName ??
      topic.words
        .slice(0, 6)
        .map((w) => w.word)
        .join(", ");
    logger.info(`  ${String(topic.id).padStart(3)}  ${String(topic.size).padStart(5)}  ${name}`);
  }
  if (real.length > limit) logger.info(`  … and ${real.length - limit} more`);
}

/**
 * Writes a per-bin or per-class table as JSON to `out` and prints it: the JSON with --json, else one
 * tab-separated line per entry (`key` column first) with the entry's first five words.
 */
export function writeTopicTable<E extends { topic: number; frequency: number; words: readonly TopicTerm[] }>(
  result: { entries: readonly E[] },
  out: string,
  printJson: boolean,
  key: { header: string; value: (entry: E) => string },
): void {
  const json = `${JSON.stringify(result, null, 2)}\n`;
  writeFileAtomic(out, json);
  if (printJson) {
    process.stdout.write(json);
    return;
  }
  const lines = [`${key.header}\ttopic\tfrequency\twords`];
  for (const e of result.entries)
    lines.push(
      `${key.value(e)}\t${e.topic}\t${e.frequency}\t${e.words
        .slice(0, 5)
        .map((w) => w.word)
        .join(", ")}`,
    );
  process.stdout.write(`${escapeForTerminal(lines.join("\n"), { newlines: true, tabs: true })}\n`);
}
