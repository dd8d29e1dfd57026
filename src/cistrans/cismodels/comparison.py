"""Every cis run gathered: min / mean / max of each test figure per model × feature set ×
labels (observed or permuted), with the window the model read, over the seeds whose run did
not collapse; the runs pooled and the runs collapsed counted beside them."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from cistrans.cismodels.metrics import COLLAPSED, NOT_CONVERGED, OK, POOLED_STATUSES
from cistrans.io.results import read_result_table

METRICS = ("pearson_r2", "r2", "pearson_r", "spearman_rho")
GROUP = ("model", "features", "labels")

CROPPED_MODELS = ("kmer_ridge", "xpresso", "legnet", "deeplncloc")
"""The models that read the part of the window in cis.window (TExCNN reads the embeddings of
the whole window; the mRNA ridge reads no sequence)."""
NO_SEQUENCE = "no sequence"
CTXREG = "ctxreg"
CTXREG_JASPAR_MODE = "ctxreg_jaspar_mode"
JASPAR_RIDGE = "jaspar_ridge"
CTXREG_MODELS = (CTXREG, CTXREG_JASPAR_MODE, JASPAR_RIDGE)
"""Contextual regression's model names in the comparison, on learned and on JASPAR motifs,
and the JASPAR mode's baseline, ridge on the JASPAR site counts (all read ctxreg.window)."""


def run_statuses(runs: pd.DataFrame) -> pd.Series:
    """Each run's status (`cistrans.cismodels.metrics.run_status`): its `status` column
    where it has one (the trained models); else, or where blank (the ridge baselines),
    COLLAPSED where its pearson_r2 is undefined (constant predictions) and OK otherwise.

    Parameters
    ----------
    runs
        One row per run: pearson_r2 (blank where undefined) and, where there, status.

    Returns
    -------
    pd.Series
        (runs,) OK, NOT_CONVERGED or COLLAPSED, on the index of `runs`.
    """
    pearson = pd.to_numeric(runs["pearson_r2"], errors="coerce")
    inferred = pd.Series(np.where(pearson.isna(), COLLAPSED, OK), index=runs.index)
    if "status" not in runs:
        return inferred
    status = runs["status"]
    return status.where(status.notna() & (status != ""), inferred)


def read_runs(tables: Mapping[str, Sequence[str]], group: Sequence[str] = GROUP) -> pd.DataFrame:
    """The runs' metrics tables, stacked.

    Parameters
    ----------
    tables
        The rule that wrote them → their paths.
    group
        The columns that name a run besides its seed (GROUP; tissue too in the cell-type
        mode).

    Returns
    -------
    pd.DataFrame
        One row per run: `group` columns, seed, METRICS (blank where undefined, e.g.
        pearson_r2 of constant predictions), status where a table has one (the trained
        models'; `run_statuses` reads it) and the tables' other columns.

    Raises
    ------
    InputError
        Naming the file and its rule when a table is missing or lacks a column.
    """
    columns = [*group, "seed", *METRICS]
    return pd.concat(
        [
            read_result_table(path, columns, made_by=rule)
            for rule, paths in tables.items()
            for path in paths
        ],
        ignore_index=True,
    )


def left_out(runs: pd.DataFrame) -> pd.DataFrame:
    """The runs that the comparison leaves out of its figures (a status outside
    POOLED_STATUSES).

    Parameters
    ----------
    runs
        One row per run, as `summarise_runs` takes them.

    Returns
    -------
    pd.DataFrame
        One row per run left out: its GROUP columns (tissue too, where there), seed and
        status.
    """
    status = run_statuses(runs)
    columns = [column for column in (*GROUP, "tissue", "seed") if column in runs]
    return runs.loc[~status.isin(POOLED_STATUSES), columns].assign(status=status)


def warn_left_out(runs: pd.DataFrame) -> pd.DataFrame:
    """`left_out` of `runs`, logged as one warning when there are any (the run logs say
    why each collapsed).

    Parameters
    ----------
    runs
        One row per run, as `summarise_runs` takes them.

    Returns
    -------
    pd.DataFrame
        `left_out`'s table.
    """
    collapsed = left_out(runs)
    if len(collapsed):
        logging.getLogger(__name__).warning(
            "%d run(s) collapsed (see each run's log), left out of min/mean/max:\n%s",
            len(collapsed), collapsed.to_string(index=False),
        )  # fmt: skip
    return collapsed


def summarise_runs(
    runs: pd.DataFrame,
    *,
    whole: str,
    cropped: str,
    ctxreg: str | None = None,
    group: Sequence[str] = GROUP,
) -> pd.DataFrame:
    """The runs summarised per group: min / mean / max of each test figure over the runs
    that did not collapse. `runs` is not modified.

    Parameters
    ----------
    runs
        One row per run: `group` columns, seed, METRICS (a blank where a figure is
        undefined) and status where the run has one (see `run_statuses`).
    whole
        The window of the models that read the whole window (TExCNN), in words.
    cropped
        The window of CROPPED_MODELS (cis.window).
    ctxreg
        The window of CTXREG_MODELS (ctxreg.window), or None.
    group
        The columns of a group (GROUP; tissue too in the cell-type mode).

    Returns
    -------
    pd.DataFrame
        One row per group, observed labels before permuted: the `group` columns with window
        the fourth column (`cropped`, `ctxreg`, NO_SEQUENCE for the mRNA ridge, else
        `whole`), n_runs,
        n_pooled (the runs of POOLED_STATUSES), n_collapsed, n_not_converged and
        `<metric>_min/_mean/_max` over the pooled runs (NaN where none is).
    """
    keys = list(group)
    runs = runs.assign(
        **{metric: pd.to_numeric(runs[metric], errors="coerce") for metric in METRICS},
        status=run_statuses(runs),
    )
    grouped = runs.groupby(keys, sort=False)
    counts = pd.DataFrame(
        {
            "n_runs": grouped.size(),
            "n_pooled": grouped.status.agg(lambda status: int(status.isin(POOLED_STATUSES).sum())),
            "n_collapsed": grouped.status.agg(lambda status: int((status == COLLAPSED).sum())),
            "n_not_converged": grouped.status.agg(
                lambda status: int((status == NOT_CONVERGED).sum())
            ),
        }
    )
    pooled = runs[runs.status.isin(POOLED_STATUSES)]
    figures = pooled.groupby(keys, sort=False)[list(METRICS)].agg(["min", "mean", "max"])
    figures.columns = [f"{metric}_{statistic}" for metric, statistic in figures.columns]
    summary = counts.join(figures.reindex(counts.index)).reset_index()
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
    """The run on observed labels with the highest test pearson_r2.

    Parameters
    ----------
    runs
        One row per run: labels and pearson_r2, at least one on observed labels.

    Returns
    -------
    pd.Series
        That run's row.
    """
    observed = runs[runs["labels"] == "observed"]
    return observed.loc[observed.pearson_r2.idxmax()]


SIMPLE_BASELINES = ("kmer_ridge", JASPAR_RIDGE)
"""The simple baselines a learned model is measured against: ridge on the 5-mer counts and
ridge on the JASPAR site counts, both read from the sequence (the mRNA ridge reads none, and
no learned model shares its feature set `mrna`)."""
RIDGE_MODELS = ("kmer_ridge", "mrna_ridge", JASPAR_RIDGE)
"""The models fitted in closed form; every other model of the comparison is learned by
gradient descent (TExCNN, Xpresso, LegNet, DeepLncLoc, contextual regression, its JASPAR
mode)."""
LEARNED_BETTER = "learned model better in every seed"
BASELINE_BETTER = "baseline at or above the learned model"
MIXED = "mixed over seeds"
LEARNING_ADDS_COLUMNS = (
    "features", "learned_model", "learned_window", "n_seeds", "n_collapsed",
    "learned_pearson_r2_mean", "learned_pearson_r2_min", "learned_pearson_r2_max",
    "learned_spearman_rho_mean", "baseline_model", "baseline_window",
    "baseline_pearson_r2_mean", "baseline_spearman_rho_mean", "other_baselines",
    "pearson_r2_margin", "spearman_rho_margin", "seeds_above", "seeds_above_spearman",
    "verdict", "learned_models_above",
)  # fmt: skip
"""`learning_adds`' columns."""


def is_learned(model: str) -> bool:
    """Whether `model` is trained by gradient descent (not one of RIDGE_MODELS).

    Parameters
    ----------
    model
        A model name of the comparison.

    Returns
    -------
    bool
        False for RIDGE_MODELS, True otherwise.
    """
    return model not in RIDGE_MODELS


def learning_adds(comparison: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """What learning adds: per feature set, the best learned model against the strongest
    simple baseline of the same run, on observed labels.

    Per feature set with both a learned model (`is_learned`) and one of SIMPLE_BASELINES on
    observed labels, with a figure: the learned model with the highest mean test pearson_r2
    over its pooled seeds (the runs that did not collapse), the baseline with the highest
    mean test pearson_r2, both means (and Spearman ρ's) as in `comparison`, the margins
    (learned mean − baseline mean, pearson_r2 and spearman_rho), the seeds (of `n_seeds`)
    whose learned pearson_r2 (spearman_rho) is above the baseline's mean (`seeds_above`,
    `seeds_above_spearman`) and the verdict on pearson_r2: LEARNED_BETTER when every seed is
    above, BASELINE_BETTER when none is, else MIXED. `other_baselines` names the weaker
    baseline's figure ("kmer_ridge 0.223"), the windows say what each read, `n_collapsed`
    the learned model's runs left out. The sequence alone (`dna`) first; a feature set
    without a learned model or a baseline has no row (logged). The best learned model is
    picked on the same test figure it is judged by, so with several learned models close
    together its margin flatters learning: `learned_models_above` ("2 of 5") counts every
    learned model whose mean is above the baseline's. Neither table is modified.

    Parameters
    ----------
    comparison
        `summarise_runs`' table of `runs`.
    runs
        One row per run as `summarise_runs` takes them (GROUP columns, seed, METRICS,
        status where there).

    Returns
    -------
    pd.DataFrame
        One row per feature set, columns LEARNING_ADDS_COLUMNS.
    """
    log = logging.getLogger(__name__)
    observed = comparison[comparison["labels"] == "observed"].dropna(subset=["pearson_r2_mean"])
    status = run_statuses(runs)
    runs = runs[(runs["labels"] == "observed") & status.isin(POOLED_STATUSES)]
    rows = []
    features_order = sorted(dict.fromkeys(observed.features), key=lambda f: f != "dna")
    for features in features_order:
        group = observed[observed.features == features]
        learned = group[group.model.map(is_learned)]
        baselines = group[group.model.isin(SIMPLE_BASELINES)]
        if learned.empty or baselines.empty:
            missing = "learned model" if learned.empty else " or ".join(SIMPLE_BASELINES)
            log.info("learning adds: no row for %s, no %s with a figure on it", features, missing)
            continue
        best = learned.loc[learned.pearson_r2_mean.idxmax()]
        baseline = baselines.loc[baselines.pearson_r2_mean.idxmax()]
        seeds = runs[(runs.model == best.model) & (runs.features == features)]
        pearson = pd.to_numeric(seeds.pearson_r2, errors="coerce")
        spearman = pd.to_numeric(seeds.spearman_rho, errors="coerce")
        above = int((pearson > baseline.pearson_r2_mean).sum())
        verdict = LEARNED_BETTER if above == len(seeds) else BASELINE_BETTER if not above else MIXED
        others = baselines[baselines.model != baseline.model]
        above_baseline = int((learned.pearson_r2_mean > baseline.pearson_r2_mean).sum())
        rows.append({
            "features": features,
            "learned_model": best.model,
            "learned_window": best.window,
            "n_seeds": len(seeds),
            "n_collapsed": int(best.n_collapsed),
            "learned_pearson_r2_mean": best.pearson_r2_mean,
            "learned_pearson_r2_min": best.pearson_r2_min,
            "learned_pearson_r2_max": best.pearson_r2_max,
            "learned_spearman_rho_mean": best.spearman_rho_mean,
            "baseline_model": baseline.model,
            "baseline_window": baseline.window,
            "baseline_pearson_r2_mean": baseline.pearson_r2_mean,
            "baseline_spearman_rho_mean": baseline.spearman_rho_mean,
            "other_baselines": "; ".join(f"{row.model} {row.pearson_r2_mean:.3f}"
                                         for row in others.itertuples(index=False)),
            "pearson_r2_margin": best.pearson_r2_mean - baseline.pearson_r2_mean,
            "spearman_rho_margin": best.spearman_rho_mean - baseline.spearman_rho_mean,
            "seeds_above": above,
            "seeds_above_spearman": int((spearman > baseline.spearman_rho_mean).sum()),
            "verdict": verdict,
            "learned_models_above": f"{above_baseline} of {len(learned)}",
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(LEARNING_ADDS_COLUMNS))


def summarise_profiles(predictions: pd.DataFrame) -> pd.DataFrame:
    """How well the cell-type mode predicts each test gene's profile across tissues.

    Parameters
    ----------
    predictions
        The runs' long predictions: GROUP columns, seed, gene_id, split, profile_r.

    Returns
    -------
    pd.DataFrame
        One row per GROUP: its columns, n_runs, n_genes (the fewest test genes with a
        defined profile_r of a run), and over the seeds min / mean / max of the median
        profile_r (median_profile_r_min, ...) and of the share of genes with r > 0
        (share_positive_min, ...).
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
