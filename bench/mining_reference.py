#!/usr/bin/env python3
"""Reference side of bench/mining.ts: sentence-transformers' own paraphrase mining, timed, and a
brute-force reference in float64, on the same rows.

    /work/venv-st/bin/python bench/mining_reference.py rows.npy TOP_K MAX_PAIRS out.json [THREADS]

Writes {"st_seconds": [...], "st_pairs": [[score, i, j], ...], "brute_pairs": [...]}. The brute force
scores every pair in float64 (blocks of rows × all rows), takes each row's top_k + 1 by score (itself
among them, dropped) and applies paraphrase_mining_embeddings' queue: the best max_pairs - 1 directed
candidates, each unordered pair kept once, highest score first.
"""
import json
import sys
import time

import numpy as np
import torch
from sentence_transformers import util

path, top_k, max_pairs, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
threads = int(sys.argv[5]) if len(sys.argv) > 5 else 2
torch.set_num_threads(threads)
x = np.load(path).astype(np.float32)
t = torch.from_numpy(x)

st_seconds = []
for _ in range(2):
    start = time.perf_counter()
    st_pairs = util.paraphrase_mining_embeddings(t, top_k=top_k, max_pairs=max_pairs)
    st_seconds.append(time.perf_counter() - start)

u = x.astype(np.float64)
norms = np.linalg.norm(u, axis=1, keepdims=True)
u = u / np.maximum(norms, 1e-12)
n = len(u)
k = min(top_k + 1, n)
scores, rows, cols = [], [], []
for start in range(0, n, 1000):
    s = u[start : start + 1000] @ u.T
    idx = np.argpartition(-s, k - 1, axis=1)[:, :k]
    for r in range(len(s)):
        i = start + r
        for j in idx[r]:
            if j != i:
                scores.append(s[r, j])
                rows.append(i)
                cols.append(int(j))
scores = np.array(scores)
rows = np.array(rows)
cols = np.array(cols)
keep = scores > -1
scores, rows, cols = scores[keep], rows[keep], cols[keep]
if len(scores) >= max_pairs:
    order = np.lexsort((-cols, -rows, -scores))[: max_pairs - 1]  # best first; ties: later tuples kept
    scores, rows, cols = scores[order], rows[order], cols[order]
# ascending (score, i, j): the order their queue pops in; the first appearance of a pair wins
order = np.lexsort((cols, rows, scores))
seen = set()
pairs = []
for o in order:
    a, b = sorted((int(rows[o]), int(cols[o])))
    if (a, b) in seen:
        continue
    seen.add((a, b))
    pairs.append([float(scores[o]), a, b])
pairs.sort(key=lambda p: p[0], reverse=True)

with open(out, "w") as fh:
    json.dump(
        {
            "st_seconds": st_seconds,
            "st_pairs": [[float(s), int(i), int(j)] for s, i, j in st_pairs],
            "brute_pairs": pairs,
        },
        fh,
    )
