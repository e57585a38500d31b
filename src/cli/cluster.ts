/**
 * `topicscope cluster <points.npy> -o clusters.json`: cluster a matrix (NumPy .npy, float32 or float64,
 * C order) and write {"labels", "probabilities", "outlierScores"} in input order.
 */
import type { Command } from "commander";
import { Option } from "commander";
import type { HdbscanModel } from "../cluster/hdbscan/index.js";
import { checkMatrix } from "../cluster/hdbscan/points.js";
import {
  CLUSTER_METRICS,
  CLUSTER_SELECTIONS,
  CLUSTERER_METHODS,
  type ClustererMethod,
  type ClustererOptions,
  type ClusterMetric,
  type ClusterSelection,
  createClusterer,
  DEFAULT_CLUSTERER_OPTIONS,
  HDBSCAN_REFERENCES,
  isHdbscanClusterer,
} from "../cluster/index.js";
import { writeFileAtomic } from "../io/atomic.js";
import { readMatrixNpy } from "../io/npy.js";
import { DEFAULT_PARAMETERS } from "../topics/parameters.js";
import { UserError } from "../util/errors.js";
import { createLogger } from "../util/log.js";
import { action, globalFlags, parseInteger, parseNumber } from "./command.js";
import { addForceOption, checkFileOutput } from "./output.js";

interface ClusterFlags {
  output: string;
  clusterer: ClustererMethod;
  minClusterSize: number;
  minSamples?: number;
  selection: ClusterSelection;
  epsilon: number;
  metric: ClusterMetric;
  allowSingleCluster: boolean;
  maxClusterSize: number;
  membership: boolean;
  match: "python" | "r";
  trees?: string;
  eps?: number;
  nClusters?: number;
  seed: number;
  force: boolean;
}

const D = DEFAULT_PARAMETERS.cluster;

export function register(program: Command): void {
  const command = program
    .command("cluster")
    .description("cluster the rows of a .npy matrix (HDBSCAN by default) and write labels as JSON")
    .argument("<points>", "NumPy .npy file: 2-D float32 or float64, C order")
    .requiredOption("-o, --output <file>", "JSON file to write ('-' for stdout)")
    .addOption(
      new Option("--clusterer <name>", "clustering algorithm").choices(CLUSTERER_METHODS).default(D.method),
    )
    .option(
      "--min-cluster-size <n>",
      "HDBSCAN: smallest cluster",
      parseInteger("--min-cluster-size", 2),
      D.minClusterSize,
    )
    .option(
      "--min-samples <k>",
      "neighbours (point included) that make a point core; HDBSCAN default = min cluster size, DBSCAN/OPTICS minPts",
      parseInteger("--min-samples", 1),
    )
    .addOption(
      new Option("--selection <method>", "HDBSCAN cluster selection")
        .choices(CLUSTER_SELECTIONS)
        .default(D.selection),
    )
    .option(
      "--epsilon <e>",
      "HDBSCAN cluster_selection_epsilon (distance)",
      parseNumber("--epsilon", 0),
      D.epsilon,
    )
    .addOption(new Option("--metric <metric>", "distance").choices(CLUSTER_METRICS).default(D.metric))
    .option(
      "--allow-single-cluster",
      "HDBSCAN: allow the whole set to be one cluster",
      DEFAULT_CLUSTERER_OPTIONS.allowSingleCluster,
    )
    .option(
      "--max-cluster-size <n>",
      "HDBSCAN eom: largest cluster (0 = no limit)",
      parseInteger("--max-cluster-size", 0),
      DEFAULT_CLUSTERER_OPTIONS.maxClusterSize,
    )
    .option("--membership", "HDBSCAN: add soft-clustering membership vectors (rows × clusters)", false)
    .addOption(
      new Option(
        "--match <reference>",
        "HDBSCAN: follow the Python hdbscan package or R's dbscan::hdbscan where they differ",
      )
        .choices(HDBSCAN_REFERENCES)
        .default(HDBSCAN_REFERENCES[0]),
    )
    .option("--trees <file>", "HDBSCAN: also write the condensed and single-linkage trees (JSON) for plots")
    .option("--eps <radius>", "DBSCAN/OPTICS neighbourhood radius (default 0.5)", parseNumber("--eps", 0))
    .option("--n-clusters <k>", "k-means: number of clusters (default 8)", parseInteger("--n-clusters", 1))
    .option("--seed <n>", "random seed (k-means)", parseInteger("--seed"), DEFAULT_PARAMETERS.seed);
  addForceOption(command, "replace the output files if they exist").action(
    action((input: string, flags: ClusterFlags, cmd: Command) => {
      const logger = createLogger(globalFlags(cmd).quiet === true);
      if ((flags.membership || flags.trees) && flags.clusterer !== "hdbscan") {
        throw new UserError("--membership and --trees need --clusterer hdbscan");
      }
      checkFileOutput(flags.output, { inputs: [input], force: flags.force, logger });
      if (flags.trees) {
        checkFileOutput(flags.trees, {
          flag: "--trees",
          inputs: [input, flags.output],
          force: flags.force,
          logger,
        });
      }
      const points = readMatrixNpy(input);
      checkMatrix(points, input);
      const options: Partial<ClustererOptions> = {
        method: flags.clusterer,
        minClusterSize: flags.minClusterSize,
        minSamples: flags.minSamples,
        selection: flags.selection,
        epsilon: flags.epsilon,
        metric: flags.metric,
        allowSingleCluster: flags.allowSingleCluster,
        maxClusterSize: flags.maxClusterSize,
        matchReference: flags.match,
        eps: flags.eps,
        nClusters: flags.nClusters,
        seed: flags.seed,
      };
      const started = performance.now();
      const clusterer = createClusterer(options);
      const result = clusterer.fit(points);
      let membership: number[][] | undefined;
      if (flags.membership) {
        const v = clusterer.membership!();
        membership = Array.from({ length: v.rows }, (_, i) =>
          Array.from(v.data.subarray(i * v.cols, (i + 1) * v.cols), round),
        );
      }
      if (flags.trees && isHdbscanClusterer(clusterer))
        writeFileAtomic(flags.trees, `${JSON.stringify(treesJson(clusterer.model))}\n`);
      const seconds = (performance.now() - started) / 1000;
      const clusters = new Set(Array.from(result.labels).filter((l) => l >= 0)).size;
      const noise = result.labels.reduce((a, l) => a + (l < 0 ? 1 : 0), 0);
      logger.info(
        `${flags.clusterer}: ${points.rows} points → ${clusters} clusters, ${noise} noise (${((100 * noise) / Math.max(1, points.rows)).toFixed(1)}%) in ${seconds.toFixed(2)} s`,
      );
      const json = JSON.stringify({
        labels: Array.from(result.labels),
        probabilities: Array.from(result.probabilities, round),
        outlierScores: Array.from(result.outlierScores, round),
        ...(membership ? { membershipVectors: membership } : {}),
      });
      if (flags.output === "-") process.stdout.write(`${json}\n`);
      else writeFileAtomic(flags.output, `${json}\n`);
    }),
  );
}

/**
 * Both trees as columns. Condensed tree: clusters are numbered from n (the root) up, children below
 * n are points; lambda = 1 / distance (null for infinity, i.e. distance 0). Single-linkage tree: scipy
 * format, row i merges left[i] and right[i] into node n + i.
 */
function treesJson(model: HdbscanModel) {
  const c = model.condensedTree;
  const s = model.singleLinkageTree;
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    condensedTree: {
      parent: Array.from(c.parent),
      child: Array.from(c.child),
      lambda: Array.from(c.lambda, finite),
      childSize: Array.from(c.childSize),
      selectedClusters: Array.from(model.selectedClusters),
    },
    singleLinkageTree: {
      left: Array.from(s.left),
      right: Array.from(s.right),
      distance: Array.from(s.distance),
      size: Array.from(s.size),
    },
  };
}

/** Float32 values printed with the digits they carry, not float64 noise. */
function round(x: number): number {
  return Number(x.toPrecision(7));
}
