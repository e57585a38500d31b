/**
 * Every CLI verb, in the order `--help` lists them. Each verb lives in src/cli/<verb>.ts and exports
 * `register(program)`. Verbs are imported lazily: a run loads only the verb it needs (the stages pull
 * in onnxruntime, vega, …), so `topicscope search` starts in a fraction of the time of loading all.
 */
import type { Command } from "commander";

export type RegisterVerb = (program: Command) => void;

type VerbModule = { register: RegisterVerb };

export const verbModules: Record<string, () => Promise<VerbModule>> = {
  fit: () => import("./fit.js"),
  demo: () => import("./demo.js"),
  embed: () => import("./embed.js"),
  cache: () => import("./cache.js"),
  neighbors: () => import("./neighbors.js"),
  reduce: () => import("./reduce.js"),
  cluster: () => import("./cluster.js"),
  transform: () => import("./transform.js"),
  "reduce-topics": () => import("./reduce-topics.js"),
  "reduce-outliers": () => import("./reduce-outliers.js"),
  "merge-topics": () => import("./merge-topics.js"),
  add: () => import("./add.js"),
  "merge-models": () => import("./merge-models.js"),
  hierarchy: () => import("./hierarchy.js"),
  "over-time": () => import("./over-time.js"),
  "per-class": () => import("./per-class.js"),
  search: () => import("./search.js"),
  rerank: () => import("./rerank.js"),
  train: () => import("./train.js"),
  pairs: () => import("./pairs.js"),
  communities: () => import("./communities.js"),
  "evaluate-pairs": () => import("./evaluate-pairs.js"),
  index: () => import("./index-corpus.js"),
  store: () => import("./store.js"),
  report: () => import("./report.js"),
  visualize: () => import("./visualize.js"),
  evaluate: () => import("./evaluate.js"),
};

/** The verbs to register for these arguments: the one named, or all (for --help and unknown verbs). */
export async function loadVerbs(argv: readonly string[]): Promise<RegisterVerb[]> {
  const named = argv.find((arg) => !arg.startsWith("-"));
  // `topicscope --version` needs no verb
  if (named === undefined && argv.some((arg) => arg === "-V" || arg === "--version")) return [];
  const names = named !== undefined && named in verbModules ? [named] : Object.keys(verbModules);
  const modules = await Promise.all(names.map((name) => verbModules[name]()));
  return modules.map((m) => m.register);
}
