"""Figures of the trans approach, drawn from the tables its rules write."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def _save(figure: plt.Figure, path: str | Path) -> None:
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


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
    _save(figure, path)


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
    _save(figure, path)


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
    _save(figure, path)


def disease_scatter(predictions: pd.DataFrame, summary: pd.DataFrame, path: str | Path) -> None:
    """Predicted vs observed target log2 fold changes, one colour per disease."""
    figure, ax = plt.subplots(figsize=(6.5, 6))
    for name, rows in predictions.groupby("disease"):
        rho = summary.set_index("disease").rho.get(name, np.nan)
        ax.scatter(rows.predicted, rows.observed, s=4, alpha=0.5, label=f"{name} (ρ {rho:.2f})")
    ax.axhline(0, color="black", lw=0.5)
    ax.axvline(0, color="black", lw=0.5)
    ax.set_xlabel("predicted target log2 fold change")
    ax.set_ylabel("observed target log2 fold change")
    ax.legend(fontsize=7, markerscale=3)
    _save(figure, path)
