/** Custom topic labels (BERTopic's set_topic_labels), kept on the topics themselves. */
import { UserError } from "../../util/errors.js";
import type { Topic } from "../types.js";

/** Sets a label per topic id; an empty string removes one. Unknown ids fail before anything changes. */
export function setCustomLabels(
  topics: Topic[],
  labels: ReadonlyMap<number, string> | Record<number, string>,
): void {
  const entries =
    labels instanceof Map ? [...labels] : Object.entries(labels).map(([k, v]) => [Number(k), v] as const);
  for (const [id] of entries) checkTopicId(topics, id, "set label");
  for (const [id, label] of entries) {
    const topic = topics.find((t) => t.id === id)!;
    if (label.trim() === "") delete topic.customLabel;
    else topic.customLabel = label.trim();
  }
}

function checkTopicId(topics: readonly Topic[], id: number, what: string): void {
  if (!topics.some((t) => t.id === id)) {
    const real = topics.filter((t) => t.id >= 0).length;
    throw new UserError(
      `${what}: unknown topic id ${id}; the model has topics 0..${real - 1}${topics.some((t) => t.id === -1) ? " and -1" : ""}`,
    );
  }
}

/** Custom labels by topic id, where set. */
export function customLabels(topics: readonly Topic[]): Map<number, string> {
  return new Map(topics.filter((t) => t.customLabel).map((t) => [t.id, t.customLabel!]));
}
