#!/work/venv-st/bin/python
"""A cross-encoder of MiniLM-L6's shape with generated weights, for timing only (bench/sbert.ts).

    /work/venv-st/bin/python bench/make_minilm_crossencoder.py <out dir> <corpora dir>

`cross-encoder/ms-marco-MiniLM-L6-v2`'s architecture: BertForSequenceClassification, 6 layers, hidden
384, 12 heads, intermediate 1536, 512 positions, one label. The weights are random (seed 0) — nothing
can be downloaded here — so the scores mean nothing, but the cost per pair is the real model's. The
WordPiece vocabulary (30,522 pieces, lowercased, as bert-base-uncased's size) is trained on the
corpora with Hugging Face tokenizers, so texts split into a realistic number of pieces. Writes a
sentence-transformers CrossEncoder folder: config.json, tokenizer files, model.safetensors (for the
torch reference) and onnx/model.onnx (output `logits`).
"""
import json
import os
import sys

import torch
from tokenizers import BertWordPieceTokenizer
from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast


def corpus_texts(corpora):
    for name in ["ag_news_test.jsonl", "bbc.jsonl", "20newsgroups.jsonl"]:
        with open(os.path.join(corpora, name), encoding="utf-8") as f:
            for line in f:
                text = json.loads(line)["text"]
                if text.strip():
                    yield text


def main():
    out, corpora = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    wordpiece = BertWordPieceTokenizer(lowercase=True)
    wordpiece.train_from_iterator(corpus_texts(corpora), vocab_size=30522, min_frequency=2)
    vocab_file = wordpiece.save_model(out)[0]
    with open(vocab_file, encoding="utf-8") as f:
        vocab = {token.rstrip("\n"): i for i, token in enumerate(f)}
    tokenizer = BertTokenizerFast(vocab=vocab, do_lower_case=True, model_max_length=512)
    os.remove(vocab_file)

    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
        intermediate_size=1536, max_position_embeddings=512, type_vocab_size=2, num_labels=1,
        attn_implementation="eager",
    )
    model = BertForSequenceClassification(config).eval()
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    encoded = tokenizer(["a first text", "another"], ["its pair", "and its pair"], padding=True,
                        return_tensors="pt")
    torch.onnx.export(
        model, (encoded["input_ids"], encoded["attention_mask"], encoded["token_type_ids"]),
        os.path.join(out, "onnx", "model.onnx"),
        input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
        dynamic_axes={k: {0: "batch", 1: "sequence"} for k in ["input_ids", "attention_mask", "token_type_ids"]}
        | {"logits": {0: "batch"}},
        opset_version=17, dynamo=False,
    )
    print(out)


if __name__ == "__main__":
    main()
