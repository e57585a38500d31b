/**
 * Text clean-up used for display and tokenising. Documents always keep their original text; these
 * helpers make derived strings only.
 */

/** Collapses every run of whitespace (including newlines and tabs) to one space and trims the ends. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}

/** A one-line preview of at most `maxChars` characters, for reports and logs. */
export function preview(text: string, maxChars = 120): string {
  const flat = collapseWhitespace(text);
  return flat.length <= maxChars ? flat : `${flat.slice(0, Math.max(0, maxChars - 1)).trimEnd()}…`;
}
