/**
 * Sentence boundaries for any language, from ICU's rules through `Intl.Segmenter` (full stops, 。, ！,
 * ؟, ।, line breaks, …). Used to cut long documents into windows that end where a sentence ends.
 */

const segmenters = new Map<string, Intl.Segmenter>();

/** The sentences of a text, in order, each with its trailing space; concatenated they give the text back. */
export function splitSentences(text: string, locale = "en"): string[] {
  let segmenter = segmenters.get(locale);
  if (segmenter === undefined) {
    segmenter = new Intl.Segmenter(locale, { granularity: "sentence" });
    segmenters.set(locale, segmenter);
  }
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** The words of a text with the spaces that follow them (a sentence too long for one window is cut at these). */
export function splitWords(text: string, locale = "en"): string[] {
  const out: string[] = [];
  let current = "";
  for (const segment of new Intl.Segmenter(locale, { granularity: "word" }).segment(text)) {
    if (segment.isWordLike && current.trim().length > 0) {
      out.push(current);
      current = "";
    }
    current += segment.segment;
  }
  if (current.length > 0) out.push(current);
  return out;
}
