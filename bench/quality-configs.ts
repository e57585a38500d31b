/**
 * The configurations bench/quality.ts compares. Each is a set of TopicModel options and, optionally,
 * a step applied to the fitted model (an operation such as reduceTopics). No configuration may name
 * or test a corpus: the same rule must hold on corpora we have never seen.
 */

import type { TopicModel } from "../src/topics/model.js";
import type { DeepPartial } from "../src/topics/parameters.js";
import type { TopicModelParameters } from "../src/topics/types.js";

export interface ConfigContext {
  /** Number of reference classes, when the corpus is labelled. */
  classes: number | undefined;
}

export interface QualityConfig {
  name: string;
  /** One line for the legend under the table. */
  about: string;
  options?: DeepPartial<TopicModelParameters>;
  /** Runs after fit; its time counts in the row's seconds. */
  after?: (model: TopicModel, context: ConfigContext) => Promise<void>;
  /** Only on labelled corpora (e.g. reduction to the number of classes). */
  needsLabels?: boolean;
}

export const CONFIGS: QualityConfig[] = [
  {
    name: "default",
    about: "the defaults: UMAP 5-d → HDBSCAN(min_cluster_size 10) → c-TF-IDF",
  },
  {
    name: "default→k",
    about: "the default fit, then reduceTopics(k = number of classes)",
    needsLabels: true,
    after: async (model, { classes }) => {
      if (classes !== undefined && classes < model.topics.filter((t) => t.id >= 0).length)
        await model.reduceTopics(classes);
    },
  },
  {
    name: "no-numbers",
    about: "the default fit with digit-only tokens left out of topic words",
    options: { represent: { dropNumbers: true } },
  },
];

/** The configurations run when --configs is not given. */
export const DEFAULT_CONFIGS = ["default", "default→k"];

export function selectConfigs(names: readonly string[] | undefined): QualityConfig[] {
  if (!names) return CONFIGS.filter((c) => DEFAULT_CONFIGS.includes(c.name));
  return names.map((name) => {
    const config = CONFIGS.find((c) => c.name === name);
    if (!config)
      throw new Error(
        `unknown configuration '${name}'; choose from: ${CONFIGS.map((c) => c.name).join(" | ")}`,
      );
    return config;
  });
}
