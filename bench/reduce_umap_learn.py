"""Reference timings for bench/reduce.ts: umap-learn with BERTopic's settings on an .npy matrix.

Usage: /usr/bin/python3 bench/reduce_umap_learn.py <in.npy> <out.npy> [seed]
Runs UMAP twice (the first run compiles numba code) and reports the second run's time as JSON on
stdout; writes the second run's 5-d embedding to <out.npy>. The input is used as given (the caller
drops all-zero rows first).
"""
import json
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")
import umap  # noqa: E402


def run(x, seed):
    reducer = umap.UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    start = time.perf_counter()
    cpu = time.process_time()
    y = reducer.fit_transform(x)
    return y, time.perf_counter() - start, time.process_time() - cpu


def main():
    source, target = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    x = np.load(source).astype(np.float32)
    _, first, _ = run(x, seed)
    y, second, cpu = run(x, seed)
    np.save(target, y.astype(np.float32))
    print(json.dumps({"first_seconds": first, "seconds": second, "cpu_seconds": cpu, "rows": int(x.shape[0]), "version": umap.__version__}))


if __name__ == "__main__":
    main()
