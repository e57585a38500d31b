/** `topicscope reduce-topics <model dir> --to N|auto -o <dir>`: fewer topics (BERTopic's reduce_topics). */
import type { Command } from "commander";
import { UserError } from "../util/errors.js";
import { addOperationOptions, type OperationFlags, operationAction } from "./model-operation.js";

interface ReduceTopicsFlags extends OperationFlags {
  to: number | "auto";
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
      "merge similar topics: to N topics (agglomerative, topic-embedding cosine) or auto (HDBSCAN)",
    )
    .argument("<model>", "model folder written by fit")
    .requiredOption("--to <n|auto>", "number of topics to keep, or auto", parseTarget);
  addOperationOptions(command);
  command.action(
    operationAction(async (model, flags: ReduceTopicsFlags, logger) => {
      const before = model.topics.filter((t) => t.id >= 0).length;
      await model.reduceTopics(flags.to);
      logger.info(`reduced ${before} topics to ${model.topics.filter((t) => t.id >= 0).length}`);
    }),
  );
}
