/**
 * A Chinese corpus end to end: 45 sentences written for this test on three subjects (pets, weather,
 * the stock market). The default encoder stops (it cannot read Chinese); `--model tfidf` fits, and
 * the topic words are Chinese words, not sentences, with Chinese stop words removed.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { ModelManifest, Topic } from "../../src/topics/types.js";
import { tempDir } from "../temp-dir.js";
import { runCli } from "./helpers.js";

const SUBJECTS: Record<string, string[]> = {
  pets: [
    "我家的猫很喜欢睡觉。",
    "小猫每天早上都要吃鱼。",
    "我的狗喜欢在公园里跑步。",
    "这只小狗非常可爱，总是摇尾巴。",
    "猫和狗都是很好的宠物。",
    "她每天晚上给猫梳毛。",
    "我们的宠物狗昨天生病了，去看了兽医。",
    "小猫喜欢玩毛线球。",
    "养宠物需要很多耐心。",
    "兽医说这只猫太胖了，要少吃一点。",
    "狗狗每天都要出去散步。",
    "这只猫喜欢坐在窗台上看鸟。",
    "宠物店里有很多可爱的小猫和小狗。",
    "我的猫总是在沙发上睡觉。",
    "他给小狗买了一个新的玩具。",
  ],
  weather: [
    "今天天气很好，阳光明媚。",
    "明天会下大雨，记得带伞。",
    "这个冬天特别冷，经常下雪。",
    "天气预报说周末有台风。",
    "夏天的天气又热又潮湿。",
    "今天早上有大雾，能见度很低。",
    "下雨天路上很滑，开车要小心。",
    "春天的气温慢慢升高了。",
    "昨天晚上刮大风，下了一场暴雨。",
    "天气预报说明天气温会下降。",
    "雪下得很大，学校停课了。",
    "今天的温度是三十五度，非常热。",
    "秋天天气凉爽，很适合旅游。",
    "这几天一直下雨，衣服都晒不干。",
    "气象台发布了高温预警。",
  ],
  market: [
    "今天股市大涨，投资者很高兴。",
    "这家公司的股票价格下跌了百分之五。",
    "央行宣布降低利率。",
    "经济增长速度放缓了。",
    "很多投资者在股市上亏了钱。",
    "银行的存款利率又提高了。",
    "这家科技公司的利润大幅增长。",
    "股票市场今天交易量很大。",
    "通货膨胀让物价不断上涨。",
    "公司发布了第三季度的财务报告。",
    "投资者担心经济会衰退。",
    "房地产市场的价格开始下跌。",
    "政府出台了新的经济政策。",
    "这只股票的价格创下了新高。",
    "外资大量流入股市。",
  ],
};

describe("a Chinese corpus", () => {
  const dir = tempDir("topicscope-chinese-");
  const corpus = join(dir, "chinese.jsonl");
  const rows = Object.entries(SUBJECTS).flatMap(([label, texts]) => texts.map((text) => ({ text, label })));
  writeFileSync(corpus, rows.map((row) => JSON.stringify(row)).join("\n"));
  const pipeline = [
    "--n-neighbors",
    "10",
    "--clusterer",
    "kmeans",
    "--n-clusters",
    "3",
    "--label-field",
    "label",
  ];

  test("fit with the default encoder stops with one line (it cannot read Chinese)", () => {
    const result = runCli(["fit", corpus, "-o", join(dir, "default"), ...pipeline]);
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /error: 45 of 45 documents are Chinese text \(Han script\), which use-lite cannot read/,
    );
  });

  test("fit --model tfidf: topic words are Chinese words, not sentences, and follow the subjects", () => {
    const out = join(dir, "tfidf");
    const result = runCli(["fit", corpus, "-o", out, "--model", "tfidf", ...pipeline]);
    assert.equal(result.status, 0, result.stderr);
    const manifest = JSON.parse(readFileSync(join(out, "model.json"), "utf8")) as ModelManifest;
    assert.equal(manifest.parameters.represent.language, "zh");
    assert.equal(manifest.parameters.represent.stopWords, "zh");
    const topics = (JSON.parse(readFileSync(join(out, "topics.json"), "utf8")) as Topic[]).filter(
      (t) => t.id >= 0,
    );
    assert.equal(topics.length, 3);
    const sentences = new Set(rows.map((row) => row.text.replace(/[，。]/g, "")));
    for (const topic of topics) {
      assert.ok(topic.words.length >= 5, `topic ${topic.id} has words`);
      for (const { word } of topic.words) {
        assert.ok([...word].length <= 4, `'${word}' is a word, not a phrase`);
        assert.ok(!sentences.has(word) && !/[，。]/.test(word), `'${word}' is not a sentence`);
        assert.ok(!["的", "了", "我", "很", "这"].includes(word), `'${word}' is a stop word`);
      }
    }
    // each subject's key words lead a topic of its own (seeded: the same topics every run)
    const top = topics.map((t) => t.words.slice(0, 5).map((w) => w.word));
    const owners = [
      ["猫", "狗", "宠物"],
      ["天气", "气温", "预报"],
      ["股市", "股票", "经济"],
    ].map((key) => top.findIndex((words) => key.some((k) => words.includes(k))));
    assert.deepEqual([...owners].sort(), [0, 1, 2], JSON.stringify(top));

    // the fitted vocabulary, idf and projection are saved: new texts land in the same space
    for (const file of ["embedder.json", "embedder-components.npy"])
      assert.ok(existsSync(join(out, file)), file);
    const search = runCli(["search", out, "小猫喜欢睡觉", "-k", "2"]);
    assert.equal(search.status, 0, search.stderr);
    assert.match(search.stdout.split("\n")[0], /topic (\d+) +我家的猫很喜欢睡觉。/);
    const fresh = join(dir, "new.jsonl");
    writeFileSync(
      fresh,
      ["我的小狗很可爱", "明天会下雨", "股票价格上涨"].map((text) => JSON.stringify({ text })).join("\n"),
    );
    const predictions = join(dir, "predictions.jsonl");
    const transform = runCli(["transform", out, fresh, "-o", predictions]);
    assert.equal(transform.status, 0, transform.stderr);
    const predicted = readFileSync(predictions, "utf8")
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { topic: number }).topic);
    assert.deepEqual(
      predicted,
      owners.map((row) => topics[row].id),
    );
  });

  test("--language sets the language; an unknown one is one line (exit 2)", () => {
    const result = runCli(["fit", corpus, "-o", join(dir, "bad"), "--language", "zz", ...pipeline]);
    assert.equal(result.status, 2);
    assert.equal(result.stderr.trim().split("\n").length, 1);
    assert.match(result.stderr, /--language: unknown language 'zz'; use an ISO 639-1 code: .*zh/);
    const none = runCli([
      "fit",
      corpus,
      "-o",
      join(dir, "none"),
      "--model",
      "tfidf",
      "--stop-words",
      "none",
      ...pipeline,
    ]);
    assert.equal(none.status, 0, none.stderr);
    const manifest = JSON.parse(readFileSync(join(dir, "none", "model.json"), "utf8")) as ModelManifest;
    assert.equal(manifest.parameters.represent.stopWords, "none");
  });
});
