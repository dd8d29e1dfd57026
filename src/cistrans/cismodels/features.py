"""Sequence features for the simple baselines: k-mer counts of each window."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_CODE = np.full(256, -1, dtype=np.int64)
for _i, _base in enumerate("ACGT"):
    _CODE[ord(_base)] = _CODE[ord(_base.lower())] = _i


def kmer_counts(sequences: Sequence[str], k: int) -> np.ndarray:
    """Counts of every k-mer (4**k, in ACGT lexicographic order) in each sequence, per kb of
    sequence; k-mers holding any base other than ACGT (N, padding) are not counted.

    Parameters
    ----------
    sequences
        The sequences (ASCII, any case).
    k
        The k-mer length.

    Returns
    -------
    np.ndarray
        (sequences, 4**k) float32; a row of zeros for a sequence shorter than k.
    """
    counts = np.zeros((len(sequences), 4**k), dtype=np.float32)
    weights = 4 ** np.arange(k - 1, -1, -1)
    for row, sequence in enumerate(sequences):
        codes = _CODE[np.frombuffer(sequence.encode("ascii"), dtype=np.uint8)]
        if len(codes) < k:
            continue
        windows = np.lib.stride_tricks.sliding_window_view(codes, k)
        valid = (windows >= 0).all(axis=1)
        index = windows[valid] @ weights
        counts[row] = np.bincount(index, minlength=4**k) * (1000.0 / len(sequence))
    return counts
