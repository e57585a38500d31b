/** The one rule for texts that carry nothing, shared by every stage and the model. */

/**
 * True when a text has nothing but whitespace. Such documents are kept in place: they get the zero
 * vector (no model call), topic -1 and probability 0, and are left out of reduce, cluster and c-TF-IDF.
 */
export function isBlank(text: string): boolean {
  // \s is exactly what trim() removes; the test stops at the first other character, where trim()
  // copied the whole text (a rebuild asks this of every document)
  return !NOT_SPACE.test(text);
}

const NOT_SPACE = /\S/;
