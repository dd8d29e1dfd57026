"""Figures of the cis models, drawn from the tables their rules write."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cistrans.cismodels.comparison import PUBLISHED_PEARSON_R2
from cistrans.plots.figure import save


def comparison_bars(comparison: pd.DataFrame, path: str | Path) -> None:
    """Test pearson_r2 and r2 per model × feature set (mean over seeds, min-max as a bar),
    observed labels in colour beside the permuted-label control in grey; a black mark where a
    published figure exists for the same model (Xpresso's baselines)."""
    observed = comparison[comparison["labels"] == "observed"].reset_index(drop=True)
    control = comparison[comparison["labels"] == "permuted"].set_index(["model", "features"])
    names = [f"{m}\n{f}" for m, f in zip(observed.model, observed.features, strict=True)]
    x = np.arange(len(observed))
    figure, axes = plt.subplots(1, 2, figsize=(max(7, 2.2 * len(observed) + 3), 4.2))
    for ax, metric in zip(axes, ("pearson_r2", "r2"), strict=True):
        for offset, rows, colour, label in (
            (-0.2, observed, "tab:blue", "observed labels"),
            (0.2, control.reindex(list(zip(observed.model, observed.features, strict=True))),
             "lightgrey", "permuted training labels"),
        ):  # fmt: skip
            mean = rows[f"{metric}_mean"].to_numpy(dtype=float)
            low = mean - rows[f"{metric}_min"].to_numpy(dtype=float)
            high = rows[f"{metric}_max"].to_numpy(dtype=float) - mean
            ax.bar(x + offset, mean, 0.4, yerr=[low, high], color=colour, label=label,
                   capsize=3)  # fmt: skip
        if metric == "pearson_r2":
            published = [
                PUBLISHED_PEARSON_R2.get((m, f), np.nan)
                for m, f in zip(observed.model, observed.features, strict=True)
            ]
            ax.scatter(x - 0.2, published, marker="_", s=500, color="black", zorder=3,
                       label="published (Xpresso)")  # fmt: skip
        ax.axhline(0, color="black", lw=0.5)
        ax.set_xticks(x, names, fontsize=8)
        ax.set_ylabel(f"test {metric}")
        ax.legend(fontsize=7)
    save(figure, path)


def predicted_vs_observed(
    predictions: pd.DataFrame, comparison: pd.DataFrame, path: str | Path
) -> None:
    """The test genes of the best model × feature set (highest mean test pearson_r2 on
    observed labels), its first seed: predicted against observed label."""
    observed = comparison[comparison["labels"] == "observed"]
    best = observed.loc[observed.pearson_r2_mean.idxmax()]
    rows = predictions[
        (predictions.model == best.model)
        & (predictions.features == best.features)
        & (predictions["labels"] == "observed")
        & (predictions.split == "test")
    ]
    rows = rows[rows.seed == rows.seed.min()]
    figure, ax = plt.subplots(figsize=(5.5, 5))
    ax.scatter(rows.predicted, rows.observed, s=8, alpha=0.6)
    low = float(min(rows.predicted.min(), rows.observed.min()))
    high = float(max(rows.predicted.max(), rows.observed.max()))
    ax.plot([low, high], [low, high], color="black", lw=0.6)
    ax.set_xlabel("predicted label")
    ax.set_ylabel("observed label")
    ax.set_title(
        f"{best.model} ({best.features}), {len(rows)} test genes: pearson_r2 "
        f"{best.pearson_r2_mean:.3f}, r2 {best.r2_mean:.3f}",
        fontsize=9,
    )
    save(figure, path)


def by_tissue_panels(comparison: pd.DataFrame, profiles: pd.DataFrame, path: str | Path) -> None:
    """The cell-type mode: test pearson_r2 per tissue for each model × feature set (mean over
    seeds; the permuted-label control as a grey line), and each test gene's across-tissue
    profile correlation (median over genes, min-max over seeds) beside the control's."""
    observed = comparison[comparison["labels"] == "observed"]
    runs = list(dict.fromkeys(zip(observed.model, observed.features, strict=True)))
    tissues = list(dict.fromkeys(comparison.tissue))
    x = np.arange(len(tissues))
    width = 0.8 / max(len(runs), 1)
    figure, axes = plt.subplots(
        1, 2, figsize=(max(8, 0.7 * len(tissues) + 6), 4.2), width_ratios=[3, 1]
    )
    for i, (model, features) in enumerate(runs):
        rows = observed[(observed.model == model) & (observed.features == features)]
        values = rows.set_index("tissue").pearson_r2_mean.reindex(tissues)
        axes[0].bar(x - 0.4 + (i + 0.5) * width, values, width, label=f"{model} {features}")
    control = comparison[comparison["labels"] == "permuted"]
    if not control.empty:
        level = control.groupby("tissue").pearson_r2_mean.max().reindex(tissues)
        axes[0].step(x, level, where="mid", color="grey", label="permuted labels (max)")
    axes[0].set_xticks(x, tissues, rotation=45, ha="right")
    axes[0].set_ylabel("test pearson_r2 (mean over seeds)")
    axes[0].set_title("level in each tissue")
    axes[0].legend(fontsize=7)
    names = [f"{m}\n{f}\n{lab}" for m, f, lab in
             zip(profiles.model, profiles.features, profiles["labels"], strict=True)]  # fmt: skip
    mean = profiles.median_profile_r_mean.to_numpy(dtype=float)
    error = [mean - profiles.median_profile_r_min, profiles.median_profile_r_max - mean]
    colours = ["tab:blue" if lab == "observed" else "lightgrey" for lab in profiles["labels"]]
    axes[1].bar(np.arange(len(profiles)), mean, yerr=error, color=colours, capsize=3)
    axes[1].axhline(0, color="black", linewidth=0.8)
    axes[1].set_xticks(np.arange(len(profiles)), names, fontsize=7)
    axes[1].set_ylabel("median per-gene r across tissues")
    axes[1].set_title("each test gene's profile")
    save(figure, path)
