/**
 * Everything a fitted TopicModel holds, as one plain object: what fit (fit.ts) and load (folder.ts)
 * produce and the model adopts.
 */
import type { Clusterer } from "../../cluster/types.js";
import type { EmbedderState } from "../../embed/index.js";
import type { TopicRepresentation } from "../../represent/index.js";
import type { CorpusDocument, Matrix } from "../../types.js";
import type { TopicOperation } from "../folder/format.js";
import type { StageTiming, Topic } from "../types.js";
import type { FittedStages } from "./pipeline.js";
import type { TopicTermCounts } from "./term-counts.js";
import type { TopicEmbeddingTable } from "./topic-vectors.js";

export interface ModelState {
  documents: CorpusDocument[];
  /** Where the corpus came from (model.json). */
  source: string | undefined;
  labels: Int32Array;
  probabilities: Float32Array;
  topics: Topic[];
  embeddings: Matrix | null;
  reduced: Matrix | null;
  representation: TopicRepresentation | null;
  embedderId: string;
  timings: StageTiming[];
  peakRssBytes: number;
  clusterTopic: Map<number, number>;
  clusterLabels: Int32Array | null;
  history: TopicOperation[];
  /** The fitted reducer's and clusterer's own states (undefined when nothing was clustered). */
  stages: FittedStages | undefined;
  /** The fitted clusterer while this process holds it (undefined after load or for zero-shot). */
  clusterer: Clusterer | undefined;
  /** Topic embeddings already computed for the current labels, if any. */
  topicEmbeddings: TopicEmbeddingTable | undefined;
  /** What a corpus-fitted encoder (`tfidf`) learnt, so new texts land in the documents' space. */
  embedderState?: EmbedderState;
  /** Raw per-topic term counts for cheap rebuilds (absent in older folders and for n-gram ranges). */
  termCounts?: TopicTermCounts;
}
