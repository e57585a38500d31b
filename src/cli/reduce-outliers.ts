/** `topicscope reduce-outliers <model dir> --strategy … [--threshold t] -o <dir>` (BERTopic's reduce_outliers). */
import { type Command, Option } from "commander";
import { OUTLIER_STRATEGIES, type OutlierStrategy } from "../topics/outliers.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags, parseNumber } from "./command.js";
import {
  addOperationOptions,
  checkOperationOutput,
  loadModel,
  type OperationFlags,
  saveOperationResult,
} from "./model-operation.js";

interface OutlierFlags extends OperationFlags {
  strategy: OutlierStrategy;
  threshold: number;
}

export function register(program: Command): void {
  const command = program
    .command("reduce-outliers")
    .description(
      "move outlier documents (topic -1) to their best-matching topic; other documents keep theirs",
    )
    .argument("<model>", "model folder written by fit")
    .addOption(
      new Option("--strategy <name>", "how to score outliers against topics")
        .choices([...OUTLIER_STRATEGIES])
        .default("distributions"),
    )
    .option(
      "--threshold <t>",
      "minimum similarity (probability for 'probabilities') an outlier needs to move",
      parseNumber("--threshold"),
      0,
    );
  addOperationOptions(command);
  command.action(
    action(async (modelDir: string, flags: OutlierFlags, cmd: Command) => {
      const logger = createLogger(globalFlags(cmd).quiet === true);
      checkOperationOutput(modelDir, flags);
      const model = await loadModel(modelDir, logger);
      const { reassigned, remaining } = await model.reduceOutliers(flags.strategy, {
        threshold: flags.threshold,
      });
      logger.info(
        `${reassigned} outliers moved to a topic (${flags.strategy}, threshold ${flags.threshold}); ${remaining} remain`,
      );
      await saveOperationResult(model, modelDir, flags, logger);
    }),
  );
}
