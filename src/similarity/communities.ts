/**
 * Fast community detection, as sentence-transformers' `util.community_detection`: every row with at
 * least `minCommunitySize` rows (itself included) at cosine ≥ `threshold` proposes the community of
 * those rows, most similar first (so the row itself, the "central point", leads). Proposals are taken
 * largest first; a proposal keeps only rows no earlier community claimed and survives if at least
 * `minCommunitySize` remain. Communities come out largest first, each in proposal order.
 *
 * Like theirs, each row's candidates come from a top-k that doubles until the k-th score falls below
 * the threshold, so memory is one score block plus the proposals (which, like theirs, can reach n²
 * indices when the threshold is low enough for everything to be one community).
 */
import type { Matrix, ProgressCallback } from "../types.js";
import type { Logger } from "../util/log.js";
import { type ScoringOptions, topScores } from "./top-scores.js";
import { checkPositiveInteger, checkThreshold, unitRows } from "./vectors.js";

export interface CommunityDetectionOptions {
  /** Cosine similarity at which two rows are close (default 0.75). */
  threshold?: number;
  /** Smallest community returned (default 10; capped at the number of rows, as theirs). */
  minCommunitySize?: number;
  /** Rows scored per matrix product (default 1,024). */
  batchSize?: number;
  backend?: ScoringOptions["backend"];
  threads?: number;
  onProgress?: ProgressCallback;
  logger?: Logger;
}

export const COMMUNITY_DEFAULTS = { threshold: 0.75, minCommunitySize: 10, batchSize: 1024 } as const;

/** Communities as lists of row indices, largest first; the first index of each is its central row. */
export async function communityDetection(
  embeddings: Matrix,
  options: CommunityDetectionOptions = {},
): Promise<number[][]> {
  const threshold = options.threshold ?? COMMUNITY_DEFAULTS.threshold;
  const batchSize = options.batchSize ?? COMMUNITY_DEFAULTS.batchSize;
  checkThreshold(threshold);
  checkPositiveInteger(options.minCommunitySize ?? COMMUNITY_DEFAULTS.minCommunitySize, "minCommunitySize");
  checkPositiveInteger(batchSize, "batchSize");
  const rows = unitRows(embeddings);
  const n = rows.rows;
  if (n === 0) return [];
  const minSize = Math.min(options.minCommunitySize ?? COMMUNITY_DEFAULTS.minCommunitySize, n);
  // their threshold is a float32 tensor compared with float32 scores
  const bar = Math.fround(threshold);
  const scoring: ScoringOptions = {
    backend: options.backend,
    threads: options.threads,
    logger: options.logger,
  };
  let sortMax = Math.min(Math.max(2 * minSize, 50), n);
  const proposals: { row: number; members: Int32Array }[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    // rows whose window of sortMax best rows is all close are scored again with a doubled window
    // (theirs doubles one row at a time and keeps the larger window for later rows: same members)
    let pending = Array.from({ length: end - start }, (_, r) => start + r);
    let first = true;
    while (pending.length > 0) {
      const queries = { ...rows, data: selectRows(rows.data, rows.dim, pending), rows: pending.length };
      const top = await topScores(rows, queries, sortMax, { ...scoring, blockRows: pending.length });
      const full: number[] = [];
      pending.forEach((row, p) => {
        const o = p * top.k;
        if (first && top.scores[o + minSize - 1] < bar) return;
        if (top.scores[o + top.k - 1] >= bar && top.k < n) {
          full.push(row);
          return;
        }
        let count = minSize;
        while (count < top.k && top.scores[o + count] >= bar) count++;
        proposals.push({ row, members: top.indices.slice(o, o + count) });
      });
      if (full.length > 0) sortMax = Math.min(2 * sortMax, n);
      pending = full;
      first = false;
    }
    options.onProgress?.(end, n);
  }
  // theirs proposes in row order; re-scored rows came after the rest of their batch
  proposals.sort((x, y) => x.row - y.row);
  return selectCommunities(
    proposals.map((p) => p.members),
    n,
    minSize,
  );
}

function selectRows(data: Float32Array, dim: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, p) => {
    out.set(data.subarray(r * dim, (r + 1) * dim), p * dim);
  });
  return out;
}

/** Their step 2: largest proposals first (stable), each keeps its unclaimed rows if enough remain. */
export function selectCommunities(proposals: Int32Array[], n: number, minSize: number): number[][] {
  const order = proposals.map((_, i) => i).sort((a, b) => proposals[b].length - proposals[a].length || a - b);
  const used = new Uint8Array(n);
  const kept: number[][] = [];
  for (const p of order) {
    const community: number[] = [];
    for (const i of proposals[p]) if (!used[i]) community.push(i);
    if (community.length >= minSize) {
      kept.push(community);
      for (const i of community) used[i] = 1;
    }
  }
  // stable: equal sizes keep the order in which they were accepted
  return kept
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.length - a.c.length || a.i - b.i)
    .map((x) => x.c);
}
