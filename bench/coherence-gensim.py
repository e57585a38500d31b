#!/usr/bin/python3
"""gensim's C_NPMI and C_V for bench/coherence-speed.ts: the same token lists and topics, timed.

    /usr/bin/python3 bench/coherence-gensim.py <tokens.jsonl> <topics.json>

tokens.jsonl: one JSON array of tokens per document. topics.json: a JSON array of word lists.
Prints JSON {"c_npmi": {"score", "perTopic", "seconds"}, "c_v": {...}}. Empty documents are dropped
first (gensim's sliding window fails on them; topicscope gives them no window).
"""
import json
import sys
import time

from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        texts = [doc for doc in (json.loads(line) for line in f) if doc]
    with open(sys.argv[2], encoding="utf-8") as f:
        topics = json.load(f)
    dictionary = Dictionary(texts)
    out = {}
    for measure in ("c_npmi", "c_v"):
        started = time.perf_counter()
        cm = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary, coherence=measure, topn=10, processes=1)
        per_topic = [float(x) for x in cm.get_coherence_per_topic()]
        score = float(cm.aggregate_measures(per_topic))
        out[measure] = {"score": score, "perTopic": per_topic, "seconds": time.perf_counter() - started}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
