"""Figures of the cis–trans motif links, drawn from the tables rule synthesis_motifs writes."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cistrans.plots.figure import save


def motif_targets(targets: pd.DataFrame, summary: pd.DataFrame, path: str | Path) -> None:
    """Per TF–motif pair: the AUC of its motif's sites among its light-up targets against the
    same for |Spearman| (linked pairs in colour); and the share of pairs linked by each
    score and test."""
    figure, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    linked = targets.lightup_linked.to_numpy(dtype=bool)
    axes[0].scatter(targets.spearman_auc[~linked], targets.lightup_auc[~linked], s=10,
                    color="grey", label="not linked by light-up")  # fmt: skip
    axes[0].scatter(targets.spearman_auc[linked], targets.lightup_auc[linked], s=10,
                    color="tab:red", label="linked (Mann–Whitney q below the FDR)")  # fmt: skip
    axes[0].plot([0.3, 1], [0.3, 1], color="grey", lw=0.5)
    axes[0].axhline(0.5, color="grey", lw=0.5, ls=":")
    axes[0].axvline(0.5, color="grey", lw=0.5, ls=":")
    axes[0].set(xlabel="AUC of motif sites by |Spearman|",
                ylabel="AUC of motif sites by |light-up|",
                title="do the promoters of a TF's top targets carry its motif?")  # fmt: skip
    axes[0].legend(fontsize=8, loc="lower right")
    positions = np.arange(len(summary))
    axes[1].bar(positions - 0.2, summary.linked_share, 0.4, label="Mann–Whitney, all targets")
    axes[1].bar(positions + 0.2, summary.top_linked_share, 0.4, label="Fisher, top targets")
    axes[1].set_xticks(positions, [f"{score}\n({pairs} pairs)" for score, pairs in
                                   zip(summary.score, summary.pairs, strict=True)])  # fmt: skip
    axes[1].set(ylabel="share of TF–motif pairs linked", ylim=(0, 1),
                title="linked TF–motif pairs: light-up against the control")  # fmt: skip
    axes[1].legend(fontsize=8)
    save(figure, path)


def importance_against_pruning(
    per_tf: pd.DataFrame, summary: pd.DataFrame, path: str | Path
) -> None:
    """Each TF's rank in the pruning sweep against its motif's importance in contextual
    regression, one panel per importance source, with Spearman ρ in the title."""
    figure, axes = plt.subplots(1, max(len(summary), 1), figsize=(5.5 * max(len(summary), 1), 4.5),
                                squeeze=False)  # fmt: skip
    for ax, row in zip(axes[0], summary.itertuples(index=False), strict=False):
        both = per_tf.dropna(subset=[row.importance, "pruning_rank"])
        ax.scatter(both.pruning_rank, both[row.importance], s=12)
        for tf in both.nlargest(5, row.importance).itertuples(index=False):
            ax.annotate(tf.symbol, (tf.pruning_rank, getattr(tf, row.importance)), fontsize=7)
        ax.set(xlabel="rank in the pruning sweep (1: kept longest)",
               ylabel="motif importance (mean |contribution|)",
               title=f"{row.importance}: Spearman ρ {row.spearman_rho:.2f} "
                     f"(p {row.p_value:.2g}, {row.tfs} TFs)")  # fmt: skip
    save(figure, path)
