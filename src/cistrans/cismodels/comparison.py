"""Every cis run gathered: min / mean / max of each test figure per model × feature set ×
labels (observed or permuted), with the window the model read, over the seeds."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

METRICS = ("pearson_r2", "r2", "pearson_r", "spearman_rho")
GROUP = ("model", "features", "labels")

PUBLISHED_PEARSON_R2 = {
    ("kmer_ridge", "dna"): 0.447,
    ("kmer_ridge", "dna_mrna"): 0.470,
    ("mrna_ridge", "mrna"): 0.170,
}
"""Xpresso's published test figures (squared Pearson r, human, 10.5 kb window) for the
baselines of the same name: 5-mer counts without / with the mRNA features, and the mRNA
features alone (Agarwal & Shendure 2020)."""


CROPPED_MODELS = ("kmer_ridge", "xpresso", "deeplncloc")
"""The models that read the part of the window in cis.window (TExCNN reads the embeddings of
the whole window; the mRNA ridge reads no sequence)."""
NO_SEQUENCE = "no sequence"
CTXREG = "ctxreg"
CTXREG_JASPAR_MODE = "ctxreg_jaspar_mode"
JASPAR_RIDGE = "jaspar_ridge"
CTXREG_MODELS = (CTXREG, CTXREG_JASPAR_MODE, JASPAR_RIDGE)
"""Contextual regression's model names in the comparison, on learned and on JASPAR motifs,
and the JASPAR mode's baseline, ridge on the JASPAR site counts (all read ctxreg.window)."""


def summarise_runs(
    runs: pd.DataFrame,
    whole: str,
    cropped: str,
    ctxreg: str | None = None,
    group: Sequence[str] = GROUP,
) -> pd.DataFrame:
    """runs: one row per run (`group` columns, seed, METRICS; the cell-type mode groups by
    tissue too). Returns one row per group with the window its model read (`cropped` for
    CROPPED_MODELS, `ctxreg` for CTXREG_MODELS, NO_SEQUENCE for the mRNA ridge,
    else `whole`), n_runs and `<metric>_min/_mean/_max`, observed labels before
    permuted."""
    grouped = runs.groupby(list(group), sort=False)
    summary = grouped[list(METRICS)].agg(["min", "mean", "max"])
    summary.columns = [f"{metric}_{statistic}" for metric, statistic in summary.columns]
    summary.insert(0, "n_runs", grouped.size())
    summary = summary.reset_index()
    summary.insert(
        3,
        "window",
        [
            NO_SEQUENCE
            if model == "mrna_ridge"
            else cropped
            if model in CROPPED_MODELS
            else ctxreg
            if model in CTXREG_MODELS
            else whole
            for model in summary.model
        ],
    )
    order = summary["labels"].map({"observed": 0, "permuted": 1})
    return (
        summary.assign(_order=order)
        .sort_values(["_order"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def best_run(runs: pd.DataFrame) -> pd.Series:
    """The run on observed labels with the highest test pearson_r2."""
    observed = runs[runs["labels"] == "observed"]
    return observed.loc[observed.pearson_r2.idxmax()]


def summarise_profiles(predictions: pd.DataFrame) -> pd.DataFrame:
    """How well the cell-type mode predicts each test gene's profile across tissues.

    predictions: the runs' long predictions (GROUP columns, seed, gene_id, split, profile_r).
    Returns per GROUP: n_runs, n_genes (test genes with a defined profile_r), and over the
    seeds min / mean / max of the median profile_r and of the share of genes with r > 0.
    """
    test = predictions[predictions.split == "test"].drop_duplicates([*GROUP, "seed", "gene_id"])
    per_run = test.groupby([*GROUP, "seed"], sort=False).profile_r.agg(
        median_profile_r="median",
        share_positive=lambda r: float((r.dropna() > 0).mean()),
        n_genes="count",
    )
    grouped = per_run.groupby(list(GROUP), sort=False)
    summary = grouped[["median_profile_r", "share_positive"]].agg(["min", "mean", "max"])
    summary.columns = [f"{metric}_{statistic}" for metric, statistic in summary.columns]
    summary.insert(0, "n_genes", grouped.n_genes.min())
    summary.insert(0, "n_runs", grouped.size())
    return summary.reset_index()
