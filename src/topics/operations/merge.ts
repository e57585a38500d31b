/**
 * Merging and deleting topics. Both return a topic map (old id → old id it joins, -1 = outliers);
 * the model applies it to the documents and rebuilds the topics (c-TF-IDF, labels, embeddings).
 */
import { UserError } from "../../util/errors.js";

export type TopicMap = Map<number, number>;

function describeIds(ids: readonly number[]): string {
  const real = ids.filter((id) => id >= 0).sort((a, b) => a - b);
  if (real.length === 0) return "no topics";
  const contiguous = real.every((id, i) => id === real[0] + i);
  return contiguous && real.length > 2
    ? `topics ${real[0]}..${real[real.length - 1]}`
    : `topics ${real.join(", ")}`;
}

function checkTopic(id: number, existing: ReadonlySet<number>, what: string): void {
  if (!Number.isInteger(id)) throw new UserError(`${what}: '${id}' is not a topic id`);
  if (id === -1)
    throw new UserError(
      `${what}: topic -1 holds the outliers and cannot be ${what.startsWith("merge") ? "merged" : "deleted"}; use reduce-outliers`,
    );
  if (!existing.has(id))
    throw new UserError(`${what}: unknown topic id ${id}; the model has ${describeIds([...existing])}`);
}

/**
 * BERTopic's merge_topics: every topic of a group joins the group's first topic. Groups must hold
 * at least two known topics and must not share a topic.
 */
export function mergeTopicMap(
  existing: ReadonlySet<number>,
  groups: readonly (readonly number[])[],
): TopicMap {
  if (groups.length === 0)
    throw new UserError("merge: give at least one group of topics to merge, e.g. --merge 3,7");
  const map: TopicMap = new Map([...existing].map((id) => [id, id]));
  const seen = new Set<number>();
  for (const group of groups) {
    if (group.length < 2) throw new UserError(`merge: group [${group.join(", ")}] needs at least two topics`);
    for (const id of group) {
      checkTopic(id, existing, "merge");
      if (seen.has(id)) throw new UserError(`merge: topic ${id} appears in more than one group`);
      seen.add(id);
    }
    for (const id of group) map.set(id, group[0]);
  }
  return map;
}

/** BERTopic's delete_topics: the documents of deleted topics become outliers (-1). */
export function deleteTopicMap(existing: ReadonlySet<number>, ids: readonly number[]): TopicMap {
  if (ids.length === 0) throw new UserError("delete: give at least one topic id");
  for (const id of ids) checkTopic(id, existing, "delete");
  const deleted = new Set(ids);
  return new Map([...existing].map((id) => [id, deleted.has(id) ? -1 : id]));
}

/** Labels with every topic replaced by its target (ids missing from the map stay). */
export function applyTopicMap(labels: Int32Array, map: ReadonlyMap<number, number>): Int32Array {
  return labels.map((label) => map.get(label) ?? label);
}
