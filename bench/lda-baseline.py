#!/usr/bin/python3
"""LDA baseline for bench/quality.ts: scikit-learn's LatentDirichletAllocation on a document-term
matrix that topicscope built (so the tokenization is exactly the one its coherence uses).

    /usr/bin/python3 bench/lda-baseline.py <folder> <topics> <seed> <top n>

<folder> holds indptr.npy, indices.npy, counts.npy (CSR, int32, one row per document). Prints JSON:
{"topics": [[term index, ...], ...], "assignments": [topic or -1 for documents without terms],
 "seconds": fit time}.
"""
import json
import os
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import LatentDirichletAllocation


def main():
    folder, k, seed, top_n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    indptr = np.load(os.path.join(folder, "indptr.npy"))
    indices = np.load(os.path.join(folder, "indices.npy"))
    counts = np.load(os.path.join(folder, "counts.npy"))
    n_terms = int(indices.max()) + 1 if indices.size else 1
    x = sp.csr_matrix((counts.astype(np.float64), indices, indptr), shape=(indptr.size - 1, n_terms))
    # The settings of scikit-learn's topic-extraction example (online variational Bayes).
    lda = LatentDirichletAllocation(
        n_components=k, learning_method="online", learning_offset=50.0, max_iter=10, random_state=seed, n_jobs=1
    )
    started = time.perf_counter()
    doc_topic = lda.fit_transform(x)
    seconds = time.perf_counter() - started
    topics = [[int(i) for i in np.argsort(-row)[:top_n]] for row in lda.components_]
    empty = np.asarray(x.sum(axis=1)).ravel() == 0
    assignments = np.where(empty, -1, doc_topic.argmax(axis=1))
    json.dump({"topics": topics, "assignments": [int(a) for a in assignments], "seconds": seconds}, sys.stdout)


if __name__ == "__main__":
    main()
