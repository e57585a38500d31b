/**
 * `topicscope merge-models <a> <b> -o <dir> [--min-similarity 0.7]`: BERTopic's merge_models — the
 * topics of b that match none of a (cosine of topic embeddings) are appended to a.
 */
import type { Command } from "commander";
import { DEFAULT_MIN_SIMILARITY } from "../topics/lifecycle/grow.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags, parseNumber } from "./command.js";
import {
  addOperationOptions,
  checkOperationOutput,
  loadModel,
  type OperationFlags,
  saveOperationResult,
} from "./model-operation.js";

interface MergeModelsFlags extends OperationFlags {
  minSimilarity: number;
}

export function register(program: Command): void {
  const command = program
    .command("merge-models")
    .description(
      "merge two fitted models (BERTopic's merge_models): b's topics like none of a's are appended",
    )
    .argument("<a>", "base model folder (its documents keep their topics)")
    .argument("<b>", "model folder whose documents and new topics are added")
    .option(
      "--min-similarity <x>",
      "a topic of b at least this similar (cosine of topic embeddings) to one of a joins it",
      parseNumber("--min-similarity", -1),
      DEFAULT_MIN_SIMILARITY,
    );
  addOperationOptions(command);
  command.action(
    action(async (a: string, b: string, flags: MergeModelsFlags, cmd: Command) => {
      const logger = createLogger(globalFlags(cmd).quiet === true);
      checkOperationOutput(a, flags, logger, [b]);
      const base = await loadModel(a, logger);
      const other = await loadModel(b, logger);
      try {
        const result = await base.mergeModel(other, { minSimilarity: flags.minSimilarity });
        const joined = [...result.mapping].filter(
          ([from, to]) => from >= 0 && !result.newTopics.includes(to),
        );
        logger.info(
          `${result.added} documents of ${b}: ${joined.length} topics joined one of ${a}, ${result.newTopics.length} appended` +
            `${result.newTopics.length ? ` (${result.newTopics.join(", ")})` : ""}`,
        );
        await saveOperationResult(base, a, flags, logger);
      } finally {
        await base.dispose();
        await other.dispose();
      }
    }),
  );
}
