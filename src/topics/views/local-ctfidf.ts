/**
 * c-TF-IDF of a slice of the corpus (one time bin, one class) with the model's fitted vocabulary and
 * idf, each topic's row L1-normalised and averaged with the topic's global row (BERTopic's
 * `global_tuning`), so words rare in the slice but typical of the topic still count.
 */
import {
  rowTopTerms,
  type SparseMatrix,
  sparseRowFromMap,
  type TopicRepresentation,
} from "../../represent/index.js";
import type { TopicTerm } from "../types.js";

export interface SliceTopics {
  topicIds: number[];
  /** Documents of each topic in the slice. */
  frequencies: number[];
  /** Tuned c-TF-IDF weights per topic (term id → weight). */
  weights: Map<number, number>[];
}

function l1Row(matrix: SparseMatrix, row: number): Map<number, number> {
  const out = new Map<number, number>();
  let total = 0;
  for (let p = matrix.indptr[row]; p < matrix.indptr[row + 1]; p++) total += Math.abs(matrix.data[p]);
  const scale = total === 0 ? 1 : total;
  for (let p = matrix.indptr[row]; p < matrix.indptr[row + 1]; p++)
    out.set(matrix.indices[p], matrix.data[p] / scale);
  return out;
}

export function averageRows(a: Map<number, number>, b: Map<number, number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [term, v] of a) out.set(term, v / 2);
  for (const [term, v] of b) out.set(term, (out.get(term) ?? 0) + v / 2);
  return out;
}

/** Topic rows of the documents `members` (indices into texts/labels). */
export function sliceCtfidf(
  representation: TopicRepresentation,
  texts: readonly string[],
  labels: Int32Array,
  members: readonly number[],
  globalTuning: boolean,
): SliceTopics {
  const byTopic = new Map<number, string[]>();
  for (const i of members) {
    const list = byTopic.get(labels[i]);
    if (list) list.push(texts[i]);
    else byTopic.set(labels[i], [texts[i]]);
  }
  const topicIds = [...byTopic.keys()].sort((a, b) => a - b);
  const counts = representation.vectorizer.transform(topicIds.map((id) => byTopic.get(id)!.join(" ")));
  const weighted = representation.ctfidf.transformer.transform(counts);
  const weights = topicIds.map((id, row) => {
    const local = l1Row(weighted, row);
    if (!globalTuning) return local;
    const globalRow = representation.topicIds.indexOf(id);
    return globalRow < 0 ? local : averageRows(local, l1Row(representation.ctfidf.matrix, globalRow));
  });
  return { topicIds, frequencies: topicIds.map((id) => byTopic.get(id)!.length), weights };
}

/** Best `n` terms of one weight row, ties by vocabulary order (as represent's rowTopTerms). */
export function topTerms(
  weights: Map<number, number>,
  vocabulary: readonly string[],
  n: number,
): TopicTerm[] {
  return rowTopTerms(sparseRowFromMap(weights, vocabulary.length), 0, vocabulary, n);
}
