"""Figures of the trans approach, drawn from the tables its rules write."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cistrans.plots.figure import save
from cistrans.trans.comparison import TIE


def r2_distribution(genes: pd.DataFrame, metrics: dict, path: str | Path) -> None:
    """Histogram of per-gene test R² with the summary figures in the title."""
    figure, ax = plt.subplots(figsize=(7, 4.5))
    ax.hist(genes.r2.dropna().clip(lower=-1), bins=50)
    ax.set_xlabel("per-gene R² on the test split (per-gene mean; clipped at -1)")
    ax.set_ylabel("target genes")
    ax.set_title(
        f"explained variance {metrics['explained_variance']:.3f}; "
        f"median R² {metrics['per_gene_r2_median']:.3f}; "
        f"paper-style global-mean R² {metrics['global_mean_r2_paper_style']:.3f}",
        fontsize=9,
    )
    save(figure, path)


def validation(summary: pd.DataFrame, per_target: pd.DataFrame, path: str | Path) -> None:
    """Per-target folds (light-up vs |Spearman| control) and AUROC per knowledge table."""
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    for name, rows in per_target.groupby("table"):
        axes[0].hist(
            np.log2(rows.fold.clip(lower=1e-3)), bins=40, alpha=0.6, label=f"{name}: light-up"
        )
        axes[0].hist(
            np.log2(rows.control_fold.clip(lower=1e-3)),
            bins=40,
            alpha=0.6,
            label=f"{name}: |Spearman|",
        )
    axes[0].axvline(0, color="black", lw=0.8)
    axes[0].set_xlabel("log2 fold (annotated regulators vs other TFs, per target)")
    axes[0].legend(fontsize=7)
    x = np.arange(len(summary))
    axes[1].bar(x - 0.2, summary.auroc, 0.4, label="light-up")
    axes[1].bar(x + 0.2, summary.control_auroc, 0.4, label="|Spearman|")
    axes[1].axhline(0.5, color="black", lw=0.8)
    axes[1].set_xticks(x, summary.table)
    axes[1].set_ylabel("AUROC for annotated edges")
    axes[1].legend()
    save(figure, path)


def pruning_curve(curve: pd.DataFrame, marks: dict[str, int], path: str | Path) -> None:
    """Test explained variance against the number of TFs kept; a vertical line per mark
    (`tfs_for_<p>_percent` of the full model's explained variance, and the knee)."""
    figure, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(curve.n_tfs, curve.explained_variance, "o-")
    share_styles = iter(["--", ":", (0, (1, 4)), (0, (5, 5))])
    for key, count in marks.items():
        style = "-." if key == "knee" else next(share_styles)
        ax.axvline(count, ls=style, color="grey", label=f"{key.replace('_', ' ')}: {count}")
    ax.set_xscale("log")
    ax.set_xlabel("TFs kept (backward selection)")
    ax.set_ylabel("explained variance, test split")
    ax.legend()
    save(figure, path)


def disease_scatter(predictions: pd.DataFrame, summary: pd.DataFrame, path: str | Path) -> None:
    """Left: predicted vs observed target log2 fold changes of every disease, pooled (density
    of points, no legend: it stays readable for 50 diseases). Right: Spearman ρ per disease,
    sorted, with the pooled ρ as a line; a bar is grey when its disease's GWAS check could not
    be run (no trait TF)."""
    per_disease = summary[summary.disease != "pooled"].sort_values("rho")
    pooled = summary[summary.disease == "pooled"].rho
    height = max(4.5, 0.24 * len(per_disease) + 1.5)
    figure, axes = plt.subplots(1, 2, figsize=(12, height), gridspec_kw={"width_ratios": [1.1, 1]})
    ax = axes[0]
    ax.hexbin(predictions.predicted, predictions.observed, gridsize=60, bins="log", mincnt=1)
    ax.axhline(0, color="black", lw=0.5)
    ax.axvline(0, color="black", lw=0.5)
    ax.set_xlabel("predicted target log2 fold change")
    ax.set_ylabel("observed target log2 fold change")
    title = f"{len(per_disease)} diseases, {len(predictions):,} target changes"
    if len(pooled):
        title += f"; pooled ρ {float(pooled.iloc[0]):.2f}"
    ax.set_title(title, fontsize=9)
    ax = axes[1]
    untested = (
        per_disease.fisher_p.isna().to_numpy()
        if "fisher_p" in per_disease
        else np.zeros(len(per_disease), dtype=bool)
    )
    colours = np.where(untested, "lightgrey", "tab:blue")
    positions = np.arange(len(per_disease))
    ax.barh(positions, per_disease.rho, color=colours)
    ax.set_yticks(positions, [_short(name) for name in per_disease.disease], fontsize=7)
    if len(pooled):
        ax.axvline(float(pooled.iloc[0]), color="black", ls="--", lw=0.8, label="pooled")
        ax.legend(fontsize=7, loc="lower right")
    ax.axvline(0, color="black", lw=0.5)
    ax.set_xlabel(
        "Spearman ρ, predicted vs observed (grey: no trait TF, GWAS check not run)", fontsize=8
    )
    save(figure, path)


def _short(name: str, width: int = 38) -> str:
    """A disease name cut to `width` characters for an axis label."""
    return name if len(name) <= width else name[: width - 1] + "…"


def model_comparison(
    comparison: pd.DataFrame, path: str | Path, better: pd.DataFrame | None = None
) -> None:
    """The trans models side by side: test explained variance, light-up AUROC against each
    knowledge table (with the |Spearman| control), and the pooled disease ρ. Given `better`
    (`cistrans.trans.comparison.better_models`' table), each panel's better model is drawn
    in orange and named with its margin in the title."""
    winners = {} if better is None else dict(zip(better.figure, better.itertuples(), strict=True))
    panels = [("explained_variance", "test explained variance")]
    panels += [
        (column, f"AUROC, {column.removeprefix('auroc_')}")
        for column in comparison.columns
        if column.startswith("auroc_")
    ]
    panels.append(("disease_rho_pooled", "disease ρ, pooled"))
    figure, axes = plt.subplots(1, len(panels), figsize=(3.2 * len(panels), 3.8), squeeze=False)
    for ax, (column, label) in zip(axes[0], panels, strict=True):
        winner = winners.get(column)
        colours = ["tab:orange" if winner is not None and model == winner.better else "tab:blue"
                   for model in comparison.model]  # fmt: skip
        ax.bar(comparison.model, comparison[column], color=colours)
        control = column.replace("auroc_", "control_auroc_")
        if control != column and control in comparison:
            ax.scatter(comparison.model, comparison[control], color="black", marker="_", s=400,
                       label="|Spearman| control", zorder=3)  # fmt: skip
            ax.legend(fontsize=7)
        for x, value in enumerate(comparison[column]):
            ax.text(x, value, f"{value:.3f}", ha="center", va="bottom", fontsize=8)
        if winner is not None and isinstance(winner.better, str) and winner.better:
            margin = f"+{winner.margin:.3g}"
            label += "\ntie" if winner.better == TIE else f"\nbetter: {winner.better} {margin}"
        ax.set_title(label, fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
    save(figure, path)
