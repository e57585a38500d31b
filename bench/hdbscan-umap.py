"""
Reduces sentence embeddings to 5-d with umap-learn for the HDBSCAN benchmark (run once; the result is
cached outside the repo). Settings as BERTopic's defaults: n_neighbors 15, n_components 5,
min_dist 0, cosine, random_state 42. All-zero rows (empty documents) are excluded first.

    /usr/bin/python3 bench/hdbscan-umap.py /work/cache/embeddings/20newsgroups.npy /work/cache/reduced/20newsgroups-umap5.npy
"""
import os
import sys
import time

import numpy as np
import umap

source, target = sys.argv[1], sys.argv[2]
x = np.load(source)
keep = np.abs(x).sum(1) > 0
print(f"{source}: {x.shape}, dropping {int((~keep).sum())} all-zero rows", flush=True)
start = time.time()
reduced = umap.UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42).fit_transform(x[keep])
print(f"umap-learn: {time.time() - start:.1f} s", flush=True)
os.makedirs(os.path.dirname(target), exist_ok=True)
np.save(target, np.ascontiguousarray(reduced, dtype=np.float32))
