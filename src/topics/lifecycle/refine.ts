/**
 * Representation models chained after c-TF-IDF (BERTopic's representation_model): MMR keeps the
 * candidate words that are relevant to the topic yet unlike each other; KeyBERT-inspired re-ranks the
 * candidates by similarity to the topic embedding. Both need word embeddings from the same encoder as
 * the documents; the pure scoring lives in src/represent (mmr.ts, keybert.ts).
 */
import {
  keyBertInspired,
  maximalMarginalRelevance,
  type TopicRepresentation,
  topicCandidates,
} from "../../represent/index.js";
import type { Matrix } from "../../types.js";
import type { RepresentationParameters, TopicTerm } from "../types.js";

export async function refineWords(
  representation: TopicRepresentation,
  parameters: RepresentationParameters,
  topN: number,
  embed: (texts: readonly string[]) => Promise<Matrix>,
  topicVectors: ReadonlyMap<number, Float32Array>,
): Promise<Map<number, TopicTerm[]>> {
  const candidateCount = parameters.candidates ?? (parameters.model === "mmr" ? Math.max(topN, 30) : 100);
  const candidates = new Map(
    representation.topicIds.map((id) => [id, topicCandidates(representation, id, candidateCount)]),
  );
  if (parameters.model === "mmr")
    return maximalMarginalRelevance(candidates, embed, { diversity: parameters.diversity, topN });
  if (parameters.model === "keybert")
    return keyBertInspired({ candidates, topicEmbeddings: topicVectors, embed }, { topN });
  return new Map(representation.topicIds.map((id) => [id, representation.words.get(id) ?? []]));
}
