/**
 * Small synthetic corpora with a known answer, and a tiny deterministic "sentence encoder" so the
 * topic operations can be tested in milliseconds without the real model: a text's vector is the
 * normalised sum of fixed random vectors of its words, so texts sharing words are close, and a query
 * made of a topic's words lands next to that topic.
 */
import type { Embedder } from "../../src/embed/types.js";
import type { Matrix } from "../../src/types.js";
import { createRng } from "../../src/util/rng.js";

export const DIMENSION = 48;

const wordVectors = new Map<string, Float32Array>();

function hash(word: string): number {
  let h = 2166136261;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
  return h >>> 0;
}

function wordVector(word: string): Float32Array {
  let v = wordVectors.get(word);
  if (!v) {
    const rng = createRng(hash(word));
    v = Float32Array.from({ length: DIMENSION }, () => rng.nextGaussian());
    wordVectors.set(word, v);
  }
  return v;
}

export function embedBagOfWords(texts: readonly string[]): Matrix {
  const data = new Float32Array(texts.length * DIMENSION);
  texts.forEach((text, i) => {
    const words = text.toLowerCase().match(/[\p{L}\p{N}_]{2,}/gu) ?? [];
    const row = data.subarray(i * DIMENSION, (i + 1) * DIMENSION);
    for (const w of words) {
      const v = wordVector(w);
      for (let j = 0; j < DIMENSION; j++) row[j] += v[j];
    }
    let norm = 0;
    for (let j = 0; j < DIMENSION; j++) norm += row[j] * row[j];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < DIMENSION; j++) row[j] /= norm;
  });
  return { data, rows: texts.length, cols: DIMENSION };
}

export const bagOfWordsEmbedder: Embedder = {
  id: "test-bag-of-words",
  dimension: DIMENSION,
  maxTokens: 512,
  cacheable: false,
  embed: async (texts) => embedBagOfWords(texts),
};

export const TOPIC_WORDS: Record<string, string[]> = {
  space: [
    "rocket",
    "orbit",
    "nasa",
    "launch",
    "satellite",
    "astronaut",
    "moon",
    "shuttle",
    "telescope",
    "planet",
  ],
  food: ["recipe", "bake", "flour", "oven", "sugar", "butter", "dough", "bread", "cake", "kitchen"],
  football: [
    "goal",
    "match",
    "striker",
    "league",
    "referee",
    "penalty",
    "stadium",
    "coach",
    "midfield",
    "keeper",
  ],
  finance: [
    "stock",
    "market",
    "shares",
    "investor",
    "dividend",
    "bond",
    "inflation",
    "bank",
    "interest",
    "trading",
  ],
};

export interface SyntheticCorpus {
  texts: string[];
  /** The topic name each document was generated from ("noise" for outliers, "" for empty). */
  truth: string[];
  timestamps: string[];
  classes: string[];
}

/**
 * `perTopic` documents per topic of 8 words drawn from the topic's list, plus `noise` documents
 * mixing words of every topic. Timestamps: "space" only in 2021, the others spread over 2020–2022.
 */
export function syntheticCorpus(
  options: { perTopic?: number; noise?: number; seed?: number; topics?: string[] } = {},
): SyntheticCorpus {
  const perTopic = options.perTopic ?? 30;
  const rng = createRng(options.seed ?? 7);
  const names = options.topics ?? Object.keys(TOPIC_WORDS);
  const texts: string[] = [];
  const truth: string[] = [];
  const timestamps: string[] = [];
  const classes: string[] = [];
  const pick = <T>(list: readonly T[]): T => list[rng.nextInt(list.length)];
  for (const name of names) {
    for (let i = 0; i < perTopic; i++) {
      const words = Array.from({ length: 8 }, () => pick(TOPIC_WORDS[name]));
      texts.push(`${words.join(" ")}.`);
      truth.push(name);
      const year = name === "space" ? 2021 : 2020 + (i % 3);
      timestamps.push(`${year}-0${1 + (i % 9)}-15`);
      classes.push(i % 2 === 0 ? "blog" : "news");
    }
  }
  const all = names.flatMap((n) => TOPIC_WORDS[n]);
  for (let i = 0; i < (options.noise ?? 0); i++) {
    texts.push(Array.from({ length: 8 }, () => pick(all)).join(" "));
    truth.push("noise");
    timestamps.push(`202${i % 3}-06-01`);
    classes.push("news");
  }
  return { texts, truth, timestamps, classes };
}
