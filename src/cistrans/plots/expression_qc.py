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
    """Library size (the count sources; no panel when no source has one, as for TPM
    input), genes detected, and why samples were dropped; a legend only where a panel has
    sources to name, outside its bars."""
    counted = qc[qc.library_size.notna()] if "library_size" in qc else qc.iloc[:0]
    panels = 3 if len(counted) else 2
    figure, axes = plt.subplots(1, panels, figsize=(5 * panels, 4.5))
    histograms = list(axes[:-1])
    if len(counted):
        for source, rows in counted.groupby("source"):
            axes[0].hist(np.log10(rows.library_size.clip(lower=1)), bins=40, alpha=0.7,
                         label=source)  # fmt: skip
        axes[0].set_xlabel("log10 reads per kept sample")
        sources = ", ".join(sorted(counted.source.astype(str).unique()))
        axes[0].set_title(f"Library size (count data: {sources})")
    detection = axes[-2]
    for source, rows in qc.groupby("source"):
        detected = rows.genes_detected.dropna()
        if len(detected):
            detection.hist(detected, bins=40, alpha=0.7, label=source)
    detection.set_xlabel("genes detected (> 0)")
    detection.xaxis.set_major_locator(plt.MaxNLocator(5))  # tens of thousands stay apart
    title = "Detection per kept sample"
    if not len(counted):
        title += "\n(no library sizes: no source has read counts)"
    detection.set_title(title)
    reasons = (
        qc.assign(reason=qc.reason.fillna("").replace("", "kept"))
        .groupby(["source", "reason"])
        .size()
        .unstack(fill_value=0)
    )
    reasons.plot.barh(stacked=True, ax=axes[-1])
    axes[-1].set_xlabel("samples")
    axes[-1].set_title("Samples kept and dropped")
    axes[-1].legend(title="reason", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1),
                    frameon=False)  # fmt: skip
    for ax in histograms:
        ax.set_ylabel("samples")
        ax.ticklabel_format(useOffset=False)
        handles = ax.get_legend_handles_labels()[0]
        if handles:  # in a band above the tallest bar, over no data
            ax.set_ylim(top=ax.get_ylim()[1] * (1.15 + 0.08 * ((len(handles) - 1) // 4)))
            ax.legend(fontsize=8, loc="upper left", ncols=min(len(handles), 4), frameon=False)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
