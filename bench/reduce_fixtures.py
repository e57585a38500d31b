"""Writes test/fixtures/reduce/umap-learn.json: reference values from umap-learn 0.5.3 and
scikit-learn for test/reduce/*.test.ts. Run: /usr/bin/python3 bench/reduce_fixtures.py"""
import json
import warnings

import numpy as np

warnings.filterwarnings("ignore")
from sklearn.manifold import trustworthiness  # noqa: E402
from umap.umap_ import find_ab_params, fuzzy_simplicial_set, smooth_knn_dist  # noqa: E402

rng = np.random.RandomState(7)
n, k = 40, 6
x = rng.normal(size=(n, 8)).astype(np.float32)
d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
order = np.argsort(d, axis=1, kind="stable")[:, :k]
knn_dists = np.take_along_axis(d, order, axis=1).astype(np.float32)
knn_dists[:, 0] = 0.0
sigmas, rhos = smooth_knn_dist(knn_dists, float(k))
graph, _, _ = fuzzy_simplicial_set(x, k, 0, "euclidean", knn_indices=order, knn_dists=knn_dists)
graph = graph.tocoo()
y = rng.normal(size=(n, 2)).astype(np.float32)
out = {
    "ab": {str(md): list(find_ab_params(1.0, md)) for md in (0.0, 0.1, 0.5)},
    "knn": {"n": n, "k": k, "indices": order.astype(int).ravel().tolist(), "distances": knn_dists.ravel().tolist()},
    "sigmas": sigmas.tolist(),
    "rhos": rhos.tolist(),
    "graph": {"rows": graph.row.tolist(), "cols": graph.col.tolist(), "values": graph.data.tolist()},
    "trust": {"x": x.ravel().tolist(), "y": y.ravel().tolist(), "cols": 8, "k": 5, "value": float(trustworthiness(x, y, n_neighbors=5))},
}
with open("test/fixtures/reduce/umap-learn.json", "w") as f:
    json.dump(out, f)
print("ok", out["ab"], out["trust"]["value"])
