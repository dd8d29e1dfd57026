"""Segment embeddings from a DNA language model, and the chunk files that hold them.

`embed_windows` cuts each promoter window into segments (`tokenize.split_segments`), embeds
every segment with `embed_segments` and returns float16 `[genes, segments, hidden]`.

`embed_segments` tokenises all segments first (k-mer models through a lookup table equal to
DNABERT's tokenizer, others through their tokenizer), sorts them by token count so that a
batch pads little, runs the encoder under `torch.inference_mode()` (autocast to the model's
compute dtype when that is not float32), pools each segment and restores the input order.

Pooling: `mean` averages the last hidden states of the sequence's own tokens only: padding,
[CLS] and [SEP] are left out (they carry no base of the segment; [UNK] k-mers, which do,
stay in). `cls` takes the hidden state at [CLS] (position 0).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from tqdm import tqdm

from cistrans.errors import InputError
from cistrans.sequence.language_model import LanguageModel, check_segment_length
from cistrans.sequence.tokenize import kmer_ids, n_segments, split_segments

POOLINGS = ("mean", "cls")


def tokenize_segments(lm: LanguageModel, segments: Sequence[str]) -> list[np.ndarray]:
    """Token ids of each segment, [CLS] and [SEP] included, int64 arrays of varying length.

    Segments are upper-cased first (for k-mer and BPE models alike).

    InputError naming `embed.segment_length` when a segment needs more than `lm.max_tokens`.
    """
    if lm.kind == "kmer":
        ids = _kmer_token_ids(lm, segments)
    else:
        upper = [segment.upper() for segment in segments]  # soft-masked repeats are lower case
        encoded = lm.tokenizer(upper, add_special_tokens=True)["input_ids"]
        ids = [np.asarray(row, dtype=np.int64) for row in encoded]
    longest = max((len(row) for row in ids), default=0)
    if longest > lm.max_tokens:
        raise InputError(
            "config key 'embed.segment_length'",
            f"a segment makes {longest} tokens, but {lm.source} takes at most {lm.max_tokens}",
            "make embed.segment_length (and embed.stride) smaller",
        )
    return ids


def _kmer_token_ids(lm: LanguageModel, segments: Sequence[str]) -> list[np.ndarray]:
    """[CLS] + k-mer ids + [SEP] per segment, segments grouped by length for `kmer_ids`."""
    assert lm.k is not None and lm.kmer_table is not None
    ids: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(segments)
    by_length: dict[int, list[int]] = {}
    for index, segment in enumerate(segments):
        by_length.setdefault(len(segment), []).append(index)
    for length, indices in by_length.items():
        if length < lm.k:
            raise InputError(
                "segments",
                f"a segment of {length} bases holds no {lm.k}-mer",
                f"give segments of at least {lm.k} bases",
            )
        block = kmer_ids([segments[i] for i in indices], lm.k, lm.kmer_table, lm.unk_id)
        framed = np.empty((len(indices), block.shape[1] + 2), dtype=np.int64)
        framed[:, 0], framed[:, -1], framed[:, 1:-1] = lm.cls_id, lm.sep_id, block
        for row, i in enumerate(indices):
            ids[i] = framed[row]
    return ids


def embed_segments(
    lm: LanguageModel,
    segments: Sequence[str],
    pooling: str,
    batch_size: int,
    progress: bool,
) -> np.ndarray:
    """One pooled vector per segment: float16 of shape (len(segments), lm.hidden_size).

    segments: DNA strings (any case, N allowed). pooling: "mean" or "cls". batch_size:
    segments per forward pass. progress: show a tqdm bar (on stderr). Inputs are unchanged.
    """
    _check_pooling(pooling)
    if batch_size < 1:
        raise InputError(
            "config key 'embed.batch_size'", f"{batch_size} is not positive", "use 1 or more"
        )
    ids = tokenize_segments(lm, segments)
    lengths = np.array([len(row) for row in ids], dtype=np.int64)
    order = np.argsort(-lengths, kind="stable")  # longest first: memory peaks at once
    result = np.empty((len(ids), lm.hidden_size), dtype=np.float16)
    with tqdm(total=len(ids), unit="segment", disable=not progress, mininterval=5) as bar:
        for begin in range(0, len(ids), batch_size):
            batch = order[begin : begin + batch_size]
            result[batch] = _embed_batch(lm, [ids[i] for i in batch], pooling)
            bar.update(len(batch))
    return result


def _embed_batch(lm: LanguageModel, ids: list[np.ndarray], pooling: str) -> np.ndarray:
    """Pooled float16 vectors (len(ids), hidden) of one padded batch."""
    width = max(len(row) for row in ids)
    padded = np.full((len(ids), width), lm.pad_id, dtype=np.int64)
    mask = np.zeros((len(ids), width), dtype=np.int64)
    for row, tokens in enumerate(ids):
        padded[row, : len(tokens)], mask[row, : len(tokens)] = tokens, 1
    input_ids = torch.from_numpy(padded).to(lm.device)
    attention = torch.from_numpy(mask).to(lm.device)
    reduced = lm.dtype != torch.float32
    with (
        torch.inference_mode(),
        torch.autocast(lm.device.type, dtype=lm.dtype, enabled=reduced),
    ):
        hidden = lm.model(input_ids=input_ids, attention_mask=attention)[0]
    return pool(hidden.float(), input_ids, attention, lm, pooling).cpu().numpy().astype(np.float16)


def pool(
    hidden: torch.Tensor,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    lm: LanguageModel,
    pooling: str,
) -> torch.Tensor:
    """Pool hidden states (batch, tokens, hidden) to (batch, hidden).

    mean: over tokens with attention 1 other than [CLS]/[SEP]; cls: position 0.
    """
    if pooling == "cls":
        return hidden[:, 0]
    keep = attention_mask.bool()
    for special in (lm.cls_id, lm.sep_id):
        if special is not None:
            keep &= input_ids != special
    weights = keep.to(hidden.dtype).unsqueeze(-1)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


def embed_windows(
    lm: LanguageModel,
    sequences: Sequence[str],
    segment_length: int,
    stride: int,
    pooling: str,
    batch_size: int,
    progress: bool,
) -> np.ndarray:
    """Segment embeddings of equally long windows: float16 (genes, segments, hidden).

    sequences: one window per gene, all of one length. Each is cut by
    `split_segments(sequence, segment_length, stride)` (last segment N-padded), so
    segments = `n_segments(length, segment_length, stride)`.
    """
    _check_pooling(pooling)
    check_segment_length(lm, segment_length)
    lengths = sorted({len(sequence) for sequence in sequences})
    if len(lengths) > 1:
        raise InputError(
            "windows",
            f"windows differ in length ({', '.join(map(str, lengths[:5]))} bases)",
            "give windows of one length (the windows rule writes them so)",
        )
    count = n_segments(lengths[0] if lengths else 0, segment_length, stride)
    segments = [
        s for sequence in sequences for s in split_segments(sequence, segment_length, stride)
    ]
    flat = embed_segments(lm, segments, pooling, batch_size, progress)
    return flat.reshape(len(sequences), count, lm.hidden_size)


def _check_pooling(pooling: str) -> None:
    if pooling not in POOLINGS:
        raise InputError(
            "config key 'embed.pooling'",
            f"unknown pooling {pooling!r}",
            f"use one of: {', '.join(POOLINGS)}",
        )
