"""Every cis run gathered: min / mean / max of each test figure per model × feature set ×
labels (observed or permuted), with the window the model read, over the seeds."""

from __future__ import annotations

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


def summarise_runs(runs: pd.DataFrame, whole: str, cropped: str) -> pd.DataFrame:
    """runs: one row per run (GROUP columns, seed, METRICS). Returns one row per group with
    the window its model read (`cropped` for CROPPED_MODELS, NO_SEQUENCE for the mRNA ridge,
    else `whole`), n_runs and `<metric>_min/_mean/_max`, observed labels before permuted."""
    grouped = runs.groupby(list(GROUP), sort=False)
    summary = grouped[list(METRICS)].agg(["min", "mean", "max"])
    summary.columns = [f"{metric}_{statistic}" for metric, statistic in summary.columns]
    summary.insert(0, "n_runs", grouped.size())
    summary = summary.reset_index()
    summary.insert(
        3,
        "window",
        [
            NO_SEQUENCE if model == "mrna_ridge" else cropped if model in CROPPED_MODELS else whole
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
