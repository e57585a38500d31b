/**
 * When and how the store builds an approximate vector index. Below `ANN_MIN_ROWS` an exact scan is
 * both exact and fast enough; above it LanceDB's flat scan grows linearly (it reads and decodes every
 * vector per query) while an index stays near constant. The numbers come from `bench/store.ts`
 * (docs/store.md): change them there first.
 */
import type { Index } from "@lancedb/lancedb";

export const INDEX_KINDS = ["ivf-pq", "hnsw-sq"] as const;
export type IndexKind = (typeof INDEX_KINDS)[number];

/** Tables with at least this many rows get an approximate index (measured in bench/store.ts). */
export const ANN_MIN_ROWS = 2000;
/** LanceDB trains its quantisers (PQ codebooks of 256 centroids) on at least this many rows. */
export const INDEX_TRAIN_MIN_ROWS = 256;
export const DEFAULT_INDEX_KIND: IndexKind = "hnsw-sq";

/** Search-time knobs; the defaults reach recall@10 ≥ 0.95 against exact search in bench/store.ts. */
export interface AnnSearchOptions {
  /** IVF partitions probed (IVF-PQ and the IVF layer of HNSW-SQ). */
  nprobes?: number;
  /** Candidates re-ranked with the full vectors = k × refineFactor. */
  refineFactor?: number;
  /** HNSW beam width. */
  ef?: number;
}

export const DEFAULT_SEARCH: Required<AnnSearchOptions> = { nprobes: 20, refineFactor: 10, ef: 100 };

/** The LanceDB index for `rows` vectors of `dimension` values, cosine distance. */
export function indexFor(IndexClass: typeof Index, kind: IndexKind, rows: number, dimension: number): Index {
  if (kind === "ivf-pq") {
    return IndexClass.ivfPq({
      distanceType: "cosine",
      // LanceDB's own guidance: √n partitions; 16 values per PQ sub-vector where the dimension allows
      numPartitions: Math.max(1, Math.round(Math.sqrt(rows))),
      numSubVectors: dimension % 16 === 0 ? dimension / 16 : dimension % 8 === 0 ? dimension / 8 : 1,
    });
  }
  // one HNSW graph per ~1M rows keeps the build's memory bounded; a single graph is best below that
  return IndexClass.hnswSq({
    distanceType: "cosine",
    numPartitions: Math.max(1, Math.ceil(rows / 1_000_000)),
    m: 20,
    efConstruction: 150,
  });
}
