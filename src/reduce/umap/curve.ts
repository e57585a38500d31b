/**
 * UMAP's low-dimensional similarity 1 / (1 + a·d^(2b)): a and b are fitted (least squares, as
 * umap-learn's find_ab_params does with scipy's curve_fit) to the target curve that is 1 below
 * min_dist and exp(−(d − min_dist)/spread) above it, sampled at 300 points on [0, 3·spread].
 */
export function findAbParams(spread: number, minDist: number): { a: number; b: number } {
  const count = 300;
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const x = (spread * 3 * i) / (count - 1);
    xs[i] = x;
    ys[i] = x < minDist ? 1 : Math.exp(-(x - minDist) / spread);
  }
  const residual = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < count; i++) {
      const r = 1 / (1 + a * xs[i] ** (2 * b)) - ys[i];
      s += r * r;
    }
    return s;
  };
  // Levenberg–Marquardt on (a, b) from curve_fit's start (1, 1)
  let a = 1;
  let b = 1;
  let lambda = 1e-3;
  let cost = residual(a, b);
  for (let iter = 0; iter < 500; iter++) {
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < count; i++) {
      const x = xs[i];
      const p = x > 0 ? x ** (2 * b) : 0;
      const f = 1 / (1 + a * p);
      const r = f - ys[i];
      const da = -p * f * f;
      const db = x > 0 ? -a * p * 2 * Math.log(x) * f * f : 0;
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    }
    let improved = false;
    for (let tries = 0; tries < 30; tries++) {
      const m00 = jaa * (1 + lambda);
      const m11 = jbb * (1 + lambda);
      const det = m00 * m11 - jab * jab;
      const stepA = -(m11 * ga - jab * gb) / det;
      const stepB = -(m00 * gb - jab * ga) / det;
      const nextCost = residual(a + stepA, b + stepB);
      if (Number.isFinite(nextCost) && nextCost < cost) {
        const converged =
          Math.abs(stepA) < 1e-12 * (1 + Math.abs(a)) && Math.abs(stepB) < 1e-12 * (1 + Math.abs(b));
        a += stepA;
        b += stepB;
        lambda = Math.max(lambda / 10, 1e-12);
        const relative = (cost - nextCost) / Math.max(cost, 1e-300);
        cost = nextCost;
        improved = !converged && relative > 1e-15;
        break;
      }
      lambda *= 10;
    }
    if (!improved) break;
  }
  return { a, b };
}
