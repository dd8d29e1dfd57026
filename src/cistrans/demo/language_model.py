"""A tiny DNABERT-style model folder, random weights, in the Hugging Face layout."""

from __future__ import annotations

import itertools
from pathlib import Path

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
DNABERT_BASE_ORDER = "ATCG"  # DNABERT's vocab.txt lists k-mers in A, T, C, G product order


def kmer_vocabulary(k: int) -> list[str]:
    """DNABERT's vocabulary: the 5 special tokens, then all k-mers in A,T,C,G order."""
    kmers = ("".join(p) for p in itertools.product(DNABERT_BASE_ORDER, repeat=k))
    return [*SPECIAL_TOKENS, *kmers]


def save_tiny_dnabert(
    folder: str | Path,
    seed: int,
    kmer: int,
    hidden_size: int,
    num_hidden_layers: int,
    num_attention_heads: int,
    intermediate_size: int,
    max_position_embeddings: int,
) -> None:
    """Write a randomly initialised BERT with the DNABERT-k vocabulary and tokenizer.

    The folder loads with `AutoTokenizer/AutoModel.from_pretrained(folder)` exactly as
    `zhihan1996/DNA_bert_6` does; input text is space-separated overlapping k-mers.
    """
    import torch
    from transformers import BertConfig, BertForMaskedLM, BertTokenizer

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vocabulary = kmer_vocabulary(kmer)
    (folder / "vocab.txt").write_text("\n".join(vocabulary) + "\n", encoding="utf-8")
    tokenizer = BertTokenizer(
        vocab=str(folder / "vocab.txt"),
        do_lower_case=False,
        model_max_length=max_position_embeddings,
    )
    tokenizer.save_pretrained(folder)
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(vocabulary),
        hidden_size=hidden_size,
        num_hidden_layers=num_hidden_layers,
        num_attention_heads=num_attention_heads,
        intermediate_size=intermediate_size,
        max_position_embeddings=max_position_embeddings,
    )
    BertForMaskedLM(config).save_pretrained(folder)
