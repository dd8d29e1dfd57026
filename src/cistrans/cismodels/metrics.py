"""The figures every cis model is scored by, named for what they are: the squared Pearson
correlation (what Xpresso and TExCNN publish as R²) is not the coefficient of determination
(which also charges a prediction for its offset and scale, and is lower)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def regression_metrics(observed: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """pearson_r2, r2 (1 − SSres/SStot), pearson_r, spearman_rho and n of (n,) arrays."""
    observed = np.asarray(observed, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    constant = np.ptp(predicted) == 0 or np.ptp(observed) == 0
    pearson = np.nan if constant else float(np.corrcoef(observed, predicted)[0, 1])
    spearman = np.nan if constant else _rank_correlation(observed, predicted)
    total = float(((observed - observed.mean()) ** 2).sum())
    residual = float(((observed - predicted) ** 2).sum())
    return {
        "pearson_r2": pearson**2,
        "r2": 1.0 - residual / total if total > 0 else np.nan,
        "pearson_r": pearson,
        "spearman_rho": spearman,
        "n": int(len(observed)),
    }


def _rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rho: the Pearson correlation of average ranks (ties share their mean rank).

    NumPy and pandas instead of scipy.stats, whose import (~0.9 s) every training job would
    otherwise pay for two numbers.
    """
    ranks = pd.DataFrame({"a": a, "b": b}).rank(method="average")
    return float(np.corrcoef(ranks.a, ranks.b)[0, 1])


def profile_correlations(
    observed: np.ndarray, predicted: np.ndarray, tissue_means: np.ndarray
) -> np.ndarray:
    """Per gene, the Pearson r of its predicted and observed levels across tissues, each
    taken relative to `tissue_means` (tissues,), the training genes' mean in every tissue.

    observed, predicted: (genes, tissues). Without the tissue means, any model that adds
    them back, even one trained on shuffled genes, would share the average gene's profile
    with every gene and score high. Returns (genes,), NaN where a profile is flat: a
    tissue-blind model, one level for every tissue, scores NaN.
    """
    obs = observed - tissue_means
    pred = predicted - tissue_means
    obs = obs - obs.mean(axis=1, keepdims=True)
    pred = pred - pred.mean(axis=1, keepdims=True)
    norm = np.sqrt((obs**2).sum(axis=1) * (pred**2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(norm > 1e-12, (obs * pred).sum(axis=1) / norm, np.nan)
