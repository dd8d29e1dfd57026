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
from cistrans.ctxreg.motifs import filter_movement, filter_pwms, log_filter_movement
from cistrans.ctxreg.network import (
    WINDOW_KEY,
    ContextSettings,
    ContextualRegression,
    MotifRegression,
)
from cistrans.io.motifs import Motif


@dataclass
class CtxregRun:
    """metrics: one row (model, features, labels, seed, the test figures, epochs, best epoch,
    status, context_share); predictions: gene_id, split, observed, predicted; history: one row
    per epoch;
    contributions: (genes, K) wₖ(x)·mₖ(x) in standardised label units, index gene_id, columns the
    filters; filters: each filter's PWM from its strong sites on the training genes, `sites` their
    numbers; movement: how far each filter moved from its initial weights (one row per filter,
    `cistrans.ctxreg.motifs.filter_movement`); record: what its sidecar saves
    (`cistrans.cismodels.saved`)."""

    metrics: pd.DataFrame
    predictions: pd.DataFrame
    history: pd.DataFrame
    network: ContextualRegression
    contributions: pd.DataFrame
    filters: list[Motif]
    sites: np.ndarray
    movement: pd.DataFrame
    record: ModelRecord


def build_network(shape: InputShape, settings: dict[str, Any]) -> ContextualRegression:
    """The network of the config section ctxreg (less its training keys)."""
    return ContextualRegression(
        shape,
        settings["filters"],
        settings["width"],
        settings["site_threshold"],
        ContextSettings(**settings["context"]),
        settings["l1"],
        filter_init_sd=settings["filter_init_sd"],
    )


def filter_names(filters: int) -> list[str]:
    return [f"filter_{k}" for k in range(filters)]


def motif_parts(
    network: MotifRegression, source: ArraySource, gene_ids: list[str], batch_size: int
) -> tuple[np.ndarray, np.ndarray]:
    """The trained network's motif counts mₖ(x) and context weights wₖ(x) of `gene_ids`,
    each (genes, K) float32, in batches of `batch_size`."""
    network.eval()
    with torch.inference_mode():
        parts = [
            network.parts(source.batch(gene_ids[start : start + batch_size]))
            for start in range(0, len(gene_ids), batch_size)
        ]
    counts = torch.cat([counts for counts, _ in parts]).numpy()
    weights = torch.cat([weights for _, weights in parts]).numpy()
    return counts, weights


def contributions_of(
    network: MotifRegression, source: ArraySource, gene_ids: list[str], batch_size: int
) -> np.ndarray:
    """(genes, K) contributions wₖ(x)·mₖ(x) of the trained network."""
    counts, weights = motif_parts(network, source, gene_ids, batch_size)
    return counts * weights


def context_share(counts: np.ndarray, weights: np.ndarray) -> float:
    """How much of the prediction comes from the context, from the motif counts and context
    weights (genes, K) of some genes: with wₖ(x) = w̄ₖ + δₖ(x) (w̄ₖ the mean weight over
    those genes), the variance of Σₖ δₖ(x)·mₖ(x) over that of the prediction
    Σₖ wₖ(x)·mₖ(x). 0 when every gene gets the same weights (the fit is then linear in the
    motif counts); NaN when the prediction is constant."""
    counts, weights = counts.astype(np.float64), weights.astype(np.float64)
    prediction = (counts * weights).sum(axis=1)
    context = (counts * (weights - weights.mean(axis=0))).sum(axis=1)
    total = prediction.var()
    return float(context.var() / total) if total > 0 else float("nan")


def train_motif_regression(
    network: MotifRegression,
    source: ArraySource,
    genes: CisGenes,
    training: Training,
    seed: int,
    control: bool,
    model: str,
    device: str = "auto",
    training_key: str = "ctxreg.training",
) -> tuple[Fitted, pd.DataFrame, pd.DataFrame]:
    """Train `network` (reported as `model`) with `seed`, on permuted training labels when
    `control`; returns the fit, its metrics (one row, with the run's status and the test
    genes' `context_share`) and its predictions. `training_key`: the config section of
    `training`, named in errors and in the warning of a run that collapsed or did not
    converge (`cistrans.cismodels.runs.run_tables`)."""
    labels = permuted(genes.labels, genes.split, seed) if control else genes.labels
    fitted = train_network(
        network,
        source,
        genes.gene_ids,
        np.zeros((len(genes.gene_ids), 0), dtype=np.float32),
        labels,
        genes.split,
        training,
        seed,
        model + (" (permuted labels)" if control else ""),
        f"{training_key}.learning_rate",
        device,
    )
    metrics, predictions = run_tables(genes, fitted, run_key(model, "dna", control, seed))
    test = [genes.gene_ids[i] for i in genes.rows("test")]
    parts = motif_parts(fitted.network, source, test, training.batch_size)
    metrics["context_share"] = context_share(*parts)
    return fitted, metrics, predictions


def fit_ctxreg(
    source: ArraySource,
    genes: CisGenes,
    settings: dict[str, Any],
    seed: int,
    control: bool,
    length_key: str = WINDOW_KEY,
    device: str = "auto",
    *,
    label_names: Sequence[str] = ("label",),
    window: Mapping[str, Any] | None = None,
) -> CtxregRun:
    """Train contextual regression with `seed` (on permuted training labels when
    `control`) on one-hot windows from `source`; `length_key`: what sets their length,
    for errors (ctxreg.window, or your own sequence table); see CtxregRun for what comes
    back (its record names the label column `label_names` and how the windows were cut,
    `window`; see `cistrans.cismodels.saved.ModelRecord`)."""
    shape = InputShape(source.channels, source.length, 0, length_key)
    torch.manual_seed(seed)  # the initial weights
    network = build_network(shape, settings)
    initial = network.motifs.weight.detach().clone()
    training = Training(**settings["training"])
    fitted, metrics, predictions = train_motif_regression(
        network, source, genes, training, seed, control, CTXREG, device
    )
    network = fitted.network
    names = filter_names(settings["filters"])
    movement = filter_movement(initial, network.motifs.weight).assign(filter=names)
    log_filter_movement(
        movement,
        None  # the control's filters have no motif to learn
        if control
        else f"lower ctxreg.filter_init_sd (now {settings['filter_init_sd']:g}) or raise "
        f"ctxreg.training.learning_rate (now {training.learning_rate:g})",
    )
    contributions = pd.DataFrame(
        contributions_of(network, source, genes.gene_ids, training.batch_size),
        index=pd.Index(genes.gene_ids, name="gene_id"),
        columns=names,
    )
    train_ids = [genes.gene_ids[i] for i in genes.rows("train")]
    pwms, sites = filter_pwms(network, source, train_ids, training.batch_size)
    filters = [Motif(name, name, pwm) for name, pwm in zip(names, pwms, strict=True)]
    record = run_record(
        CTXREG, CTXREG, shape, settings, fitted, features="dna", extra_names=[],
        labels=label_names, seed=seed, control=control, window=window, encoding=ONEHOT,
    )  # fmt: skip
    return CtxregRun(
        metrics, predictions, fitted.history, network, contributions, filters, sites, movement,
        record,
    )  # fmt: skip
