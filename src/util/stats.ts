/**
 * Statistics several evaluators share, written to give scipy's and scikit-learn's numbers: ranks with
 * ties averaged (`scipy.stats.rankdata`), Pearson and Spearman correlation (`pearsonr`, `spearmanr`),
 * average precision (`sklearn.metrics.average_precision_score`) and the Matthews correlation
 * (`matthews_corrcoef`) of binary labels. All in float64.
 */

type Numbers = ArrayLike<number>;

/** 1-based ranks; tied values get the mean of the ranks they span (scipy's "average"). */
export function rankData(values: Numbers): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    // positions start..end-1 hold ranks start+1..end: their mean
    const rank = (start + 1 + end) / 2;
    for (let t = start; t < end; t++) ranks[order[t]] = rank;
    start = end;
  }
  return ranks;
}

function checkPaired(x: Numbers, y: Numbers, what: string): void {
  if (x.length !== y.length) throw new RangeError(`${what}: ${x.length} values against ${y.length}`);
}

/** Pearson's r; NaN when either side is constant (scipy warns and returns NaN too). */
export function pearson(x: Numbers, y: Numbers): number {
  checkPaired(x, y, "pearson");
  const n = x.length;
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Spearman's ρ: Pearson's r of the tie-averaged ranks. */
export function spearman(x: Numbers, y: Numbers): number {
  checkPaired(x, y, "spearman");
  return pearson(rankData(x), rankData(y));
}

/**
 * Average precision of scores for binary labels (1 = positive), as scikit-learn computes it: the sum
 * over distinct score thresholds, highest first, of (recall gained) × precision at that threshold.
 * Tied scores enter together. NaN without positives.
 */
export function averagePrecision(labels: Numbers, scores: Numbers): number {
  checkPaired(labels, scores, "averagePrecision");
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] === 1 ? 1 : 0;
  if (positives === 0) return Number.NaN;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let tp = 0;
  let fp = 0;
  let previousRecall = 0;
  let ap = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end < n && scores[order[end]] === scores[order[start]]) {
      if (labels[order[end]] === 1) tp++;
      else fp++;
      end++;
    }
    const recall = tp / positives;
    ap += (recall - previousRecall) * (tp / (tp + fp));
    previousRecall = recall;
    start = end;
  }
  return ap;
}

/** Matthews correlation of binary labels and predictions; 0 when a margin is empty (scikit-learn). */
export function matthewsCorrelation(labels: Numbers, predicted: Numbers): number {
  checkPaired(labels, predicted, "matthewsCorrelation");
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const truth = labels[i] === 1;
    const guess = predicted[i] === 1;
    if (truth && guess) tp++;
    else if (truth) fn++;
    else if (guess) fp++;
    else tn++;
  }
  const denominator = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return denominator === 0 ? 0 : (tp * tn - fp * fn) / denominator;
}

export function mean(values: Numbers): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return values.length === 0 ? Number.NaN : s / values.length;
}
