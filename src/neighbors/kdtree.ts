/**
 * A k-d tree over float64 points for exact nearest-neighbour queries in low dimension (euclidean or
 * manhattan). Nodes split the widest side of their bounding box at the median; leaves hold up to
 * `leafSize` points. The points are copied in tree order so that a leaf is one contiguous block.
 *
 * The node arrays are public because HDBSCAN's dual-tree Borůvka walks them directly.
 */

export type KdMetric = "euclidean" | "manhattan";

export class KdTree {
  readonly rows: number;
  readonly cols: number;
  readonly metric: KdMetric;
  /** Points in tree order (row p of this array is original row `index[p]`). */
  readonly data: Float64Array;
  /** Tree position → original row. */
  readonly index: Int32Array;
  /** Per node: first and one-past-last tree position, children (-1 for a leaf). */
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Per node bounding box, `cols` values per node. */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly nodeCount: number;
  /** 1 for a leaf whose points are all identical (it may exceed `leafSize`: identical points cannot split). */
  readonly zeroSpread: Uint8Array;

  constructor(
    points: Float64Array,
    rows: number,
    cols: number,
    metric: KdMetric = "euclidean",
    leafSize = 16,
  ) {
    this.rows = rows;
    this.cols = cols;
    this.metric = metric;
    const index = new Int32Array(rows);
    for (let i = 0; i < rows; i++) index[i] = i;
    const maxNodes = Math.max(1, 2 * Math.ceil(rows / Math.max(1, leafSize >> 1)) + 1);
    const start = new Int32Array(maxNodes);
    const end = new Int32Array(maxNodes);
    const left = new Int32Array(maxNodes).fill(-1);
    const right = new Int32Array(maxNodes).fill(-1);
    const lo = new Float64Array(maxNodes * cols);
    const hi = new Float64Array(maxNodes * cols);
    const zeroSpread = new Uint8Array(maxNodes);
    let count = 0;
    const stack: number[] = [];
    const newNode = (s: number, e: number): number => {
      const id = count++;
      start[id] = s;
      end[id] = e;
      for (let j = 0; j < cols; j++) {
        let mn = Number.POSITIVE_INFINITY;
        let mx = Number.NEGATIVE_INFINITY;
        for (let p = s; p < e; p++) {
          const v = points[index[p] * cols + j];
          if (v < mn) mn = v;
          if (v > mx) mx = v;
        }
        lo[id * cols + j] = mn;
        hi[id * cols + j] = mx;
      }
      return id;
    };
    stack.push(newNode(0, rows));
    while (stack.length > 0) {
      const id = stack.pop()!;
      const s = start[id];
      const e = end[id];
      let dim = 0;
      let spread = -1;
      for (let j = 0; j < cols; j++) {
        const w = hi[id * cols + j] - lo[id * cols + j];
        if (w > spread) {
          spread = w;
          dim = j;
        }
      }
      if (spread <= 0) {
        zeroSpread[id] = 1;
        continue;
      }
      if (e - s <= leafSize) continue;
      const mid = (s + e) >> 1;
      selectNth(index, points, cols, dim, s, e - 1, mid);
      const a = newNode(s, mid);
      const b = newNode(mid, e);
      left[id] = a;
      right[id] = b;
      stack.push(a, b);
    }
    this.nodeCount = count;
    this.start = start.subarray(0, count);
    this.end = end.subarray(0, count);
    this.left = left.subarray(0, count);
    this.right = right.subarray(0, count);
    this.lo = lo.subarray(0, count * cols);
    this.hi = hi.subarray(0, count * cols);
    this.zeroSpread = zeroSpread.subarray(0, count);
    this.index = index;
    const data = new Float64Array(rows * cols);
    for (let p = 0; p < rows; p++) {
      const o = index[p] * cols;
      for (let j = 0; j < cols; j++) data[p * cols + j] = points[o + j];
    }
    this.data = data;
  }

  /**
   * "Reduced" distance (squared for euclidean) from query `q[qo..]` to tree position `p`; monotone in
   * the true distance, so comparisons may use it.
   */
  reducedDistance(q: Float64Array, qo: number, p: number): number {
    const { cols, data } = this;
    const o = p * cols;
    let s = 0;
    if (this.metric === "euclidean") {
      for (let j = 0; j < cols; j++) {
        const t = q[qo + j] - data[o + j];
        s += t * t;
      }
    } else {
      for (let j = 0; j < cols; j++) s += Math.abs(q[qo + j] - data[o + j]);
    }
    return s;
  }

  /** Reduced distance from a query point to a node's bounding box (0 inside). */
  reducedBoxDistance(q: Float64Array, qo: number, node: number): number {
    const { cols, lo, hi } = this;
    const o = node * cols;
    let s = 0;
    const euclid = this.metric === "euclidean";
    for (let j = 0; j < cols; j++) {
      const v = q[qo + j];
      let g = lo[o + j] - v;
      const g2 = v - hi[o + j];
      if (g2 > g) g = g2;
      if (g > 0) s += euclid ? g * g : g;
    }
    return s;
  }

  /** Reduced distance between the bounding boxes of nodes a and b. */
  reducedNodeDistance(a: number, b: number): number {
    const { cols, lo, hi } = this;
    const oa = a * cols;
    const ob = b * cols;
    let s = 0;
    const euclid = this.metric === "euclidean";
    for (let j = 0; j < cols; j++) {
      let g = lo[ob + j] - hi[oa + j];
      const g2 = lo[oa + j] - hi[ob + j];
      if (g2 > g) g = g2;
      if (g > 0) s += euclid ? g * g : g;
    }
    return s;
  }

  toDistance(reduced: number): number {
    return this.metric === "euclidean" ? Math.sqrt(reduced) : reduced;
  }

  toReduced(distance: number): number {
    return this.metric === "euclidean" ? distance * distance : distance;
  }

  /**
   * The k nearest tree points of query `q[qo..]`, nearest first, into `outDist` (true distances) and
   * `outIndex` (original rows).
   */
  query(q: Float64Array, qo: number, k: number, outDist: Float64Array, outIndex: Int32Array): void {
    const scratch = this.scratchFor(k);
    this.nearest(q, qo, k, scratch);
    this.drain(scratch, k, outDist, outIndex, 0);
    for (let i = 0; i < k; i++) outIndex[i] = outIndex[i] >= 0 ? this.index[outIndex[i]] : -1;
  }

  /** Distance from every tree point to its k-th nearest point, itself included (index = original row). */
  kthNeighbourDistances(k: number): Float64Array {
    const { distances } = this.knnAll(k);
    const result = new Float64Array(this.rows);
    for (let p = 0; p < this.rows; p++) result[this.index[p]] = distances[p * k + k - 1];
    return result;
  }

  /**
   * The k nearest tree points (itself included) of every tree point, in tree order: row p holds
   * k true distances ascending and the neighbours' tree positions.
   */
  knnAll(k: number): { distances: Float64Array; positions: Int32Array } {
    const { rows, cols, data, start, end, left } = this;
    const distances = new Float64Array(rows * k);
    const positions = new Int32Array(rows * k);
    const scratch = this.scratchFor(k);
    for (let leaf = 0; leaf < this.nodeCount; leaf++) {
      if (left[leaf] >= 0) continue;
      const qs = start[leaf];
      const qe = end[leaf];
      // Identical points have identical neighbours: answer the first, copy to the rest.
      const qLast = this.zeroSpread[leaf] ? qs + 1 : qe;
      for (let q = qs; q < qLast; q++) {
        this.nearest(data, q * cols, k, scratch);
        this.drain(scratch, k, distances, positions, q * k);
      }
      for (let q = qLast; q < qe; q++) {
        distances.copyWithin(q * k, qs * k, qs * k + k);
        positions.copyWithin(q * k, qs * k, qs * k + k);
      }
    }
    return { distances, positions };
  }

  private scratch: SearchScratch | undefined;

  private scratchFor(k: number): SearchScratch {
    if (this.scratch === undefined || this.scratch.heapDist.length !== k) {
      this.scratch = {
        heapDist: new Float64Array(k),
        heapPos: new Int32Array(k),
        stack: new Int32Array(2 * this.nodeCount + 2),
        stackDist: new Float64Array(2 * this.nodeCount + 2),
      };
    }
    return this.scratch;
  }

  /** Fills the scratch max-heap with the k nearest tree positions (reduced distances) of q[qo..]. */
  private nearest(q: Float64Array, qo: number, k: number, scratch: SearchScratch): void {
    const { cols, data, start, end, left, right, lo, hi } = this;
    const { heapDist, heapPos, stack, stackDist } = scratch;
    const euclidean = this.metric === "euclidean";
    heapDist.fill(Number.POSITIVE_INFINITY);
    heapPos.fill(-1);
    let top = 0;
    stack[top] = 0;
    stackDist[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      if (stackDist[top] > heapDist[0]) continue;
      const a = left[node];
      if (a >= 0) {
        const b = right[node];
        let da = 0;
        let db = 0;
        const oa = a * cols;
        const ob = b * cols;
        for (let j = 0; j < cols; j++) {
          const v = q[qo + j];
          let g = lo[oa + j] - v;
          let g2 = v - hi[oa + j];
          if (g2 > g) g = g2;
          if (g > 0) da += euclidean ? g * g : g;
          g = lo[ob + j] - v;
          g2 = v - hi[ob + j];
          if (g2 > g) g = g2;
          if (g > 0) db += euclidean ? g * g : g;
        }
        // Push the farther child first so that the nearer one is searched first.
        if (da <= db) {
          stack[top] = b;
          stackDist[top++] = db;
          stack[top] = a;
          stackDist[top++] = da;
        } else {
          stack[top] = a;
          stackDist[top++] = da;
          stack[top] = b;
          stackDist[top++] = db;
        }
        continue;
      }
      const rs = start[node];
      // Identical points are interchangeable: k of them answer any k-nearest query.
      const re = this.zeroSpread[node] ? Math.min(end[node], rs + k) : end[node];
      for (let r = rs; r < re; r++) {
        const ro = r * cols;
        let d = 0;
        if (euclidean) {
          for (let j = 0; j < cols; j++) {
            const t = q[qo + j] - data[ro + j];
            d += t * t;
          }
        } else {
          for (let j = 0; j < cols; j++) d += Math.abs(q[qo + j] - data[ro + j]);
        }
        if (d < heapDist[0]) siftDown(heapDist, heapPos, 0, k, d, r);
      }
    }
  }

  /** Empties the scratch heap into out[o..o+k) ascending, as true distances and tree positions. */
  private drain(
    scratch: SearchScratch,
    k: number,
    outDist: Float64Array,
    outPos: Int32Array,
    o: number,
  ): void {
    const { heapDist, heapPos } = scratch;
    for (let size = k; size > 0; size--) {
      outDist[o + size - 1] = this.toDistance(heapDist[0]);
      outPos[o + size - 1] = heapPos[0];
      siftDown(heapDist, heapPos, 0, size - 1, heapDist[size - 1], heapPos[size - 1]);
    }
  }

  /**
   * Original rows of all tree points strictly closer than `radius` to query `q[qo..]` (the `<` that
   * density-clustering's region queries use), in tree order.
   */
  radius(q: Float64Array, qo: number, radius: number, out: number[]): number[] {
    // Prune boxes in reduced units with a little slack; decide points on the true distance, exactly as
    // a scan computing sqrt would.
    const prune = this.toReduced(radius) * (1 + 1e-12);
    const stack = [0];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (this.reducedBoxDistance(q, qo, node) > prune) continue;
      const a = this.left[node];
      if (a >= 0) {
        stack.push(this.right[node], a);
        continue;
      }
      for (let p = this.start[node], e = this.end[node]; p < e; p++) {
        if (this.toDistance(this.reducedDistance(q, qo, p)) < radius) out.push(this.index[p]);
      }
    }
    return out;
  }
}

interface SearchScratch {
  heapDist: Float64Array;
  heapPos: Int32Array;
  stack: Int32Array;
  stackDist: Float64Array;
}

/** Replaces the root of the max-heap `dist[h..h+size)` with (d, p) and restores the heap order. */
function siftDown(dist: Float64Array, pos: Int32Array, h: number, size: number, d: number, p: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const r = l + 1;
    const c = r < size && dist[h + r] > dist[h + l] ? r : l;
    if (dist[h + c] <= d) break;
    dist[h + i] = dist[h + c];
    pos[h + i] = pos[h + c];
    i = c;
  }
  if (size > 0) {
    dist[h + i] = d;
    pos[h + i] = p;
  }
}

/** Quickselect on `index[lo..hi]` by coordinate `dim` so that position `nth` holds the median. */
function selectNth(
  index: Int32Array,
  points: Float64Array,
  cols: number,
  dim: number,
  lo: number,
  hi: number,
  nth: number,
) {
  while (hi > lo) {
    const pivot = points[index[(lo + hi) >> 1] * cols + dim];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (points[index[i] * cols + dim] < pivot) i++;
      while (points[index[j] * cols + dim] > pivot) j--;
      if (i <= j) {
        const t = index[i];
        index[i] = index[j];
        index[j] = t;
        i++;
        j--;
      }
    }
    if (nth <= j) hi = j;
    else if (nth >= i) lo = i;
    else return;
  }
}
