/**
 * The documents map's 2-D layout, at a cost that does not grow with the corpus beyond a kNN lookup.
 *
 * A 2-D UMAP of every document (what BERTopic's visualize_documents runs) was 23 s of a 20 Newsgroups
 * report, more than the fit's own reduction. Instead:
 *   1. at most MAP_POINTS documents are drawn: above that, a seeded sample stratified by topic (every
 *      topic keeps at least min(size, 30) points), as BERTopic's `sample` option does;
 *   2. a 2-D UMAP (cosine on the embeddings, n_neighbors 10 as BERTopic) is fitted on at most
 *      LAYOUT_FIT_POINTS of them, again stratified (at least min(size, 10) per topic), with
 *      LAYOUT_EPOCHS epochs from the spectral start;
 *   3. every other drawn document sits at the weighted mean of the positions of its LAYOUT_NEIGHBOURS
 *      nearest fitted documents (umap-learn's transform starts new points the same way). Neighbours are
 *      found in the model's own reduction when it is a neighbourhood-preserving one (UMAP): a k-d tree
 *      over 5-d points, milliseconds; else (PCA, none, zero-shot documents without a reduction) by
 *      cosine on the embeddings.
 * On 20 Newsgroups this draws the same picture (topics in the same places and shapes) in well under a
 * second; docs/charts.md has the numbers. Only the fitted documents' embeddings are read, so a
 * model whose embeddings stay on disk (a sample fit of a million documents) lays out as cheaply.
 */

import { knnQuery } from "../neighbors/index.js";
import { KdTree } from "../neighbors/kdtree.js";
import { createReducer, reducerMinimumRows } from "../reduce/index.js";
import type { Matrix } from "../types.js";
import { createRng, type Rng } from "../util/rng.js";

/** Documents drawn on the map at most (report.html keeps them all on a canvas; SVG/PNG sample further). */
export const MAP_POINTS = 20000;
/** Documents the 2-D UMAP is fitted on at most; the rest are placed by their neighbours. */
export const LAYOUT_FIT_POINTS = 2000;
/** UMAP epochs of the layout (umap-learn: 500 at this size; 100 from the spectral start look the same). */
export const LAYOUT_EPOCHS = 100;
/** Fitted neighbours a placed document is averaged from. */
export const LAYOUT_NEIGHBOURS = 10;

/**
 * min_dist of the 2-D layout. BERTopic uses 0.0, which packs each topic into a dot on a 2-D page
 * (seen on BBC: 38 topics as 38 specks); umap-learn's own default 0.1 keeps clusters apart but readable.
 */
export const LAYOUT_MIN_DIST = 0.1;

/** The 2-D UMAP's settings: n_neighbors 10 and cosine as BERTopic's visualize_documents. */
const LAYOUT_UMAP = {
  method: "umap",
  nComponents: 2,
  nNeighbors: 10,
  minDist: LAYOUT_MIN_DIST,
  metric: "cosine",
} as const;

/** The chosen rows of the embeddings, in the order given (a Matrix in memory, or row reads of a .npy). */
export type EmbeddingRows = (rows: readonly number[]) => Matrix;

export interface LayoutInput {
  /** Documents (rows of the layout). */
  documents: number;
  /** Topic per document: the samples keep every topic visible. */
  topics: ArrayLike<number>;
  /** 1 for a document that can be drawn (non-empty, finite non-zero embedding). */
  drawable: Uint8Array;
  embeddingRows: EmbeddingRows;
  /**
   * The model's reduction (one row per document, NaN where a document was not reduced), when it
   * preserves neighbourhoods (UMAP): neighbours of placed documents are looked up in it.
   */
  reduced?: Matrix;
  seed: number;
  onProgress?: (message: string) => void;
  /** Overrides MAP_POINTS and LAYOUT_FIT_POINTS (tests, benchmarks). */
  limits?: { mapPoints?: number; fitPoints?: number };
}

/** What a worker lays out (layout-2d-worker.ts): the input with the embeddings themselves. */
export interface MapLayoutJob extends Omit<LayoutInput, "embeddingRows" | "onProgress"> {
  embeddings: Matrix;
}

/**
 * Up to `max` of `candidates`, stratified by group: each group gets a share proportional to its size
 * but at least min(size, floor) rows. Seeded; returned in ascending order.
 */
export function stratifiedSample(
  candidates: readonly number[],
  groupOf: (row: number) => number,
  max: number,
  floor: number,
  rng: Rng,
): number[] {
  if (candidates.length <= max) return [...candidates];
  const groups = new Map<number, number[]>();
  for (const row of candidates) {
    const group = groupOf(row);
    let list = groups.get(group);
    if (!list) {
      list = [];
      groups.set(group, list);
    }
    list.push(row);
  }
  const fraction = max / candidates.length;
  const keep: number[] = [];
  for (const [, rows] of [...groups].sort((a, b) => a[0] - b[0])) {
    const quota = Math.min(rows.length, Math.max(floor, Math.round(rows.length * fraction)));
    // partial Fisher–Yates: the first `quota` entries become a uniform sample of the group
    for (let i = 0; i < quota; i++) {
      const j = i + rng.nextInt(rows.length - i);
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    for (let i = 0; i < quota; i++) keep.push(rows[i]);
  }
  return keep.sort((a, b) => a - b);
}

function finiteRow(matrix: Matrix, row: number): boolean {
  for (let j = 0; j < matrix.cols; j++)
    if (!Number.isFinite(matrix.data[row * matrix.cols + j])) return false;
  return true;
}

/** The n×2 layout (NaN rows are not drawn), or undefined when fewer than two documents can be drawn. */
export async function documentsMapLayout(input: LayoutInput): Promise<Matrix | undefined> {
  const { documents, topics, drawable, seed } = input;
  const candidates: number[] = [];
  for (let i = 0; i < documents; i++) if (drawable[i]) candidates.push(i);
  if (candidates.length < 2) return undefined;
  const rng = createRng(seed);
  const groupOf = (row: number) => topics[row];
  const drawn = stratifiedSample(candidates, groupOf, input.limits?.mapPoints ?? MAP_POINTS, 30, rng);
  const fitted = stratifiedSample(drawn, groupOf, input.limits?.fitPoints ?? LAYOUT_FIT_POINTS, 10, rng);
  const umap = fitted.length >= reducerMinimumRows(LAYOUT_UMAP);
  const placed =
    fitted.length < drawn.length ? ` of ${fitted.length}, the rest placed by their neighbours` : "";
  input.onProgress?.(`laying out ${drawn.length} documents in 2-D (${umap ? "UMAP" : "PCA"}${placed})…`);
  const training = input.embeddingRows(fitted);
  const reducer = createReducer(
    umap ? { ...LAYOUT_UMAP, seed, nEpochs: LAYOUT_EPOCHS } : { method: "pca", nComponents: 2, seed },
  );
  const fittedLayout = await reducer.fit(training);
  const layout = new Float32Array(documents * 2).fill(Number.NaN);
  fitted.forEach((row, i) => {
    layout[row * 2] = fittedLayout.data[i * 2];
    layout[row * 2 + 1] = fittedLayout.data[i * 2 + 1];
  });
  const isFitted = new Uint8Array(documents);
  for (const row of fitted) isFitted[row] = 1;
  const rest = drawn.filter((row) => !isFitted[row]);
  if (rest.length > 0) {
    const k = Math.min(LAYOUT_NEIGHBOURS, fitted.length);
    const place = (row: number, neighbours: ArrayLike<number>, distances: ArrayLike<number>) => {
      // weights fall with distance relative to the k-th neighbour's, so a document lands among its
      // nearest fitted documents rather than between two groups
      const scale = distances[k - 1] > 0 ? distances[k - 1] : 1;
      let x = 0;
      let y = 0;
      let total = 0;
      for (let m = 0; m < k; m++) {
        const w = Math.exp((-3 * distances[m]) / scale);
        x += w * fittedLayout.data[neighbours[m] * 2];
        y += w * fittedLayout.data[neighbours[m] * 2 + 1];
        total += w;
      }
      layout[row * 2] = x / total;
      layout[row * 2 + 1] = y / total;
    };
    const { reduced } = input;
    const inReduced = reduced ? fitted.map((_, i) => i).filter((i) => finiteRow(reduced, fitted[i])) : [];
    let byEmbedding = rest;
    if (reduced && inReduced.length >= k) {
      const cols = reduced.cols;
      const points = new Float64Array(inReduced.length * cols);
      inReduced.forEach((i, p) => {
        for (let j = 0; j < cols; j++) points[p * cols + j] = reduced.data[fitted[i] * cols + j];
      });
      const tree = new KdTree(points, inReduced.length, cols);
      const query = new Float64Array(cols);
      const distances = new Float64Array(k);
      const found = new Int32Array(k);
      const neighbours = new Int32Array(k);
      byEmbedding = [];
      for (const row of rest) {
        if (!finiteRow(reduced, row)) {
          byEmbedding.push(row);
          continue;
        }
        for (let j = 0; j < cols; j++) query[j] = reduced.data[row * cols + j];
        tree.query(query, 0, k, distances, found);
        for (let m = 0; m < k; m++) neighbours[m] = inReduced[found[m]];
        place(row, neighbours, distances);
      }
    }
    if (byEmbedding.length > 0) {
      const result = await knnQuery(training, input.embeddingRows(byEmbedding), k, {
        metric: "cosine",
        method: "exact",
      });
      byEmbedding.forEach((row, q) => {
        place(
          row,
          result.indices.subarray(q * k, (q + 1) * k),
          result.distances.subarray(q * k, (q + 1) * k),
        );
      });
    }
  }
  return { data: layout, rows: documents, cols: 2 };
}
