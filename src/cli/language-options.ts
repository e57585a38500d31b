/**
 * Flags about languages and where an encoder comes from, shared by `embed` and the pipeline verbs:
 * hub downloads (`--revision`, `--offline`), unreadable text (`--allow-unknown-text`), long documents,
 * the corpus language and stop words. Each parser turns a bad value into one line naming the flag.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { Option } from "commander";
import { DEFAULT_LONG_DOCUMENTS, LONG_DOCUMENT_MODES } from "../embed/index.js";
import { knownLanguages } from "../text/language.js";
import { hasStopWords, stopWordLanguages } from "../text/stopwords.js";
import { UserError } from "../util/errors.js";

export const embeddingSourceOptions = {
  revision: () =>
    new Option("--revision <rev>", "hub models: the branch, tag or commit to download (default main)"),
  offline: () =>
    new Option(
      "--offline",
      "never touch the network: hub models must already be in the cache (also HF_HUB_OFFLINE=1)",
    ),
  allowUnknownText: () =>
    new Option(
      "--allow-unknown-text",
      "embed even when the model cannot read most documents (their vectors would be nearly identical; by default that stops with an error)",
    ),
  longDocuments: () =>
    new Option(
      "--long-documents <mode>",
      "documents over the model's token budget: truncate (embed the first tokens) or chunk (overlapping windows at sentence boundaries, averaged)",
    )
      .choices([...LONG_DOCUMENT_MODES])
      .default(DEFAULT_LONG_DOCUMENTS),
};

export function languageOption(): Option {
  return new Option(
    "--language <code>",
    "language of the corpus as an ISO 639-1 code (zh, ja, th, de, …): word segmentation and stop words (default: detected)",
  );
}

/** A `--language` value checked against the languages we know (undefined and "auto" = detect). */
export function parseLanguage(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const code = value.trim().toLowerCase();
  if (code === "auto") return undefined;
  const known = knownLanguages();
  if (!known.includes(code)) {
    throw new UserError(
      `--language: unknown language '${value}'; use an ISO 639-1 code: ${known.join(", ")} (or leave it out to detect it)`,
    );
  }
  return code;
}

/**
 * `--stop-words`: "auto" (the corpus language's list, the default), "none", "english", a language
 * code, or a file of words (one per line; blank lines and lines starting with # are skipped).
 */
export function parseStopWords(value: string): string | string[] {
  const name = value.trim();
  const lower = name.toLowerCase();
  if (lower === "auto" || lower === "none" || lower === "english") return lower;
  if (hasStopWords(lower) && !existsSync(name)) return lower;
  if (existsSync(name) && statSync(name).isFile()) {
    const words = readFileSync(name, "utf8")
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0 && !line.startsWith("#"));
    if (words.length === 0) throw new UserError(`--stop-words: ${name} holds no words (one per line)`);
    return words;
  }
  throw new UserError(
    `--stop-words: '${value}' is not auto, none, english, a language code (${stopWordLanguages().join(", ")}) or a file of words`,
  );
}
