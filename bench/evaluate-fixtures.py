#!/usr/bin/python3
"""Makes the reference numbers that pin topicscope's evaluation metrics to gensim and scikit-learn.

Run with Debian's Python (python3-gensim, python3-sklearn):

    /usr/bin/python3 bench/evaluate-fixtures.py

Writes test/fixtures/evaluate/coherence.json (a few dozen BBC documents as token lists, topics, and
gensim's C_NPMI / C_V with per-topic values and the raw sliding-window counts) and
test/fixtures/evaluate/clustering.json (label vectors and scikit-learn's NMI, ARI, homogeneity,
completeness and V-measure). The documents are tokenized here with a plain regex so that the fixture
pins the metric itself, independently of topicscope's tokenizer.
"""
import json
import os
import re
import sys

import numpy as np
from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel
from gensim.topic_coherence import probability_estimation, segmentation
from sklearn import metrics

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "test", "fixtures", "evaluate")
BBC = os.path.join(ROOT, "..", "shared", "corpora", "bbc.jsonl")

STOP = set(
    "the a an and or of to in on for at by with from as is are was were be been it its this that these those "
    "he she they we you i his her their our your has have had not but will would said says also which who "
    "there than more after over about into up out new can one two could if all some so been no may".split()
)


def tokenize(text):
    return [t for t in re.findall(r"[a-z][a-z0-9']+", text.lower()) if t not in STOP]


def load_bbc():
    with open(BBC, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def coherence_fixture():
    rows = load_bbc()
    by_label = {}
    for row in rows:
        by_label.setdefault(row["label"], []).append(row)
    documents = []
    for label in sorted(by_label):
        for row in by_label[label][:7]:
            documents.append({"id": row["id"], "label": label, "tokens": tokenize(row["text"])})
    # Edge cases of the window logic: documents shorter than, and exactly as long as, each window.
    extra = by_label["sport"][10:14]
    documents.append({"id": extra[0]["id"] + "#title", "label": "sport", "tokens": tokenize(extra[0]["text"].split("\n")[0])})
    documents.append({"id": extra[1]["id"] + "#10", "label": "sport", "tokens": tokenize(extra[1]["text"])[:10]})
    documents.append({"id": extra[2]["id"] + "#110", "label": "sport", "tokens": tokenize(extra[2]["text"])[:110]})
    documents.append({"id": extra[3]["id"] + "#111", "label": "sport", "tokens": tokenize(extra[3]["text"])[:111]})
    documents.append({"id": "repeats", "label": "sport", "tokens": ["game", "win", "game", "win", "game", "match", "game"] + ["club"] * 5})

    # Topics: each category's most frequent tokens (a coherent topic), one mixed topic, and one of rare words.
    from collections import Counter
    topics = []
    for label in sorted(by_label):
        counts = Counter(t for d in documents if d["label"] == label for t in d["tokens"])
        topics.append([w for w, _ in counts.most_common(10)])
    everything = Counter(t for d in documents for t in d["tokens"])
    ranked = [w for w, _ in everything.most_common()]
    topics.append([topics[i][j] for i, j in [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (0, 5), (1, 6), (2, 7), (3, 8), (4, 9)]])
    rare = [w for w in ranked if everything[w] == 1]
    topics.append(rare[:10])
    # Duplicates across topics happen in real models; keep them (a word may be in several topics).

    texts = [d["tokens"] for d in documents]
    dictionary = Dictionary(texts)
    expected = {}
    for measure, window in (("c_npmi", 10), ("c_v", 110), ("c_npmi", 5)):
        cm = CoherenceModel(
            topics=topics, texts=texts, dictionary=dictionary, coherence=measure, topn=10,
            window_size=window, processes=1,
        )
        per_topic = [float(x) for x in cm.get_coherence_per_topic()]
        expected[f"{measure}@{window}"] = {"score": float(cm.get_coherence()), "perTopic": per_topic}

    # Raw counts (occurrences, co-occurrences, number of windows) for window 10 and 110.
    counts = {}
    words = sorted({w for t in topics for w in t})
    segmented = segmentation.s_one_one([np.array([dictionary.token2id[w] for w in words])])
    for window in (10, 110):
        acc = probability_estimation.p_boolean_sliding_window(texts, segmented, dictionary, window, processes=1)
        occ = {w: int(acc[dictionary.token2id[w]]) for w in words}
        pairs = []
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                c = int(acc[dictionary.token2id[a], dictionary.token2id[b]])
                if c:
                    pairs.append([a, b, c])
        counts[str(window)] = {"windows": int(acc.num_docs), "occurrences": occ, "cooccurrences": pairs}

    return {
        "source": "bench/evaluate-fixtures.py (gensim CoherenceModel, processes=1)",
        "documents": [{"id": d["id"], "tokens": d["tokens"]} for d in documents],
        "topics": topics,
        "expected": expected,
        "counts": counts,
    }


def scores(true, pred):
    h, c, v = metrics.homogeneity_completeness_v_measure(true, pred)
    return {
        "nmi": float(metrics.normalized_mutual_info_score(true, pred)),
        "ari": float(metrics.adjusted_rand_score(true, pred)),
        "homogeneity": float(h),
        "completeness": float(c),
        "vMeasure": float(v),
    }


def clustering_fixture():
    rng = np.random.default_rng(8)
    cases = []

    def add(name, true, pred):
        true = [int(x) for x in true]
        pred = [int(x) for x in pred]
        keep = [i for i, p in enumerate(pred) if p != -1]
        cases.append({
            "name": name,
            "labels": true,
            "predicted": pred,
            "all": scores(true, pred),
            "nonOutliers": scores([true[i] for i in keep], [pred[i] for i in keep]) if keep else None,
        })

    n = 600
    true = rng.integers(0, 7, n)
    noisy = np.where(rng.random(n) < 0.7, true, rng.integers(0, 9, n))
    noisy = np.where(rng.random(n) < 0.15, -1, noisy)
    add("noisy 7 classes vs 9 clusters with outliers", true, noisy)
    add("independent", rng.integers(0, 5, n), rng.integers(0, 6, n))
    add("perfect up to renaming", true, (true * 3 + 1) % 7)
    add("one cluster", true, np.zeros(n, dtype=int))
    add("all singletons", true[:50], np.arange(50))
    big = rng.integers(0, 20, 5000)
    pred = np.where(rng.random(5000) < 0.5, big, rng.integers(-1, 25, 5000))
    add("20 classes, 5000 points, half noise", big, pred)
    add("tiny", [0, 0, 1, 1], [0, 0, 1, -1])
    return {"source": "bench/evaluate-fixtures.py (scikit-learn metrics)", "cases": cases}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, build in (("coherence.json", coherence_fixture), ("clustering.json", clustering_fixture)):
        data = build()
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            json.dump(data, f, separators=(",", ":"))
            f.write("\n")
        print(f"wrote {os.path.join(OUT, name)}", file=sys.stderr)


if __name__ == "__main__":
    main()
