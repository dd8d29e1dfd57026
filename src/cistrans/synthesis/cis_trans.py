"""Cis and trans together: each gene's level in each tissue predicted from its promoter (the
JASPAR motifs' site counts in the contextual-regression window), from the tissue's TF
expression profile, and from both with their interactions, by ridge regression on
(gene, tissue) rows, trained on the training genes and scored on held-out genes.

Cis alone gives a gene one level in every tissue, so it cannot tell tissues apart; trans
alone gives every gene of a tissue the same level, so it cannot score an unseen gene. The
interactions sites_m(g) × TF_m(t) are the mechanism of regulation that the two halves of
the workflow model apart: a gene with a site of TF m rises in the tissues where TF m is
high.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cistrans.cismodels.baselines import ridge_predictions
from cistrans.cismodels.data import permuted
from cistrans.cismodels.metrics import profile_correlations, regression_metrics
from cistrans.ctxreg.jaspar_mode import site_regions
from cistrans.errors import InputError, few
from cistrans.io.motifs import Motif
from cistrans.synthesis.motif_tfs import motif_tf_parts
from cistrans.trans.data import TransData

CIS, TRANS, TOGETHER = "cis_alone", "trans_alone", "together"
CONTROL = "together_control"
MODELS = (CIS, TRANS, TOGETHER, CONTROL)
"""The models in the order of the tables: cis alone, trans alone, both with their
interactions, and the last on permuted training labels (the control)."""
METRIC_COLUMNS = [
    "model",
    "n_genes",
    "n_tissues",
    "r2",
    "pearson_r2",
    "profile_r_median",
    "profile_r_positive_share",
    "alpha",
    "n_features",
]
PREDICTION_COLUMNS = ["gene_id", "tissue", "split", "observed", "predicted", "profile_r", "model"]


@dataclass
class CisTransFit:
    """metrics: one row per model of MODELS (METRIC_COLUMNS) on the test genes × all
    tissues; predictions: one row per model, gene and tissue (PREDICTION_COLUMNS), every
    split; motifs: the JASPAR motifs read with a TF's expression (motif_id, name, tfs: the
    TF symbols whose mean expression is read, joined by "+")."""

    metrics: pd.DataFrame
    predictions: pd.DataFrame
    motifs: pd.DataFrame


def gene_site_counts(
    sites: pd.DataFrame, gene_ids: Sequence[str], motif_ids: Sequence[str], *, source: str
) -> np.ndarray:
    """The number of sites of each of `motif_ids` in the window of each of `gene_ids` (one
    region of `site_regions` holding every site: its start is clamped to the last region).

    Parameters
    ----------
    sites
        One row per site (SITE_COLUMNS, both strands; gene_id, motif_id and start read).
    gene_ids
        (genes,) the genes, in the order of the rows returned.
    motif_ids
        (K,) the motifs, in the order of the columns returned.
    source
        The sites table's path, for errors.

    Returns
    -------
    np.ndarray
        (genes, K) float32 site counts.

    Raises
    ------
    cistrans.errors.InputError
        Naming `source`, when no site lies in a window of `gene_ids`.
    """
    counts = site_regions(sites, gene_ids, motif_ids, length=1, pool=1)[:, 0]
    if not counts.any():
        raise InputError(
            source,
            f"no site of the {len(motif_ids)} JASPAR motifs lies in a window of the "
            f"{len(gene_ids)} labelled genes",
            "rebuild the sites from the same windows as the labels "
            "(`snakemake --forcerun ctxreg_sites`)",
        )
    return counts


def tissue_tf_profiles(data: TransData, tissues: Sequence[str], source: str) -> np.ndarray:
    """Each of `tissues`' TF expression profile: the mean log expression of every TF
    (data.inputs columns) over the tissue's training samples.

    Parameters
    ----------
    data
        The compendium (inputs (samples, TFs), tissue and split per sample).
    tissues
        The tissues, in the order of the rows returned.
    source
        The compendium's path, for errors.

    Returns
    -------
    np.ndarray
        (tissues, TFs) float32.

    Raises
    ------
    cistrans.errors.InputError
        Naming `source`, when a tissue has no training sample.
    """
    train = data.split == "train"
    missing = [tissue for tissue in tissues if not (train & (data.tissue == tissue)).any()]
    if missing:
        raise InputError(
            source,
            f"no training sample of tissue(s) {few(missing)}, whose TF profile the cis-trans "
            "synthesis needs",
            "split the samples so that every tissue has training samples "
            "(expression.split), or leave the tissue out of the compendium",
        )
    return np.stack(
        [data.inputs[train & (data.tissue == tissue)].mean(axis=0) for tissue in tissues]
    ).astype(np.float32)


def motif_tf_weights(
    motifs: Sequence[Motif], tf_symbols: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Which JASPAR motifs name a TF of `tf_symbols`, and how their TF's expression is read.

    A motif matches its TFs by name (`motif_tf_parts`): a dimer "A::B" reads A's expression
    when only A is a TF, the mean of A's and B's when both are (any number of parts: the
    mean over those that are TFs).

    Parameters
    ----------
    motifs
        The JASPAR motifs.
    tf_symbols
        (TFs,) the TFs' symbols, in the order of the compendium's TFs.

    Returns
    -------
    tuple
        The positions in `motifs` of the M matching motifs (M,) int, the weights (M, TFs)
        float32 whose product with a TF profile (TFs,) gives each motif's TF level (each
        row sums to 1), and a DataFrame of them (motif_id, name, tfs: the symbols read,
        joined by "+"), one row per matching motif.
    """
    rows, weights, table = [], [], []
    for row, tfs in motif_tf_parts(motifs, tf_symbols):
        weight = np.zeros(len(tf_symbols), dtype=np.float32)
        weight[tfs] = 1.0 / len(tfs)
        rows.append(row)
        weights.append(weight)
        symbols = "+".join(tf_symbols[tf] for tf in tfs)
        table.append({"motif_id": motifs[row].motif_id, "name": motifs[row].name, "tfs": symbols})
    matrix = np.stack(weights) if weights else np.zeros((0, len(tf_symbols)), np.float32)
    matched = pd.DataFrame(table, columns=["motif_id", "name", "tfs"])
    return np.asarray(rows, dtype=int), matrix, matched


def cis_trans_features(
    counts: np.ndarray, profiles: np.ndarray, *, motif_rows: np.ndarray, weights: np.ndarray
) -> dict[str, np.ndarray]:
    """The features of CIS, TRANS and TOGETHER on (gene, tissue) rows, gene-major (row
    g · tissues + t), float32.

    CIS: the gene's counts, the same in every tissue; TRANS: the tissue's profile, the same
    for every gene; TOGETHER: both and the M interactions counts[g, m] × (TF_m(t) − its mean
    over tissues). Centred, an interaction carries only how a gene's level changes across
    tissues; uncentred it would also repeat a multiple of its motif's main effect.

    Parameters
    ----------
    counts
        (genes, K) site counts.
    profiles
        (tissues, TFs) TF profiles.
    motif_rows
        (M,) the columns of `counts` of the motifs named after a TF (`motif_tf_weights`).
    weights
        (M, TFs) how each of those motifs reads the TF profile (`motif_tf_weights`).

    Returns
    -------
    dict of str to np.ndarray
        CIS (genes·tissues, K), TRANS (genes·tissues, TFs) and TOGETHER (genes·tissues,
        K + TFs + M), each float32.
    """
    n_genes, n_tissues = counts.shape[0], profiles.shape[0]
    levels = profiles @ weights.T  # (tissues, M)
    levels = levels - levels.mean(axis=0)
    cis = np.repeat(counts, n_tissues, axis=0)
    trans = np.tile(profiles, (n_genes, 1))
    interactions = (counts[:, motif_rows][:, None, :] * levels[None, :, :]).reshape(
        n_genes * n_tissues, len(motif_rows)
    )
    together = np.hstack([cis, trans, interactions])
    return {
        CIS: cis.astype(np.float32),
        TRANS: trans.astype(np.float32),
        TOGETHER: together.astype(np.float32),
    }


def tissue_profile_r(
    observed: np.ndarray, predicted: np.ndarray, tissue_means: np.ndarray
) -> np.ndarray:
    """Each gene's `profile_correlations` of its observed and predicted levels across
    tissues relative to `tissue_means`, NaN for a gene whose predicted levels are the same
    in every tissue (within 1e-6 of their scale): such a prediction has no profile across
    tissues, and its r would only read the average gene's profile, subtracted from it.

    Parameters
    ----------
    observed
        (genes, tissues) the observed levels.
    predicted
        (genes, tissues) the predicted levels.
    tissue_means
        (tissues,) the profile subtracted from both (the average training gene's).

    Returns
    -------
    np.ndarray
        (genes,) float Pearson r, NaN where undefined.
    """
    r = profile_correlations(observed, predicted, tissue_means)
    scale = np.maximum(1.0, np.abs(predicted).max(axis=1))
    return np.where(np.ptp(predicted, axis=1) > 1e-6 * scale, r, np.nan)


def sample_genes(table: pd.DataFrame, max_genes: int, seed: int) -> pd.DataFrame:
    """At most `max_genes` rows of `table` (genes), drawn at random with `seed` (each split
    keeps about its share) and kept in their order: the (gene, tissue) rows of a whole
    genome's genes × 30 tissues × ~3,000 features would take tens of GB for the ridge.

    Parameters
    ----------
    table
        One row per gene (any columns).
    max_genes
        The most rows kept.
    seed
        Seeds the draw.

    Returns
    -------
    pd.DataFrame
        `table` itself when it has at most `max_genes` rows, else `max_genes` of its rows
        in their order, index reset.
    """
    if len(table) <= max_genes:
        return table
    keep = np.random.default_rng(seed).permutation(len(table))[:max_genes]
    return table.iloc[np.sort(keep)].reset_index(drop=True)


def cis_trans(
    table: pd.DataFrame,
    tissues: Sequence[str],
    sites: pd.DataFrame,
    motifs: Sequence[Motif],
    data: TransData,
    *,
    alphas: Sequence[float],
    seed: int,
    sources: tuple[str, str],
) -> CisTransFit:
    """Each gene's level in each tissue from its promoter, from the tissue's TF profile, and
    from both with their interactions (`cis_trans_features`), by ridge on the (gene, tissue)
    rows of the training genes, the penalty of each model chosen among `alphas` on the
    validation genes (`ridge_predictions`); TOGETHER also on permuted training labels (each
    training gene's whole row of tissues moved to another gene, as `permuted` does, with
    `seed`): CONTROL.

    Scored on the test genes × all tissues: r2 and pearson_r2 of the levels
    (`regression_metrics`) and, per test gene, the Pearson r of its predicted and observed
    levels across tissues relative to the average training gene's profile
    (`tissue_profile_r`), as its median over genes and the share of genes with r > 0. Cis
    alone predicts one level per gene: its profile r is undefined (NaN).

    Parameters
    ----------
    table
        One row per gene: gene_id, split and one column per tissue of `tissues` (the
        labels, e.g. log10 median expression in each tissue; `tissue_labels`).
    tissues
        The tissues, columns of `table`.
    sites
        The JASPAR motifs' sites in the genes' windows (SITE_COLUMNS).
    motifs
        The JASPAR motifs.
    data
        The compendium (its TFs' expression, tissue and split per sample).
    alphas
        The ridge penalties tried, one chosen per model on the validation genes.
    seed
        Seeds the permutation of the control's labels.
    sources
        The paths of the sites and of the compendium, for errors.

    Returns
    -------
    CisTransFit
        The metrics (one row per model of MODELS, METRIC_COLUMNS), the predictions (one
        row per model, gene and tissue, PREDICTION_COLUMNS) and the motifs read with a
        TF's expression (motif_id, name, tfs).

    Raises
    ------
    cistrans.errors.InputError
        No site in the genes' windows, a tissue without training samples, or no JASPAR
        motif named after a TF of the compendium.
    """
    sites_source, compendium = sources
    gene_ids = table.gene_id.to_numpy(dtype=str)
    split = table.split.to_numpy(dtype=str)
    observed = table[list(tissues)].to_numpy(dtype=np.float64)  # (genes, tissues)
    motif_ids = [motif.motif_id for motif in motifs]
    counts = gene_site_counts(sites, gene_ids, motif_ids, source=sites_source)
    profiles = tissue_tf_profiles(data, tissues, compendium)
    motif_rows, weights, matched = motif_tf_weights(motifs, data.tf_symbols)
    if len(motif_rows) == 0:
        raise InputError(
            compendium,
            f"no JASPAR motif is named after one of its {len(data.tf_symbols)} TFs (e.g. "
            f"{few(list(data.tf_symbols), 3)}), so there is no site × TF interaction",
            "give the compendium's genes their HGNC symbols (var.symbol), as JASPAR names "
            "its motifs",
        )
    features = cis_trans_features(counts, profiles, motif_rows=motif_rows, weights=weights)
    rows_split = np.repeat(split, len(tissues))
    fits = {
        model: ridge_predictions(features[model], [observed.ravel()], rows_split, alphas)[0]
        for model in (CIS, TRANS)
    }
    control_labels = permuted(observed, split, seed).ravel()
    fits[TOGETHER], fits[CONTROL] = ridge_predictions(
        features[TOGETHER], [observed.ravel(), control_labels], rows_split, alphas
    )
    test = split == "test"
    tissue_means = observed[split == "train"].mean(axis=0)
    metric_rows, prediction_tables = [], []
    for model in MODELS:
        flat, alpha = fits[model]
        predicted = flat.reshape(observed.shape)
        profile_r = tissue_profile_r(observed, predicted, tissue_means)
        levels = regression_metrics(observed[test].ravel(), predicted[test].ravel())
        defined = profile_r[test][~np.isnan(profile_r[test])]  # none for cis alone
        some = len(defined) > 0
        metric_rows.append(
            {
                "model": model,
                "n_genes": int(test.sum()),
                "n_tissues": len(tissues),
                "r2": levels["r2"],
                "pearson_r2": levels["pearson_r2"],
                "profile_r_median": float(np.median(defined)) if some else np.nan,
                "profile_r_positive_share": float((defined > 0).mean()) if some else np.nan,
                "alpha": alpha,
                "n_features": features[TOGETHER if model == CONTROL else model].shape[1],
            }
        )
        prediction_tables.append(
            pd.DataFrame(
                {
                    "gene_id": np.repeat(gene_ids, len(tissues)),
                    "tissue": np.tile(list(tissues), len(gene_ids)),
                    "split": rows_split,
                    "observed": observed.ravel(),
                    "predicted": flat,
                    "profile_r": np.repeat(profile_r, len(tissues)),
                    "model": model,
                }
            )
        )
    return CisTransFit(
        pd.DataFrame(metric_rows, columns=METRIC_COLUMNS),
        pd.concat(prediction_tables, ignore_index=True),
        matched,
    )
