/** `topicscope reduce-outliers <model dir> --strategy … [--threshold t] -o <dir>` (BERTopic's reduce_outliers). */
import { type Command, Option } from "commander";
import { OUTLIER_STRATEGIES, type OutlierStrategy } from "../topics/operations/outliers.js";
import { parseNumber } from "./command.js";
import { addOperationOptions, type OperationFlags, operationAction } from "./model-operation.js";

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
    operationAction(async (model, flags: OutlierFlags, logger) => {
      const { reassigned, remaining } = await model.reduceOutliers(flags.strategy, {
        threshold: flags.threshold,
      });
      logger.info(
        `${reassigned} outliers moved to a topic (${flags.strategy}, threshold ${flags.threshold}); ${remaining} remain`,
      );
    }),
  );
}
