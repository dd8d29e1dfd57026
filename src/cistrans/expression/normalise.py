"""Normalisations of expression values; all return float32 arrays of the input's shape."""

from __future__ import annotations

import numpy as np

NORMALISATIONS = ("log_cpm", "ln_count")


def log2_tpm(tpm: np.ndarray, inplace: bool = False) -> np.ndarray:
    """log2(TPM + 1), the GTEx convention; `inplace` reuses a float32 `tpm` (no copy of a
    matrix that may take gigabytes)."""
    values = tpm if inplace and tpm.dtype == np.float32 else np.array(tpm, dtype=np.float32)
    values += 1.0
    return np.log2(values, out=values)


def log_cpm(counts: np.ndarray) -> np.ndarray:
    """log2(counts per million + 1), library sizes from the columns; counts: (genes, samples)."""
    counts = np.asarray(counts, dtype=np.float32)
    library = counts.sum(axis=0, keepdims=True)
    return np.log2(counts / np.maximum(library, 1.0) * 1e6 + 1.0)


def ln_count(counts: np.ndarray) -> np.ndarray:
    """ln(count + 1), as the trans paper used on ARCHS4 (no library-size correction)."""
    return np.log1p(np.asarray(counts, dtype=np.float32))


def normalise_counts(counts: np.ndarray, method: str) -> np.ndarray:
    """Apply the named count normalisation (`log_cpm` or `ln_count`)."""
    if method == "log_cpm":
        return log_cpm(counts)
    if method == "ln_count":
        return ln_count(counts)
    raise ValueError(f"unknown normalisation {method!r}; known: {', '.join(NORMALISATIONS)}")
