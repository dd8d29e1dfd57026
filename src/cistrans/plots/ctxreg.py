"""Figures of contextual regression, drawn from the tables its rules write."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cistrans.io.motifs import BASES, Motif
from cistrans.plots.figure import save


def cluster_maps(clusters: pd.DataFrame, expression: pd.DataFrame, path: str | Path) -> None:
    """UMAP of the genes' contributions coloured by Leiden cluster and by expression, and
    the expression of each cluster (box plots, Kruskal–Wallis p in the title)."""
    figure, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    for cluster, rows in clusters.groupby("cluster"):
        axes[0].scatter(rows.umap_1, rows.umap_2, s=5, label=str(cluster))
    axes[0].set_title("genes by contributions: Leiden clusters")
    axes[0].legend(markerscale=3, fontsize=7, ncol=2, title="cluster")
    points = axes[1].scatter(clusters.umap_1, clusters.umap_2, c=clusters.label, s=5,
                             cmap="viridis")  # fmt: skip
    figure.colorbar(points, ax=axes[1], label="label (expression)")
    axes[1].set_title("coloured by expression")
    for ax in axes[:2]:
        ax.set(xlabel="UMAP 1", ylabel="UMAP 2", xticks=[], yticks=[])
    order = sorted(clusters.cluster.unique())
    axes[2].boxplot([clusters.label[clusters.cluster == c] for c in order], showfliers=False)
    axes[2].set_xticks(range(1, len(order) + 1), [str(c) for c in order])
    p = expression.kruskal_p.iloc[0]
    axes[2].set(xlabel="cluster", ylabel="label (expression)",
                title=f"expression by cluster (Kruskal–Wallis p = {p:.1e})")  # fmt: skip
    save(figure, path)


def filter_logos(motifs: list[Motif], matches: pd.DataFrame, path: str | Path, n: int = 12) -> None:
    """Sequence logos (information content) of the `n` filters with the best TOMTOM match,
    each titled with its JASPAR match and q-value."""
    import logomaker

    best = matches.sort_values("p_value").head(n)
    by_id = {motif.motif_id: motif for motif in motifs}
    columns = 3
    rows = max(1, int(np.ceil(len(best) / columns)))
    figure, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 1.9 * rows), squeeze=False)
    for ax, match in zip(axes.ravel(), best.itertuples(), strict=False):
        pwm = by_id[match.motif].pwm
        bits = pwm * (2 + (pwm * np.log2(pwm)).sum(axis=1, keepdims=True))
        logomaker.Logo(pd.DataFrame(bits, columns=list(BASES)), ax=ax, color_scheme="classic")
        ax.set_ylim(0, 2)
        title = f"{match.motif}\n≈ {match.match_name} ({match.match_id}), q = {match.q_value:.1e}"
        ax.set_title(title, fontsize=8)
    for ax in axes.ravel()[len(best) :]:
        ax.axis("off")
    save(figure, path)


def grammar_panels(
    cooccurrence: pd.DataFrame,
    communities: pd.DataFrame,
    spacing: pd.DataFrame,
    path: str | Path,
    nodes: int = 40,
    bars: int = 12,
) -> None:
    """Left: the co-occurrence network of the `nodes` best-connected motifs (edges: pairs
    at q < FDR, nodes on a circle grouped and coloured by community). Right: the `bars`
    ordered pairs with the most significant preferred spacing, site pairs observed in the
    range against the number expected."""
    figure, axes = plt.subplots(1, 2, figsize=(15, 7))
    top = communities.sort_values("degree", ascending=False).head(nodes)
    top = top.sort_values(["community", "degree"], ascending=[True, False])
    angle = np.linspace(0, 2 * np.pi, len(top), endpoint=False)
    where = {m: (np.cos(a), np.sin(a)) for m, a in zip(top.motif_id, angle, strict=True)}
    for a, b in zip(cooccurrence.motif_a, cooccurrence.motif_b, strict=True):
        if a in where and b in where:
            axes[0].plot(*zip(where[a], where[b], strict=True), color="lightgrey", lw=0.6)
    colours = plt.get_cmap("tab20")(top.community.to_numpy() % 20)
    xy = np.array([where[m] for m in top.motif_id]) if len(top) else np.zeros((0, 2))
    axes[0].scatter(xy[:, 0], xy[:, 1], c=colours, s=40 + 4 * top.degree.to_numpy(), zorder=3)
    for (x, y), name in zip(xy, top.name, strict=True):
        axes[0].annotate(name, (x * 1.08, y * 1.08), fontsize=7, ha="center", va="center")
    axes[0].set(title=f"co-occurring motifs: {len(cooccurrence)} pairs, "
                      f"{communities.community.nunique()} communities (top {len(top)} motifs)",
                xticks=[], yticks=[], aspect="equal")  # fmt: skip
    best = spacing.head(bars).iloc[::-1]
    ranges = zip(best.name_a, best.name_b, best.range_start, best.range_end, strict=True)
    labels = [f"{a} → {b}, {lo}–{hi} bp" for a, b, lo, hi in ranges]
    y = np.arange(len(best))
    axes[1].barh(y + 0.2, best.pairs_in_range, 0.4, label="site pairs in the range")
    axes[1].barh(y - 0.2, best.expected_in_range, 0.4, color="lightgrey", label="expected")
    axes[1].set_yticks(y, labels, fontsize=8)
    axes[1].set(xlabel="site pairs", title="preferred spacings (bases between the sites)")
    axes[1].legend(loc="lower right")
    save(figure, path)


def insilico_curves(scan: pd.DataFrame, path: str | Path) -> None:
    """Per scanned pair: the predicted change (± standard error) with both sites against
    their spacing, and the interaction (the change beyond the two sites alone)."""
    figure, axes = plt.subplots(1, 2, figsize=(13, 4.5))
    for (a, b), rows in scan.groupby(["site_a", "site_b"], sort=False):
        label = f"{a} … {b}"
        axes[0].plot(rows.spacing, rows.change, label=label)
        axes[0].fill_between(rows.spacing, rows.change - rows.change_se,
                             rows.change + rows.change_se, alpha=0.2)  # fmt: skip
        axes[1].plot(rows.spacing, rows.interaction, label=label)
    axes[0].set(xlabel="spacing (bases between the sites)", ylabel="predicted change",
                title="both sites written into shuffled test windows")  # fmt: skip
    axes[1].set(xlabel="spacing (bases between the sites)", ylabel="interaction",
                title="change beyond the two sites alone")  # fmt: skip
    for ax in axes:
        ax.axhline(0, color="grey", lw=0.5)
    if len(scan):
        axes[0].legend(fontsize=7)
    save(figure, path)


def jaspar_mode_importance(pooled: pd.DataFrame, path: str | Path, n: int = 30) -> None:
    """The JASPAR mode's `n` most important motifs (pooled over seeds, `pooled_importance`):
    each one's mean contribution over all genes (the seeds' range as whiskers), activating
    to the right, repressive to the left."""
    top = pooled.nsmallest(n, "rank").iloc[::-1]
    figure, ax = plt.subplots(figsize=(7, 0.25 * len(top) + 1.5))
    colours = np.where(top.mean_contribution >= 0, "tab:red", "tab:blue")
    whiskers = [top.mean_contribution - top.mean_contribution_min,
                top.mean_contribution_max - top.mean_contribution]  # fmt: skip
    ax.barh(range(len(top)), top.mean_contribution, xerr=whiskers, color=colours,
            error_kw={"lw": 0.8})  # fmt: skip
    labels = [f"{name} ({motif})" for name, motif in zip(top.name, top.motif_id, strict=True)]
    ax.set_yticks(range(len(top)), labels, fontsize=7)
    ax.axvline(0, color="grey", lw=0.5)
    ax.set(xlabel="mean contribution wₖ(x)·mₖ(x) (standardised label)",
           title=f"JASPAR mode: the {len(top)} motifs of largest mean |contribution|")  # fmt: skip
    save(figure, path)
