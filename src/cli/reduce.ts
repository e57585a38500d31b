/**
 * `topicscope reduce <emb.npy> -o reduced.npy`: UMAP (default, BERTopic's settings), PCA or identity on
 * a .npy matrix; writes a float32 .npy with one row per input row, in input order.
 */

import type { Command } from "commander";
import { Option } from "commander";
import { readMatrixNpy, writeMatrixNpy } from "../io/npy.js";
import { KNN_METHODS, type NeighborMethod } from "../neighbors/index.js";
import {
  createReducer,
  REDUCER_DESCRIPTIONS,
  REDUCER_METHODS,
  REDUCER_METRICS,
  type ReducerMethod,
  type ReducerMetric,
  UMAP_INITS,
  type UmapInit,
} from "../reduce/index.js";
import { DEFAULT_PARAMETERS } from "../topics/parameters.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags, parseInteger, parseNumber } from "./command.js";
import { addForceOption, checkFileOutput } from "./output.js";

const D = { ...DEFAULT_PARAMETERS.reduce, seed: DEFAULT_PARAMETERS.seed };

interface ReduceFlags {
  output: string;
  reducer: ReducerMethod;
  nComponents: number;
  nNeighbors: number;
  minDist: number;
  metric: ReducerMetric;
  seed: number;
  nEpochs?: number;
  init: UmapInit;
  knn: NeighborMethod;
  layoutBlocks?: number;
  layoutThreads?: number;
  force: boolean;
}

export function register(program: Command): void {
  const command = program
    .command("reduce")
    .description("reduce the rows of a .npy matrix to a few dimensions (UMAP by default, seeded)")
    .argument("<embeddings>", "NumPy .npy file: 2-D float32 or float64, C order")
    .requiredOption("-o, --output <file>", ".npy file to write (float32, rows × n-components)")
    .addOption(
      new Option(
        "--reducer <name>",
        `reduction method (${Object.entries(REDUCER_DESCRIPTIONS)
          .map(([name, what]) => `${name}: ${what}`)
          .join("; ")})`,
      )
        .choices(REDUCER_METHODS)
        .default(D.method),
    )
    .option("--n-components <k>", "output dimensions", parseInteger("--n-components", 1), D.nComponents)
    .option(
      "--n-neighbors <k>",
      "UMAP neighbourhood size (the point itself included)",
      parseInteger("--n-neighbors", 2),
      D.nNeighbors,
    )
    .option("--min-dist <d>", "UMAP min_dist", parseNumber("--min-dist", 0), D.minDist)
    .addOption(
      new Option("--metric <metric>", "distance between input rows")
        .choices(REDUCER_METRICS)
        .default(D.metric),
    )
    .option("--seed <n>", "random seed (same seed, same output)", parseInteger("--seed"), D.seed)
    .option(
      "--n-epochs <n>",
      "UMAP epochs (default: 500 up to 10,000 rows, else 100 from the spectral start; umap-learn: 500 / 200)",
      parseInteger("--n-epochs", 1),
    )
    .addOption(new Option("--init <how>", "UMAP initial layout").choices(UMAP_INITS).default(UMAP_INITS[0]))
    .addOption(
      new Option(
        "--knn <method>",
        "UMAP neighbour search (auto: exact or NN-descent, whichever is estimated cheaper for these rows and dimensions)",
      )
        .choices(KNN_METHODS)
        .default("auto"),
    )
    .option(
      "--layout-blocks <n>",
      "UMAP layout blocks, each run by one thread at a time: 1 = umap-learn's sequential layout; default by size (2 from ~3e7 edge-epochs with spectral init). The layout depends on the seed and the blocks, not on the threads",
      parseInteger("--layout-blocks", 1),
    )
    .option(
      "--layout-threads <n>",
      "threads for the UMAP layout's blocks (default: one per block, up to the cores); speed only, same layout",
      parseInteger("--layout-threads", 1),
    );
  addForceOption(command).action(
    action(async (input: string, flags: ReduceFlags, cmd: Command) => {
      const logger = createLogger(globalFlags(cmd).quiet === true);
      checkFileOutput(flags.output, { inputs: [input], force: flags.force, logger });
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
        layoutBlocks: flags.layoutBlocks,
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
