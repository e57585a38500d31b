/**
 * What an encoder can read of a corpus, checked before embedding: documents it cannot read (most of
 * their tokens map to its unknown token — an English encoder on Chinese text gives every document
 * nearly the same vector, silently) and documents over its token budget (cut, or chunked). A corpus
 * mostly unreadable stops with one line naming the script and language found and what to use instead;
 * a few unreadable documents, and every document over the budget, are reported as warnings.
 */

import { detectLanguage, languageName, scriptName } from "../text/language.js";
import { countScripts, dominantScript, type Script } from "../text/scripts.js";
import { UserError } from "../util/errors.js";
import { isBlank } from "../util/text.js";
import type { LongDocumentMode } from "./methods.js";
import type { Embedder } from "./types.js";

/** A document counts as unreadable when at least this share of its tokens is the unknown token. */
export const UNREADABLE_SHARE = 0.25;
/** The multilingual model suggested when a corpus is not in the encoder's language (50+ languages, 118 M parameters). */
export const MULTILINGUAL_MODEL = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2";

export interface CorpusReading {
  /** Non-blank documents. */
  documents: number;
  /** Indices of documents whose unknown-token share is ≥ UNREADABLE_SHARE. */
  unreadable: number[];
  /** Mean unknown-token share of the unreadable documents. */
  unreadableShare: number;
  /** Indices of documents over the token budget. */
  overBudget: number[];
  /** The encoder's budget (content tokens), when it has one. */
  budget?: number;
}

/** Reads every non-blank document as the encoder would (cheap: tokenizing a bounded prefix). */
export function readCorpusWith(embedder: Embedder, texts: readonly string[]): CorpusReading {
  const reading: CorpusReading = {
    documents: 0,
    unreadable: [],
    unreadableShare: 0,
    overBudget: [],
    budget: embedder.tokenBudget,
  };
  const read = embedder.read;
  if (read === undefined) {
    for (const text of texts) if (!isBlank(text)) reading.documents++;
    return reading;
  }
  const budget = embedder.tokenBudget ?? Number.POSITIVE_INFINITY;
  let shareSum = 0;
  texts.forEach((text, i) => {
    if (isBlank(text)) return;
    reading.documents++;
    const { tokens, unknownShare } = read(text);
    if (unknownShare >= UNREADABLE_SHARE) {
      reading.unreadable.push(i);
      shareSum += unknownShare;
    }
    if (tokens > budget) reading.overBudget.push(i);
  });
  if (reading.unreadable.length > 0) reading.unreadableShare = shareSum / reading.unreadable.length;
  return reading;
}

/** "Chinese text (Han script)": the language and script most of these texts are in. */
export function describeLanguage(texts: readonly string[]): string {
  const guess = detectLanguage(texts);
  if (guess.script === null) return "text without letters";
  const script = scriptName(guess.script);
  return guess.language === "und" ? `text in ${script}` : `${languageName(guess.language)} text (${script})`;
}

/** The scripts of documents, most frequent first, as "Han 12, Cyrillic 3". */
function scriptTally(texts: readonly string[]): string {
  const tally = new Map<Script, number>();
  for (const text of texts) {
    const script = dominantScript(countScripts(text));
    if (script !== null) tally.set(script, (tally.get(script) ?? 0) + 1);
  }
  return [...tally.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([script, count]) => `${scriptName(script)} ${count}`)
    .join(", ");
}

export interface CorpusCheckOptions {
  /** How the user named the model (for messages); default the embedder id. */
  model?: string;
  /** Embed even when most documents are unreadable (default false: stop with an error). */
  allowUnknownText?: boolean;
  longDocuments?: LongDocumentMode;
  warn: (message: string) => void;
}

/**
 * Stops (UserError) when most documents are unreadable, unless allowed; warns about a few unreadable
 * documents and about every document over the budget. Returns the reading.
 */
export function checkCorpus(
  embedder: Embedder,
  texts: readonly string[],
  options: CorpusCheckOptions,
): CorpusReading {
  const reading = readCorpusWith(embedder, texts);
  const model = options.model ?? embedder.id;
  const n = reading.documents;
  const bad = reading.unreadable.length;
  if (bad > 0) {
    const badTexts = reading.unreadable.map((i) => texts[i]);
    const share = `${Math.round(reading.unreadableShare * 100)}%`;
    if (bad * 2 > n && !options.allowUnknownText) {
      throw new UserError(
        `${bad} of ${n} documents are ${describeLanguage(badTexts)}, which ${model} cannot read (${share} of their tokens map to its unknown token, so their vectors would be nearly identical): use --model ${MULTILINGUAL_MODEL} (multilingual, downloaded once), --model tfidf (offline, any language), or --allow-unknown-text to embed anyway`,
      );
    }
    options.warn(
      `${bad} of ${n} documents are mostly text ${model} cannot read (${scriptTally(badTexts)}; ${share} of their tokens are unknown to it), so their vectors carry little of their meaning${bad * 2 > n ? "" : `; --model ${MULTILINGUAL_MODEL} reads 50+ languages`}`,
    );
  }
  const over = reading.overBudget.length;
  if (over > 0 && reading.budget !== undefined) {
    const what =
      options.longDocuments === "chunk"
        ? `embedded as overlapping windows of at most ${reading.budget} tokens, averaged`
        : `only their first ${reading.budget} tokens are embedded (--long-documents chunk embeds them whole)`;
    options.warn(
      `${over} of ${n} documents are longer than ${model}'s ${reading.budget}-token budget: ${what}`,
    );
  }
  return reading;
}
