/**
 * All metrics of one fitted model, from plain data (what a model folder holds): coherence (C_NPMI,
 * C_V) on a reference corpus, topic diversity, clustering scores against reference labels, the topic
 * count and outlier share, and the stage timings and peak memory the fit recorded. The outlier topic
 * (-1) is left out of coherence and diversity, as in BERTopic's and OCTIS's evaluations.
 */
import type { StageTiming, Topic } from "../topics/types.js";
import { type ClusteringScores, encodeLabels, scoreTopicsAgainstLabels } from "./clustering.js";
import { cvFromCounts, npmiFromCounts } from "./coherence.js";
import { topicDiversity } from "./diversity.js";
import { documentCount, type ReferenceCorpus } from "./reference-corpus.js";
import { countSlidingWindows, type WindowCounting } from "./sliding-window.js";

export interface EvaluationInput {
  /** Topics with their ranked words (topics.json); a topic with id -1 is ignored. */
  topics: readonly Topic[];
  /** Topic of every document, corpus order, -1 = outlier. */
  assignments: ArrayLike<number>;
  /** Reference class of every document (corpus order); missing ones are left out of the label scores. */
  labels?: readonly (string | null | undefined)[];
  /** Where the labels came from, for the report (e.g. "documents.jsonl label"). */
  labelSource?: string;
  /** Tokenized reference corpus for coherence; without it coherence is not computed. */
  reference?: ReferenceCorpus;
  /** Where the reference corpus came from, for the report. */
  referenceSource?: string;
  /** From model.json. */
  timings?: readonly StageTiming[];
  peakRssBytes?: number;
}

export interface EvaluationOptions {
  /** Top words per topic for coherence and diversity (default 10). */
  topN?: number;
  /** Window counting for coherence (default "gensim", comparable with published numbers). */
  windowCounting?: WindowCounting;
  /** Sliding windows (defaults 10 and 110, as gensim's c_npmi and c_v). */
  npmiWindow?: number;
  cvWindow?: number;
}

export interface TopicCoherence {
  topic: number;
  words: string[];
  npmi: number | null;
  cv: number | null;
}

export interface CoherenceMetrics {
  npmi: number | null;
  cv: number | null;
  npmiWindow: number;
  cvWindow: number;
  windowCounting: WindowCounting;
  reference: { source: string; documents: number; tokens: number };
  /** Top words the reference corpus does not contain (left out of the scores, as gensim does). */
  missingWords: number;
  /** Topics with fewer than two words in the reference corpus (left out of the means). */
  unscoredTopics: number;
  perTopic: TopicCoherence[];
}

export interface LabelMetrics {
  source: string;
  classes: number;
  /** Documents scored (those with a label). */
  documents: number;
  /** Documents without a label, left out. */
  missing: number;
  /** Outliers as their own cluster. */
  all: ClusteringScores;
  /** Outliers left out (null when every labelled document is an outlier). */
  nonOutliers: ClusteringScores | null;
}

/** Contents of metrics.json. */
export interface ModelMetrics {
  documents: number;
  topics: number;
  outliers: number;
  outlierShare: number;
  topN: number;
  diversity: number | null;
  coherence: CoherenceMetrics | null;
  /** Null without labels, or when no document has one. */
  labels: LabelMetrics | null;
  timings: StageTiming[];
  peakRssBytes: number | null;
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

export function evaluateTopicModel(input: EvaluationInput, options: EvaluationOptions = {}): ModelMetrics {
  const topN = options.topN ?? 10;
  if (!Number.isInteger(topN) || topN < 2) throw new RangeError(`topN must be an integer ≥ 2, got ${topN}`);
  const topics = input.topics.filter((t) => t.id !== -1).sort((a, b) => a.id - b.id);
  const topWords = topics.map((t) => t.words.slice(0, topN).map((w) => w.word));
  const n = input.assignments.length;
  let outliers = 0;
  for (let i = 0; i < n; i++) if (input.assignments[i] === -1) outliers++;

  return {
    documents: n,
    topics: topics.length,
    outliers,
    outlierShare: n > 0 ? outliers / n : 0,
    topN,
    diversity: topics.length > 0 ? topicDiversity(topWords, topN) : null,
    coherence: input.reference ? coherenceMetrics(topics, topWords, input, options, topN) : null,
    labels: input.labels
      ? labelMetrics(input.labels, input.assignments, input.labelSource ?? "labels")
      : null,
    timings: [...(input.timings ?? [])],
    peakRssBytes: input.peakRssBytes ?? null,
  };
}

function coherenceMetrics(
  topics: readonly Topic[],
  topWords: string[][],
  input: EvaluationInput,
  options: EvaluationOptions,
  topN: number,
): CoherenceMetrics {
  const reference = input.reference!;
  const counting = options.windowCounting ?? "gensim";
  const npmiWindow = options.npmiWindow ?? 10;
  const cvWindow = options.cvWindow ?? 110;
  const words = new Set(topWords.flat());
  const npmi = npmiFromCounts(topWords, countSlidingWindows(reference, words, npmiWindow, counting), topN);
  const cv = cvFromCounts(topWords, countSlidingWindows(reference, words, cvWindow, counting), topN);
  return {
    npmi: finiteOrNull(npmi.score),
    cv: finiteOrNull(cv.score),
    npmiWindow,
    cvWindow,
    windowCounting: counting,
    reference: {
      source: input.referenceSource ?? "reference corpus",
      documents: documentCount(reference),
      tokens: reference.tokens.length,
    },
    missingWords: npmi.missingWords.reduce((sum, m) => sum + m.length, 0),
    unscoredTopics: npmi.unscoredTopics,
    perTopic: topics.map((topic, t) => ({
      topic: topic.id,
      words: topWords[t],
      npmi: finiteOrNull(npmi.perTopic[t]),
      cv: finiteOrNull(cv.perTopic[t]),
    })),
  };
}

function labelMetrics(
  labels: readonly (string | null | undefined)[],
  assignments: ArrayLike<number>,
  source: string,
): LabelMetrics | null {
  if (labels.length !== assignments.length) {
    throw new RangeError(`${labels.length} labels for ${assignments.length} documents`);
  }
  const { codes, classes, missing } = encodeLabels(labels);
  const truth: number[] = [];
  const predicted: number[] = [];
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] === -1) continue;
    truth.push(codes[i]);
    predicted.push(assignments[i]);
  }
  if (truth.length === 0) return null;
  const scores = scoreTopicsAgainstLabels(truth, predicted);
  return {
    source,
    classes: classes.length,
    documents: truth.length,
    missing,
    all: scores.all,
    nonOutliers: scores.nonOutliers,
  };
}
