/**
 * An open-addressing hash map from a pair of non-negative int32s to an int32, in typed arrays. The
 * n-gram tree looks up (prefix node, next token) millions of times; a JS Map with packed double keys
 * allocated a heap number per look-up and was the slowest part of bigram counting.
 */
export class IntPairMap {
  private first: Int32Array;
  private second: Int32Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.first = new Int32Array(n).fill(-1);
    this.second = new Int32Array(n);
    this.values = new Int32Array(n);
    this.mask = n - 1;
  }

  private slot(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    let i = h & this.mask;
    while (this.first[i] !== -1 && (this.first[i] !== a || this.second[i] !== b)) i = (i + 1) & this.mask;
    return i;
  }

  /** The value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const i = this.slot(a, b);
    return this.first[i] === -1 ? -1 : this.values[i];
  }

  set(a: number, b: number, value: number): void {
    const i = this.slot(a, b);
    if (this.first[i] === -1) {
      this.first[i] = a;
      this.second[i] = b;
      this.size++;
    }
    this.values[i] = value;
    if (this.size * 2 > this.mask) this.grow();
  }

  private grow(): void {
    const { first, second, values } = this;
    const n = first.length * 2;
    this.first = new Int32Array(n).fill(-1);
    this.second = new Int32Array(n);
    this.values = new Int32Array(n);
    this.mask = n - 1;
    for (let i = 0; i < first.length; i++) {
      if (first[i] === -1) continue;
      const j = this.slot(first[i], second[i]);
      this.first[j] = first[i];
      this.second[j] = second[i];
      this.values[j] = values[i];
    }
  }
}
