"""scikit-learn reference for bench/represent.ts: CountVectorizer + BERTopic's c-TF-IDF formula on a
JSONL corpus with its `label` field as topics. Prints one JSON object (timings in seconds and the top
10 words per topic) to stdout. Usage: /usr/bin/python3 bench/represent_sklearn.py corpus.jsonl 1 1
(the last two arguments are the n-gram range)."""
import json
import sys
import time
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

warnings.simplefilter("ignore")  # stopwords-iso has entries like "ain't" that the tokenizer splits
path, min_n, max_n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
stop_words = json.load(open("node_modules/stopwords-iso/stopwords-iso.json"))["en"]
records = [json.loads(line) for line in open(path) if line.strip()]
names = sorted({r["label"] for r in records})
groups = {name: [] for name in names}
for r in records:
    groups[r["label"]].append(r["text"])
joined = [" ".join(groups[name]) for name in names]

t0 = time.perf_counter()
vectorizer = CountVectorizer(ngram_range=(min_n, max_n), stop_words=stop_words)
X = vectorizer.fit_transform(joined)
words = vectorizer.get_feature_names_out()
t1 = time.perf_counter()
X = sp.csr_matrix(X, dtype=np.float64)
df = np.squeeze(np.asarray(X.sum(axis=0)))
A = int(X.sum(axis=1).mean())
idf = np.log((A / df) + 1)
C = normalize(X, axis=1, norm="l1", copy=True) * sp.diags(idf, offsets=0, shape=(len(idf), len(idf)), format="csr")
C = sp.csr_matrix(C)
top = {}
for row, name in enumerate(names):
    start, end = C.indptr[row], C.indptr[row + 1]
    cols, vals = C.indices[start:end], C.data[start:end]
    order = np.lexsort((cols, -vals))[:10]
    top[name] = [[str(words[cols[k]]), float(vals[k])] for k in order if vals[k] > 0]
t2 = time.perf_counter()
json.dump({"vectorize": t1 - t0, "ctfidf": t2 - t1, "vocabulary": len(words), "top": top}, sys.stdout)
