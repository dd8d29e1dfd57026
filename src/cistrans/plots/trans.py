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
    """One panel per knowledge table: the per-target folds of the light-up (blue) beside the
    |Spearman| control (grey outline), on the table's own bins; last, the AUROC of each
    table's annotated edges, from chance (0.5) up. One legend, right of the panels."""
    tables = list(dict.fromkeys(per_target.table))
    figure, axes = plt.subplots(
        1, len(tables) + 1, figsize=(3.6 * len(tables) + 5.5, 4.2), squeeze=False
    )
    for ax, name in zip(axes[0], tables, strict=False):
        rows = per_target[per_target.table == name]
        folds = np.log2(rows.fold.clip(lower=1e-3)), np.log2(rows.control_fold.clip(lower=1e-3))
        values = np.concatenate([f.dropna().to_numpy() for f in folds])
        bins = np.histogram_bin_edges(values, bins=40) if len(values) else 40
        ax.hist(folds[0], bins=bins, color=LIGHT_UP, alpha=0.8, label="light-up")
        ax.hist(folds[1], bins=bins, histtype="step", color=CONTROL, lw=1.5,
                label="|Spearman| control")  # fmt: skip
        ax.axvline(0, color="black", lw=0.8)
        ax.set_title(f"{name}: {len(rows):,} targets", fontsize=9)
        ax.set_xlabel("log2 fold, annotated regulators\nvs other TFs (per target)", fontsize=8)
        ax.set_ylabel("targets")
    ax = axes[0, -1]
    x = np.arange(len(summary))
    ax.bar(x - 0.2, summary.auroc - CHANCE, 0.4, bottom=CHANCE, color=LIGHT_UP)
    ax.bar(x + 0.2, summary.control_auroc - CHANCE, 0.4, bottom=CHANCE, facecolor="white",
           edgecolor=CONTROL, lw=1.5)  # fmt: skip
    _chance_axis(ax, summary[["auroc", "control_auroc"]].to_numpy(dtype=float))
    ax.set_xticks(x, summary.table, fontsize=8)
    ax.set_xlim(-0.8, len(summary) - 0.2)
    ax.set_ylabel("AUROC for annotated edges")
    ax.set_title("AUROC per knowledge table", fontsize=9)
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=LIGHT_UP),
        plt.Rectangle((0, 0), 1, 1, facecolor="white", edgecolor=CONTROL, lw=1.5),
    ]
    ax.legend(handles, ["light-up", "|Spearman| control"], fontsize=8, loc="upper left",
              bbox_to_anchor=(1.02, 1), frameon=False)  # fmt: skip  # outside the data
    save(figure, path)


LIGHT_UP, CONTROL = "tab:blue", "dimgrey"
CHANCE = 0.5
"""An AUROC's chance level: AUROC bars start there, and a line marks it."""


def _chance_axis(ax: plt.Axes, values: np.ndarray, top: float = 1.04) -> None:
    """An AUROC axis: from chance (or just below the lowest value) to `top` (ticks to 1),
    the chance line drawn and its tick named."""
    finite = values[np.isfinite(values)]
    low = min(CHANCE, float(finite.min()) if finite.size else CHANCE) - 0.05
    ax.set_ylim(low, top)
    ax.set_yticks([tick for tick in np.arange(0, 1.01, 0.1) if tick >= low])  # none above 1
    ax.axhline(CHANCE, color="black", lw=1, ls="--")
    ax.yaxis.set_major_formatter(
        lambda value, _: f"chance {value:g}" if np.isclose(value, CHANCE) else f"{value:g}"
    )


def pruning_curve(curve: pd.DataFrame, marks: dict[str, int], path: str | Path) -> None:
    """Test explained variance against the number of TFs kept, the y-axis from 0 (a share
    of the full model on the right); a vertical line per TF count marked (`tfs_for_<p>_percent`
    of the full model's explained variance, and the knee: marks at the same count share one
    line and one legend entry), a dotted level per share, and "≤" where a share was already
    kept at the smallest count tested. The legend sits under the axes."""
    curve = curve.sort_values("n_tfs")
    full = float(curve.explained_variance.iloc[-1])
    smallest = int(curve.n_tfs.iloc[0])
    figure, ax = plt.subplots(figsize=(7.5, 5.2))
    ax.plot(curve.n_tfs, curve.explained_variance, "o-", color="tab:blue", zorder=3)
    counts: dict[int, list[str]] = {}
    for key, count in marks.items():
        counts.setdefault(int(count), []).append(key)
    styles = iter(["--", ":", (0, (1, 4)), (0, (5, 5)), (0, (3, 1, 1, 1))] * 4)
    for count, keys in sorted(counts.items()):
        names = []
        for key in keys:
            share = _share(key)
            if share is None:
                names.append(key.replace("_", " "))
                continue
            names.append(f"{share:g} % of the full model")
            ax.axhline(full * share / 100, color="darkgrey", ls=":", lw=1, zorder=1)
        at_smallest = count == smallest and any(_share(key) is not None for key in keys)
        label = f"{' = '.join(names)}: {'≤ ' if at_smallest else ''}{count} TFs"
        if at_smallest:
            label += "\n(reached at the smallest count tested)"
        style = "-." if keys == ["knee"] else next(styles)
        ax.axvline(count, ls=style, color="grey", lw=1.5, label=label)
    ax.set_xscale("log")
    counts_tested = curve.n_tfs.astype(int).tolist()
    if len(counts_tested) <= 10:  # the counts tested as ticks, in plain numbers
        ax.set_xticks(counts_tested, [f"{n:,}" for n in counts_tested], fontsize=8)
        ax.xaxis.set_minor_locator(plt.NullLocator())
    top = max(float(curve.explained_variance.max()), full)
    low = float(curve.explained_variance.min())
    ax.set_ylim(min(0.0, low * 1.1), max(top * 1.12, 1e-6))
    if full > 0:
        share_axis = ax.secondary_yaxis("right", functions=(lambda y: 100 * y / full,
                                                            lambda s: s * full / 100))  # fmt: skip
        share_axis.set_ylabel("% of the full model")
    ax.set_xlabel(f"TFs kept (backward selection, {smallest:,}–{int(curve.n_tfs.iloc[-1]):,})")
    ax.set_ylabel("explained variance, test split")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncols=2,
              frameon=False)  # fmt: skip  # under the axes, over no point
    save(figure, path)


def _share(key: str) -> float | None:
    """The percentage of a `tfs_for_<p>_percent` mark; None for another mark (the knee)."""
    if key.startswith("tfs_for_") and key.endswith("_percent"):
        return float(key.removeprefix("tfs_for_").removesuffix("_percent"))
    return None


def disease_scatter(predictions: pd.DataFrame, summary: pd.DataFrame, path: str | Path) -> None:
    """Left: predicted vs observed target log2 fold changes of every disease, pooled (density
    of points with its colour bar, the y = x line; no legend: it stays readable for 50
    diseases). Right: Spearman ρ per disease, sorted, with the pooled ρ as a line; each bar
    named by `disease_labels` (unique, with the accession where the summary has one); a bar
    is grey when its disease's GWAS check could not be run (no trait TF)."""
    per_disease = summary[summary.disease != "pooled"].sort_values("rho")
    pooled = summary[summary.disease == "pooled"].rho
    height = max(4.5, 0.24 * len(per_disease) + 1.5)
    figure, axes = plt.subplots(1, 2, figsize=(13, height), gridspec_kw={"width_ratios": [1, 1]})
    ax = axes[0]
    cells = ax.hexbin(predictions.predicted, predictions.observed, gridsize=60, bins="log",
                      mincnt=1)  # fmt: skip
    ax.set_box_aspect(1)  # square whatever the number of diseases; the bars grow alone
    ax.set_anchor("N")
    figure.colorbar(cells, cax=ax.inset_axes([1.03, 0, 0.04, 1]),
                    label="target changes per hexagon (log scale)")  # fmt: skip
    ax.axhline(0, color="black", lw=0.5)
    ax.axvline(0, color="black", lw=0.5)
    values = predictions[["predicted", "observed"]].to_numpy(dtype=float)
    if np.isfinite(values).any():
        low, high = float(np.nanmin(values)), float(np.nanmax(values))
        ax.plot([low, high], [low, high], color="tab:red", ls="--", lw=1, label="y = x")
        ax.legend(fontsize=7, loc="upper left")
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
    labels = disease_labels(per_disease.disease, per_disease.get("accession"))
    ax.set_yticks(positions, labels, fontsize=7)
    ax.set_ylim(-0.6, len(per_disease) - 0.4)
    if len(pooled):
        ax.axvline(float(pooled.iloc[0]), color="black", ls="--", lw=0.8, label="pooled ρ")
        ax.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
    ax.axvline(0, color="black", lw=0.5)
    ax.set_xlabel(
        "Spearman ρ, predicted vs observed\n(grey: no trait TF, GWAS check not run)", fontsize=8
    )
    save(figure, path)


def disease_labels(
    names: pd.Series | list[str], accessions: pd.Series | list[str] | None = None, width: int = 44
) -> list[str]:
    """An axis label per disease, unique whatever their number: the name cut to `width`
    characters in the middle (its start and its end kept, where contrasts of one disease
    differ), the accession after it where there is one; labels still alike are cut wider
    until they differ, and those alike in full (same name and accession) numbered."""
    names = [str(name) for name in names]
    accessions = [""] * len(names) if accessions is None else list(accessions)
    tags = ["" if pd.isna(a) or not str(a) else f" ({a})" for a in accessions]

    def labels(widths: list[int]) -> list[str]:
        return [_short(n, w) + t for n, w, t in zip(names, widths, tags, strict=True)]

    widths = [width] * len(names)
    result = labels(widths)
    identical = pd.Series(labels([max(map(len, names), default=0)] * len(names)))
    identical = identical.duplicated(keep=False)
    for wider in (width + 20, max(map(len, names), default=0)):
        alike = (pd.Series(result).duplicated(keep=False) & ~identical).to_numpy()
        if not alike.any():
            break
        widths = [wider if same else w for same, w in zip(alike, widths, strict=True)]
        result = labels(widths)
    seen: dict[str, int] = {}
    numbered = []
    for label, repeated in zip(result, pd.Series(result).duplicated(keep=False), strict=True):
        seen[label] = seen.get(label, 0) + 1
        numbered.append(f"{label} #{seen[label]}" if repeated else label)
    return numbered


def _short(name: str, width: int = 38) -> str:
    """`name` cut to `width` characters for an axis label: its start and end kept, an
    ellipsis between."""
    if len(name) <= width:
        return name
    tail = (width - 1) // 3
    return name[: width - 1 - tail].rstrip() + "…" + name[len(name) - tail :].lstrip()


def model_comparison(
    comparison: pd.DataFrame, path: str | Path, better: pd.DataFrame | None = None
) -> None:
    """The trans models side by side: test explained variance, light-up AUROC against each
    knowledge table (bars from chance, 0.5, its line drawn; the |Spearman| control as a black
    tick, its legend under the panel; each figure written above the higher of bar and tick),
    and the pooled disease ρ. Given `better` (`cistrans.trans.comparison.better_models`'
    table), each panel's better model is drawn in orange and named with its margin in the
    title."""
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
        auroc = column.startswith("auroc_")
        values = comparison[column].to_numpy(dtype=float)
        bottom = CHANCE if auroc else 0.0
        ax.bar(comparison.model, values - bottom, bottom=bottom, color=colours)
        control = column.replace("auroc_", "control_auroc_")
        tops = values
        if auroc and control in comparison:
            controls = comparison[control].to_numpy(dtype=float)
            ax.scatter(comparison.model, controls, color="black", marker="_", s=400,
                       label="|Spearman| control", zorder=3)  # fmt: skip
            ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False)
            tops = np.fmax(values, controls)  # the figure above the control's tick too
        if auroc:
            _chance_axis(ax, np.concatenate([values, tops]), top=1.1)
        elif np.isfinite(tops).any():  # room for the figures under the title
            low, high = ax.get_ylim()
            ax.set_ylim(low, high + 0.1 * (high - low))
        for x, (value, top) in enumerate(zip(values, tops, strict=True)):
            if np.isfinite(value):
                ax.annotate(f"{value:.3f}", (x, top), xytext=(0, 3), textcoords="offset points",
                            ha="center", va="bottom", fontsize=8)  # fmt: skip
        if winner is not None and isinstance(winner.better, str) and winner.better:
            margin = f"+{winner.margin:.3g}"
            label += "\ntie" if winner.better == TIE else f"\nbetter: {winner.better} {margin}"
        ax.set_title(label, fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
    save(figure, path)
