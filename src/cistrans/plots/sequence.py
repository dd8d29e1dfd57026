"""Figures of the cis inputs, drawn from the tables their rules write."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from cistrans.plots.figure import save


def labels(table: pd.DataFrame, path: str | Path) -> None:
    """Histogram of the raw labels (log10 median expression) by gene split.

    table: columns label_raw and split (train | validation | test).
    """
    figure, ax = plt.subplots(figsize=(7, 4.5))
    bins = np.histogram_bin_edges(table.label_raw, bins=40)
    for split, rows in table.groupby("split"):
        ax.hist(rows.label_raw, bins=bins, alpha=0.6, label=f"{split} ({len(rows)})")
    ax.set_xlabel("label: log10(median expression + pseudocount)")
    ax.set_ylabel("genes")
    ax.legend()
    save(figure, path)


def mrna_features(features: pd.DataFrame, labels: pd.DataFrame, path: str | Path) -> None:
    """Each transformed mRNA feature against the gene label, Spearman ρ in the panel title.

    features: indexed by gene_id, one column per feature. labels: gene_id, label.
    """
    joined = features.join(labels.set_index("gene_id").label, how="inner")
    columns = list(features.columns)
    rows = int(np.ceil(len(columns) / 4))
    figure, axes = plt.subplots(rows, 4, figsize=(13, 3.2 * rows), squeeze=False)
    for ax, column in zip(axes.ravel(), columns, strict=False):
        rho = spearmanr(joined[column], joined.label).statistic if len(joined) > 2 else np.nan
        ax.scatter(joined[column], joined.label, s=3, alpha=0.4)
        ax.set_title(f"{column}: ρ = {rho:.2f}", fontsize=9)
        ax.set_xlabel("z-score", fontsize=8)
    for ax in axes.ravel()[len(columns) :]:
        ax.axis("off")
    axes[0, 0].set_ylabel("label (z-scored)")
    save(figure, path)
