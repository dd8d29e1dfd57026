"""One run of a sequence model: a network for the model's inputs, its per-gene features for
the feature set, training on observed or permuted labels, and the test figures.

Models: `texcnn` (segment embeddings), `xpresso` (one-hot window), `deeplncloc` (Word2Vec
sub-sequence vectors). Feature sets (TExCNN's Fig. 2): `dna` (the sequence alone),
`dna_mrna` (with the 8 mRNA features), `dna_mrna_tf` (and the trans side's TF features).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import torch

from cistrans.cismodels.data import CisGenes, permuted
from cistrans.cismodels.fit import Fitted, Training, train_network
from cistrans.cismodels.metrics import (
    COLLAPSED,
    OK,
    constant_predictions,
    profile_correlations,
    regression_metrics,
    run_status,
    training_loss_fell,
    training_status,
)
from cistrans.cismodels.models import ENCODINGS, MODELS
from cistrans.cismodels.networks import InputShape, LegNet, TExCNN, TextCNN, Xpresso
from cistrans.cismodels.saved import ACGT, ONEHOT, ModelRecord
from cistrans.cismodels.sources import ArraySource
from cistrans.cismodels.stem import seed_stem
from cistrans.io.motifs import Motif

log = logging.getLogger(__name__)


def build_network(model: str, shape: InputShape, settings: dict[str, Any]) -> torch.nn.Module:
    """The network of `model` for inputs of `shape`, from its config section.

    Parameters
    ----------
    model
        The model kind: texcnn, xpresso, deeplncloc or legnet.
    shape
        What the network reads: channels, length, per-gene features and outputs.
    settings
        The model's config section (cis.<model>); the network's keys are read, the rest
        (training, ...) ignored.

    Returns
    -------
    torch.nn.Module
        The untrained network: forward(x (batch, channels, length), extra (batch, extra))
        → (batch, outputs).

    Raises
    ------
    ValueError
        When `model` is unknown.
    cistrans.cismodels.networks.InputTooShort
        When the input is shorter than the network's receptive field.
    """
    if model == "texcnn":
        keys = ("channels", "kernel_size", "pool", "dense", "dropout")
        return TExCNN(shape, **{key: settings[key] for key in keys})
    if model == "xpresso":
        keys = ("filters", "kernel_sizes", "pools", "dense", "dropout")
        return Xpresso(shape, **{key: settings[key] for key in keys})
    if model == "deeplncloc":
        keys = ("kernel_sizes", "filters", "dense", "dropout")
        return TextCNN(shape, **{key: settings[key] for key in keys})
    if model == "legnet":
        keys = ("stem_channels", "stem_kernel_size", "block_sizes", "kernel_size", "pools",
                "resize_factor", "dropout")  # fmt: skip
        return LegNet(shape, **{key: settings[key] for key in keys})
    raise ValueError(f"unknown cis model {model!r}; known: {', '.join(MODELS)}")


def extra_features(
    genes: CisGenes, feature_set: str, tf: pd.DataFrame | None
) -> tuple[np.ndarray, list[str]]:
    """(genes, features) per-gene inputs beside the sequence, and their names: none for
    `dna`, the mRNA features for `dna_mrna`, and the TF features (index gene_id) too for
    `dna_mrna_tf`.

    Parameters
    ----------
    genes
        The genes (their mRNA features, when the feature set has mrna).
    feature_set
        dna, dna_mrna, dna_mrna_tf (a name holding mrna and/or tf).
    tf
        The TF features, one row per gene (index gene_id), for a feature set with tf; else
        None.

    Returns
    -------
    tuple
        (genes, features) float32, in the row order of genes.gene_ids (genes, 0) for
        `dna`; and the features' names (features,).

    Raises
    ------
    ValueError
        When the feature set needs mRNA or TF features that are missing, or the TF
        features lack genes.
    """
    parts, names = [np.zeros((len(genes.gene_ids), 0), dtype=np.float32)], []
    if "mrna" in feature_set:
        if genes.mrna is None:
            raise ValueError(f"feature set {feature_set!r} needs mRNA features")
        parts.append(genes.mrna)
        names += genes.mrna_names
    if "tf" in feature_set:
        if tf is None:
            raise ValueError(f"feature set {feature_set!r} needs TF features")
        aligned = tf.reindex(genes.gene_ids)
        if aligned.isna().any().any():
            raise ValueError("TF features lack genes of the labels; rebuild cis_tf_features")
        parts.append(aligned.to_numpy(dtype=np.float32))
        names += list(tf.columns)
    return np.hstack(parts), names


def run_key(model: str, feature_set: str, *, control: bool, seed: int) -> dict[str, Any]:
    """The columns that name a run in its metrics and predictions.

    Parameters
    ----------
    model
        The run's model name.
    feature_set
        Its feature set.
    control
        Whether it trained on permuted labels.
    seed
        Its seed.

    Returns
    -------
    dict
        model, features, labels (observed or permuted) and seed.
    """
    return {
        "model": model,
        "features": feature_set,
        "labels": "permuted" if control else "observed",
        "seed": seed,
    }


def run_label(key: Mapping[str, Any]) -> str:
    """A run in words, from its `key` (model, features, seed, labels; `run_key`).

    Parameters
    ----------
    key
        model, features, seed and labels (observed or permuted).

    Returns
    -------
    str
        E.g. "xpresso dna seed 1 (permuted labels)".
    """
    run = f"{key['model']} {key['features']} seed {key['seed']}"
    return run + (" (permuted labels)" if key["labels"] == "permuted" else "")


def status_message(status: str, why: str, fitted: Fitted, key: dict[str, Any]) -> str:
    """The warning for a run whose status is not OK: the run (`key`: model, features, seed,
    labels), what happened (`why`, from `run_status`) and the setting to change, named
    relative to the model's config section (training.learning_rate: the rule names the
    section, `warn_settings_section`).

    Parameters
    ----------
    status
        COLLAPSED or NOT_CONVERGED (`cistrans.cismodels.metrics`).
    why
        What happened, from `run_status`.
    fitted
        The trained run; its training settings are named.
    key
        model, features, seed and labels (`run_key`).

    Returns
    -------
    str
        The warning.
    """
    run = run_label(key)
    training = fitted.training
    rate = training.learning_rate
    if status == COLLAPSED:
        return (
            f"{run}: collapsed: {why}; its status is 'collapsed' and the comparison leaves "
            f"it out of its min/mean/max. Fix: change training.learning_rate (now {rate:g}; "
            f"try {rate / 10:g} or {rate * 10:g}) or training.optimiser (now "
            f"{training.optimiser})"
        )
    return (
        f"{run}: not converged: {why}; raise training.max_epochs or the learning rate "
        f"(training.learning_rate, now {rate:g})"
    )


def warn_settings_section(metrics: pd.DataFrame, section: str) -> None:
    """Log, for each run whose status is not OK, where the training settings its warning names
    (training.learning_rate, ...) are: under the config section `section`, which the rule
    knows.

    Parameters
    ----------
    metrics
        The runs' metrics: one row per run (or per tissue), with model, features, seed,
        labels and status (`fit_run`, `cistrans.ctxreg.fit.fit_ctxreg`).
    section
        The model's config section, e.g. cis.xpresso or ctxreg.jaspar_mode.

    Returns
    -------
    None
    """
    bad = metrics.loc[metrics["status"] != OK, ["model", "features", "seed", "labels"]]
    for key in bad.drop_duplicates().to_dict("records"):
        log.warning(
            "%s: the training settings to change are in the config section %s.training "
            "(e.g. %s.training.learning_rate)",
            run_label(key),
            section,
            section,
        )


def fit_status(
    fitted: Fitted, key: dict[str, Any], observed: np.ndarray, predicted: np.ndarray
) -> str:
    """The `run_status` of a run (or one of its outputs) from its test genes' `observed`
    and `predicted` labels (n,), a warning logged (`status_message`) when it is not OK.

    Parameters
    ----------
    fitted
        The trained run (its history, best epoch and training settings).
    key
        model, features, seed and labels (`run_key`); a permuted-label run is a control.
    observed
        (n,) the test genes' labels.
    predicted
        (n,) their predictions.

    Returns
    -------
    str
        OK, NOT_CONVERGED or COLLAPSED.
    """
    status, why = run_status(
        observed,
        predicted,
        epochs=len(fitted.history),
        best_epoch=fitted.best_epoch,
        max_epochs=fitted.training.max_epochs,
        control=key["labels"] == "permuted",
        loss_fell=training_loss_fell(fitted.history["train_loss"].to_numpy()),
        annealed=fitted.training.anneals,
    )
    if status != OK:
        log.warning(status_message(status, why, fitted, key))
    return status


def tissue_metrics(
    fitted: Fitted,
    key: dict[str, Any],
    observed: np.ndarray,
    predicted: np.ndarray,
    tissues: Sequence[str],
) -> pd.DataFrame:
    """The cell-type mode's metrics: one row per tissue (`key`, tissue, the test genes'
    `regression_metrics`, epochs, best epoch, status) from the test genes' `observed` and
    `predicted` labels (genes, tissues). The training's status (`training_status`) holds for
    every tissue, but a tissue whose predictions are constant is COLLAPSED alone; each
    status other than OK is logged once as a warning.

    Parameters
    ----------
    fitted
        The trained run (its history, best epoch and training settings).
    key
        model, features, seed and labels (`run_key`).
    observed
        (test genes, tissues) the test genes' labels.
    predicted
        (test genes, tissues) their predictions.
    tissues
        (tissues,) the tissue of each column.

    Returns
    -------
    pd.DataFrame
        One row per tissue: the `key` columns, tissue, pearson_r2, r2, pearson_r,
        spearman_rho, n, epochs, best_epoch and status.
    """
    fit = {"epochs": len(fitted.history), "best_epoch": fitted.best_epoch}
    control = key["labels"] == "permuted"
    training, why = training_status(
        fit["epochs"], fitted.best_epoch, fitted.training.max_epochs,
        loss_fell=training_loss_fell(fitted.history["train_loss"].to_numpy()), control=control,
        annealed=fitted.training.anneals,
    )  # fmt: skip
    if training != OK:
        log.warning(status_message(training, why, fitted, key))
    rows = []
    for i, tissue in enumerate(tissues):
        constant = "" if control else constant_predictions(observed[:, i], predicted[:, i])
        if constant:
            log.warning(status_message(COLLAPSED, f"in {tissue}, {constant}", fitted, key))
        rows.append(
            {**key, "tissue": tissue, **regression_metrics(observed[:, i], predicted[:, i])}
            | fit
            | {"status": COLLAPSED if constant else training}
        )
    return pd.DataFrame(rows)


def run_tables(
    genes: CisGenes, fitted: Fitted, key: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A one-label run's metrics and predictions. A status other than OK is logged as a
    warning.

    Parameters
    ----------
    genes
        The genes, their labels (genes,) and split.
    fitted
        The trained run; fitted.predictions (genes, 1).
    key
        model, features, seed and labels (`run_key`).

    Returns
    -------
    tuple of pd.DataFrame
        The metrics, one row: the `key` columns, the test genes' `regression_metrics`
        (pearson_r2, r2, pearson_r, spearman_rho, n), epochs, best_epoch and status (see
        `run_status`); and the predictions, one row per gene: gene_id, split, observed,
        predicted and the `key` columns.
    """
    test = genes.rows("test")
    predicted = fitted.predictions[:, 0]
    metrics = {
        **key,
        **regression_metrics(genes.labels[test], predicted[test]),
        "epochs": len(fitted.history),
        "best_epoch": fitted.best_epoch,
        "status": fit_status(fitted, key, genes.labels[test], predicted[test]),
    }
    predictions = {
        "gene_id": genes.gene_ids,
        "split": genes.split,
        "observed": genes.labels,
        "predicted": predicted,
        **key,
    }
    return pd.DataFrame([metrics]), pd.DataFrame(predictions)


class CisRun(NamedTuple):
    """What `fit_run` returns: the run's metrics, predictions and training history, the
    trained network, and the record its sidecar saves (`cistrans.cismodels.saved`)."""

    metrics: pd.DataFrame
    predictions: pd.DataFrame
    history: pd.DataFrame
    network: torch.nn.Module
    record: ModelRecord


def run_record(
    fitted: Fitted,
    shape: InputShape,
    *,
    model: str,
    name: str,
    settings: dict[str, Any],
    features: str,
    extra_names: Sequence[str],
    labels: Sequence[str],
    seed: int,
    control: bool,
    window: Mapping[str, Any] | None,
    encoding: str | None = None,
    channel_names: Sequence[str] | None = None,
) -> ModelRecord:
    """The sidecar record of a trained run. See ModelRecord.

    Parameters
    ----------
    fitted
        The trained run: the means and sds its labels and per-gene features were
        standardised with.
    shape
        What the network reads.
    model
        The model kind (xpresso, legnet, texcnn, deeplncloc, ctxreg, ...).
    name
        The run's model name (texcnn_<embedding>, or the kind).
    settings
        The config section the network was built and trained from.
    features
        The feature set.
    extra_names
        (extra,) the per-gene features beside the sequence.
    labels
        (outputs,) the label columns (the tissues in the cell-type mode).
    seed
        The run's seed.
    control
        Whether it trained on permuted labels.
    window
        How its sequences were cut (see ModelRecord), or None when unknown.
    encoding
        What it reads; None: the cis model's (`ENCODINGS`).
    channel_names
        Its input channels; None: A C G T for a one-hot model, else unnamed.

    Returns
    -------
    ModelRecord
        What its sidecar saves (`cistrans.cismodels.saved.save_model`).
    """
    encoding = encoding or ENCODINGS[model]
    if channel_names is None and encoding == ONEHOT:
        channel_names = ACGT
    return ModelRecord(
        kind=model,
        name=name,
        settings=dict(settings),
        shape=shape,
        encoding=encoding,
        labels=list(labels),
        label_mean=[float(v) for v in np.atleast_1d(fitted.label_mean)],
        label_sd=[float(v) for v in np.atleast_1d(fitted.label_sd)],
        seed=seed,
        control=control,
        features=features,
        extra_names=list(extra_names),
        extra_mean=[float(v) for v in np.atleast_1d(fitted.extra_mean)],
        extra_sd=[float(v) for v in np.atleast_1d(fitted.extra_sd)],
        window=None if window is None else dict(window),
        channel_names=None if channel_names is None else list(channel_names),
    )


def fit_run(
    model: str,
    name: str,
    source: ArraySource,
    genes: CisGenes,
    *,
    feature_set: str,
    tf: pd.DataFrame | None,
    settings: dict[str, Any],
    seed: int,
    control: bool,
    device: str = "auto",
    tissues: Sequence[str] | None = None,
    motifs: Sequence[Motif] | None = None,
    label_names: Sequence[str] = ("label",),
    window: Mapping[str, Any] | None = None,
) -> CisRun:
    """Train one cis model run: `model` with `feature_set` and `seed`, on permuted training
    labels when `control`.

    Parameters
    ----------
    model
        The model kind (xpresso, texcnn, deeplncloc, legnet; `cistrans.cismodels.models`).
    name
        Its name in the results (e.g. texcnn_x).
    source
        The inputs of genes.gene_ids: (genes, channels, length) per gene.
    genes
        The genes, their labels (genes,), or (genes, tissues) in the cell-type mode, and
        their split.
    feature_set
        dna, or dna with per-gene features (dna_mrna, dna_tf, ...; `extra_features`).
    tf
        The TF features, one row per gene (index gene_id), for a feature set with tf; else
        None.
    settings
        The model's config section (network settings and `training`).
    seed
        Seeds the initial weights and the training.
    control
        Train on permuted training labels (the permuted-label control).
    device
        auto, cpu or cuda.
    tissues
        The cell-type mode: the tissues, one output each (genes.labels (genes, tissues)).
    motifs
        The JASPAR motifs that seed LegNet's stem when its settings ask for `stem_motifs`
        (chosen on the training labels the run trains on, permuted for a control;
        `cistrans.cismodels.stem`).
    label_names
        The label column fitted (the tissues in the cell-type mode), for the record.
    window
        How the sequences were cut, for the record (see ModelRecord).

    Returns
    -------
    CisRun
        metrics: one row (model, features, labels, seed, the test genes'
        `regression_metrics`, epochs, best epoch and status, `run_status`; a warning when
        not OK), one row per tissue with `tissue` in the cell-type mode; predictions:
        (genes,) rows of gene_id, split, observed, predicted and the same keys ((genes ×
        tissues,) rows with `tissue` and each gene's `profile_r`, its profile across
        tissues relative to the average training gene's, in the cell-type mode); the
        training history (one row per epoch); the network; its sidecar record
        (`run_record`).

    Raises
    ------
    cistrans.cismodels.fit.TrainingFailed
        When training cannot go on (`train_network`); the rule words it with its config
        section.
    cistrans.cismodels.networks.InputTooShort
        When the inputs are shorter than the network's receptive field; the rule words it
        with the config key that sets their length.
    ValueError
        When the settings ask for a JASPAR-seeded stem (stem_motifs) and `motifs` is None.
    """
    extra, extra_names = extra_features(genes, feature_set, tf)
    outputs = len(tissues) if tissues else 1
    shape = InputShape(source.channels, source.length, extra.shape[1], outputs)
    torch.manual_seed(seed)  # the initial weights
    network = build_network(model, shape, settings)
    labels = permuted(genes.labels, genes.split, seed) if control else genes.labels
    if model == "legnet" and settings.get("stem_motifs"):
        if motifs is None:
            raise ValueError("the settings ask for a JASPAR-seeded stem (stem_motifs): pass motifs")
        train = genes.rows("train")
        seed_stem(network, motifs, source, [genes.gene_ids[i] for i in train],
                  labels.reshape(len(labels), -1)[train].mean(axis=1),
                  count=settings["stem_motifs"])  # fmt: skip
    fitted = train_network(
        network,
        source,
        genes.gene_ids,
        extra,
        labels,
        genes.split,
        training=Training(**settings["training"]),
        seed=seed,
        name=f"{name} {feature_set}" + (" (permuted labels)" if control else ""),
        device=device,
    )
    key = run_key(name, feature_set, control=control, seed=seed)
    record = run_record(
        fitted, shape, model=model, name=name, settings=settings, features=feature_set,
        extra_names=extra_names, labels=list(tissues) if tissues else label_names, seed=seed,
        control=control, window=window,
    )  # fmt: skip
    if not tissues:
        metrics, predictions = run_tables(genes, fitted, key)
        return CisRun(metrics, predictions, fitted.history, fitted.network, record)
    observed = genes.labels.reshape(len(genes.gene_ids), outputs)
    predicted = fitted.predictions
    test = genes.rows("test")
    metrics = tissue_metrics(fitted, key, observed[test], predicted[test], tissues)
    profile_r = profile_correlations(
        observed, predicted, observed[genes.rows("train")].mean(axis=0)
    )
    predictions = pd.DataFrame(
        {
            "gene_id": np.repeat(genes.gene_ids, outputs),
            "split": np.repeat(genes.split, outputs),
            "tissue": np.tile(list(tissues), len(genes.gene_ids)),
            "observed": observed.ravel(),
            "predicted": predicted.ravel(),
            "profile_r": np.repeat(profile_r, outputs),
            **key,
        }
    )
    return CisRun(metrics, predictions, fitted.history, fitted.network, record)
