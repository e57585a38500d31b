/** `topicscope reduce-topics <model dir> --to N|auto -o <dir>`: fewer topics (BERTopic's reduce_topics). */
import { type Command, Option } from "commander";
import { REDUCE_METHODS, type ReduceMethod } from "../topics/model.js";
import { UserError } from "../util/errors.js";
import { addOperationOptions, type OperationFlags, operationAction } from "./model-operation.js";

interface ReduceTopicsFlags extends OperationFlags {
  to: number | "auto";
  method: ReduceMethod;
}

function parseTarget(value: string): number | "auto" {
  if (value === "auto") return "auto";
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UserError(`--to must be a number of topics ≥ 1 or 'auto', got '${value}'`);
  return n;
}

export function register(program: Command): void {
  const command = program
    .command("reduce-topics")
    .description(
      "merge similar topics: to N topics (the smallest into its nearest, or average linkage) or auto (HDBSCAN)",
    )
    .argument("<model>", "model folder written by fit")
    .requiredOption("--to <n|auto>", "number of topics to keep, or auto", parseTarget)
    .addOption(
      new Option(
        "--method <method>",
        "with --to N: merge-smallest (the smallest topic joins its nearest until N remain) or linkage (BERTopic's average linkage)",
      )
        .choices(REDUCE_METHODS)
        .default("merge-smallest"),
    );
  addOperationOptions(command);
  command.action(
    operationAction(async (model, flags: ReduceTopicsFlags, logger) => {
      const before = model.topics.filter((t) => t.id >= 0).length;
      await model.reduceTopics(flags.to, { method: flags.method });
      logger.info(`reduced ${before} topics to ${model.topics.filter((t) => t.id >= 0).length}`);
    }),
  );
}
