"""Train / validation / test splits of samples: random, or series-aware (no leakage)."""

from __future__ import annotations

import numpy as np
import pandas as pd

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
    return series.map(side_of).to_numpy(dtype=object)
