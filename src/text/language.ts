/**
 * Which language a corpus is written in, from a sample of its text: the dominant script settles
 * Chinese, Japanese, Korean, Thai, Greek, Hebrew, …; within a script shared by many languages (Latin,
 * Cyrillic, Arabic, Devanagari) the language whose stop words explain the tokens best wins — function
 * words are the most frequent words of every language, so a few hundred tokens decide it.
 */
import { countScripts, dominantScript, kanaShare, type Script } from "./scripts.js";
import { stopWordLanguages, stopWordsFor } from "./stopwords.js";

export interface LanguageGuess {
  /** ISO 639-1 code ("en", "zh", …), or "und" when the text has no letters or no known language. */
  language: string;
  /** The dominant script of the letters, or null when there are none. */
  script: Script | null;
  /** Share of the sampled letters in that script (0–1). */
  scriptShare: number;
}

/** Languages told by their script alone. */
const SCRIPT_LANGUAGE: Partial<Record<Script, string>> = {
  Hangul: "ko",
  Thai: "th",
  Lao: "lo",
  Khmer: "km",
  Myanmar: "my",
  Greek: "el",
  Hebrew: "he",
  Armenian: "hy",
  Georgian: "ka",
  Bengali: "bn",
  Gujarati: "gu",
  Gurmukhi: "pa",
  Tamil: "ta",
  Telugu: "te",
  Kannada: "kn",
  Malayalam: "ml",
  Sinhala: "si",
  Tibetan: "bo",
  Ethiopic: "am",
  Hiragana: "ja",
  Katakana: "ja",
};

const WORD = /[\p{L}\p{M}']+/gu;

/**
 * The stop-word language that explains the sampled tokens best. Each token that is a stop word in k
 * of the candidate languages counts 1/k for each, so words shared by many lists ("a", "de", "la")
 * decide little and a big list (English has 1,298 entries) gains nothing from its size alone.
 */
function stopWordLanguage(texts: readonly string[], candidates: readonly string[]): string | undefined {
  const lists = candidates.map((language) => stopWordsFor(language)!);
  const scores = new Float64Array(candidates.length);
  let tokens = 0;
  for (const text of texts) {
    for (const match of text.slice(0, 2000).toLowerCase().matchAll(WORD)) {
      const hits: number[] = [];
      for (let c = 0; c < lists.length; c++) if (lists[c].has(match[0])) hits.push(c);
      for (const c of hits) scores[c] += 1 / hits.length;
      if (++tokens >= 20000) break;
    }
    if (tokens >= 20000) break;
  }
  let best: string | undefined;
  let bestScore = 0;
  candidates.forEach((language, c) => {
    if (scores[c] > bestScore) {
      best = language;
      bestScore = scores[c];
    }
  });
  return best;
}

/** Up to `size` texts spread evenly over the corpus (deterministic, no RNG: a sample that is always the same). */
export function evenSample<T>(items: readonly T[], size: number): T[] {
  if (items.length <= size) return [...items];
  const out: T[] = [];
  for (let k = 0; k < size; k++) out.push(items[Math.floor((k * items.length) / size)]);
  return out;
}

/** The stop-word languages whose words are written in a script (by the script of each list's letters). */
const languagesByScript = new Map<Script, string[]>();
function stopWordLanguagesOf(script: Script): string[] {
  if (languagesByScript.size === 0) {
    for (const language of stopWordLanguages()) {
      const counts = new Map<Script, number>();
      for (const word of stopWordsFor(language)!) countScripts(word, counts);
      const main = dominantScript(counts);
      if (main === null) continue;
      const list = languagesByScript.get(main) ?? [];
      list.push(language);
      languagesByScript.set(main, list);
    }
  }
  return languagesByScript.get(script) ?? [];
}

/** Guesses the language of a corpus from up to `sample` of its texts (default 500, first 2,000 characters each). */
export function detectLanguage(texts: readonly string[], sample = 500): LanguageGuess {
  const picked = evenSample(texts, sample);
  const counts = new Map<Script, number>();
  for (const text of picked) countScripts(text, counts);
  const script = dominantScript(counts);
  if (script === null) return { language: "und", script: null, scriptShare: 0 };
  let total = 0;
  for (const count of counts.values()) total += count;
  let scriptShare = (counts.get(script) ?? 0) / total;
  if (script === "Han" || script === "Hiragana" || script === "Katakana") {
    // Japanese mixes Han with kana; a corpus with a fair share of kana is Japanese, else Chinese
    const japanese = kanaShare(counts) >= 0.1;
    const cjk = (counts.get("Han") ?? 0) + (counts.get("Hiragana") ?? 0) + (counts.get("Katakana") ?? 0);
    scriptShare = cjk / total;
    return { language: japanese ? "ja" : "zh", script: japanese ? "Hiragana" : "Han", scriptShare };
  }
  const byScript = SCRIPT_LANGUAGE[script];
  if (byScript !== undefined) return { language: byScript, script, scriptShare };
  const language = stopWordLanguage(picked, stopWordLanguagesOf(script)) ?? "und";
  return { language, script, scriptShare };
}

const displayNames = new Intl.DisplayNames(["en"], { type: "language" });

/** "Chinese", "German", … for an ISO 639-1 code (the code itself when unknown). */
export function languageName(code: string): string {
  if (code === "und") return "an unknown language";
  try {
    return displayNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** How a script is named to a user: "Han script", "kana" (Japanese syllabaries), "Cyrillic script". */
export function scriptName(script: Script): string {
  if (script === "Hiragana" || script === "Katakana") return "kana and Han script";
  return `${script} script`;
}

/** Codes `--language` accepts: every language with a stop word list, and those told by script alone. */
export function knownLanguages(): string[] {
  const codes = new Set([...stopWordLanguages(), ...Object.values(SCRIPT_LANGUAGE), "zh", "ja"]);
  codes.delete(undefined as unknown as string);
  return [...codes].sort();
}
