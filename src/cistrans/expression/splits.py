"""Train / validation / test splits of samples: random, or series-aware (no leakage)."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

SPLIT_MODES = ("series", "random")


def assign_splits(
    series: pd.Series, mode: str, validation_fraction: float, test_fraction: float, seed: int
) -> np.ndarray:
    """One of "train", "validation", "test" per sample.

    series: the group of each sample (GEO series, GTEx donor). In "series" mode whole groups
    go to one side, in random group order, filling test then validation up to their
    fractions of samples; in "random" mode samples are shuffled individually.
    """
    rng = np.random.default_rng(seed)
    n = len(series)
    if mode == "random":
        order = rng.permutation(n)
        split = np.full(n, "train", dtype=object)
        n_test = int(round(test_fraction * n))
        n_validation = int(round(validation_fraction * n))
        split[order[:n_test]] = "test"
        split[order[n_test : n_test + n_validation]] = "validation"
        warn_empty_splits(split)
        return split
    if mode != "series":
        raise ValueError(f"unknown split mode {mode!r}; known: {', '.join(SPLIT_MODES)}")
    sizes = series.value_counts(sort=False)
    groups = sizes.index.to_numpy()[rng.permutation(len(sizes))]
    targets = {"test": test_fraction * n, "validation": validation_fraction * n}
    side_of, filled = {}, dict.fromkeys(targets, 0)
    for group in groups:
        side = next((s for s in targets if filled[s] + sizes[group] / 2 <= targets[s]), "train")
        side_of[group] = side
        if side != "train":
            filled[side] += sizes[group]
    warn_large_series(sizes, side_of, validation_fraction, test_fraction)
    split = series.map(side_of).to_numpy(dtype=object)
    warn_empty_splits(split)
    return split


def empty_split_fix(split: str) -> str:
    """The fix for a compendium whose `split` (train, validation or test) holds no sample."""
    if split == "train":
        return (
            "lower expression.split.validation_fraction and test_fraction so that their sum "
            "leaves a training share, e.g. 0.1 and 0.1"
        )
    return (
        f"set expression.split.{split}_fraction above 0 (e.g. 0.1); if it is, the series are "
        "too large for that share (each goes whole to one split): raise it, split large "
        "series in the sample sheet, or set expression.split.mode: random"
    )


def warn_empty_splits(split: np.ndarray) -> None:
    """Warn about each of train, validation and test that no sample went to (the trans
    models stop on such a compendium; the cis labels use their own gene split)."""
    for side in ("train", "validation", "test"):
        if not (split == side).any():
            log.warning(
                "no sample went to the %s split: the trans models cannot train on this "
                "compendium. Fix: %s",
                side,
                empty_split_fix(side),
            )


def warn_large_series(
    sizes: pd.Series, side_of: dict, validation_fraction: float, test_fraction: float
) -> None:
    """Warn about each series holding more samples than the validation or the test share
    (kept whole, it dominates the split it lands in), and about a validation or test split
    made of one series only.

    sizes: samples per series; side_of: the split of each series.
    """
    n = int(sizes.sum())
    shares = [share for share in (validation_fraction, test_fraction) if share > 0]
    if not shares:
        return
    for name, size in sizes[sizes > min(shares) * n].sort_values(ascending=False).items():
        log.warning(
            "series %r holds %d of %d samples (%.0f%%), more than the validation (%.0f%%) or "
            "test (%.0f%%) share, and went whole to the %s split; split it into smaller "
            "series in the sample sheet, or use expression.split.mode: random",
            name,
            size,
            n,
            100 * size / n,
            100 * validation_fraction,
            100 * test_fraction,
            side_of[name],
        )
    for side in ("validation", "test"):
        members = [name for name, where in side_of.items() if where == side]
        if len(members) == 1:
            log.warning(
                "the %s split is one series (%r, %d samples): its figures speak for that "
                "series only",
                side,
                members[0],
                sizes[members[0]],
            )
