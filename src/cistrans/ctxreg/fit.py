"""One contextual-regression run: the network from its config section, training on observed
or permuted labels (the cis models' loop: standardised labels, early stopping on the
validation genes, the best checkpoint kept), the test figures, every gene's contributions,
the filters read as PWMs and how far each moved from its initial weights.
`train_motif_regression` is the part the JASPAR mode shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import torch

from cistrans.cismodels.comparison import CTXREG
from cistrans.cismodels.data import CisGenes, permuted
from cistrans.cismodels.fit import Fitted, Training, train_network
from cistrans.cismodels.networks import InputShape
from cistrans.cismodels.runs import run_key, run_record, run_tables
from cistrans.cismodels.saved import ONEHOT, ModelRecord
from cistrans.cismodels.sources import ArraySource
from cistrans.ctxreg.motifs import filter_movement, filter_pwms
from cistrans.ctxreg.network import ContextSettings, ContextualRegression, MotifRegression
from cistrans.io.motifs import Motif
from cistrans.training import predict_in_batches


@dataclass
class CtxregRun:
    """metrics: one row (model, features, labels, seed, the test figures, epochs, best epoch,
    status, context_share); predictions: gene_id, split, observed, predicted; history: one row
    per epoch;
    contributions: (genes, K) wₖ(x)·mₖ(x) in standardised label units, index gene_id, columns the
    filters; filters: each filter's PWM from its strong sites on the training genes, `sites` their
    numbers; movement: how far each filter moved from its initial weights (one row per filter,
    `cistrans.ctxreg.motifs.filter_movement`; `log_filter_movement` logs it); record: what
    its sidecar saves (`cistrans.cismodels.saved`)."""

    metrics: pd.DataFrame
    predictions: pd.DataFrame
    history: pd.DataFrame
    network: ContextualRegression
    contributions: pd.DataFrame
    filters: list[Motif]
    sites: np.ndarray
    movement: pd.DataFrame
    record: ModelRecord


NETWORK_KEYS = ("filters", "width", "site_threshold", "l1", "filter_init_sd")
"""The keys of the config section ctxreg that `build_network` takes as they are (besides
context)."""


def build_network(
    shape: InputShape,
    *,
    filters: int,
    width: int,
    site_threshold: float,
    context: ContextSettings,
    l1: float,
    filter_init_sd: float,
) -> ContextualRegression:
    """The contextual-regression network for inputs of `shape`, untrained (its initial
    weights drawn from torch's global generator).

    Parameters
    ----------
    shape
        The one-hot windows it reads, (batch, 4, length).
    filters
        K, the number of motif filters.
    width
        The filters' width in bases.
    site_threshold
        The relative score from which a position counts as a site.
    context
        The context network.
    l1
        The weight of the L1 penalty on the context weights.
    filter_init_sd
        The sd of the normal the filters' free parameters start from.

    Returns
    -------
    ContextualRegression
        The network: (batch, 4, length) → (batch, 1).

    Raises
    ------
    cistrans.errors.InputError
        Fewer than one filter.
    cistrans.cismodels.networks.InputTooShort
        Windows shorter than the filters; the rule names what sets their length.
    """
    return ContextualRegression(
        shape,
        filters,
        width,
        site_threshold,
        context,
        l1,
        filter_init_sd=filter_init_sd,
    )


def network_options(settings: Mapping[str, Any]) -> dict[str, Any]:
    """`build_network`'s options from the config section ctxreg, or the settings a saved
    model's sidecar keeps (the same section).

    Parameters
    ----------
    settings
        The config section ctxreg: filters, width, site_threshold, l1, filter_init_sd and
        context (a mapping of `ContextSettings`' fields); its other keys (training, ...)
        are left out.

    Returns
    -------
    dict
        The keyword arguments of `build_network` after `shape`, context as
        `ContextSettings`.
    """
    return {key: settings[key] for key in NETWORK_KEYS} | {
        "context": ContextSettings(**settings["context"])
    }


def filter_names(filters: int) -> list[str]:
    """The names of the filters, as the contributions' columns and the PWMs' ids.

    Parameters
    ----------
    filters
        K, the number of filters.

    Returns
    -------
    list of str
        (K,) ``filter_0`` … ``filter_<K-1>``.
    """
    return [f"filter_{k}" for k in range(filters)]


def motif_parts(
    network: MotifRegression, source: ArraySource, gene_ids: list[str], *, batch_size: int
) -> tuple[np.ndarray, np.ndarray]:
    """The trained network's motif counts mₖ(x) and context weights wₖ(x).

    Parameters
    ----------
    network
        The trained motif regression.
    source
        The inputs of `gene_ids`.
    gene_ids
        (genes,) the genes.
    batch_size
        Genes per forward pass.

    Returns
    -------
    tuple of np.ndarray
        The counts and the weights, each (genes, K) float32.
    """
    counts, weights = predict_in_batches(
        network,
        lambda batch: network.parts(source.batch(gene_ids[batch])),
        len(gene_ids),
        batch_size=batch_size,
    )
    return counts.numpy(), weights.numpy()


def contributions_of(
    network: MotifRegression, source: ArraySource, gene_ids: list[str], *, batch_size: int
) -> np.ndarray:
    """The contributions wₖ(x)·mₖ(x) of the trained network.

    Parameters
    ----------
    network
        The trained motif regression.
    source
        The inputs of `gene_ids`.
    gene_ids
        (genes,) the genes.
    batch_size
        Genes per forward pass.

    Returns
    -------
    np.ndarray
        (genes, K) float32, in standardised label units.
    """
    counts, weights = motif_parts(network, source, gene_ids, batch_size=batch_size)
    return counts * weights


def context_share(counts: np.ndarray, weights: np.ndarray) -> float:
    """How much of the prediction comes from the context: with wₖ(x) = w̄ₖ + δₖ(x) (w̄ₖ the mean
    weight over the genes), the variance of Σₖ δₖ(x)·mₖ(x) over that of the prediction
    Σₖ wₖ(x)·mₖ(x).

    Parameters
    ----------
    counts
        (genes, K) the motif counts mₖ(x).
    weights
        (genes, K) the context weights wₖ(x).

    Returns
    -------
    float
        0 when every gene gets the same weights (the fit is then linear in the motif
        counts); NaN when the prediction is constant.
    """
    counts, weights = counts.astype(np.float64), weights.astype(np.float64)
    prediction = (counts * weights).sum(axis=1)
    context = (counts * (weights - weights.mean(axis=0))).sum(axis=1)
    total = prediction.var()
    return float(context.var() / total) if total > 0 else float("nan")


def train_motif_regression(
    network: MotifRegression,
    source: ArraySource,
    genes: CisGenes,
    *,
    training: Training,
    seed: int,
    control: bool,
    model: str,
    device: str = "auto",
) -> tuple[Fitted, pd.DataFrame, pd.DataFrame]:
    """Train `network` (reported as `model`) with `seed`, on permuted training labels when
    `control`; a run that collapsed or did not converge is logged
    (`cistrans.cismodels.runs.run_tables`).

    Parameters
    ----------
    network
        The motif regression, its initial weights set.
    source
        The inputs of genes.gene_ids.
    genes
        The genes, their labels (genes,) and split.
    training
        How it trains.
    seed
        Seeds the training (and the permutation of a control).
    control
        Train on permuted training labels.
    model
        The run's model name in the results.
    device
        auto, cpu or cuda.

    Returns
    -------
    tuple
        The fit (`cistrans.cismodels.fit.Fitted`), its metrics (one row, with the run's
        status and the test genes' `context_share`) and its predictions ((genes,) rows of
        gene_id, split, observed, predicted).

    Raises
    ------
    cistrans.cismodels.fit.TrainingFailed
        When training cannot go on; the rule words it with its config section.
    """
    labels = permuted(genes.labels, genes.split, seed) if control else genes.labels
    fitted = train_network(
        network,
        source,
        genes.gene_ids,
        np.zeros((len(genes.gene_ids), 0), dtype=np.float32),
        labels,
        genes.split,
        training=training,
        seed=seed,
        name=model + (" (permuted labels)" if control else ""),
        device=device,
    )
    metrics, predictions = run_tables(
        genes, fitted, run_key(model, "dna", control=control, seed=seed)
    )
    test = [genes.gene_ids[i] for i in genes.rows("test")]
    parts = motif_parts(fitted.network, source, test, batch_size=training.batch_size)
    metrics["context_share"] = context_share(*parts)
    return fitted, metrics, predictions


def fit_ctxreg(
    source: ArraySource,
    genes: CisGenes,
    *,
    settings: dict[str, Any],
    seed: int,
    control: bool,
    device: str = "auto",
    label_names: Sequence[str] = ("label",),
    window: Mapping[str, Any] | None = None,
) -> CtxregRun:
    """Train contextual regression with `seed` (on permuted training labels when `control`)
    on one-hot windows from `source`.

    Parameters
    ----------
    source
        The one-hot windows of genes.gene_ids, (genes, 4, length).
    genes
        The genes, their labels (genes,) and split.
    settings
        The config section ctxreg (filters, width, context, l1, training, ...).
    seed
        Seeds the initial weights and the training.
    control
        Train on permuted training labels.
    device
        auto, cpu or cuda.
    label_names
        The label column fitted, for the record.
    window
        How the windows were cut, for the record (`cistrans.cismodels.saved.ModelRecord`).

    Returns
    -------
    CtxregRun
        The metrics (one row), predictions ((genes,) rows), history, network, contributions
        (genes, K), filters as PWMs (K of (width, 4)) and their sites (K,), the filters'
        movement (K rows; the caller logs it, naming its own settings in the fix, with
        `cistrans.ctxreg.motifs.log_filter_movement`) and the record.

    Raises
    ------
    cistrans.cismodels.fit.TrainingFailed
        When training cannot go on; the rule words it with its config section.
    cistrans.cismodels.networks.InputTooShort
        When the windows are shorter than the motif filters; the rule names what sets
        their length.
    """
    shape = InputShape(source.channels, source.length, 0)
    torch.manual_seed(seed)  # the initial weights
    network = build_network(shape, **network_options(settings))
    initial = network.motifs.weight.detach().clone()
    training = Training(**settings["training"])
    fitted, metrics, predictions = train_motif_regression(
        network, source, genes, training=training, seed=seed, control=control, model=CTXREG,
        device=device,
    )  # fmt: skip
    network = fitted.network
    names = filter_names(settings["filters"])
    movement = filter_movement(initial, network.motifs.weight).assign(filter=names)
    contributions = pd.DataFrame(
        contributions_of(network, source, genes.gene_ids, batch_size=training.batch_size),
        index=pd.Index(genes.gene_ids, name="gene_id"),
        columns=names,
    )
    train_ids = [genes.gene_ids[i] for i in genes.rows("train")]
    pwms, sites = filter_pwms(network, source, train_ids, batch_size=training.batch_size)
    filters = [Motif(name, name, pwm) for name, pwm in zip(names, pwms, strict=True)]
    record = run_record(
        fitted, shape, model=CTXREG, name=CTXREG, settings=settings, features="dna",
        extra_names=[], labels=label_names, seed=seed, control=control, window=window,
        encoding=ONEHOT,
    )  # fmt: skip
    return CtxregRun(
        metrics, predictions, fitted.history, network, contributions, filters, sites, movement,
        record,
    )  # fmt: skip
