/**
 * Writing systems of text: which script a character belongs to, which scripts write words without
 * spaces between them (so words must be found with a dictionary, `Intl.Segmenter`), and the dominant
 * script of a text — what the language check and the word tokenizer need to know about a corpus.
 */

/** Scripts we name in messages and use to guess a language. "Other" is any letter not listed. */
export const SCRIPTS = [
  "Latin",
  "Cyrillic",
  "Greek",
  "Armenian",
  "Georgian",
  "Hebrew",
  "Arabic",
  "Devanagari",
  "Bengali",
  "Gurmukhi",
  "Gujarati",
  "Tamil",
  "Telugu",
  "Kannada",
  "Malayalam",
  "Sinhala",
  "Thai",
  "Lao",
  "Khmer",
  "Myanmar",
  "Tibetan",
  "Ethiopic",
  "Hangul",
  "Hiragana",
  "Katakana",
  "Han",
] as const;

export type Script = (typeof SCRIPTS)[number] | "Other";

/**
 * Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese): a run
 * of their letters is a phrase or a sentence, not a word. Korean (Hangul) separates words by spaces.
 */
export const NO_SPACE_SCRIPTS: ReadonlySet<Script> = new Set([
  "Han",
  "Hiragana",
  "Katakana",
  "Thai",
  "Lao",
  "Khmer",
  "Myanmar",
]);

/** Matches a character of a script written without spaces (the test that selects word segmentation). */
export const NO_SPACE_CHARACTER =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

const SCRIPT_PATTERNS: ReadonlyArray<readonly [Script, RegExp]> = SCRIPTS.map((name) => [
  name,
  new RegExp(`^\\p{Script=${name}}$`, "u"),
]);
const LETTER = /^\p{L}$/u;
const scriptCache = new Map<number, Script | null>();

/** The script of one character, or null when it is not a letter (digits, punctuation, marks, space). */
export function scriptOf(char: string): Script | null {
  const code = char.codePointAt(0)!;
  if (code < 0x80) return (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a ? "Latin" : null;
  let script = scriptCache.get(code);
  if (script === undefined) {
    script = null;
    if (LETTER.test(char)) {
      script = "Other";
      for (const [name, pattern] of SCRIPT_PATTERNS) {
        if (pattern.test(char)) {
          script = name;
          break;
        }
      }
    }
    scriptCache.set(code, script);
  }
  return script;
}

/** Letters per script in (the first `maxChars` characters of) a text. */
export function countScripts(
  text: string,
  counts = new Map<Script, number>(),
  maxChars = 2000,
): Map<Script, number> {
  let seen = 0;
  for (const char of text) {
    if (++seen > maxChars) break;
    const script = scriptOf(char);
    if (script !== null) counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  return counts;
}

/**
 * The script most letters belong to, counting Hiragana and Katakana as Japanese together with the
 * Han characters they are written with; null for a text without letters.
 */
export function dominantScript(counts: ReadonlyMap<Script, number>): Script | null {
  let best: Script | null = null;
  let bestCount = 0;
  for (const [script, count] of counts) {
    if (count > bestCount) {
      best = script;
      bestCount = count;
    }
  }
  return best;
}

/** Share of the letters written in Hiragana or Katakana: Japanese writes Han with kana, Chinese without. */
export function kanaShare(counts: ReadonlyMap<Script, number>): number {
  const kana = (counts.get("Hiragana") ?? 0) + (counts.get("Katakana") ?? 0);
  const han = counts.get("Han") ?? 0;
  return kana + han === 0 ? 0 : kana / (kana + han);
}
