/**
 * The shared text layer: word segmentation of scripts without spaces (and scikit-learn's pattern,
 * unchanged, everywhere else), stop word lists by language, language and script detection, sentence
 * splitting.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CountVectorizer } from "../../src/represent/vocabulary.js";
import { detectLanguage, knownLanguages } from "../../src/text/language.js";
import { countScripts, dominantScript, scriptOf } from "../../src/text/scripts.js";
import { splitSentences, splitWords } from "../../src/text/sentences.js";
import { resolveStopWords, stopWordsFor, stopWordsForLanguage } from "../../src/text/stopwords.js";
import { createTokenizer } from "../../src/text/tokenizer.js";
import { createRng } from "../../src/util/rng.js";

const none = { ngramRange: [1, 1] as [number, number], stopWords: "none" };

describe("word tokenizer", () => {
  test("Chinese, Japanese and Thai runs are cut into words (single characters count); spaced scripts keep the ≥ 2 rule", () => {
    const tokenizer = createTokenizer(none);
    assert.deepEqual(tokenizer.terms("我喜欢猫"), ["我", "喜欢", "猫"]);
    assert.deepEqual(tokenizer.terms("今天天气不错。"), ["今天", "天气", "不错"]);
    assert.deepEqual(tokenizer.terms("ฉันชอบแมวมาก"), ["ฉัน", "ชอบ", "แมว", "มาก"]);
    assert.deepEqual(tokenizer.terms("私は猫が好きです"), ["私", "は", "猫", "が", "好き", "です"]);
    // Latin inside a Han run follows scikit-learn's rule (≥ 2 characters, lower-cased)
    assert.deepEqual(tokenizer.terms("我买了iPhone手机和a笔"), [
      "我",
      "买",
      "了",
      "iphone",
      "手机",
      "和",
      "笔",
    ]);
    // Korean separates words with spaces: scikit-learn's pattern, as before
    assert.deepEqual(tokenizer.terms("나는 고양이를 좋아해요"), ["나는", "고양이를", "좋아해요"]);
  });

  test("segmentWords: false is scikit-learn's pattern everywhere (a Chinese sentence is one token)", () => {
    const tokenizer = createTokenizer({ ...none, segmentWords: false });
    assert.deepEqual(tokenizer.terms("我喜欢猫。今天天气不错"), ["我喜欢猫", "今天天气不错"]);
  });

  test("texts without such scripts tokenize exactly as the regex (?u)\\b\\w\\w+\\b (random texts)", () => {
    const rng = createRng(7);
    const alphabet = [..."abcXYZ éÜß_019 ,.;-'\t\nǅİ²½Ωç", "\u0301", "٣"];
    const segmented = createTokenizer({ ngramRange: [1, 2], stopWords: ["the", "ab"] });
    const plain = createTokenizer({ ngramRange: [1, 2], stopWords: ["the", "ab"], segmentWords: false });
    for (let k = 0; k < 300; k++) {
      let text = "";
      const length = Math.floor(rng.next() * 60);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(rng.next() * alphabet.length)];
      assert.deepEqual(segmented.terms(text), plain.terms(text), JSON.stringify(text));
    }
  });

  test("n-grams over segmented words, stop words of the language removed first", () => {
    const tokenizer = createTokenizer({ ngramRange: [1, 2], stopWords: "zh" });
    // 我 is a stopwords-iso Chinese stop word; the bigram spans it, as scikit-learn's n-grams do
    assert.deepEqual(tokenizer.terms("我喜欢猫"), ["喜欢", "猫", "喜欢 猫"]);
  });
});

describe("stop words", () => {
  test("by name: english, none, a language code, a list; an unknown name is an error", () => {
    assert.ok(resolveStopWords("english").has("the"));
    assert.equal(resolveStopWords("none").size, 0);
    assert.ok(resolveStopWords("zh").has("的") && resolveStopWords("ja").has("これ"));
    assert.deepEqual([...resolveStopWords(["The", "cat"])], ["the", "cat"]);
    assert.throws(() => resolveStopWords("klingon"), /no stop word list for 'klingon'/);
    assert.equal(stopWordsFor("xx"), undefined);
  });

  test("the list used for a corpus language", () => {
    assert.equal(stopWordsForLanguage("en"), "english");
    assert.equal(stopWordsForLanguage("und"), "english");
    assert.equal(stopWordsForLanguage("zh"), "zh");
    assert.equal(stopWordsForLanguage("km"), "none"); // Khmer: no stopwords-iso list
  });
});

describe("language detection", () => {
  const samples: Record<string, string[]> = {
    en: ["The committee said on Tuesday that the new policy would be reviewed by the end of the year."],
    de: ["Der Ausschuss sagte am Dienstag, dass die neue Politik bis zum Ende des Jahres überprüft werde."],
    fr: ["Le comité a déclaré mardi que la nouvelle politique serait examinée d'ici la fin de l'année."],
    es: ["El comité dijo el martes que la nueva política sería revisada antes de fin de año."],
    ru: ["Комитет заявил во вторник, что новая политика будет пересмотрена до конца года."],
    zh: ["我喜欢猫", "今天天气不错"],
    ja: ["私は猫が好きです。東京タワーに行きました。"],
    ko: ["나는 고양이를 좋아해요"],
    th: ["ฉันชอบแมวมาก"],
    el: ["Η επιτροπή είπε ότι η νέα πολιτική θα εξεταστεί."],
  };
  for (const [language, texts] of Object.entries(samples)) {
    test(`${language}`, () => assert.equal(detectLanguage(texts).language, language));
  }

  test("scripts, and text without letters", () => {
    assert.equal(scriptOf("猫"), "Han");
    assert.equal(scriptOf("a"), "Latin");
    assert.equal(scriptOf("ж"), "Cyrillic");
    assert.equal(scriptOf("1"), null);
    assert.equal(dominantScript(countScripts("abc 猫猫猫猫")), "Han");
    assert.deepEqual(detectLanguage(["123 456", "!!"]), { language: "und", script: null, scriptShare: 0 });
    assert.ok(knownLanguages().includes("zh") && knownLanguages().includes("th"));
  });
});

describe("sentences and words", () => {
  test("ICU sentence breaks in any language; concatenated they give the text back", () => {
    const text = "今天天气不错。我喜欢猫！The cat sat. It slept? Yes";
    const sentences = splitSentences(text);
    assert.deepEqual(sentences, ["今天天气不错。", "我喜欢猫！", "The cat sat. ", "It slept? ", "Yes"]);
    assert.equal(sentences.join(""), text);
    assert.deepEqual(splitWords("the cat, sat "), ["the ", "cat, ", "sat "]);
    assert.equal(splitWords("我喜欢猫").join(""), "我喜欢猫");
  });
});

describe("the c-TF-IDF vectorizer and word segmentation", () => {
  test("new vectorizers segment; a representation saved before segmentation loads with scikit-learn's pattern", () => {
    const texts = ["我喜欢猫。猫很可爱", "今天天气不错"];
    const fresh = new CountVectorizer({ ngramRange: [1, 1], minDf: 1, stopWords: "none" });
    fresh.fit(texts);
    assert.deepEqual([...fresh.vocabulary], ["不错", "今天", "可爱", "喜欢", "天气", "很", "我", "猫"]);
    const json = fresh.toJSON();
    assert.equal(json.options.segmentWords, true);
    assert.deepEqual([...CountVectorizer.fromJSON(json).vocabulary], [...fresh.vocabulary]);
    // as written before the option existed: the same counts scikit-learn's pattern gives
    const { segmentWords: _absent, ...old } = json.options;
    const legacy = CountVectorizer.fromJSON({ options: old, vocabulary: ["今天天气不错", "我喜欢猫"] });
    assert.equal(legacy.options.segmentWords, false);
    assert.deepEqual(Array.from(legacy.transform(["今天天气不错"]).indices), [0]);
  });
});
