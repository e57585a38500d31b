#!/work/venv-st/bin/python
"""sentence-transformers' CrossEncoder.predict (torch) on the pairs bench/sbert.ts times ours on.

    /work/venv-st/bin/python bench/crossencoder_reference.py <model dir> <pairs.jsonl> [threads]

pairs.jsonl: one JSON array [text_a, text_b] per line. Warms up on the first batch, then times one
predict over all pairs (batch size 32, as ours). Prints JSON {pairs, seconds, scores (first 5)}.
"""
import json
import sys
import time

import torch
from sentence_transformers import CrossEncoder


def main():
    folder, pairs_file = sys.argv[1], sys.argv[2]
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    torch.set_num_threads(threads)
    with open(pairs_file, encoding="utf-8") as f:
        pairs = [json.loads(line) for line in f if line.strip()]
    model = CrossEncoder(folder, local_files_only=True, device="cpu")
    model.predict(pairs[:32], batch_size=32)
    started = time.perf_counter()
    scores = model.predict(pairs, batch_size=32)
    seconds = time.perf_counter() - started
    print(json.dumps({"pairs": len(pairs), "seconds": seconds, "scores": [float(s) for s in scores[:5]]}))


if __name__ == "__main__":
    main()
