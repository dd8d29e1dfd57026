"""Label transforms of a sequence table (`sequence.table.transform`), applied before the
labels are standardised on the training sequences, and the warning for a skewed label.

A raw activity ratio (an MPRA's RNA/DNA, an E. coli expression ratio) is often heavily
right-skewed: a few outliers then carry Pearson's r and the squared-error loss. `log`,
`log1p` and `rank` make such a label usable; `none` keeps it as it is.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from scipy import stats

from cistrans.errors import InputError

log = logging.getLogger(__name__)

TRANSFORMS = ("none", "log", "log1p", "rank")
MAX_SKEWNESS = 2.0
"""|skewness| of the training labels above which a label is called heavily skewed."""


def transform_labels(
    labels: pd.DataFrame, transform: str, *, train: np.ndarray, path: str
) -> pd.DataFrame:
    """Each label column transformed by `transform` (one of TRANSFORMS).

    labels: shape=(sequences, label columns), raw values; train: shape=(sequences,) bool, the
    training sequences, on which the skewness is measured; path: the table, for messages.
    `log` needs labels > 0 and `log1p` labels > -1 (an InputError names the column and its
    smallest value otherwise); `rank` gives ranks scaled to 0..1 (ties averaged). With
    `none`, a label whose training skewness exceeds MAX_SKEWNESS is warned about.
    Returns a new frame of the same shape and columns.
    """
    if transform not in TRANSFORMS:
        raise ValueError(f"unknown transform {transform!r}; known: {', '.join(TRANSFORMS)}")
    result = labels.copy()
    for column in labels.columns:
        values = labels[column].to_numpy(dtype=float)
        if transform == "none":
            _warn_if_skewed(values[train], column, path)
            continue
        lowest = float(np.min(values))
        bound = {"log": 0.0, "log1p": -1.0}.get(transform)
        if bound is not None and lowest <= bound:
            raise InputError(
                path,
                f"sequence.table.transform is {transform}, but label {column!r} has values "
                f"down to {lowest:g} (it needs values above {bound:g})",
                "use transform rank (or log1p for values above -1), or none for a label "
                "that is already on a log scale",
                f"column {column}",
            )
        result[column] = {
            "log": np.log,
            "log1p": np.log1p,
            "rank": lambda x: (stats.rankdata(x) - 1) / max(len(x) - 1, 1),
        }[transform](values)
        after = result[column].to_numpy()[train]
        log.info(
            "label %r transformed by %s: skewness %.2f before, %.2f after (training sequences)",
            column, transform, _skewness(values[train]), _skewness(after),
        )  # fmt: skip
    return result


def _skewness(values: np.ndarray) -> float:
    return float(stats.skew(values)) if len(values) > 2 and np.ptp(values) > 0 else 0.0


def _warn_if_skewed(values: np.ndarray, column: str, path: str) -> None:
    skewness = _skewness(values)
    if abs(skewness) <= MAX_SKEWNESS:
        return
    median, top = np.median(values), np.max(values) if skewness > 0 else np.min(values)
    fix = (
        "log (all values are > 0) or rank"
        if np.min(values) > 0
        else "rank (or log1p for values > -1)"
    )
    log.warning(
        "%s: label %r is heavily skewed on the training sequences (skewness %.1f; median %.3g, "
        "most extreme %.3g): a few sequences then carry Pearson's r and the squared-error "
        "loss. Fix: set sequence.table.transform to %s (the raw label is kept beside it in "
        "labels.tsv as %s_raw); read the comparison's Spearman rho meanwhile",
        path, column, skewness, median, top, fix, column,
    )  # fmt: skip
