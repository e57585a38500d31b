"""The reference pipeline of bench/quality.ts: what a BERTopic user gets from the same embeddings.

    /usr/bin/python3 bench/quality-reference.py <embeddings.npy> <corpus.jsonl> <seed> <out.json>

umap-learn UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
→ R dbscan::hdbscan(minPts=10) (bench/hdbscan-r.R; R's minPts = hdbscan's min_cluster_size =
min_samples, see docs/clustering.md) → BERTopic's c-TF-IDF: documents joined per topic (-1 included),
BERTopic's _preprocess_text (newlines/tabs → spaces, keep only [A-Za-z0-9 ]), scikit-learn
CountVectorizer(stop_words="english"), then ClassTfidfTransformer (L1-normalised rows × idf,
idf = ln(1 + A / f_x), A = int(mean words per topic)); top 10 words with score > 0.

BERTopic itself is not installable here; the formula is the one of bertopic/vectorizers/_ctfidf.py.
Rows whose embedding is all zeros (empty documents) are left out and get topic -1, as in topicscope.
Writes {"labels": [...], "topics": {id: [[word, score], ...]}, "seconds": {...}} (labels in corpus
order, -1 = outlier). Needs Debian's python3-sklearn, python3-pynndescent and r-cran-dbscan, and
umap-learn (not packaged by Debian: install its source, e.g. release 0.5.5, with
`pip install --no-deps --break-system-packages .`).
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")
import umap  # noqa: E402
from sklearn.feature_extraction.text import CountVectorizer  # noqa: E402
from sklearn.preprocessing import normalize  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP_N = 10


def preprocess(doc):
    """BERTopic's _preprocess_text for language="english"."""
    doc = doc.replace("\n", " ").replace("\t", " ")
    doc = re.sub(r"[^A-Za-z0-9 ]+", "", doc)
    return doc if doc != "" else "emptydoc"


def ctfidf_topics(texts, labels):
    topic_ids = sorted(set(int(label) for label in labels))
    joined = {t: [] for t in topic_ids}
    for text, label in zip(texts, labels):
        joined[int(label)].append(text)
    documents = [preprocess(" ".join(joined[t])) for t in topic_ids]
    vectorizer = CountVectorizer(stop_words="english")
    x = vectorizer.fit_transform(documents)
    words = vectorizer.get_feature_names_out()
    df = np.squeeze(np.asarray(x.sum(axis=0)))
    avg = int(x.sum(axis=1).mean())
    idf = np.log((avg / df) + 1)
    tf = normalize(x.astype(np.float64), axis=1, norm="l1")
    scores = tf.multiply(idf).tocsr()
    topics = {}
    for row, topic in enumerate(topic_ids):
        start, end = scores.indptr[row], scores.indptr[row + 1]
        cols, vals = scores.indices[start:end], scores.data[start:end]
        # best first; ties by vocabulary order, as topicscope (numpy leaves them unspecified)
        order = np.lexsort((cols, -vals))[:TOP_N]
        topics[str(topic)] = [[str(words[cols[i]]), float(vals[i])] for i in order if vals[i] > 0]
    return topics


def main():
    source, corpus, seed, target = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    x = np.load(source).astype(np.float32)
    texts = []
    with open(corpus, encoding="utf8") as f:
        for line in f:
            if line.strip():
                texts.append(json.loads(line)["text"])
    if len(texts) != x.shape[0]:
        raise SystemExit(f"{corpus}: {len(texts)} documents, {source}: {x.shape[0]} rows")
    keep = np.flatnonzero(np.abs(x).sum(1) > 0)
    seconds = {}

    start = time.perf_counter()
    reduced = umap.UMAP(
        n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed
    ).fit_transform(x[keep])
    seconds["umap"] = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        points, out = os.path.join(tmp, "reduced.npy"), os.path.join(tmp, "clusters.csv")
        np.save(points, reduced.astype(np.float64))
        start = time.perf_counter()
        subprocess.run(["Rscript", os.path.join(HERE, "hdbscan-r.R"), points, "10", out], check=True)
        seconds["hdbscan"] = time.perf_counter() - start
        with open(out) as f:
            rows = [line for line in f.read().splitlines() if not line.startswith("#")]
    clusters = np.array([int(r.split(",")[0]) for r in rows]) - 1  # R: 0 = noise
    labels = np.full(len(texts), -1, dtype=int)
    labels[keep] = clusters

    start = time.perf_counter()
    included = [i for i in keep]
    topics = ctfidf_topics([texts[i] for i in included], labels[included])
    seconds["ctfidf"] = time.perf_counter() - start

    with open(target, "w") as f:
        json.dump({"seed": seed, "labels": labels.tolist(), "topics": topics, "seconds": seconds}, f)


if __name__ == "__main__":
    main()
