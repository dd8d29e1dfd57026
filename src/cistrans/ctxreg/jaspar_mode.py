"""Contextual regression on known motifs (the JASPAR mode): mₖ(x) is the number of FIMO sites
of JASPAR motif k in the window instead of a learned filter's count, and the context network
reads where the sites lie (their numbers per region of the window), so the learned and the
known motifs are compared on the same genes, labels and splits; its baseline is a ridge on
the same site counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import torch

from cistrans.cismodels.baselines import ridge_runs
from cistrans.cismodels.comparison import CTXREG_JASPAR_MODE, JASPAR_RIDGE
from cistrans.cismodels.data import CisGenes, align_genes, read_cis_tables
from cistrans.cismodels.fit import Training
from cistrans.cismodels.networks import InputShape
from cistrans.cismodels.runs import run_record
from cistrans.cismodels.saved import ModelRecord
from cistrans.cismodels.sources import ArraySource
from cistrans.ctxreg.fit import contributions_of, train_motif_regression
from cistrans.ctxreg.grammar import read_sites
from cistrans.ctxreg.network import ContextSettings, KnownMotifRegression, context_pool
from cistrans.io.chunks import read_gene_array
from cistrans.io.motifs import Motif, read_meme
from cistrans.io.results import read_result_table

JASPAR_SITES = "jaspar_sites"
"""What the JASPAR mode reads (its sidecar's input encoding): the site regions of the JASPAR
motifs, (K, regions) per window, which FIMO finds (rule ctxreg_sites)."""

IMPORTANCE_COLUMNS = [
    "motif_id",
    "name",
    "genes_with_sites",
    "mean_contribution",
    "mean_abs_contribution",
    "rank",
]


@dataclass
class JasparModeRun:
    """metrics: one row (model, features, labels, seed, the test figures, epochs, best epoch,
    status, context_share); predictions: gene_id, split, observed, predicted; history: one row
    per epoch;
    importance: one row per motif (IMPORTANCE_COLUMNS), rank 1 the largest mean |wₖ(x)·mₖ(x)| over
    all genes; record: what its sidecar saves (`cistrans.cismodels.saved`; its inputs are
    the site regions, channels the JASPAR motif ids)."""

    metrics: pd.DataFrame
    predictions: pd.DataFrame
    history: pd.DataFrame
    network: KnownMotifRegression
    importance: pd.DataFrame
    record: ModelRecord


def site_regions(
    sites: pd.DataFrame,
    gene_ids: Sequence[str],
    motif_ids: Sequence[str],
    *,
    length: int,
    pool: int,
) -> np.ndarray:
    """The sites of each of `motif_ids` in each region of `pool` bases of the `length`-base
    windows of `gene_ids` (length // pool regions, at least one, the last one taking the
    remainder; pool = length: one region, the site counts), a site counted where it starts.
    Sites of other genes or motifs are ignored.

    Parameters
    ----------
    sites
        One row per site (SITE_COLUMNS, both strands; gene_id, motif_id and start read).
    gene_ids
        (genes,) the genes, in the order of the rows returned.
    motif_ids
        (K,) the motifs, in the order of the channels returned.
    length
        The windows' length in bases.
    pool
        The regions' length in bases.

    Returns
    -------
    np.ndarray
        (genes, regions, K) float32 site numbers.
    """
    regions = max(1, length // pool)
    gene_rows = pd.Index(gene_ids).get_indexer(sites.gene_id)
    motif_rows = pd.Index(motif_ids).get_indexer(sites.motif_id)
    keep = (gene_rows >= 0) & (motif_rows >= 0)
    region = np.minimum(sites.start.to_numpy(dtype=int)[keep] // pool, regions - 1)
    counts = np.zeros((len(gene_ids), regions, len(motif_ids)), dtype=np.float32)
    np.add.at(counts, (gene_rows[keep], region, motif_rows[keep]), 1.0)
    return counts


def read_jaspar_mode_inputs(
    labels: str,
    sites: str,
    codes: str,
    code_genes: str,
    jaspar: str,
    *,
    min_shared_fraction: float,
    context: ContextSettings | None,
) -> tuple[CisGenes, list[Motif], np.ndarray]:
    """The JASPAR mode's inputs, from the paths of the rules' inputs (named as in the
    rules): the labelled genes with a window, the JASPAR motifs and their site regions.

    Parameters
    ----------
    labels
        The label table (gene_id, split, the label).
    sites
        The sites table (rule ctxreg_sites; SITE_COLUMNS).
    codes
        The windows' base codes (genes, length) uint8 (rule ctxreg_onehot).
    code_genes
        The genes of the rows of `codes`.
    jaspar
        The JASPAR motifs (MEME format).
    min_shared_fraction
        The share of the labelled genes that must have a window (`align_genes`).
    context
        The context network, whose first pooling over the windows (`context_pool`) sets
        the regions; None: one region, the site counts.

    Returns
    -------
    tuple
        The genes (`CisGenes`, in label order), the JASPAR motifs (K,) and their site
        regions (genes, regions, K) float32, rows in the order of the genes.

    Raises
    ------
    cistrans.errors.InputError
        A missing or malformed input, or too few labelled genes with a window.
    """
    table, _ = read_cis_tables(labels, None)
    onehot, onehot_genes = read_gene_array(
        codes, code_genes, "rerun `snakemake --forcerun ctxreg_onehot`", mmap=True
    )
    genes = align_genes(
        table, onehot_genes, None, min_shared_fraction=min_shared_fraction, sources=(labels, codes)
    )
    motifs = read_meme(jaspar)
    length = onehot.shape[1]
    pool = length if context is None else context_pool(context, length)
    motif_ids = [motif.motif_id for motif in motifs]
    table = read_sites(sites)
    regions = site_regions(table, genes.gene_ids, motif_ids, length=length, pool=pool)
    return genes, motifs, regions


def motif_importance(
    motifs: Sequence[Motif], contributions: np.ndarray, regions: np.ndarray
) -> pd.DataFrame:
    """Each motif's importance in a JASPAR-mode run.

    Parameters
    ----------
    motifs
        (K,) the JASPAR motifs.
    contributions
        (genes, K) the contributions wₖ(x)·mₖ(x).
    regions
        (genes, regions, K) the site regions they came from.

    Returns
    -------
    pd.DataFrame
        One row per motif, sorted by rank: IMPORTANCE_COLUMNS (motif_id, name,
        genes_with_sites, mean_contribution, mean_abs_contribution, rank; rank 1 the
        largest mean |contribution|).
    """
    table = pd.DataFrame(
        {
            "motif_id": [motif.motif_id for motif in motifs],
            "name": [motif.name for motif in motifs],
            "genes_with_sites": (regions.sum(axis=1) > 0).sum(axis=0),
            "mean_contribution": contributions.mean(axis=0),
            "mean_abs_contribution": np.abs(contributions).mean(axis=0),
        }
    )
    table["rank"] = table.mean_abs_contribution.rank(ascending=False, method="first").astype(int)
    return table.sort_values("rank", ignore_index=True)


def fit_jaspar_mode(
    regions: np.ndarray,
    genes: CisGenes,
    motifs: Sequence[Motif],
    *,
    settings: dict[str, Any],
    seed: int,
    control: bool,
    device: str = "auto",
    label_names: Sequence[str] = ("label",),
    window: Mapping[str, Any] | None = None,
) -> JasparModeRun:
    """Train contextual regression on the JASPAR motifs' site regions instead of learned
    filters, with `seed` (on permuted training labels when `control`).

    Parameters
    ----------
    regions
        (genes, regions, K) the site regions of `motifs`, rows in the order of
        genes.gene_ids.
    genes
        The genes, their labels (genes,) and split.
    motifs
        (K,) the JASPAR motifs.
    settings
        context and l1 as in the config section ctxreg, and training as in
        ctxreg.jaspar_mode.training (its own optimiser settings and weight decay).
    seed
        Seeds the initial weights and the training.
    control
        Train on permuted training labels.
    device
        auto, cpu or cuda.
    label_names
        The label column fitted, for the record.
    window
        How the windows the sites were found in were cut, for the record.

    Returns
    -------
    JasparModeRun
        The metrics (one row), predictions ((genes,) rows), history, network, each motif's
        importance (K rows) and the record.

    Raises
    ------
    cistrans.cismodels.fit.TrainingFailed
        When training cannot go on; the rule words it with its config section.
    """
    source = ArraySource([regions], [genes.gene_ids], ["JASPAR site regions"])
    shape = InputShape(source.channels, source.length, 0)
    torch.manual_seed(seed)  # the initial weights
    network = KnownMotifRegression(shape, ContextSettings(**settings["context"]), settings["l1"])
    training = Training(**settings["training"])
    fitted, metrics, predictions = train_motif_regression(
        network, source, genes, training=training, seed=seed, control=control,
        model=CTXREG_JASPAR_MODE, device=device,
    )  # fmt: skip
    contributions = contributions_of(
        network, source, genes.gene_ids, batch_size=training.batch_size
    )
    importance = motif_importance(motifs, contributions, regions)
    record = run_record(
        fitted, shape, model=CTXREG_JASPAR_MODE, name=CTXREG_JASPAR_MODE, settings=settings,
        features="dna", extra_names=[], labels=label_names, seed=seed, control=control,
        window=window, encoding=JASPAR_SITES,
        channel_names=[motif.motif_id for motif in motifs],
    )  # fmt: skip
    return JasparModeRun(metrics, predictions, fitted.history, network, importance, record)


def jaspar_ridge(
    counts: np.ndarray, genes: CisGenes, *, alphas: Sequence[float], seeds: Sequence[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The JASPAR mode's baseline: ridge on the site counts of the JASPAR motifs (penalty
    chosen on the validation genes), on observed and permuted training labels.

    Parameters
    ----------
    counts
        (genes, K) the site counts, rows in the order of genes.gene_ids.
    genes
        The genes, their labels and split.
    alphas
        The ridge penalties tried.
    seeds
        One permuted-label control per seed (the observed run is reported with the
        first).

    Returns
    -------
    tuple of pd.DataFrame
        The metrics (one row per labels and seed: the test genes' figures and the
        penalty) and the predictions (gene_id, split, observed, predicted, model,
        features, labels, seed), as `cistrans.cismodels.baselines.ridge_runs`.
    """
    return ridge_runs(
        counts, genes, model=JASPAR_RIDGE, feature_set="dna", alphas=alphas, seeds=seeds
    )


def pooled_importance(runs: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The seeds' importance tables pooled.

    Parameters
    ----------
    runs
        One importance table (IMPORTANCE_COLUMNS, one row per motif) per seed.

    Returns
    -------
    pd.DataFrame
        One row per motif: the mean over seeds of mean_contribution and
        mean_abs_contribution, their min and max over seeds (`<column>_min`/`_max`), and
        the rank of the pooled mean |contribution|.
    """
    every = pd.concat(runs, ignore_index=True)
    grouped = every.groupby(["motif_id", "name"], sort=False)
    pooled = grouped.agg(
        genes_with_sites=("genes_with_sites", "max"),
        mean_contribution=("mean_contribution", "mean"),
        mean_contribution_min=("mean_contribution", "min"),
        mean_contribution_max=("mean_contribution", "max"),
        mean_abs_contribution=("mean_abs_contribution", "mean"),
    ).reset_index()
    pooled["rank"] = pooled.mean_abs_contribution.rank(ascending=False, method="first")
    return pooled.astype({"rank": int}).sort_values("rank", ignore_index=True)


def read_pooled_importance(paths: Sequence[str]) -> pd.DataFrame:
    """The seeds' importance tables (rule ctxreg_jaspar_mode) read and pooled
    (`pooled_importance`).

    Parameters
    ----------
    paths
        One importance table per seed.

    Returns
    -------
    pd.DataFrame
        One row per motif, as `pooled_importance`.
    """
    runs = [read_result_table(path, IMPORTANCE_COLUMNS, made_by="ctxreg_jaspar_mode")
            for path in paths]  # fmt: skip
    return pooled_importance(runs)
