/**
 * UMAP on typed arrays, step by step as umap-learn 0.5 does it: fuzzy simplicial set from a
 * precomputed kNN → (supervised: label intersection) → drop edges too weak to be sampled → spectral
 * initialisation → SGD layout. `transform` embeds new rows against a fitted layout.
 */
import type { Matrix } from "../../types.js";
import { createRng, type Rng } from "../../util/rng.js";
import { findAbParams } from "./curve.js";
import {
  type CsrGraph,
  csrFromRows,
  fuzzySimplicialSet,
  intersectWithLabels,
  membershipGraph,
  smoothKnnDist,
} from "./fuzzy-set.js";
import { optimizeLayout } from "./optimize.js";
import { defaultLayoutBlocks, optimizeLayoutBlocked } from "./optimize-blocks.js";
import { spectralLayout } from "./spectral.js";

export interface UmapKnn {
  indices: Int32Array;
  distances: Float32Array;
  k: number;
}

export const UMAP_INITS = ["spectral", "random"] as const;
export type UmapInit = (typeof UMAP_INITS)[number];

export interface UmapFitParams {
  nComponents: number;
  minDist: number;
  spread?: number;
  /** Default: 500 up to 10,000 rows, else 100 from the spectral start (defaultEpochs; umap-learn: 500 / 200). */
  nEpochs?: number;
  seed: number;
  init?: UmapInit;
  labels?: Int32Array;
  /** umap-learn's target_weight for supervised UMAP (0.5): edges across labels are scaled by exp(−2.5/(1−w)). */
  targetWeight?: number;
  onEpoch?: (epoch: number, total: number) => void;
  /**
   * Blocks of the layout (optimize-blocks.ts): 1 is umap-learn's seeded sequential layout; more can run
   * on as many threads. Default: by the layout's size (defaultLayoutBlocks). The same seed and blocks
   * give the same layout bit for bit, whatever the threads.
   */
  layoutBlocks?: number;
  /** Threads that run the blocks (default: one per block, up to the cores); speed only. */
  layoutThreads?: number;
}

export interface UmapLayout {
  /** Row-major rows × dim, float32 as laid out (optimize.ts). */
  embedding: Float32Array;
  rows: number;
  dim: number;
  a: number;
  b: number;
  nEpochs: number;
}

/** umap-learn's layout epochs: 500 up to 10,000 rows, else 200. */
export function umapLearnEpochs(rows: number): number {
  return rows <= 10000 ? 500 : 200;
}

/**
 * Layout epochs when none are given: umap-learn's 500 up to 10,000 rows, and above that 100 instead
 * of its 200 when the layout starts from the spectral embedding — where the time goes, and where the
 * layout has converged well before (docs/reduce.md: trustworthiness@15 within 0.003 of 200 epochs on
 * 20 Newsgroups and 0.0002 on 100,000 synthetic rows, topic quality over 3 seeds no lower, half the
 * layout's time). Small layouts cost little and lost a little at fewer epochs (BBC), so they keep
 * umap-learn's count; a random start keeps it everywhere (it has further to go).
 */
export function defaultEpochs(rows: number, init: UmapInit = "spectral"): number {
  return init === "spectral" && rows > 10000 ? 100 : umapLearnEpochs(rows);
}

/** Splits a CSR graph into per-edge arrays, dropping edges below max/nEpochs as umap-learn does. */
function edgesAboveThreshold(
  graph: CsrGraph,
  nEpochs: number,
): { graph: CsrGraph; head: Int32Array; tail: Int32Array; weights: Float64Array } {
  let max = 0;
  for (let p = 0; p < graph.weights.length; p++) max = Math.max(max, graph.weights[p]);
  const threshold = max / nEpochs;
  const indptr = new Int32Array(graph.n + 1);
  let count = 0;
  for (let p = 0; p < graph.weights.length; p++) if (graph.weights[p] >= threshold) count++;
  const head = new Int32Array(count);
  const tail = new Int32Array(count);
  const weights = new Float64Array(count);
  let o = 0;
  for (let i = 0; i < graph.n; i++) {
    for (let p = graph.indptr[i]; p < graph.indptr[i + 1]; p++) {
      if (graph.weights[p] < threshold) continue;
      head[o] = i;
      tail[o] = graph.indices[p];
      weights[o] = graph.weights[p];
      o++;
    }
    indptr[i + 1] = o;
  }
  return { graph: { n: graph.n, indptr, indices: tail, weights }, head, tail, weights };
}

function initialLayout(
  graph: CsrGraph,
  data: Matrix,
  dim: number,
  init: "spectral" | "random",
  rng: Rng,
  seed: number,
): Float32Array {
  const n = graph.n;
  let embedding: Float64Array;
  if (init === "spectral") {
    const layout = spectralLayout(graph, dim, data, rng, seed);
    let max = 0;
    for (let i = 0; i < layout.length; i++) max = Math.max(max, Math.abs(layout[i]));
    const expansion = max > 0 ? 10 / max : 1;
    embedding = new Float64Array(n * dim);
    // a little noise, as umap-learn adds, so that no two points start on top of each other
    for (let i = 0; i < layout.length; i++) embedding[i] = layout[i] * expansion + rng.nextGaussian() * 1e-4;
  } else {
    embedding = new Float64Array(n * dim);
    for (let i = 0; i < embedding.length; i++) embedding[i] = rng.next() * 20 - 10;
  }
  // rescale every axis to [0, 10]
  for (let c = 0; c < dim; c++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, embedding[i * dim + c]);
      hi = Math.max(hi, embedding[i * dim + c]);
    }
    const span = hi - lo || 1;
    for (let i = 0; i < n; i++) embedding[i * dim + c] = (10 * (embedding[i * dim + c] - lo)) / span;
  }
  return Float32Array.from(embedding);
}

/** Fits a layout from the rows (used for the placement of disconnected components) and their kNN. */
export async function fitUmapLayout(data: Matrix, knn: UmapKnn, params: UmapFitParams): Promise<UmapLayout> {
  const n = data.rows;
  const dim = params.nComponents;
  const rng = createRng(params.seed);
  const { a, b } = findAbParams(params.spread ?? 1, params.minDist);
  let graph = fuzzySimplicialSet(knn.indices, knn.distances, n, knn.k);
  if (params.labels) {
    const targetWeight = params.targetWeight ?? 0.5;
    const farDist = targetWeight < 1 ? 2.5 * (1 / (1 - targetWeight)) : 1e12;
    graph = intersectWithLabels(graph, params.labels, farDist);
  }
  const init = params.init ?? "spectral";
  const nEpochs = params.nEpochs ?? defaultEpochs(n, init);
  const edges = edgesAboveThreshold(graph, nEpochs > 10 ? nEpochs : defaultEpochs(n, init));
  const embedding = initialLayout(edges.graph, data, dim, init, rng, params.seed);
  const problem = {
    head: edges.head,
    tail: edges.tail,
    weights: edges.weights,
    headEmbedding: embedding,
    tailEmbedding: embedding,
    nTail: n,
    dim,
    nEpochs,
    a,
    b,
    moveOther: true,
  };
  // blocks are cut along the spectral layout's first axis, where neighbours start close; a random
  // start gives no such cut (more stale reads: docs/reduce.md), so it stays one block unless asked
  const blocks =
    params.layoutBlocks ?? (init === "spectral" ? defaultLayoutBlocks(edges.head.length, nEpochs) : 1);
  optimizeLayoutBlocked(problem, rng, {
    blocks,
    threads: params.layoutThreads,
    onEpoch: params.onEpoch,
  });
  return { embedding, rows: n, dim, a, b, nEpochs };
}

/**
 * Embeds new rows given their kNN among the training rows (umap-learn's transform): weighted mean of
 * the neighbours' coordinates, then a short optimisation against the fixed training layout.
 */
export function transformUmap(
  layout: UmapLayout,
  knn: UmapKnn,
  rows: number,
  seed: number,
  nEpochsOption?: number,
  /** Rows the epoch count is chosen for (umap-learn: all rows transformed at once); default `rows`. */
  epochRows = rows,
): Float32Array {
  const { k } = knn;
  const dim = layout.dim;
  // local connectivity 1 − 1 = 0 for new points: ρ = 0
  const { sigmas, rhos } = smoothKnnDist(knn.distances, rows, k, 0);
  const { cols, weights } = membershipGraph(knn.indices, knn.distances, rows, k, sigmas, rhos, true);
  const start = new Float64Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    let total = 0;
    for (let j = 0; j < k; j++) total += weights[i * k + j];
    for (let j = 0; j < k; j++) {
      const w = total > 0 ? weights[i * k + j] / total : 1 / k;
      const src = cols[i * k + j] * dim;
      for (let c = 0; c < dim; c++) start[i * dim + c] += w * layout.embedding[src + c];
    }
  }
  const embedding = Float32Array.from(start);
  const nEpochs = nEpochsOption !== undefined ? Math.floor(nEpochsOption / 3) : epochRows <= 10000 ? 100 : 30;
  let max = 0;
  for (let p = 0; p < weights.length; p++) max = Math.max(max, weights[p]);
  const keep = weights.map((w) => (w < max / nEpochs ? 0 : w));
  const graph = csrFromRows(rows, k, cols, keep);
  const head = new Int32Array(graph.indices.length);
  for (let i = 0; i < rows; i++) for (let p = graph.indptr[i]; p < graph.indptr[i + 1]; p++) head[p] = i;
  optimizeLayout(
    {
      head,
      tail: graph.indices,
      weights: graph.weights,
      headEmbedding: embedding,
      tailEmbedding: layout.embedding.slice(),
      nTail: layout.rows,
      dim,
      nEpochs,
      a: layout.a,
      b: layout.b,
      moveOther: false,
      initialAlpha: 0.25,
    },
    createRng(seed),
  );
  return embedding;
}
