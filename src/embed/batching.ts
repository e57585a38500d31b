/**
 * Length-sorted batching, as sentence-transformers' `encode` does: documents of similar length share a
 * batch, so little compute goes to padding (USE-lite densifies its sparse input to the longest row;
 * BERT pads to it), and results are written back in input order.
 */

export interface Batch {
  /** Input positions of the batch's documents, longest first. */
  indices: Int32Array;
}

/** The documents with length > 0, longest first (the batch size checked on the way). */
function longestFirst(lengths: ArrayLike<number>, batchSize: number): number[] {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batch size must be ≥ 1, got ${batchSize}`);
  const order: number[] = [];
  for (let i = 0; i < lengths.length; i++) if (lengths[i] > 0) order.push(i);
  // stable: equal lengths keep input order, which makes runs reproducible
  order.sort((a, b) => lengths[b] - lengths[a] || a - b);
  return order;
}

/**
 * Splits `lengths.length` documents into batches of at most `batchSize`, longest documents first
 * (the slow batches start early, so parallel workers finish together). Documents with length 0 are
 * left out: the caller gives them a defined vector without running the model.
 */
export function lengthSortedBatches(lengths: ArrayLike<number>, batchSize: number): Batch[] {
  const order = longestFirst(lengths, batchSize);
  const batches: Batch[] = [];
  for (let start = 0; start < order.length; start += batchSize) {
    batches.push({ indices: Int32Array.from(order.slice(start, start + batchSize)) });
  }
  return batches;
}

/**
 * Batches whose documents all have the same length, longest first, at most `batchSize` each. A
 * document's vector is then a function of its own tokens only: onnxruntime's kernels give other last
 * bits when a row is padded to a longer batch-mate (up to 5e-8 measured on USE-lite) or runs alone
 * (a one-row batch takes another GEMM path), and UMAP magnifies such bits into other topics — so with
 * mixed batches a corpus's topics depended on which of its texts happened to be in the cache.
 * Callers run a one-document batch twice over (`atLeastTwoRows`).
 */
export function equalLengthBatches(lengths: ArrayLike<number>, batchSize: number): Batch[] {
  const order = longestFirst(lengths, batchSize);
  const batches: Batch[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && end - start < batchSize && lengths[order[end]] === lengths[order[start]])
      end++;
    batches.push({ indices: Int32Array.from(order.slice(start, end)) });
    start = end;
  }
  return batches;
}

/** The rows a model runs for a batch: a lone row is doubled (see equalLengthBatches); take the first n outputs. */
export function atLeastTwoRows<T>(rows: readonly T[]): T[] {
  return rows.length === 1 ? [rows[0], rows[0]] : [...rows];
}

/** Scales each row to unit L2 norm in place; all-zero rows stay zero. */
export function normalizeRows(data: Float32Array, cols: number): void {
  for (let offset = 0; offset < data.length; offset += cols) {
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += data[offset + j] * data[offset + j];
    if (sum === 0) continue;
    const scale = 1 / Math.sqrt(sum);
    for (let j = 0; j < cols; j++) data[offset + j] *= scale;
  }
}
