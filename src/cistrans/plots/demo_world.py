"""The demo world at a glance: samples, cis grammar, and the network hierarchy."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from cistrans.io.gct import GctTable  # noqa: E402


def plot_demo_world(
    gtex_tpm: GctTable,
    sample_attributes: pd.DataFrame,
    baselines: pd.DataFrame,
    pair_state: pd.Series,
    edges: pd.DataFrame,
    masters: pd.DataFrame,
    path: str | Path,
) -> None:
    """Four panels into `path` (PNG), drawn from the world's files as read.

    gtex_tpm: the GTEx GCT (TPM; Description = symbols), shown as log2(TPM + 1).
    sample_attributes: GTEx sample attributes with SAMPID and SMTS (tissue).
    baselines: baselines truth with symbol, n_activating, motif_part, tata_part, mrna_part.
    pair_state: per symbol "active", "inactive" or "absent". edges: tf, target.
    masters: master regulators with symbol.
    """
    log_expression = pd.DataFrame(
        np.log2(gtex_tpm.values.astype(float) + 1.0),
        index=gtex_tpm.descriptions,
        columns=gtex_tpm.sample_ids,
    )
    sample_tissues = sample_attributes.set_index("SAMPID").SMTS[gtex_tpm.sample_ids]
    baselines = baselines.set_index("symbol")
    masters = masters.symbol.tolist()
    figure, axes = plt.subplots(2, 2, figsize=(11, 9))
    _pca_by_tissue(axes[0, 0], log_expression, sample_tissues)
    _level_by_activating_sites(axes[0, 1], log_expression, baselines)
    _cooperative_pair(axes[1, 0], log_expression, baselines, pair_state)
    _out_degree(axes[1, 1], edges, masters)
    figure.suptitle("Demo world: what was planted, as seen in the simulated GTEx samples")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _pca_by_tissue(ax: plt.Axes, values: pd.DataFrame, tissues: pd.Series) -> None:
    centred = values.to_numpy().T - values.to_numpy().mean(axis=1)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    scores = u[:, :2] * s[:2]
    explained = s[:2] ** 2 / (s**2).sum()
    for tissue in sorted(tissues.unique()):
        chosen = (tissues == tissue).to_numpy()
        ax.scatter(scores[chosen, 0], scores[chosen, 1], s=6, label=tissue)
    ax.set_xlabel(f"PC1 ({explained[0]:.0%})")
    ax.set_ylabel(f"PC2 ({explained[1]:.0%})")
    ax.set_title("Samples by tissue (tissue programmes)")
    ax.legend(fontsize=6, markerscale=2, ncol=2)


def _level_by_activating_sites(ax: plt.Axes, values: pd.DataFrame, baselines: pd.DataFrame) -> None:
    level = values.median(axis=1)[baselines.index]
    counts = baselines.n_activating.clip(upper=10)
    groups = sorted(counts.unique())
    ax.boxplot([level[counts == n] for n in groups], positions=groups, widths=0.6, showfliers=False)
    ax.set_xlabel("activating motif sites in the promoter (10 = 10 or more)")
    ax.set_ylabel("median log2(TPM + 1)")
    ax.set_title("Baseline level follows the promoter")


def _cooperative_pair(
    ax: plt.Axes, values: pd.DataFrame, baselines: pd.DataFrame, pair_state: pd.Series
) -> None:
    residual = values.median(axis=1)[baselines.index] - baselines[
        ["motif_part", "tata_part", "mrna_part"]
    ].sum(axis=1)
    states = ["active", "inactive", "absent"]
    state = pair_state.reindex(baselines.index).fillna("absent")
    ax.boxplot([residual[state == s] for s in states], showfliers=False)
    ax.set_xticks([1, 2, 3], ["10–30 bp apart", "further apart", "pair absent"])
    ax.set_ylabel("level less other planted cis parts")
    ax.set_title("The cooperative pair acts only at its spacing")


def _out_degree(ax: plt.Axes, edges: pd.DataFrame, masters: list[str]) -> None:
    degree = edges.tf.value_counts()
    is_master = degree.index.isin(masters)
    bins = np.linspace(0, degree.max() + 1, 30)
    ax.hist(degree[~is_master], bins=bins, label="other TFs")
    ax.hist(degree[is_master], bins=bins, label="master regulators", alpha=0.8)
    ax.set_xlabel("genes regulated (out-degree)")
    ax.set_ylabel("TFs")
    ax.set_title("Hierarchy: master regulators regulate most")
    ax.legend()
