/**
 * A binary heap of (distance, id) on typed arrays, growing as needed; `max` selects a max-heap. Shared by
 * the graph searches (HNSW and the NN-descent query index).
 */
export class DistanceHeap {
  dist: Float64Array;
  ids: Int32Array;
  size = 0;
  constructor(
    capacity: number,
    private readonly max: boolean,
  ) {
    this.dist = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }
  clear(): void {
    this.size = 0;
  }
  private before(a: number, b: number): boolean {
    return this.max ? this.dist[a] > this.dist[b] : this.dist[a] < this.dist[b];
  }
  private swap(a: number, b: number): void {
    const d = this.dist[a];
    this.dist[a] = this.dist[b];
    this.dist[b] = d;
    const i = this.ids[a];
    this.ids[a] = this.ids[b];
    this.ids[b] = i;
  }
  push(distance: number, id: number): void {
    if (this.size === this.dist.length) {
      const dist = new Float64Array(this.size * 2);
      dist.set(this.dist);
      const ids = new Int32Array(this.size * 2);
      ids.set(this.ids);
      this.dist = dist;
      this.ids = ids;
    }
    let c = this.size++;
    this.dist[c] = distance;
    this.ids[c] = id;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (!this.before(c, p)) break;
      this.swap(c, p);
      c = p;
    }
  }
  /** Removes the top; read topDistance/topId first. */
  pop(): void {
    this.size--;
    if (this.size === 0) return;
    this.dist[0] = this.dist[this.size];
    this.ids[0] = this.ids[this.size];
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      const r = l + 1;
      let best = c;
      if (l < this.size && this.before(l, best)) best = l;
      if (r < this.size && this.before(r, best)) best = r;
      if (best === c) break;
      this.swap(c, best);
      c = best;
    }
  }
  get topDistance(): number {
    return this.dist[0];
  }
  get topId(): number {
    return this.ids[0];
  }
}
