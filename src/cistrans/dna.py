"""Elementary DNA operations shared by the simulator and the sequence models."""

from __future__ import annotations

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
