/**
 * Text from a corpus or a model folder can hold bytes a terminal obeys: ESC sequences retitle the
 * window or repaint the screen, NUL and BEL misbehave, and bidi overrides (U+202E …) reorder the line
 * they sit in so that "gnp.exe" reads "exe.png". Everything we print that may quote such text goes
 * through `escapeForTerminal`, which shows those characters as visible escapes instead.
 */

// C0 controls, DEL, C1 controls, and the bidi formatting characters (ALM, LRM/RLM, embeddings and
// overrides, isolates). Line feed and tab are handled by the options.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

export interface EscapeOptions {
  /** Keep "\n" as a line break (multi-line info messages); default: escape it, so the text is one line. */
  newlines?: boolean;
  /** Keep "\t" (tab-separated tables on stdout); default: escape it. */
  tabs?: boolean;
}

/** `text` with every control and bidi formatting character written as `\xHH` / `\uHHHH`. */
export function escapeForTerminal(text: string, options: EscapeOptions = {}): string {
  return text.replace(UNSAFE, (char) => {
    if (char === "\n" && options.newlines) return char;
    if (char === "\t" && options.tabs) return char;
    if (char === "\n") return "\\n";
    if (char === "\t") return "\\t";
    if (char === "\r") return "\\r";
    const code = char.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

// The explicit bidi embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI). Marks
// (LRM, RLM, ALM) only nudge neutral characters and stay.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/gu;
/** The same characters, tested first: most texts have none, and a test is several times cheaper than a replace. */
const HAS_BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/**
 * Corpus text for a page or a chart, with every explicit bidi embedding/override/isolate shown as
 * `[U+202E]`. Rendered as they are, an override reverses the text after it — "\u202Egnp.exe" shows as
 * "exe.png" — and, unterminated, the page's own words that follow ("(23 documents)"). Shown, the text
 * reads as what it is. Right-to-left scripts need none of them: their letters carry their direction.
 */
export function visibleBidiControls(text: string): string {
  if (!HAS_BIDI_CONTROL.test(text)) return text;
  return text.replace(
    BIDI_CONTROLS,
    (char) => `[U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}]`,
  );
}
