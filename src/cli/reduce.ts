/**
 * `topicscope reduce <emb.npy> -o reduced.npy`: UMAP (default, BERTopic's settings), PCA or identity on
 * a .npy matrix; writes a float32 .npy with one row per input row, in input order.
 */

import type { Command } from "commander";
import { Option } from "commander";
import { readMatrixNpy, writeMatrixNpy } from "../io/npy.js";
import { NEIGHBOR_METHODS, type NeighborMethod } from "../neighbors/types.js";
import { createReducer, defaultReducerOptions } from "../reduce/index.js";
import type { ReducerMethod, ReducerOptions } from "../reduce/types.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags, parseInteger, parseNumber } from "./command.js";

interface ReduceFlags {
  output: string;
  reducer: ReducerMethod;
  nComponents: number;
  nNeighbors: number;
  minDist: number;
  metric: ReducerOptions["metric"];
  seed: number;
  nEpochs?: number;
  init: "spectral" | "random";
  knn: NeighborMethod;
  layoutThreads: number;
}

export function register(program: Command): void {
  program
    .command("reduce")
    .description("reduce the rows of a .npy matrix to a few dimensions (UMAP by default, seeded)")
    .argument("<embeddings>", "NumPy .npy file: 2-D float32 or float64, C order")
    .requiredOption("-o, --output <file>", ".npy file to write (float32, rows × n-components)")
    .addOption(
      new Option("--reducer <name>", "reduction method").choices(["umap", "pca", "none"]).default("umap"),
    )
    .option(
      "--n-components <k>",
      "output dimensions",
      parseInteger("--n-components", 1),
      defaultReducerOptions.nComponents,
    )
    .option(
      "--n-neighbors <k>",
      "UMAP neighbourhood size (the point itself included)",
      parseInteger("--n-neighbors", 2),
      defaultReducerOptions.nNeighbors,
    )
    .option("--min-dist <d>", "UMAP min_dist", parseNumber("--min-dist", 0), defaultReducerOptions.minDist)
    .addOption(
      new Option("--metric <metric>", "distance between input rows")
        .choices(["cosine", "euclidean"])
        .default("cosine"),
    )
    .option(
      "--seed <n>",
      "random seed (same seed, same output)",
      parseInteger("--seed"),
      defaultReducerOptions.seed,
    )
    .option(
      "--n-epochs <n>",
      "UMAP epochs (default: 500 below 10,000 rows, else 200, as umap-learn)",
      parseInteger("--n-epochs", 1),
    )
    .addOption(
      new Option("--init <how>", "UMAP initial layout").choices(["spectral", "random"]).default("spectral"),
    )
    .addOption(
      new Option(
        "--knn <method>",
        "UMAP neighbour search (auto: exact or NN-descent, whichever is estimated cheaper for these rows and dimensions)",
      )
        .choices(NEIGHBOR_METHODS)
        .default("auto"),
    )
    .option(
      "--layout-threads <n>",
      "UMAP layout threads: 1 = seeded and reproducible (default); 2+ = faster on idle cores, different on every run",
      parseInteger("--layout-threads", 1),
      1,
    )
    .action(
      action(async (input: string, flags: ReduceFlags, cmd: Command) => {
        const logger = createLogger(globalFlags(cmd).quiet === true);
        const data = readMatrixNpy(input);
        const reducer = createReducer({
          method: flags.reducer,
          nComponents: flags.nComponents,
          nNeighbors: flags.nNeighbors,
          minDist: flags.minDist,
          metric: flags.metric,
          seed: flags.seed,
          logger,
          nEpochs: flags.nEpochs,
          init: flags.init,
          layoutThreads: flags.layoutThreads,
          neighbors: { method: flags.knn },
        });
        const started = performance.now();
        let lastPercent = -1;
        const reduced = await reducer.fit(data, {
          onProgress: logger.quiet
            ? undefined
            : (done, total) => {
                const percent = Math.floor((100 * done) / total);
                if (percent >= lastPercent + 10 || done === total) {
                  lastPercent = percent;
                  logger.info(`reduce: ${percent}%`);
                }
              },
        });
        writeMatrixNpy(flags.output, reduced);
        logger.info(
          `reduce: ${data.rows} × ${data.cols} → ${reduced.rows} × ${reduced.cols} (${flags.reducer}) in ${((performance.now() - started) / 1000).toFixed(1)} s → ${flags.output}`,
        );
      }),
    );
}
