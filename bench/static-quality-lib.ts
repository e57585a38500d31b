/** Shared by bench/static-quality.ts and its parameter sweeps. */

/** Spearman's rank correlation (average ranks for ties), as scipy.stats.spearmanr. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const rank = (v: ArrayLike<number>): Float64Array => {
    const order = Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a] - v[b]);
    const r = new Float64Array(v.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && v[order[j + 1]] === v[order[i]]) j++;
      for (let t = i; t <= j; t++) r[order[t]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  };
  const a = rank(x);
  const b = rank(y);
  const n = a.length;
  const mean = (n + 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - mean) * (b[i] - mean);
    saa += (a[i] - mean) ** 2;
    sbb += (b[i] - mean) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
