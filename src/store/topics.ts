/**
 * Topics for stored rows from a fitted topic model: a document the model was fitted on keeps the
 * topic it has there (matched by text); any other is assigned by the model's transform, on the
 * vectors the indexer already computed (nothing is embedded twice).
 */
import type { Embedder } from "../embed/types.js";
import type { CorpusDocument, Matrix } from "../types.js";
import { UserError } from "../util/errors.js";
import type { TopicAssigner } from "./indexer.js";

export type { TopicAssigner } from "./indexer.js";

/** What the store needs of a fitted model (TopicModel has it). */
export interface FittedTopics {
  embedderId: string;
  documents: readonly CorpusDocument[];
  labels: Int32Array;
  probabilities: Float32Array;
  transform(
    docs: readonly string[],
    options: { embeddings: Matrix },
  ): Promise<{ topics: Int32Array; probabilities: Float32Array }>;
}

export function topicAssigner(model: FittedTopics, embedder: Embedder, name: string): TopicAssigner {
  if (model.embedderId !== embedder.id) {
    throw new UserError(
      `topic model ${name} was fitted on ${model.embedderId} vectors; the store's are ${embedder.id}: ` +
        "index with the model's embedding model (--model) into another --db/--table",
    );
  }
  const known = new Map<string, number>();
  model.documents.forEach((doc, i) => {
    if (!known.has(doc.text)) known.set(doc.text, i);
  });
  return async (documents, vectors) => {
    const topics = new Int32Array(documents.length);
    const probabilities = new Float32Array(documents.length);
    const unknown: number[] = [];
    documents.forEach((doc, i) => {
      const j = known.get(doc.text);
      if (j === undefined) unknown.push(i);
      else {
        topics[i] = model.labels[j];
        probabilities[i] = model.probabilities[j];
      }
    });
    if (unknown.length > 0) {
      const cols = vectors.cols;
      const data = new Float32Array(unknown.length * cols);
      unknown.forEach((i, r) => {
        data.set(vectors.data.subarray(i * cols, (i + 1) * cols), r * cols);
      });
      const predicted = await model.transform(
        unknown.map((i) => documents[i].text),
        { embeddings: { data, rows: unknown.length, cols } },
      );
      unknown.forEach((i, r) => {
        topics[i] = predicted.topics[r];
        probabilities[i] = predicted.probabilities[r];
      });
    }
    return { topics, probabilities };
  };
}
