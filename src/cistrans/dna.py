"""Elementary DNA operations shared by the simulator and the sequence models."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_COMPLEMENT = str.maketrans("ACGTNacgtnRYKMSWBDHVrykmswbdhv", "TGCANtgcanYRMKSWVHDByrmkswvhdb")
_BASES = np.frombuffer(b"ACGT", dtype=np.uint8)


def reverse_complement(sequence: str) -> str:
    """The reverse complement; IUPAC codes are complemented, case is kept."""
    return sequence.translate(_COMPLEMENT)[::-1]


def random_dna(rng: np.random.Generator, length: int, gc: float) -> str:
    """`length` random bases with GC fraction `gc` (A=T, C=G)."""
    at, cg = (1.0 - gc) / 2.0, gc / 2.0
    codes = rng.choice(4, size=length, p=[at, cg, cg, at])
    return _BASES[codes].tobytes().decode("ascii")


def gc_fraction(sequence: str) -> float:
    """Share of G and C among A, C, G, T (0 for a sequence without any)."""
    upper = sequence.upper()
    acgt = sum(upper.count(base) for base in "ACGT")
    return (upper.count("G") + upper.count("C")) / acgt if acgt else 0.0


BASES = 4
"""Base codes 0–3 are A, C, G, T; code 4 is any other letter."""


def encode_bases(sequences: Sequence[str]) -> np.ndarray:
    """(genes, longest length) uint8 codes (A C G T → 0–3, any other letter 4), shorter
    sequences padded at their 3' end with 4 (an all-zero one-hot column)."""
    length = max(len(sequence) for sequence in sequences)
    table = np.full(256, BASES, dtype=np.uint8)
    for code, base in enumerate(b"ACGT"):
        table[base] = table[base + 32] = code  # upper and lower case
    padded = "".join(sequence.ljust(length, "N") for sequence in sequences)
    raw = np.frombuffer(padded.encode("ascii", "replace"), dtype=np.uint8)
    return table[raw].reshape(len(sequences), length)


def onehot_codes(codes: np.ndarray) -> np.ndarray:
    """(genes, positions) uint8 base codes → (genes, 4, positions) bool one-hot, channels
    A C G T; code 4 (any other letter) is all False."""
    return codes[:, None, :] == np.arange(BASES, dtype=np.uint8)[None, :, None]
