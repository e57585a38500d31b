/**
 * External clustering scores against reference labels, with scikit-learn's definitions and limit
 * cases: NMI with arithmetic-mean normalisation (normalized_mutual_info_score's default), adjusted Rand
 * index, homogeneity, completeness and V-measure (β = 1). Everything is computed from the sparse
 * contingency table, so 100k documents × hundreds of clusters cost one pass.
 */

export interface ClusteringScores {
  /** Documents scored. */
  n: number;
  nmi: number;
  ari: number;
  homogeneity: number;
  completeness: number;
  vMeasure: number;
}

interface Contingency {
  n: number;
  /** Row (true class) and column (cluster) totals. */
  classSizes: Float64Array;
  clusterSizes: Float64Array;
  /** Non-zero cells: class index, cluster index, count. */
  cellClass: Int32Array;
  cellCluster: Int32Array;
  cellCount: Float64Array;
}

function denseCodes(labels: ArrayLike<number>): { codes: Int32Array; size: number } {
  const map = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let code = map.get(labels[i]);
    if (code === undefined) {
      code = map.size;
      map.set(labels[i], code);
    }
    codes[i] = code;
  }
  return { codes, size: map.size };
}

function contingency(truth: ArrayLike<number>, predicted: ArrayLike<number>): Contingency {
  if (truth.length !== predicted.length) {
    throw new RangeError(
      `label arrays differ in length: ${truth.length} true labels, ${predicted.length} predicted`,
    );
  }
  const classes = denseCodes(truth);
  const clusters = denseCodes(predicted);
  const classSizes = new Float64Array(classes.size);
  const clusterSizes = new Float64Array(clusters.size);
  const cells = new Map<number, number>();
  for (let i = 0; i < truth.length; i++) {
    const c = classes.codes[i];
    const k = clusters.codes[i];
    classSizes[c]++;
    clusterSizes[k]++;
    const key = c * clusters.size + k;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  const cellClass = new Int32Array(cells.size);
  const cellCluster = new Int32Array(cells.size);
  const cellCount = new Float64Array(cells.size);
  let q = 0;
  for (const [key, count] of cells) {
    cellClass[q] = Math.floor(key / clusters.size);
    cellCluster[q] = key % clusters.size;
    cellCount[q] = count;
    q++;
  }
  return { n: truth.length, classSizes, clusterSizes, cellClass, cellCluster, cellCount };
}

/** Shannon entropy (nats) of a labelling given its group sizes; sklearn's `entropy`. */
function entropy(sizes: Float64Array, n: number): number {
  if (n === 0) return 1;
  if (sizes.length === 1) return 0;
  const logN = Math.log(n);
  let h = 0;
  for (const size of sizes) if (size > 0) h -= (size / n) * (Math.log(size) - logN);
  return h;
}

/** Mutual information (nats), term by term as sklearn's mutual_info_score. */
function mutualInformation(table: Contingency): number {
  if (table.classSizes.length === 1 || table.clusterSizes.length === 1) return 0;
  const n = table.n;
  const logN = Math.log(n);
  let mi = 0;
  for (let q = 0; q < table.cellCount.length; q++) {
    const count = table.cellCount[q];
    const share = count / n;
    const outer = table.classSizes[table.cellClass[q]] * table.clusterSizes[table.cellCluster[q]];
    const term = share * (Math.log(count) - logN) + share * (-Math.log(outer) + logN + logN);
    if (Math.abs(term) >= Number.EPSILON) mi += term;
  }
  return Math.max(mi, 0);
}

function nmiOf(table: Contingency): number {
  const classes = table.classSizes.length;
  const clusters = table.clusterSizes.length;
  if ((classes === 1 && clusters === 1) || (classes === 0 && clusters === 0)) return 1;
  const mi = mutualInformation(table);
  if (mi === 0) return 0;
  const normaliser = (entropy(table.classSizes, table.n) + entropy(table.clusterSizes, table.n)) / 2;
  return mi / normaliser;
}

function ariOf(table: Contingency): number {
  // Pair confusion matrix in exact integers (sklearn converts to Python ints for the same reason).
  const n = BigInt(table.n);
  let sumSquares = 0n;
  let withClusterSizes = 0n;
  let withClassSizes = 0n;
  for (let q = 0; q < table.cellCount.length; q++) {
    const count = BigInt(table.cellCount[q]);
    sumSquares += count * count;
    withClusterSizes += count * BigInt(table.clusterSizes[table.cellCluster[q]]);
    withClassSizes += count * BigInt(table.classSizes[table.cellClass[q]]);
  }
  const tp = sumSquares - n;
  const fp = withClusterSizes - sumSquares;
  const fn = withClassSizes - sumSquares;
  const tn = n * n - fp - fn - sumSquares;
  if (fn === 0n && fp === 0n) return 1;
  const numerator = 2n * (tp * tn - fn * fp);
  const denominator = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
  return Number(numerator) / Number(denominator);
}

function homogeneityCompleteness(table: Contingency): {
  homogeneity: number;
  completeness: number;
  vMeasure: number;
} {
  if (table.n === 0) return { homogeneity: 1, completeness: 1, vMeasure: 1 };
  const hClasses = entropy(table.classSizes, table.n);
  const hClusters = entropy(table.clusterSizes, table.n);
  const mi = mutualInformation(table);
  const homogeneity = hClasses ? mi / hClasses : 1;
  const completeness = hClusters ? mi / hClusters : 1;
  const vMeasure =
    homogeneity + completeness === 0 ? 0 : (2 * homogeneity * completeness) / (homogeneity + completeness);
  return { homogeneity, completeness, vMeasure };
}

/** All scores of `predicted` (cluster ids, any integers) against `truth` (class ids, any integers). */
export function clusteringScores(truth: ArrayLike<number>, predicted: ArrayLike<number>): ClusteringScores {
  const table = contingency(truth, predicted);
  return { n: table.n, nmi: nmiOf(table), ari: ariOf(table), ...homogeneityCompleteness(table) };
}

export function normalizedMutualInfo(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  return nmiOf(contingency(truth, predicted));
}

export function adjustedRandIndex(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  return ariOf(contingency(truth, predicted));
}

export interface TopicLabelScores {
  /** Outliers (topic -1) count as one more cluster. */
  all: ClusteringScores;
  /** Outliers left out; null when every document is an outlier. */
  nonOutliers: ClusteringScores | null;
  outliers: number;
}

/** Scores topics (-1 = outlier) against reference classes, over all documents and over non-outliers. */
export function scoreTopicsAgainstLabels(
  truth: ArrayLike<number>,
  topics: ArrayLike<number>,
): TopicLabelScores {
  const all = clusteringScores(truth, topics);
  const keptTruth: number[] = [];
  const keptTopics: number[] = [];
  for (let i = 0; i < topics.length; i++) {
    if (topics[i] === -1) continue;
    keptTruth.push(truth[i]);
    keptTopics.push(topics[i]);
  }
  return {
    all,
    nonOutliers: keptTopics.length > 0 ? clusteringScores(keptTruth, keptTopics) : null,
    outliers: topics.length - keptTopics.length,
  };
}

/**
 * Class names → dense class ids, in order of first appearance. Missing labels (undefined, null or
 * empty) get -1 and are counted, so the caller can leave those documents out and say how many.
 */
export function encodeLabels(labels: readonly (string | null | undefined)[]): {
  codes: Int32Array;
  classes: string[];
  missing: number;
} {
  const ids = new Map<string, number>();
  const codes = new Int32Array(labels.length);
  let missing = 0;
  labels.forEach((label, i) => {
    if (label === undefined || label === null || label === "") {
      codes[i] = -1;
      missing++;
      return;
    }
    let id = ids.get(label);
    if (id === undefined) {
      id = ids.size;
      ids.set(label, id);
    }
    codes[i] = id;
  });
  return { codes, classes: [...ids.keys()], missing };
}
