/**
 * sentence-transformers' candidate queue of `paraphrase_mining_embeddings`, on typed arrays: a
 * min-heap of (score, i, j) ordered as Python orders the tuples. Once `maxPairs` candidates have been
 * added, every further addition pops the smallest and raises the admission bar to its score, so the
 * queue ends holding the best maxPairs − 1 directed candidates (both (i, j) and (j, i) count).
 */
export class PairQueue {
  private readonly scores: Float64Array;
  private readonly is: Int32Array;
  private readonly js: Int32Array;
  size = 0;
  /** Candidates at or below this score are not admitted (starts at −1, as theirs). */
  minScore = -1;
  private added = 0;

  constructor(private readonly maxPairs: number) {
    const capacity = Math.max(1, maxPairs);
    this.scores = new Float64Array(capacity);
    this.is = new Int32Array(capacity);
    this.js = new Int32Array(capacity);
  }

  /** Offer a directed candidate (i ≠ j). */
  offer(score: number, i: number, j: number): void {
    if (!(score > this.minScore)) return;
    this.added++;
    if (this.added < this.maxPairs) {
      this.push(score, i, j);
      return;
    }
    // their put() then get(): the smaller of the newcomer and the root leaves
    if (this.size === 0 || this.before(score, i, j, 0)) {
      this.minScore = score;
      return;
    }
    this.minScore = this.scores[0];
    this.siftDown(0, score, i, j, this.size);
  }

  /** (score, i, j) < entry `at` in Python's tuple order. */
  private before(score: number, i: number, j: number, at: number): boolean {
    const s = this.scores[at];
    if (score !== s) return score < s;
    const ai = this.is[at];
    if (i !== ai) return i < ai;
    return j < this.js[at];
  }

  private push(score: number, i: number, j: number): void {
    const { scores, is, js } = this;
    let pos = this.size++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (!this.before(score, i, j, parent)) break;
      scores[pos] = scores[parent];
      is[pos] = is[parent];
      js[pos] = js[parent];
      pos = parent;
    }
    scores[pos] = score;
    is[pos] = i;
    js[pos] = j;
  }

  /** Puts (score, i, j) into the hole at `pos` of a heap of `size` entries, moving it down. */
  private siftDown(pos: number, score: number, i: number, j: number, size: number): void {
    const { scores, is, js } = this;
    for (;;) {
      const l = 2 * pos + 1;
      if (l >= size) break;
      const r = l + 1;
      let child = l;
      if (r < size) {
        const sl = scores[l];
        const sr = scores[r];
        if (sr < sl || (sr === sl && (is[r] < is[l] || (is[r] === is[l] && js[r] < js[l])))) child = r;
      }
      const sc = scores[child];
      if (score < sc || (score === sc && (i < is[child] || (i === is[child] && j < js[child])))) break;
      scores[pos] = sc;
      is[pos] = is[child];
      js[pos] = js[child];
      pos = child;
    }
    scores[pos] = score;
    is[pos] = i;
    js[pos] = j;
  }

  /** Every entry, in the order successive pops would return them (ascending tuples); empties the queue. */
  drain(): { scores: Float64Array; is: Int32Array; js: Int32Array } {
    const n = this.size;
    const { scores, is, js } = this;
    const order = new Uint32Array(n);
    for (let t = 0; t < n; t++) order[t] = t;
    order.sort((a, b) => scores[a] - scores[b] || is[a] - is[b] || js[a] - js[b]);
    const out = { scores: new Float64Array(n), is: new Int32Array(n), js: new Int32Array(n) };
    for (let to = 0; to < n; to++) {
      const from = order[to];
      out.scores[to] = scores[from];
      out.is[to] = is[from];
      out.js[to] = js[from];
    }
    this.size = 0;
    return out;
  }
}
