"""Figures of the cis models, drawn from the tables their rules write."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cistrans.plots.figure import save
from cistrans.published import CIS_PUBLISHED

COMPARISON_FIGURES = {"pearson_r2": "pearson_r2", "spearman_rho": "Spearman ρ", "r2": "r2"}
"""The comparison's panels, top to bottom: each metric and its axis label."""


def comparison_bars(
    comparison: pd.DataFrame, path: str | Path, learning_adds: pd.DataFrame | None = None
) -> None:
    """Test pearson_r2, Spearman ρ and r2 per model × feature set (mean over the seeds
    pooled, min-max as a bar), observed labels in colour beside the permuted-label control
    in grey; a black mark, its value above, where a paper published the model's figure
    (`published_pearson_r2`: Xpresso, its 5-mer and mRNA ridge baselines, DeepLncLoc,
    TExCNN); a red x at 0 where runs collapsed (`n_collapsed`, left out of the bars),
    with their number when more than one; over each best learned model of `learning_adds`,
    an orange dash at its strongest simple baseline's level, with the margin, the baseline
    and the seeds above it (pearson_r2 and Spearman ρ).

    comparison: `cistrans.cismodels.comparison.summarise_runs`'s table; learning_adds:
    `cistrans.cismodels.comparison.learning_adds`' table (none drawn when None or empty)."""
    observed = comparison[comparison["labels"] == "observed"].reset_index(drop=True)
    control = comparison[comparison["labels"] == "permuted"].set_index(["model", "features"])
    control = control.reindex(list(zip(observed.model, observed.features, strict=True)))
    names = [f"{m}\n{f}" for m, f in zip(observed.model, observed.features, strict=True)]
    x = np.arange(len(observed))
    figure, axes = plt.subplots(
        len(COMPARISON_FIGURES), 1, figsize=(max(7, 1.1 * len(observed) + 2), 10), sharex=True
    )
    for ax, (metric, label) in zip(axes, COMPARISON_FIGURES.items(), strict=True):
        for offset, rows, colour, name in (
            (-0.2, observed, "tab:blue", "observed labels"),
            (0.2, control, "lightgrey", "permuted training labels"),
        ):
            mean = rows[f"{metric}_mean"].to_numpy(dtype=float)
            low = mean - rows[f"{metric}_min"].to_numpy(dtype=float)
            high = rows[f"{metric}_max"].to_numpy(dtype=float) - mean
            ax.bar(x + offset, mean, 0.4, yerr=[low, high], color=colour, label=name,
                   capsize=3)  # fmt: skip
            _collapsed_marks(ax, x + offset, rows, ax is axes[0])
        if metric == "pearson_r2":
            published = np.array([published_pearson_r2(m, f) for m, f in
                                  zip(observed.model, observed.features, strict=True)])  # fmt: skip
            ax.scatter(x - 0.2, published, marker="_", s=500, linewidths=2.5, color="black",
                       zorder=6, label="published figure of the model")  # fmt: skip
            for position, value in zip(x - 0.2, published, strict=True):
                if np.isfinite(value):
                    ax.annotate(f"{value:.3f}", (position, value), xytext=(0, 3),
                                textcoords="offset points", ha="center", fontsize=6, zorder=6,
                                bbox={"fc": "white", "ec": "none", "pad": 0.5})  # fmt: skip
            if np.isfinite(published).any():  # room for the figure above the highest mark
                low, high = ax.get_ylim()
                ax.set_ylim(low, max(high, np.nanmax(published) + 0.08 * (high - low)))
        if metric in ("pearson_r2", "spearman_rho") and learning_adds is not None:
            _baseline_marks(ax, observed, learning_adds, metric)
        ax.axhline(0, color="black", lw=0.5)
        ax.set_ylabel(f"test {label}")
    axes[-1].set_xticks(x, names, fontsize=8)
    axes[-1].set_xlim(-0.6, len(observed) - 0.4)
    axes[0].legend(fontsize=7, loc="lower left", bbox_to_anchor=(0, 1.01), ncols=4,
                   frameon=False)  # fmt: skip  # above the panels, over no bar
    save(figure, path)


def published_pearson_r2(model: str, features: str) -> float:
    """The published test pearson_r2 of `model` on `features` (`cistrans.published.CIS_PUBLISHED`,
    TExCNN of any embedding as `texcnn`); NaN where no paper gives one."""
    kind = "texcnn" if model.startswith("texcnn_") else model
    published = CIS_PUBLISHED.get((kind, features))
    return np.nan if published is None else published.value


def _baseline_marks(
    ax: plt.Axes, observed: pd.DataFrame, learning_adds: pd.DataFrame, metric: str
) -> None:
    """Over the bar of each best learned model in `learning_adds` (its row of `observed`),
    an orange dash at the strongest simple baseline's mean `metric` and, above the bar, the
    margin, the baseline's name and the seeds whose figure is above it."""
    keys = zip(observed.model, observed.features, strict=True)
    positions = {key: i for i, key in enumerate(keys)}
    seeds = "seeds_above" if metric == "pearson_r2" else "seeds_above_spearman"
    label = "strongest simple baseline of the features"
    highest = -np.inf
    for row in learning_adds.itertuples(index=False):
        position = positions.get((row.learned_model, row.features))
        if position is None:
            continue
        level = getattr(row, f"baseline_{metric}_mean")
        top = observed[f"{metric}_max"].iloc[position]
        highest = max(highest, top, level)
        ax.hlines(level, position - 0.42, position + 0.02, color="tab:orange", lw=2.5,
                  zorder=5, label=label if label not in ax.get_legend_handles_labels()[1]
                  else None)  # fmt: skip
        ax.annotate(
            f"{getattr(row, f'{metric}_margin'):+.3f} vs {row.baseline_model}\n"
            f"{getattr(row, seeds)} of {row.n_seeds} seeds above",
            (position - 0.2, max(top, level)), xytext=(0, 4), textcoords="offset points",
            ha="center", fontsize=6, color="tab:orange",
        )  # fmt: skip
    low, high = ax.get_ylim()
    if np.isfinite(highest):  # room for the two lines of text inside the panel
        ax.set_ylim(low, max(high, highest + 0.15 * (high - low)))


def _collapsed_marks(ax: plt.Axes, x: np.ndarray, rows: pd.DataFrame, label: bool) -> None:
    """A red x at 0 at each of `x` whose row of `rows` counts collapsed runs
    (n_collapsed), their number beside it when more than one; a legend entry when
    `label` and there is one."""
    collapsed = rows.get("n_collapsed", pd.Series(0, index=rows.index))
    collapsed = collapsed.fillna(0).to_numpy(dtype=int)
    if not collapsed.any():
        return
    shown = collapsed > 0
    text = "collapsed run(s), left out"
    label = label and text not in ax.get_legend_handles_labels()[1]
    ax.scatter(x[shown], np.zeros(shown.sum()), marker="x", s=40, color="tab:red", zorder=4,
               clip_on=False, label=text if label else None)  # fmt: skip
    for position, count in zip(x[shown], collapsed[shown], strict=True):
        if count > 1:
            ax.annotate(f"{count}", (position, 0), xytext=(3, 3), textcoords="offset points",
                        fontsize=6, color="tab:red")  # fmt: skip


def predicted_vs_observed(
    predictions: pd.DataFrame, comparison: pd.DataFrame, path: str | Path
) -> None:
    """The test genes of the best model × feature set (highest mean test pearson_r2 on
    observed labels, over the seeds pooled), its first seed whose predictions are not
    constant: predicted against observed label. An empty figure that says so when every
    run on observed labels collapsed."""
    observed = comparison[comparison["labels"] == "observed"].dropna(subset=["pearson_r2_mean"])
    figure, ax = plt.subplots(figsize=(5.5, 5))
    if observed.empty:
        ax.text(0.5, 0.5, "every run on observed labels collapsed", ha="center")
        ax.set_axis_off()
        save(figure, path)
        return
    best = observed.loc[observed.pearson_r2_mean.idxmax()]
    rows = predictions[
        (predictions.model == best.model)
        & (predictions.features == best.features)
        & (predictions["labels"] == "observed")
        & (predictions.split == "test")
    ]
    varied = rows.groupby("seed").predicted.agg(np.ptp)
    rows = rows[rows.seed == varied[varied > 0].index.min()]
    ax.scatter(rows.predicted, rows.observed, s=8, alpha=0.6)
    low = float(min(rows.predicted.min(), rows.observed.min()))
    high = float(max(rows.predicted.max(), rows.observed.max()))
    ax.plot([low, high], [low, high], color="black", lw=0.6)
    ax.set_xlabel("predicted label")
    ax.set_ylabel("observed label")
    ax.set_title(
        f"{best.model} ({best.features}), {len(rows)} test genes: pearson_r2 "
        f"{best.pearson_r2_mean:.3f}, Spearman ρ {best.spearman_rho_mean:.3f}, "
        f"r2 {best.r2_mean:.3f}",
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
