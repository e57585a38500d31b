/**
 * Soft clustering: for every training point, the probability of belonging to each selected cluster,
 * as hdbscan's `prediction.all_points_membership_vectors`. It multiplies
 *  - a distance part: 1 / (distance to the cluster's nearest exemplar), normalised over clusters
 *    (exemplars: the points that stay longest in each leaf cluster under the selected cluster);
 *  - an outlier part: softmax over clusters of exp(−λmax(C_x) / merge height), where the merge height is
 *    the lambda at which the point's cluster and the target cluster join in the condensed tree;
 * renormalises, and scales by the probability that the point is in some cluster at all
 * (its largest merge height / the corresponding cluster's max lambda). Rows therefore sum to ≤ 1.
 *
 * Where the package would produce NaN (exact duplicates give λ = ∞, and ∞/∞), we define the value:
 * the in-some-cluster factor is 1 and a row whose parts are all zero stays zero.
 */
import type { Matrix } from "../../types.js";
import type { HdbscanModel } from "./index.js";
import { baseDistance, toUserDistance } from "./points.js";
import { pointPlacement } from "./predict.js";

/** Points that stay longest in the leaf clusters below each selected cluster (row indices). */
export function clusterExemplars(model: HdbscanModel): Int32Array[] {
  const tree = model.condensedTree;
  const h = model.hierarchy;
  const n = tree.nPoints;
  const leafOwner = new Int32Array(tree.clusterCount).fill(-1);
  model.selectedClusters.forEach((id, label) => {
    const stack = [id - n];
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (h.firstChild[c] < 0) leafOwner[c] = label;
      else stack.push(h.firstChild[c], h.secondChild[c]);
    }
  });
  const lists: number[][] =
    model.selectedClusters.length > 0 ? Array.from(model.selectedClusters, () => []) : [];
  for (let r = 0; r < tree.parent.length; r++) {
    const p = tree.child[r];
    if (p >= n) continue;
    const c = tree.parent[r] - n;
    const owner = leafOwner[c];
    if (owner >= 0 && tree.lambda[r] === h.death[c]) lists[owner].push(p);
  }
  return lists.map((list) => Int32Array.from(list));
}

/**
 * Lambda at which the point's cluster `pointCluster` meets each selected cluster (hdbscan's
 * `merge_height`): the point's own lambda when one contains the other, else the birth lambda of the
 * two branches below their lowest common ancestor.
 */
function mergeHeights(
  model: HdbscanModel,
  pointCluster: number,
  pointLambda: number,
  out: Float64Array,
): void {
  const h = model.hierarchy;
  const n = model.condensedTree.nPoints;
  for (let j = 0; j < model.selectedClusters.length; j++) {
    let a = pointCluster;
    let b = model.selectedClusters[j] - n;
    let tookA = false;
    let tookB = false;
    let last = -1;
    while (a !== b) {
      if (a > b) {
        tookA = true;
        last = a;
        a = h.parent[a];
      } else {
        tookB = true;
        last = b;
        b = h.parent[b];
      }
    }
    out[j] = tookA && tookB ? h.birth[last] : pointLambda;
  }
}

/** n × (number of clusters) membership probabilities; column j is label j. */
export function membershipVectors(model: HdbscanModel): Matrix {
  const n = model.condensedTree.nPoints;
  const k = model.selectedClusters.length;
  const result = new Float64Array(n * k);
  if (k === 0) return { data: new Float32Array(0), rows: n, cols: 0 };
  const { points } = model;
  const exemplars = clusterExemplars(model);
  const placement = pointPlacement(model);
  const h = model.hierarchy;
  const heights = new Float64Array(k);
  const outlierScores = new Float64Array(n * k);
  const inSomeCluster = new Float64Array(n);
  let globalMax = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < n; p++) {
    // Distance part.
    let sum = 0;
    for (let j = 0; j < k; j++) {
      let min = Number.MAX_VALUE;
      for (const e of exemplars[j]) {
        const d = baseDistance(points.data, p, points.data, e, points.cols, points.base);
        if (d < min) min = d;
      }
      const d = toUserDistance(points.metric, min);
      const v = d !== 0 ? 1 / d : Number.MAX_VALUE / k;
      result[p * k + j] = v;
      sum += v;
    }
    for (let j = 0; j < k; j++) result[p * k + j] /= sum;
    // Outlier part (before the softmax) and the in-some-cluster factor.
    const c = placement.cluster[p];
    const lambda = placement.lambda[p];
    mergeHeights(model, c, lambda, heights);
    const maxLambda = h.death[c] + 1e-8;
    let top = 0;
    for (let j = 0; j < k; j++) {
      const s = Math.exp(-(maxLambda / heights[j]));
      outlierScores[p * k + j] = s;
      if (s > globalMax) globalMax = s;
      if (heights[j] > heights[top]) top = j;
    }
    const denominator = Math.max(h.death[model.selectedClusters[top] - n], lambda);
    const ratio = heights[top] / denominator;
    inSomeCluster[p] = Number.isNaN(ratio) ? 1 : ratio;
  }
  const data = new Float32Array(n * k);
  for (let p = 0; p < n; p++) {
    let outlierSum = 0;
    for (let j = 0; j < k; j++) {
      const v = Math.exp(outlierScores[p * k + j] - globalMax);
      outlierScores[p * k + j] = v;
      outlierSum += v;
    }
    let rowSum = 0;
    for (let j = 0; j < k; j++) {
      const v = result[p * k + j] * (outlierScores[p * k + j] / outlierSum);
      result[p * k + j] = v;
      rowSum += v;
    }
    for (let j = 0; j < k; j++) {
      data[p * k + j] = rowSum > 0 ? (result[p * k + j] / rowSum) * inSomeCluster[p] : 0;
    }
  }
  return { data, rows: n, cols: k };
}
