/**
 * sentence-transformers' `InformationRetrievalEvaluator` on vectors: every query's corpus rows ranked
 * by score (ties: lower corpus index first; theirs breaks ties by corpus id), then accuracy@k,
 * precision@k, recall@k, MRR@k, NDCG@k (binary relevance) and MAP@k averaged over the queries that have
 * at least one relevant document. Names: `cosine_accuracy@1`, …, `cosine_ndcg@10`, `cosine_mrr@10`,
 * `cosine_map@100`.
 */
import type { Matrix } from "../../types.js";
import { UserError } from "../../util/errors.js";
import { mean } from "../../util/stats.js";
import { type SearchHit, semanticSearch } from "../search.js";
import { topScores } from "../top-scores.js";
import { rawRows } from "../vectors.js";

export interface InformationRetrievalOptions {
  accuracyAtK?: readonly number[];
  precisionRecallAtK?: readonly number[];
  mrrAtK?: readonly number[];
  ndcgAtK?: readonly number[];
  mapAtK?: readonly number[];
  /** "cosine" (default) and/or "dot". */
  scoreFunctions?: readonly ("cosine" | "dot")[];
}

export const IR_DEFAULTS = {
  accuracyAtK: [1, 3, 5, 10],
  precisionRecallAtK: [1, 3, 5, 10],
  mrrAtK: [10],
  ndcgAtK: [10],
  mapAtK: [100],
} as const;

/**
 * @param relevant per query row, the corpus rows relevant to it (queries with none are skipped)
 */
export async function evaluateInformationRetrieval(
  queries: Matrix,
  corpus: Matrix,
  relevant: readonly (readonly number[])[],
  options: InformationRetrievalOptions = {},
): Promise<Record<string, number>> {
  if (relevant.length !== queries.rows) {
    throw new UserError(`${relevant.length} relevance lists for ${queries.rows} queries`);
  }
  const ks = {
    accuracy: options.accuracyAtK ?? IR_DEFAULTS.accuracyAtK,
    precisionRecall: options.precisionRecallAtK ?? IR_DEFAULTS.precisionRecallAtK,
    mrr: options.mrrAtK ?? IR_DEFAULTS.mrrAtK,
    ndcg: options.ndcgAtK ?? IR_DEFAULTS.ndcgAtK,
    map: options.mapAtK ?? IR_DEFAULTS.mapAtK,
  };
  const maxK = Math.max(1, ...ks.accuracy, ...ks.precisionRecall, ...ks.mrr, ...ks.ndcg, ...ks.map);
  const kept = relevant.map((r, q) => (r.length > 0 ? q : -1)).filter((q) => q >= 0);
  if (kept.length === 0) throw new UserError("no query has a relevant document");
  const keptQueries: Matrix = {
    data: new Float32Array(kept.length * queries.cols),
    rows: kept.length,
    cols: queries.cols,
  };
  kept.forEach((q, r) => {
    keptQueries.data.set(queries.data.subarray(q * queries.cols, (q + 1) * queries.cols), r * queries.cols);
  });
  const metrics: Record<string, number> = {};
  for (const fn of options.scoreFunctions ?? ["cosine"]) {
    const hits =
      fn === "cosine"
        ? await semanticSearch(keptQueries, corpus, { topK: maxK })
        : await dotSearch(keptQueries, corpus, maxK);
    const rankings = hits.map((row) => row.map((h) => h.corpusId));
    const values = retrievalMetrics(
      rankings,
      kept.map((q) => new Set(relevant[q])),
      ks,
    );
    for (const [name, value] of Object.entries(values)) metrics[`${fn}_${name}`] = value;
  }
  return metrics;
}

/** Plain dot-product ranking (for models whose similarity is the dot product). */
async function dotSearch(queries: Matrix, corpus: Matrix, k: number): Promise<SearchHit[][]> {
  const kk = Math.min(k, corpus.rows);
  const top = await topScores(rawRows(corpus), rawRows(queries), kk);
  return Array.from({ length: queries.rows }, (_, q) =>
    Array.from({ length: kk }, (_, t) => ({
      corpusId: top.indices[q * kk + t],
      score: top.scores[q * kk + t],
    })),
  );
}

/** Their compute_metrics, given each query's ranking (best first) and its relevant set. */
export function retrievalMetrics(
  rankings: readonly (readonly number[])[],
  relevant: readonly ReadonlySet<number>[],
  ks: {
    accuracy: readonly number[];
    precisionRecall: readonly number[];
    mrr: readonly number[];
    ndcg: readonly number[];
    map: readonly number[];
  },
): Record<string, number> {
  const out: Record<string, number> = {};
  const n = rankings.length;
  for (const k of ks.accuracy) {
    let hits = 0;
    rankings.forEach((ranking, q) => {
      if (ranking.slice(0, k).some((id) => relevant[q].has(id))) hits++;
    });
    out[`accuracy@${k}`] = hits / n;
  }
  for (const k of ks.precisionRecall) {
    const precisions: number[] = [];
    const recalls: number[] = [];
    rankings.forEach((ranking, q) => {
      const correct = ranking.slice(0, k).filter((id) => relevant[q].has(id)).length;
      precisions.push(correct / k);
      recalls.push(correct / relevant[q].size);
    });
    out[`precision@${k}`] = mean(precisions);
    out[`recall@${k}`] = mean(recalls);
  }
  for (const k of ks.ndcg) {
    const values = rankings.map((ranking, q) => {
      const predicted = ranking.slice(0, k).map((id) => (relevant[q].has(id) ? 1 : 0));
      const ideal = new Array<number>(relevant[q].size).fill(1);
      return dcg(predicted, k) / dcg(ideal, k);
    });
    out[`ndcg@${k}`] = mean(values);
  }
  for (const k of ks.mrr) {
    let sum = 0;
    rankings.forEach((ranking, q) => {
      const rank = ranking.slice(0, k).findIndex((id) => relevant[q].has(id));
      if (rank >= 0) sum += 1 / (rank + 1);
    });
    out[`mrr@${k}`] = sum / n;
  }
  for (const k of ks.map) {
    const values = rankings.map((ranking, q) => {
      let correct = 0;
      let sum = 0;
      ranking.slice(0, k).forEach((id, rank) => {
        if (relevant[q].has(id)) {
          correct++;
          sum += correct / (rank + 1);
        }
      });
      return sum / Math.min(k, relevant[q].size);
    });
    out[`map@${k}`] = mean(values);
  }
  return out;
}

function dcg(relevances: readonly number[], k: number): number {
  let value = 0;
  for (let i = 0; i < Math.min(relevances.length, k); i++) value += relevances[i] / Math.log2(i + 2);
  return value;
}
