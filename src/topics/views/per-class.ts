/**
 * BERTopic's topics_per_class: for each class, every topic's frequency among the class's documents
 * and its words from the class's c-TF-IDF averaged with the topic's global c-TF-IDF.
 */
import type { TopicRepresentation } from "../../represent/index.js";
import { UserError } from "../../util/errors.js";
import type { TopicTerm } from "../types.js";
import { GlobalRows, GroupCounts, sliceCtfidf, topTerms } from "./local-ctfidf.js";

export interface TopicClassEntry {
  topic: number;
  className: string;
  frequency: number;
  words: TopicTerm[];
}

export interface TopicsPerClass {
  /** Classes in order of first appearance, with their document counts. */
  classes: { name: string; documents: number }[];
  entries: TopicClassEntry[];
  /** Documents without a class (left out). */
  unlabelled: number;
}

export function topicsPerClass(
  representation: TopicRepresentation,
  texts: readonly string[],
  labels: Int32Array,
  classes: readonly (string | undefined)[],
  options: {
    globalTuning?: boolean;
    topN?: number;
    /** Counts of the texts' groups (default: the joined texts tokenised; local-ctfidf.ts). */
    counts?: GroupCounts;
  } = {},
): TopicsPerClass {
  if (classes.length !== texts.length)
    throw new RangeError(`${classes.length} classes for ${texts.length} documents`);
  const members = new Map<string, number[]>();
  let unlabelled = 0;
  classes.forEach((c, i) => {
    if (c === undefined || c === "") {
      unlabelled++;
      return;
    }
    const list = members.get(c);
    if (list) list.push(i);
    else members.set(c, [i]);
  });
  if (members.size === 0) {
    throw new UserError(
      "no document has a class label; fit with --label-field <field> to use topics per class",
    );
  }
  const entries: TopicClassEntry[] = [];
  const global = (options.globalTuning ?? true) ? new GlobalRows(representation) : undefined;
  const counts = options.counts ?? new GroupCounts(representation, texts, undefined, undefined);
  for (const [name, docs] of members) {
    const slice = sliceCtfidf(counts, labels, docs, global);
    slice.topicIds.forEach((topic, t) => {
      entries.push({
        topic,
        className: name,
        frequency: slice.frequencies[t],
        words: topTerms(slice.weights[t], representation.vectorizer.vocabulary, options.topN ?? 10),
      });
    });
  }
  return {
    classes: [...members].map(([name, docs]) => ({ name, documents: docs.length })),
    entries,
    unlabelled,
  };
}
