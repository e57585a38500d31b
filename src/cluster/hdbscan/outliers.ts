/**
 * GLOSH outlier scores (Campello et al. 2015, eq. 8) as the scikit-learn-contrib hdbscan package
 * computes them since its fix of issue #628 (PR #697): score(x) = (λmax(C) − λ(x)) / λmax(C), where C
 * is the cluster x falls out of, λ(x) the lambda at which it does, and λmax(C) the largest lambda
 * reached anywhere in C's subtree. 0 when λmax is 0 or λ(x) is infinite (exact duplicates).
 * With R's definitions (`reference` "r"), λmax is taken over the leaf clusters only, as R does.
 */
import type { CondensedTree, PointDeparture } from "./condense.js";
import type { ClusterHierarchy } from "./select.js";

export function outlierScores(
  tree: CondensedTree,
  h: ClusterHierarchy,
  reference: PointDeparture = "python",
): Float32Array {
  const n = tree.nPoints;
  const subtreeMax = reference === "r" ? leafMaxLambdas(h) : subtreeMaxLambdas(h);
  const scores = new Float32Array(n);
  for (let r = 0; r < tree.parent.length; r++) {
    const point = tree.child[r];
    if (point >= n) continue;
    const max = subtreeMax[tree.parent[r] - n];
    const l = tree.lambda[r];
    scores[point] = max === 0 || !Number.isFinite(l) ? 0 : (max - l) / max;
  }
  return scores;
}

/**
 * R's λmax: the largest death lambda among the leaf clusters below (a leaf: its own). With R's
 * condensed tree, points of small groups attached to an inner cluster can outlast every leaf, and R
 * does not count them.
 */
export function leafMaxLambdas(h: ClusterHierarchy): Float64Array {
  const result = new Float64Array(h.death.length);
  for (let c = result.length - 1; c >= 0; c--) {
    const a = h.firstChild[c];
    result[c] = a < 0 ? h.death[c] : Math.max(result[a], result[h.secondChild[c]]);
  }
  return result;
}

/** Largest lambda in each cluster's subtree (children have larger indices than parents). */
export function subtreeMaxLambdas(h: ClusterHierarchy): Float64Array {
  const result = Float64Array.from(h.death);
  for (let c = result.length - 1; c > 0; c--) {
    const p = h.parent[c];
    if (result[c] > result[p]) result[p] = result[c];
  }
  return result;
}
