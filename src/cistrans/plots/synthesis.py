"""Figures of the cis–trans synthesis, drawn from the tables its rules write."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cistrans.plots.figure import save
from cistrans.synthesis.cis_trans import CONTROL, TOGETHER


def cis_trans_panels(metrics: pd.DataFrame, predictions: pd.DataFrame, path: str | Path) -> None:
    """Cis alone, trans alone and together on the test genes × all tissues: r2 and
    pearson_r2 of the levels per model (the permuted-label control in grey); each test
    gene's profile r across tissues per model (box: quartiles, whiskers 5–95 %; a model
    without a defined r is marked as such); and the together model's predicted against
    observed test levels, coloured by tissue.

    metrics: METRIC_COLUMNS, one row per model; predictions: PREDICTION_COLUMNS."""
    models = list(metrics.model)
    colours = ["lightgrey" if model == CONTROL else "tab:blue" for model in models]
    x = np.arange(len(models))
    figure, axes = plt.subplots(1, 3, figsize=(15, 4.5), width_ratios=[1.2, 1, 1])
    for offset, metric, hatch in ((-0.2, "r2", ""), (0.2, "pearson_r2", "//")):
        axes[0].bar(x + offset, metrics[metric], 0.4, color=colours, hatch=hatch,
                    edgecolor="black", linewidth=0.5, label=metric)  # fmt: skip
    axes[0].axhline(0, color="black", linewidth=0.8)
    axes[0].set_xticks(x, [model.replace("_", "\n") for model in models])
    axes[0].set_ylabel("test genes × all tissues")
    axes[0].set_title("level of each gene in each tissue")
    axes[0].legend(fontsize=8)

    test = predictions[predictions.split == "test"].drop_duplicates(["model", "gene_id"])
    profiles = [test.profile_r[test.model == model].dropna().to_numpy() for model in models]
    for i, values in enumerate(profiles):
        if len(values) == 0:
            axes[1].text(i, 0, "undefined:\none level in\nevery tissue", ha="center",
                         va="center", fontsize=8)  # fmt: skip
            continue
        box = axes[1].boxplot(values, positions=[i], widths=0.5, whis=(5, 95),
                              showfliers=False, patch_artist=True)  # fmt: skip
        box["boxes"][0].set_facecolor(colours[i])
    axes[1].axhline(0, color="black", linewidth=0.8)
    axes[1].set_xticks(x, [model.replace("_", "\n") for model in models])
    axes[1].set_xlim(-0.6, len(models) - 0.4)
    axes[1].set_ylim(-1.05, 1.05)
    axes[1].set_ylabel("per-gene r across tissues (vs the average gene's profile)")
    axes[1].set_title("each test gene's profile across tissues")

    rows = predictions[(predictions.model == TOGETHER) & (predictions.split == "test")]
    for tissue, group in rows.groupby("tissue", sort=True):
        axes[2].scatter(group.predicted, group.observed, s=6, alpha=0.6, label=tissue)
    low = float(min(rows.predicted.min(), rows.observed.min()))
    high = float(max(rows.predicted.max(), rows.observed.max()))
    axes[2].plot([low, high], [low, high], color="black", linewidth=0.6)
    axes[2].set_xlabel("predicted level (together)")
    axes[2].set_ylabel("observed level")
    axes[2].set_title(f"together: {rows.gene_id.nunique()} test genes × tissues")
    axes[2].legend(fontsize=6, markerscale=2, ncol=2)
    save(figure, path)
