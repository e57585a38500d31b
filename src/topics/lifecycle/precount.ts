/**
 * Counting the corpus's terms while its embeddings are reduced and clustered. The represent stage's
 * count (tokenising every document for c-TF-IDF and the junk rule: ~0.8 s of 20 Newsgroups, on the
 * main thread) does not depend on the topics, only its sums per topic do; a worker at the lowest
 * priority (util/priority.ts) counts them ahead and uses only what the reduce and cluster stages
 * leave idle (the spectral start, HDBSCAN and the outlier rule run on one core). The fit then sums
 * the counted documents per topic (TopicTermCounts.fromPrecount): the same counts, term ids and
 * outputs as counting on the main thread (tested).
 */
import { availableParallelism } from "node:os";
import { type BackgroundJob, siblingModule, startBackgroundJob } from "../../util/module-worker.js";
import type { TopicModelParameters } from "../types.js";
import { type DocumentPrecount, TopicTermCounts } from "./term-counts.js";

/** Text (UTF-16 units) from which counting ahead pays for a worker's start and the texts' copy. */
export const MIN_PRECOUNT_CHARACTERS = 2_000_000;
/**
 * Text up to which the worker gets its own copy of the texts (structured clone: 1–2 bytes a unit);
 * beyond, the memory matters more than the second core and the stage counts in place.
 */
export const MAX_PRECOUNT_CHARACTERS = 200_000_000;

/** What the worker is given. */
export interface PrecountRequest {
  represent: TopicModelParameters["represent"];
  /** Text k is document documents[k]. */
  texts: string[];
  documents: Int32Array;
}

/** The counts, or undefined when the worker failed (the represent stage then counts itself). */
export type PrecountJob = BackgroundJob<DocumentPrecount>;

/**
 * Starts counting the `included` documents' terms on a worker, when it can pay: counts supported for
 * these options (unigrams), a second core, and enough text (but not so much that its copy weighs).
 * Undefined otherwise.
 */
export function startPrecount(
  texts: readonly string[],
  included: Uint8Array,
  represent: TopicModelParameters["represent"],
): PrecountJob | undefined {
  if (TopicTermCounts.keyFor(represent) === undefined || availableParallelism() < 2) return undefined;
  const documents: number[] = [];
  let characters = 0;
  for (let i = 0; i < texts.length; i++) {
    if (!included[i]) continue;
    documents.push(i);
    characters += texts[i].length;
  }
  if (characters < MIN_PRECOUNT_CHARACTERS || characters > MAX_PRECOUNT_CHARACTERS) return undefined;
  const request: PrecountRequest = {
    represent,
    texts: documents.map((i) => texts[i]),
    documents: Int32Array.from(documents),
  };
  return startBackgroundJob<DocumentPrecount>(siblingModule("precount-worker", import.meta.url), request);
}

/** The job's counts as empty topic counts holding them, or undefined (then the stage counts itself). */
export async function precountedTerms(
  job: PrecountJob | undefined,
  represent: TopicModelParameters["represent"],
): Promise<TopicTermCounts | undefined> {
  const precount = await job?.result;
  return precount ? TopicTermCounts.fromPrecount(represent, precount) : undefined;
}
