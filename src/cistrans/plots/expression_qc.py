"""QC figures of the compendium, drawn from the QC tables: PCA/UMAP by tissue and source
(from saved coordinates); sample depth, detection and drop reasons."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def plot_embeddings(coordinates: pd.DataFrame, path: str | Path) -> None:
    """2 × 2 panels: PCA and UMAP (`expression.qc.embedding_coordinates`), coloured by
    tissue and by source."""
    figure, axes = plt.subplots(2, 2, figsize=(13, 10))
    for row, basis in enumerate(("pca", "umap")):
        for column, key in enumerate(("tissue", "source")):
            ax = axes[row, column]
            groups = sorted(coordinates[key].astype(str).unique())
            colours = plt.get_cmap("tab20" if len(groups) > 10 else "tab10")
            for name, rows in coordinates.groupby(coordinates[key].astype(str)):
                ax.scatter(
                    rows[f"{basis}_1"],
                    rows[f"{basis}_2"],
                    s=6,
                    color=colours(groups.index(name) % colours.N),
                    label=name,
                    rasterized=True,
                )
            ax.set_xlabel(f"{basis.upper()}1")
            ax.set_ylabel(f"{basis.upper()}2")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(f"{basis.upper()} by {key}")
            ax.legend(fontsize=6, markerscale=2, loc="center left", bbox_to_anchor=(1, 0.5))
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def plot_sample_qc(qc: pd.DataFrame, path: str | Path) -> None:
    """Library size (count sources), genes detected, and why samples were dropped."""
    figure, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    for source, rows in qc.groupby("source"):
        sizes = rows.library_size.dropna()
        if len(sizes):
            axes[0].hist(np.log10(sizes.clip(lower=1)), bins=40, alpha=0.7, label=source)
        axes[1].hist(rows.genes_detected.dropna(), bins=40, alpha=0.7, label=source)
    axes[0].set_xlabel("log10 reads per kept sample")
    axes[0].set_title("Library size (count data)")
    axes[1].set_xlabel("genes detected (> 0)")
    axes[1].set_title("Detection per kept sample")
    reasons = (
        qc.assign(reason=qc.reason.fillna("").replace("", "kept"))
        .groupby(["source", "reason"])
        .size()
        .unstack(fill_value=0)
    )
    reasons.plot.barh(stacked=True, ax=axes[2])
    axes[2].set_xlabel("samples")
    axes[2].set_title("Samples kept and dropped")
    for ax in axes[:2]:
        ax.set_ylabel("samples")
        ax.ticklabel_format(useOffset=False)
        ax.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
