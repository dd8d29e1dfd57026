"""Test-split accuracy: per-gene R², variance-weighted explained variance, and the paper's
global-mean figure (named as such: one mean for all genes inflates it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from cistrans.trans.data import TransData
    from cistrans.trans.model import Predictor


def per_gene_r2(observed: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """R² of each column against its own mean; (samples, genes) → (genes,).

    Parameters
    ----------
    observed, predicted
        (samples, genes) the observed values and the predictions, gene by gene in the same
        column.

    Returns
    -------
    np.ndarray
        (genes,) 1 − Σ residual² / Σ (value − the gene's mean)²; NaN for a constant gene.
    """
    residual = ((observed - predicted) ** 2).sum(axis=0)
    total = ((observed - observed.mean(axis=0)) ** 2).sum(axis=0)
    return 1.0 - residual / np.where(total > 0, total, np.nan)


def explained_variance(observed: np.ndarray, predicted: np.ndarray) -> float:
    """1 − Σ residual² / Σ (per-gene centred)²: genes weighted by their variance.

    Parameters
    ----------
    observed
        (samples, genes) the observed values.
    predicted
        (samples, genes) the predictions.

    Returns
    -------
    float
        The share of the variance explained, pooled over genes.
    """
    residual = ((observed - predicted) ** 2).sum()
    total = ((observed - observed.mean(axis=0)) ** 2).sum()
    return float(1.0 - residual / total)


def global_mean_r2(observed: np.ndarray, predicted: np.ndarray) -> float:
    """The paper's figure: 1 − Σ residual² / Σ (value − one global mean)².

    Parameters
    ----------
    observed, predicted
        (samples, genes) the observed values and the predictions.

    Returns
    -------
    float
        The R² against one mean of all values (inflated by the genes' differing means).
    """
    residual = ((observed - predicted) ** 2).sum()
    total = ((observed - observed.mean()) ** 2).sum()
    return float(1.0 - residual / total)


def evaluation_tables(
    observed: np.ndarray,
    predicted: np.ndarray,
    target_ids: list[str],
    target_symbols: list[str],
    *,
    n_extremes: int = 20,
) -> tuple[pd.DataFrame, dict[str, float], pd.DataFrame]:
    """Per-gene table, summary metrics, and the best and worst predicted genes.

    Parameters
    ----------
    observed, predicted
        (samples, genes) the observed values and the predictions (e.g. of the test split).
    target_ids, target_symbols
        (genes,) the genes' IDs and symbols, in the columns' order.
    n_extremes
        How many best and how many worst genes to list.

    Returns
    -------
    genes : pd.DataFrame
        One row per gene, in the columns' order: gene_id, symbol, r2 (`per_gene_r2`),
        variance (of the observed values).
    metrics : dict
        per_gene_r2_mean and per_gene_r2_median (NaN genes left out), explained_variance,
        global_mean_r2_paper_style, n_test_samples, n_targets.
    extremes : pd.DataFrame
        The `n_extremes` genes of highest r2 (rank "best") then the `n_extremes` of
        lowest (rank "worst", lowest last), `genes`' columns and rank; genes without an
        r2 left out.
    """
    r2 = per_gene_r2(observed, predicted)
    genes = pd.DataFrame({"gene_id": target_ids, "symbol": target_symbols, "r2": r2,
                          "variance": observed.var(axis=0)})  # fmt: skip
    metrics = {
        "per_gene_r2_mean": float(np.nanmean(r2)),
        "per_gene_r2_median": float(np.nanmedian(r2)),
        "explained_variance": explained_variance(observed, predicted),
        "global_mean_r2_paper_style": global_mean_r2(observed, predicted),
        "n_test_samples": int(observed.shape[0]),
        "n_targets": int(observed.shape[1]),
    }
    ranked = genes.dropna(subset=["r2"]).sort_values("r2", ascending=False)
    extremes = pd.concat(
        [ranked.head(n_extremes).assign(rank="best"), ranked.tail(n_extremes).assign(rank="worst")]
    )
    return genes, metrics, extremes


def evaluate_on_test(
    model: Predictor, data: TransData
) -> tuple[pd.DataFrame, dict[str, float], pd.DataFrame]:
    """`evaluation_tables` of `model` on the test split of `data` (its TFs in model order).

    Parameters
    ----------
    model
        The trained model (a network or ridge).
    data
        The compendium; its test split is scored.

    Returns
    -------
    tuple
        `evaluation_tables`: the per-gene table (one row per target), the summary metrics,
        and the best and worst predicted genes.
    """
    test = data.rows("test")
    return evaluation_tables(
        data.outputs[test], model.predict(data.inputs[test]), data.target_ids, data.target_symbols
    )
