"""The simple baselines beside every cis model, on the same genes, labels and splits: ridge
regression (penalty chosen on the validation genes) on the window's k-mer counts (Xpresso's
strongest simple baseline), on k-mers plus the mRNA features, and on the mRNA features
alone; each also on permuted training labels (the control every model must beat)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from cistrans.cismodels.data import CisGenes, permuted
from cistrans.cismodels.features import kmer_counts
from cistrans.cismodels.metrics import regression_metrics
from cistrans.ridge import choose_penalty, coefficients, decompose, validation_errors

log = logging.getLogger(__name__)

FEATURE_SETS = ("dna", "dna_mrna", "mrna")
"""dna: k-mer counts of the window; dna_mrna: with the mRNA features; mrna: those alone."""


def ridge_predictions(
    features: np.ndarray,
    label_sets: Sequence[np.ndarray],
    split: np.ndarray,
    alphas: Sequence[float],
) -> list[tuple[np.ndarray, float]]:
    """Ridge on standardised features (train genes), penalty with the lowest validation MSE,
    for each label vector of `label_sets` (one SVD of the features serves them all).

    Parameters
    ----------
    features
        (genes, features) the features, standardised here on the training genes.
    label_sets
        Label vectors, each (genes,), standardised on the training genes.
    split
        (genes,) train | validation | test.
    alphas
        The penalties tried (cis.baselines.alphas).

    Returns
    -------
    list of tuple
        Per label set, the predictions (genes,) for every gene in label units and the
        chosen penalty.
    """
    train, validation = np.flatnonzero(split == "train"), np.flatnonzero(split == "validation")
    mean, sd = features[train].mean(axis=0), features[train].std(axis=0)
    scaled = (features - mean) / np.where(sd > 1e-6, sd, 1.0)
    centres = np.array([labels[train].mean() for labels in label_sets])
    scales = np.array([max(labels[train].std(), 1e-12) for labels in label_sets])
    y = (np.column_stack(label_sets) - centres) / scales  # (genes, label sets)
    fit = decompose(scaled[train], y[train])
    errors = validation_errors(fit, scaled[validation], y[validation], alphas)
    results = []
    for column in range(y.shape[1]):
        best = choose_penalty(errors[:, column], alphas)
        beta = coefficients(fit, float(alphas[best]), [column])
        predicted = (scaled @ beta)[:, 0] * scales[column] + centres[column]
        results.append((predicted, float(alphas[best])))
    return results


def feature_matrix(genes: CisGenes, feature_set: str, kmers: np.ndarray | None) -> np.ndarray:
    """The (genes, features) matrix of `feature_set` (see FEATURE_SETS).

    Parameters
    ----------
    genes
        The genes (their mRNA features for dna_mrna and mrna).
    feature_set
        dna, dna_mrna or mrna.
    kmers
        The windows' `kmer_counts` (genes, 4**k), needed for the DNA sets; else None.

    Returns
    -------
    np.ndarray
        (genes, features) float32: the k-mer counts, then the mRNA features.

    Raises
    ------
    ValueError
        When the feature set needs mRNA features and the genes have none.
    """
    if feature_set != "dna" and genes.mrna is None:
        raise ValueError(f"feature set {feature_set!r} needs mRNA features")
    parts = []
    if feature_set in ("dna", "dna_mrna"):
        parts.append(kmers)
    if feature_set in ("dna_mrna", "mrna"):
        parts.append(genes.mrna)
    return np.hstack(parts).astype(np.float32)


def ridge_runs(
    matrix: np.ndarray,
    genes: CisGenes,
    *,
    model: str,
    feature_set: str,
    alphas: Sequence[float],
    seeds: Sequence[int],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ridge on the features `matrix`, on the observed labels and on permuted training
    labels for each seed.

    Parameters
    ----------
    matrix
        (genes, features) the features.
    genes
        The genes, their labels (genes,) and split.
    model
        The model name reported (kmer_ridge, mrna_ridge, jaspar_ridge).
    feature_set
        The feature set reported.
    alphas
        The penalties tried.
    seeds
        The permuted-label controls' seeds; the observed-label run is reported with the
        first.

    Returns
    -------
    tuple of pd.DataFrame
        The metrics, one row per run (observed, then permuted per seed): model, features,
        labels, seed, the test genes' `regression_metrics` (pearson_r2, r2, pearson_r,
        spearman_rho, n) and alpha; and the predictions, (genes × runs,) rows: gene_id,
        split, observed, predicted, model, features, labels, seed.
    """
    test = genes.rows("test")
    runs = [("observed", seeds[0], genes.labels)] + [
        ("permuted", seed, permuted(genes.labels, genes.split, seed)) for seed in seeds
    ]
    fits = ridge_predictions(matrix, [labels for _, _, labels in runs], genes.split, alphas)
    metric_rows, prediction_tables = [], []
    for (which, seed, _), (predicted, alpha) in zip(runs, fits, strict=True):
        key = {"model": model, "features": feature_set, "labels": which, "seed": seed}
        metrics = regression_metrics(genes.labels[test], predicted[test])
        metric_rows.append({**key, **metrics, "alpha": alpha})
        prediction_tables.append(
            pd.DataFrame(
                {
                    "gene_id": genes.gene_ids,
                    "split": genes.split,
                    "observed": genes.labels,
                    "predicted": predicted,
                    **key,
                }
            )
        )
        log.info("%s %s (%s labels, seed %d): %s", model, feature_set, which, seed, metrics)
    return pd.DataFrame(metric_rows), pd.concat(prediction_tables, ignore_index=True)


def ridge_baselines(
    genes: CisGenes, *, k: int, alphas: Sequence[float], seeds: Sequence[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`ridge_runs` of every feature set the genes allow (k-mer ridge on dna and dna_mrna,
    mRNA ridge on mrna; dna alone without mRNA features).

    Parameters
    ----------
    genes
        The genes, their windows, labels (genes,), split and mRNA features (or None).
    k
        The k-mer length.
    alphas
        The penalties tried.
    seeds
        The permuted-label controls' seeds.

    Returns
    -------
    tuple of pd.DataFrame
        The metrics and the predictions of every run, stacked (`ridge_runs`' columns).
    """
    sets = FEATURE_SETS if genes.mrna is not None else ("dna",)
    kmers = kmer_counts(genes.sequences, k) if set(sets) & {"dna", "dna_mrna"} else None
    metrics, predictions = [], []
    for feature_set in sets:
        matrix = feature_matrix(genes, feature_set, kmers)
        model = "mrna_ridge" if feature_set == "mrna" else "kmer_ridge"
        runs = ridge_runs(
            matrix, genes, model=model, feature_set=feature_set, alphas=alphas, seeds=seeds
        )
        metrics.append(runs[0])
        predictions.append(runs[1])
    return pd.concat(metrics, ignore_index=True), pd.concat(predictions, ignore_index=True)
