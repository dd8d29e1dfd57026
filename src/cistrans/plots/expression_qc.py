"""QC figures of the compendium: PCA/UMAP by tissue and source; sample depth and detection."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import anndata as ad
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scanpy as sc  # noqa: E402


def draw_expression_qc(
    compendium: str | Path,
    sample_qc: Sequence[str],
    embedding: str | Path,
    samples: str | Path,
    seed: int,
) -> None:
    """PCA and UMAP of the compendium coloured by tissue and by source (`embedding`), and
    library size, genes detected and drop reasons per source (`samples`)."""
    adata = ad.read_h5ad(compendium)
    plot_embeddings(adata, embedding, seed)
    plot_sample_qc(
        pd.concat([pd.read_csv(p, sep="\t") for p in sample_qc], ignore_index=True), samples
    )


def plot_embeddings(adata: ad.AnnData, path: str | Path, seed: int) -> None:
    """2 × 2 panels: PCA and UMAP, coloured by tissue and by source."""
    adata = adata.copy()
    sc.pp.pca(adata, n_comps=min(30, adata.n_vars - 1, adata.n_obs - 1), random_state=seed)
    sc.pp.neighbors(adata, random_state=seed)
    sc.tl.umap(adata, random_state=seed)
    figure, axes = plt.subplots(2, 2, figsize=(13, 10))
    for row, basis in enumerate(("pca", "umap")):
        for column, key in enumerate(("tissue", "source")):
            sc.pl.embedding(
                adata,
                basis=basis,
                color=key,
                ax=axes[row, column],
                show=False,
                size=12,
                legend_fontsize=6,
            )
            axes[row, column].set_title(f"{basis.upper()} by {key}")
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
