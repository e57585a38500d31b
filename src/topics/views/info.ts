/** Inspection tables (BERTopic's get_topic_info / get_document_info) as plain rows. */
import type { CorpusDocument } from "../../types.js";
import type { Topic } from "../types.js";

export interface TopicInfoRow {
  topic: number;
  size: number;
  /** Automatic label (the zero-shot name for zero-shot topics). */
  name: string;
  customName?: string;
  words: string[];
  representativeDocs: string[];
}

export interface DocumentInfoRow {
  index: number;
  id: string;
  text: string;
  topic: number;
  /** Name of the document's topic (custom label when set). */
  name: string;
  probability: number;
  representative: boolean;
  /** The topic's top words joined with " - " (BERTopic's Top_n_words). */
  topWords: string;
  label?: string;
  timestamp?: string;
}

export function topicInfo(topics: readonly Topic[], documents: readonly CorpusDocument[]): TopicInfoRow[] {
  return [...topics]
    .sort((a, b) => a.id - b.id)
    .map((t) => {
      const row: TopicInfoRow = {
        topic: t.id,
        size: t.size,
        name: t.label,
        words: t.words.map((w) => w.word),
        representativeDocs: t.representativeDocs.map((i) => documents[i]?.text ?? ""),
      };
      if (t.customLabel !== undefined) row.customName = t.customLabel;
      return row;
    });
}

export function documentInfo(
  topics: readonly Topic[],
  documents: readonly CorpusDocument[],
  labels: Int32Array,
  probabilities: Float32Array,
): DocumentInfoRow[] {
  const byId = new Map(topics.map((t) => [t.id, t]));
  const representative = new Set(topics.flatMap((t) => t.representativeDocs));
  return documents.map((d, i) => {
    const topic = byId.get(labels[i]);
    const row: DocumentInfoRow = {
      index: i,
      id: d.id,
      text: d.text,
      topic: labels[i],
      name: topic ? (topic.customLabel ?? topic.label) : String(labels[i]),
      probability: probabilities[i],
      representative: representative.has(i),
      topWords: topic ? topic.words.map((w) => w.word).join(" - ") : "",
    };
    if (d.label !== undefined) row.label = d.label;
    if (d.timestamp !== undefined) row.timestamp = d.timestamp;
    return row;
  });
}
