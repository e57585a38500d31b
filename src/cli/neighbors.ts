/**
 * `topicscope neighbors <emb.npy> -k 15 -o knn.npy`: the k nearest neighbours of every row. Writes two
 * .npy files: <out> with int32 indices (rows × k) and <out minus .npy>.distances.npy with float32
 * distances; row i's first neighbour is i itself at distance 0.
 */

import type { Command } from "commander";
import { Option } from "commander";
import { readMatrixNpy, writeNpy } from "../io/npy.js";
import {
  chooseMethod,
  KNN_METHODS,
  knn,
  NEIGHBOR_METRICS,
  type NeighborMethod,
  type NeighborMetric,
} from "../neighbors/index.js";
import { DEFAULT_PARAMETERS } from "../topics/parameters.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags, parseInteger } from "./command.js";
import { addForceOption, checkFileOutput } from "./output.js";

interface NeighborsFlags {
  k: number;
  output: string;
  metric: NeighborMetric;
  method: NeighborMethod;
  hnswThreshold?: number;
  ef: number;
  threads?: number;
  seed: number;
  force: boolean;
}

export function distancesPath(indicesPath: string): string {
  return `${indicesPath.replace(/\.npy$/i, "")}.distances.npy`;
}

export function register(program: Command): void {
  const command = program
    .command("neighbors")
    .description("k nearest neighbours of every row of a .npy matrix")
    .argument("<embeddings>", "NumPy .npy file: 2-D float32 or float64, C order")
    .requiredOption(
      "-o, --output <file>",
      "int32 .npy of neighbour indices (rows × k); distances go to <file without .npy>.distances.npy (float32). Row i lists i itself first (distance 0)",
    )
    .option(
      "-k, --k <k>",
      "neighbours per row, the row itself included",
      parseInteger("-k", 1),
      DEFAULT_PARAMETERS.reduce.nNeighbors,
    )
    .addOption(
      new Option("--metric <metric>", "distance: cosine = 1 − cos, euclidean = L2")
        .choices(NEIGHBOR_METRICS)
        .default("cosine"),
    )
    .addOption(
      new Option(
        "--method <method>",
        "exact (matrix products), nndescent or hnsw (approximate), or auto (exact or NN-descent, whichever is estimated cheaper for these rows and dimensions)",
      )
        .choices(KNN_METHODS)
        .default("auto"),
    )
    .option(
      "--hnsw-threshold <n>",
      "legacy rule: auto picks hnsw from this many rows (instead of deciding by cost)",
      parseInteger("--hnsw-threshold", 1),
    )
    .option(
      "--threads <n>",
      "threads for exact search and NN-descent (default: all cores / 2 workers); NN-descent's graph is the same for any number",
      parseInteger("--threads", 0),
    )
    .option("--ef <n>", "HNSW search list size (higher: better recall, slower)", parseInteger("--ef", 1), 64)
    .option(
      "--seed <n>",
      "random seed (NN-descent trees and sampling, HNSW levels)",
      parseInteger("--seed"),
      DEFAULT_PARAMETERS.seed,
    );
  addForceOption(command, "replace the output files if they exist").action(
    action(async (input: string, flags: NeighborsFlags, cmd: Command) => {
      const logger = createLogger(globalFlags(cmd).quiet === true);
      checkFileOutput(flags.output, { inputs: [input], force: flags.force, logger });
      checkFileOutput(distancesPath(flags.output), {
        inputs: [input, flags.output],
        force: flags.force,
        logger,
      });
      const data = readMatrixNpy(input);
      const started = performance.now();
      const options = {
        metric: flags.metric,
        method: flags.method,
        hnswThreshold: flags.hnswThreshold,
        hnswEf: flags.ef,
        threads: flags.threads,
        seed: flags.seed,
        logger,
      };
      const method = chooseMethod(data.rows, options, data.cols);
      const result = await knn(data, flags.k, options);
      writeNpy(flags.output, result.indices, [data.rows, result.k]);
      writeNpy(distancesPath(flags.output), result.distances, [data.rows, result.k]);
      logger.info(
        `neighbors: ${data.rows} rows, k = ${result.k}, ${flags.metric}, ${method} in ${((performance.now() - started) / 1000).toFixed(1)} s → ${flags.output}, ${distancesPath(flags.output)}`,
      );
    }),
  );
}
