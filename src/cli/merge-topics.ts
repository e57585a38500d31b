/** `topicscope merge-topics <model dir> --merge 3,7 [--merge 4,9] -o <dir>` (and --delete). */
import type { Command } from "commander";
import { UserError } from "../util/errors.js";
import { addOperationOptions, type OperationFlags, operationAction } from "./model-operation.js";

interface MergeFlags extends OperationFlags {
  merge: number[][];
  delete: number[];
}

function parseIds(flag: string): (value: string) => number[] {
  return (value: string) =>
    value.split(",").map((part) => {
      const id = Number(part.trim());
      if (part.trim() === "" || !Number.isInteger(id))
        throw new UserError(`${flag} takes topic ids separated by commas (e.g. 3,7), got '${value}'`);
      return id;
    });
}

export function register(program: Command): void {
  const command = program
    .command("merge-topics")
    .description("merge groups of topics into one (each group joins its first topic), or delete topics")
    .argument("<model>", "model folder written by fit")
    .option(
      "--merge <ids>",
      "topics to merge, e.g. 3,7 (repeat for more groups)",
      (v: string, all: number[][]) => [...all, parseIds("--merge")(v)],
      [],
    )
    .option(
      "--delete <ids>",
      "topics whose documents become outliers, e.g. 5,8",
      (v: string, all: number[]) => [...all, ...parseIds("--delete")(v)],
      [],
    );
  addOperationOptions(command);
  command.action(
    operationAction(
      async (model, flags: MergeFlags) => {
        if (flags.merge.length > 0) await model.mergeTopics(flags.merge);
        else await model.deleteTopics(flags.delete);
      },
      (flags) => {
        if (flags.merge.length === 0 && flags.delete.length === 0) {
          throw new UserError("give --merge <ids> (e.g. --merge 3,7) and/or --delete <ids>");
        }
        // Either renumbers the topics, so the ids of the other would no longer mean what the user read.
        if (flags.merge.length > 0 && flags.delete.length > 0) {
          throw new UserError(
            "give --merge or --delete, not both: each renumbers the topics; run them one after the other",
          );
        }
      },
    ),
  );
}
