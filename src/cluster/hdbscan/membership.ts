/**
 * Membership strength of each point in its cluster (hdbscan's `get_probabilities`): λ(x) / λmax(C),
 * clipped to 1, where C is the selected cluster and λmax(C) the largest lambda among C's own rows.
 *
 * Soft clustering (`membershipVectors`) lives in soft.ts.
 */
import type { CondensedTree } from "./condense.js";
import type { ClusterHierarchy, Selection } from "./select.js";

export function membershipProbabilities(
  tree: CondensedTree,
  h: ClusterHierarchy,
  selection: Selection,
): Float32Array {
  const n = tree.nPoints;
  const probabilities = new Float32Array(n);
  for (let r = 0; r < tree.parent.length; r++) {
    const point = tree.child[r];
    if (point >= n) continue;
    const label = selection.labels[point];
    if (label < 0) continue;
    const max = h.death[selection.selected[label] - n];
    const l = tree.lambda[r];
    probabilities[point] = max === 0 || !Number.isFinite(l) ? 1 : Math.min(l, max) / max;
  }
  return probabilities;
}
