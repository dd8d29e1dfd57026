"""DNABERT k-mer tokenisation and the segments a promoter window is cut into.

DNABERT-k reads space-separated overlapping k-mers; its tokenizer adds [CLS] in front and
[SEP] at the end, so a model with 512 positions holds 510 k-mers, i.e. a segment of
510 + k - 1 bases (515 bp for DNABERT-6). K-mers are upper-cased first (soft-masked repeats
of hg38 are lower case, and DNABERT's vocabulary is upper case); a k-mer with any letter
other than A, C, G, T (N, IUPAC codes) is not in the vocabulary and becomes [UNK].

Segments cover a whole window: they start at 0, `stride`, 2 × `stride`, … until the window
is covered; the last one, when it runs past the window's end, is padded with `N` on the
right to the full `segment_length`. Every window of the same length therefore gives the
same number of segments (`n_segments`), and the padding sits at the same place in every
gene (its k-mers are [UNK], like a real N).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from cistrans.errors import InputError

PAD_BASE = "N"
_CODES = np.full(256, 4, dtype=np.uint8)  # byte → 0..3 for A, C, G, T (either case), else 4
for _code, _base in enumerate("ACGT"):
    _CODES[ord(_base)] = _CODES[ord(_base.lower())] = _code


def kmers(sequence: str, k: int) -> list[str]:
    """The overlapping k-mers of `sequence` (upper-cased), len(sequence) - k + 1 of them."""
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    upper = sequence.upper()
    return [upper[i : i + k] for i in range(len(upper) - k + 1)]


def kmer_text(sequence: str, k: int) -> str:
    """DNABERT's input text: the overlapping k-mers of `sequence` joined by spaces."""
    return " ".join(kmers(sequence, k))


def kmer_lookup(vocabulary: Mapping[str, int], k: int, unk_id: int) -> np.ndarray:
    """Token id of every k-mer by its base-4 index (A=0, C=1, G=2, T=3), shape (4**k,).

    vocabulary: token → id, as `tokenizer.get_vocab()`; k-mers missing from it map to
    `unk_id`. The table does not depend on the order of the vocabulary file.
    """
    table = np.full(4**k, unk_id, dtype=np.int64)
    for token, token_id in vocabulary.items():
        codes = _CODES[np.frombuffer(token.encode("ascii", "replace"), dtype=np.uint8)]
        if len(token) == k and token.isupper() and (codes < 4).all():
            table[int((codes.astype(np.int64) * 4 ** np.arange(k - 1, -1, -1)).sum())] = token_id
    return table


def kmer_ids(segments: Sequence[str], k: int, lookup: np.ndarray, unk_id: int) -> np.ndarray:
    """Token ids of the overlapping k-mers of equally long segments, without [CLS]/[SEP].

    segments: n strings of one length L ≥ k (any case). lookup: from `kmer_lookup`.
    Returns int64 of shape (n, L - k + 1); k-mers with a letter other than ACGT get `unk_id`.
    Equal to what DNABERT's tokenizer gives for `kmer_text(segment, k)`, much faster.
    """
    lengths = {len(segment) for segment in segments}
    if len(lengths) > 1:
        raise ValueError(f"segments differ in length ({sorted(lengths)[:5]})")
    if not segments:
        return np.zeros((0, 0), dtype=np.int64)
    length = lengths.pop()
    if length < k:
        raise ValueError(f"segments of {length} bases hold no {k}-mer")
    raw = np.frombuffer("".join(segments).encode("ascii", "replace"), dtype=np.uint8)
    codes = _CODES[raw].reshape(len(segments), length)
    count = length - k + 1
    index = np.zeros((len(segments), count), dtype=np.int64)
    valid = np.ones((len(segments), count), dtype=bool)
    for offset in range(k):  # k passes over (n, L-k+1): no (n, L-k+1, k) temporary
        column = codes[:, offset : offset + count]
        index = index * 4 + np.minimum(column, 3)
        valid &= column < 4
    return np.where(valid, lookup[index], unk_id)


def check_segmentation(segment_length: int, stride: int) -> None:
    """InputError unless 1 ≤ stride ≤ segment_length (segments must leave no gap)."""
    if segment_length < 1:
        raise InputError(
            "config key 'embed.segment_length'",
            f"segment length {segment_length} is not positive",
            "give the segment length in bases, e.g. 515 for DNABERT-6 (510 6-mers)",
        )
    if not 1 <= stride <= segment_length:
        raise InputError(
            "config key 'embed.stride'",
            f"stride {stride} is outside 1…{segment_length} (the segment length): "
            "segments would leave bases of the window out",
            f"set embed.stride to at most embed.segment_length ({segment_length}); equal "
            "to it for segments that touch without overlap",
        )


def n_segments(length: int, segment_length: int, stride: int) -> int:
    """How many segments cover a window of `length` bases (at least 1)."""
    check_segmentation(segment_length, stride)
    return 1 + math.ceil(max(0, length - segment_length) / stride)


def segment_starts(length: int, segment_length: int, stride: int) -> list[int]:
    """Start of each segment of a window of `length` bases: 0, stride, 2 × stride, …"""
    return [i * stride for i in range(n_segments(length, segment_length, stride))]


def split_segments(sequence: str, segment_length: int, stride: int) -> list[str]:
    """`sequence` cut into `n_segments(...)` segments of exactly `segment_length` bases.

    The last segment is padded on the right with `N` where it runs past the end.
    """
    starts = segment_starts(len(sequence), segment_length, stride)
    padded = sequence.ljust(starts[-1] + segment_length, PAD_BASE)
    return [padded[start : start + segment_length] for start in starts]
