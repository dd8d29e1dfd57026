"""TF pruning (backward selection): keep the most important TFs, retrain, track the test
explained variance; importance is the mean |light-up| of each TF in the previous model
(one batched forward pass, the same reading of the network as the validation)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def keep_most_important(importance: pd.Series, n_tfs: int) -> list[str]:
    """The `n_tfs` TF ids with the highest importance (ties by order)."""
    return list(importance.sort_values(ascending=False, kind="stable").index[:n_tfs])


def knee(counts: np.ndarray, values: np.ndarray) -> int:
    """The TF count farthest below the straight line joining the curve's ends (Kneedle)."""
    order = np.argsort(counts)
    x, y = counts[order].astype(float), values[order].astype(float)
    x_n = (x - x[0]) / max(x[-1] - x[0], 1e-12)
    y_n = (y - y[0]) / max(y[-1] - y[0], 1e-12)
    return int(x[np.argmax(y_n - x_n)])


def tfs_for_fraction(curve: pd.DataFrame, fraction: float) -> int:
    """Fewest TFs whose model keeps `fraction` of the full model's explained variance."""
    enough = curve[curve.fraction_of_full >= fraction]
    return int(enough.n_tfs.min()) if len(enough) else int(curve.n_tfs.max())


def core_order(steps: list[tuple[int, list[str]]]) -> list[str]:
    """TFs from most to least core: the last survivors first, then those removed at each
    step, latest removal first. steps: (n_tfs, kept TF ids in importance order), largest first."""
    order: list[str] = list(steps[-1][1])
    for (_, kept), (_, kept_next) in zip(reversed(steps[:-1]), reversed(steps[1:]), strict=True):
        order += [tf for tf in kept if tf not in set(kept_next)]
    return order


def hierarchy_test(
    retained: list[str], removed: list[str], known_targets: pd.Series
) -> dict[str, float]:
    """Do retained TFs have more known targets than removed ones? (one-sided Mann–Whitney)"""
    kept = known_targets.reindex(retained).fillna(0).to_numpy()
    gone = known_targets.reindex(removed).fillna(0).to_numpy()
    p = (
        stats.mannwhitneyu(kept, gone, alternative="greater").pvalue
        if len(kept) and len(gone)
        else np.nan
    )
    return {
        "n_retained": len(kept),
        "n_removed": len(gone),
        "median_known_targets_retained": float(np.median(kept)) if len(kept) else np.nan,
        "median_known_targets_removed": float(np.median(gone)) if len(gone) else np.nan,
        "p_value": float(p),
    }
