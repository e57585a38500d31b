"""umap-learn on a large .npy for bench/scale.ts: BERTopic's settings, seeded (so, like ours by
default, single-threaded), one timed run after numba compiled on a 2,000-row slice.

Usage: /usr/bin/python3 bench/scale_umap_learn.py <in.npy> <out.npy> [seed]
Prints {"seconds", "cpu_seconds", "rows", "version"} as JSON; writes the 5-d layout to <out.npy>.
"""
import json
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")
import umap  # noqa: E402


def fit(x, seed):
    return umap.UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed).fit_transform(x)


def main():
    source, target = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    x = np.load(source, mmap_mode="r")
    fit(np.ascontiguousarray(x[:2000], dtype=np.float32), seed)
    x = np.ascontiguousarray(x, dtype=np.float32)
    start = time.perf_counter()
    cpu = time.process_time()
    y = fit(x, seed)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    np.save(target, y.astype(np.float32))
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "rows": int(x.shape[0]), "version": umap.__version__}))


if __name__ == "__main__":
    main()
