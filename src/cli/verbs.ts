/**
 * Every CLI verb, in the order `--help` lists them. Each verb lives in src/cli/<verb>.ts and exports
 * `register(program)`; add yours to the list below (keep one import per verb).
 */
import type { Command } from "commander";

export type RegisterVerb = (program: Command) => void;

// pipeline
import { register as demo } from "./demo.js";
import { register as fit } from "./fit.js";
// stages: embed / cache
// stages: neighbors / reduce
// stages: cluster
// topic operations
import { register as transform } from "./transform.js";
import { register as reduceTopics } from "./reduce-topics.js";
import { register as reduceOutliers } from "./reduce-outliers.js";
import { register as mergeTopics } from "./merge-topics.js";
import { register as hierarchy } from "./hierarchy.js";
import { register as overTime } from "./over-time.js";
import { register as perClass } from "./per-class.js";
import { register as search } from "./search.js";
// outputs: report / visualize
import { register as report } from "./report.js";
import { register as visualize } from "./visualize.js";
// evaluation
import { register as evaluate } from "./evaluate.js";

export const verbs: RegisterVerb[] = [
  // pipeline
  fit,
  demo,
  // stages: embed / cache
  // stages: neighbors / reduce
  // stages: cluster
  // topic operations
  transform,
  reduceTopics,
  reduceOutliers,
  mergeTopics,
  hierarchy,
  overTime,
  perClass,
  search,
  // outputs: report / visualize
  report,
  visualize,
  // evaluation
  evaluate,
];
