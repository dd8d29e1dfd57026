"""Training a sequence network on the train genes, early stopping on the validation genes,
the best checkpoint kept; labels and per-gene features standardised on the train genes."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from tqdm import tqdm

from cistrans.cismodels.sources import ArraySource
from cistrans.errors import InputError
from cistrans.training import EarlyStopping, choose_device, predict_in_batches, seed_everything

log = logging.getLogger(__name__)

OPTIMISERS = ("sgd", "adam", "adamw")
SCHEDULES = ("constant", "one_cycle")
MIN_SCALED_BATCH = 16
"""The smallest batch that Training.batch_size_for scales to."""


class TrainingFailed(RuntimeError):
    """Training that cannot go on because of one of its settings (`setting`, a key of the
    training section, e.g. learning_rate): what happened (`problem`) and the fix (`fix`,
    with ``{key}`` where the setting is named). The message names the setting in words;
    the rule that knows the config section words it as an InputError (`input_error`)."""

    def __init__(self, setting: str, problem: str, fix: str) -> None:
        self.setting, self.problem, self.fix = setting, problem, fix
        words = "the " + setting.replace("_", " ")
        super().__init__(f"{problem}. Fix: {fix.format(key=words)}")

    def input_error(self, section: str) -> InputError:
        """The InputError naming the setting's config key in `section` (e.g.
        cis.xpresso.training)."""
        key = f"{section}.{self.setting}"
        return InputError(f"config key {key!r}", self.problem, self.fix.format(key=key))


@dataclass(frozen=True)
class Training:
    """How a network is trained (one config section, e.g. cis.xpresso.training)."""

    optimiser: str
    learning_rate: float
    batch_size: int
    max_epochs: int
    patience: int
    momentum: float = 0.0
    weight_decay: float = 0.0
    schedule: str = "constant"
    """constant: the learning rate throughout; one_cycle: warm up to it and anneal over
    max_epochs (LegNet's recipe; an early stop ends the cycle early)."""
    min_steps_per_epoch: int | None = None
    """When set: smaller batches for a training split with fewer batches than this (see
    `batch_size_for`)."""

    @property
    def anneals(self) -> bool:
        """Whether the learning rate falls to ~0 at max_epochs (one_cycle), so that the
        best epoch is the last by design."""
        return self.schedule == "one_cycle"

    def batch_size_for(self, n_train: int) -> int:
        """The batch size for `n_train` training rows: batch_size, or, when that leaves
        fewer than min_steps_per_epoch batches, n_train // min_steps_per_epoch (at least
        MIN_SCALED_BATCH; the published recipe scaled to a smaller library)."""
        steps = self.min_steps_per_epoch
        if steps is None or n_train >= steps * self.batch_size:
            return self.batch_size
        return min(self.batch_size, max(MIN_SCALED_BATCH, n_train // steps))


@dataclass
class Fitted:
    """predictions: (genes, outputs) in label units, for every gene; history: one row per
    epoch (epoch, train_loss, validation_loss, seconds); best_epoch: the kept checkpoint;
    training: how it was trained; label_mean, label_sd:
    (outputs,) and extra_mean, extra_sd: (extra,), what the labels and per-gene features
    were standardised with (`label_scaling`, `feature_scaling`), which a saved model needs
    to score new inputs in label units."""

    network: torch.nn.Module
    predictions: np.ndarray
    history: pd.DataFrame
    best_epoch: int
    training: Training
    label_mean: np.ndarray | None = None
    label_sd: np.ndarray | None = None
    extra_mean: np.ndarray | None = None
    extra_sd: np.ndarray | None = None


def label_scaling(labels: np.ndarray, split: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mean and sd the labels are standardised with: those of the training genes' labels
    (an sd of 0 taken as 1), which `train_network` uses.

    Parameters
    ----------
    labels
        (genes,) or (genes, outputs) the labels.
    split
        (genes,) train | validation | test.

    Returns
    -------
    tuple of np.ndarray
        The mean and the sd, each (outputs,) float64.
    """
    targets = labels.reshape(len(labels), -1).astype(np.float64)
    train = split == "train"
    centre, scale = targets[train].mean(axis=0), targets[train].std(axis=0)
    return centre, np.where(scale > 1e-12, scale, 1.0)


def feature_scaling(values: np.ndarray, split: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mean and sd the per-gene features are standardised with: those of the training
    genes (an sd of 0 taken as 1), which `train_network` uses.

    Parameters
    ----------
    values
        (genes, features) the per-gene features.
    split
        (genes,) train | validation | test.

    Returns
    -------
    tuple of np.ndarray
        The mean and the sd, each (features,).
    """
    train = split == "train"
    mean, sd = values[train].mean(axis=0), values[train].std(axis=0)
    return mean, np.where(sd > 1e-8, sd, 1.0)


def train_network(
    network: torch.nn.Module,
    source: ArraySource,
    gene_ids: Sequence[str],
    extra: np.ndarray,
    labels: np.ndarray,
    split: np.ndarray,
    *,
    training: Training,
    seed: int,
    name: str,
    device: str = "auto",
) -> Fitted:
    """Fit `network` to `labels` on the genes whose `split` is train, stopping early on the
    validation genes and keeping the best checkpoint; labels and per-gene features are
    standardised on the train genes (`label_scaling`, `feature_scaling`).

    A network with a `penalty()` method (of its last batch) adds it to the training loss;
    the history's train_loss is the MSE alone.

    Parameters
    ----------
    network
        The network, called as ``network(x, extra)`` on a batch of `source` inputs
        (batch, channels, length) and its per-gene features (batch, extra); it returns
        (batch, outputs).
    source
        The inputs of `gene_ids`.
    gene_ids
        (genes,) the genes, in the row order of `extra`, `labels` and `split`.
    extra
        (genes, extra) the per-gene features ((genes, 0) without).
    labels
        (genes,) or (genes, outputs) the labels.
    split
        (genes,) train | validation | test.
    training
        How it trains (optimiser, learning rate, batch size, epochs, patience, schedule).
    seed
        Seeds the batch order (and torch; the initial weights are the caller's).
    name
        The run in logs and errors, e.g. ``xpresso dna``.
    device
        auto, cpu or cuda (`cistrans.training.choose_device`).

    Returns
    -------
    Fitted
        The trained network (on the CPU), the predictions (genes, outputs) of every gene in
        label units, the history (one row per epoch), the best epoch and the scalings.

    Raises
    ------
    TrainingFailed
        When the training loss becomes NaN or Inf (the learning rate to lower), or a network
        with batch norm gets batches of one row (the batch size); the caller words it with
        its config section (`TrainingFailed.input_error`).
    """
    if training.optimiser not in OPTIMISERS:
        raise ValueError(f"unknown optimiser {training.optimiser!r}; known: {OPTIMISERS}")
    if training.schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {training.schedule!r}; known: {SCHEDULES}")
    seed_everything(seed)
    target = choose_device(device)
    gene_ids = list(gene_ids)
    train, validation = np.flatnonzero(split == "train"), np.flatnonzero(split == "validation")
    targets = labels.reshape(len(labels), -1).astype(np.float64)
    centre, scale = label_scaling(labels, split)
    y = torch.as_tensor((targets - centre) / scale, dtype=torch.float32)
    extra_mean, extra_sd = feature_scaling(extra, split)
    features = torch.as_tensor(
        ((extra - extra_mean) / extra_sd).astype(np.float32) if extra.shape[1] else extra
    )
    batch_size = training.batch_size_for(len(train))
    if batch_size != training.batch_size:
        log.info(
            "%s: batches of %d (of %d training rows: at least %d batches an epoch) instead "
            "of %d", name, batch_size, len(train), training.min_steps_per_epoch,
            training.batch_size,
        )  # fmt: skip
    network = network.to(target)
    parameters = network.parameters()
    if training.optimiser == "sgd":
        optimiser = torch.optim.SGD(
            parameters,
            training.learning_rate,
            training.momentum,
            weight_decay=training.weight_decay,
        )
    else:
        adam = torch.optim.AdamW if training.optimiser == "adamw" else torch.optim.Adam
        optimiser = adam(parameters, training.learning_rate, weight_decay=training.weight_decay)
    scheduler = None
    if training.anneals:
        steps = -(-len(train) // batch_size)
        scheduler = torch.optim.lr_scheduler.OneCycleLR(
            optimiser,
            training.learning_rate,
            total_steps=training.max_epochs * steps,
            cycle_momentum=False,  # the optimiser's own momentum (or Adam's betas) stays
        )

    def forward(rows: np.ndarray) -> torch.Tensor:
        x = source.batch([gene_ids[i] for i in rows]).to(target)
        return network(x, features[rows].to(target))

    def predict(rows: np.ndarray) -> torch.Tensor:
        return predict_in_batches(
            network, lambda batch: forward(rows[batch]), len(rows), batch_size=batch_size
        )

    batch_norm = any(
        isinstance(m, torch.nn.modules.batchnorm._BatchNorm) for m in network.modules()
    )
    if batch_norm and batch_size < 2:
        raise TrainingFailed(
            "batch_size",
            f"{name}: batches of one row, on which its batch norm cannot train",
            "give {key} 2 or more",
        )
    penalty = getattr(network, "penalty", None)  # e.g. contextual regression's L1
    generator = np.random.default_rng(seed)
    stopper = EarlyStopping(training.patience)
    history, started = [], time.perf_counter()
    for epoch in tqdm(range(training.max_epochs), desc=f"{name} epochs", mininterval=10):
        network.train()
        order, total, trained = generator.permutation(train), 0.0, 0
        for start in range(0, len(order), batch_size):
            rows = np.sort(order[start : start + batch_size])
            if len(rows) < 2 and batch_norm:  # a batch norm cannot train on one row
                continue
            optimiser.zero_grad()
            fit_loss = torch.nn.functional.mse_loss(forward(rows), y[rows].to(target))
            loss = fit_loss + penalty() if penalty else fit_loss
            if not torch.isfinite(loss):
                raise TrainingFailed(
                    "learning_rate",
                    f"{name} (seed {seed}): the training loss became "
                    f"{float(loss.detach())} in epoch {epoch + 1}",
                    f"lower {{key}} (now {training.learning_rate:g}), e.g. to "
                    f"{training.learning_rate / 10:g}",
                )
            loss.backward()
            optimiser.step()
            if scheduler is not None:
                scheduler.step()
            total += float(fit_loss.detach()) * len(rows)
            trained += len(rows)
        validation_loss = float(torch.nn.functional.mse_loss(predict(validation), y[validation]))
        history.append(
            {
                "epoch": epoch + 1,
                "train_loss": total / max(trained, 1),
                "validation_loss": validation_loss,
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
        if stopper.step(epoch + 1, validation_loss, network):
            break
    network.load_state_dict(stopper.best_state)
    log.info(
        "%s (seed %d): %d epochs, best %d (validation MSE, standardised, %.4f), %.1f s",
        name,
        seed,
        len(history),
        stopper.best_epoch,
        stopper.best_loss,
        time.perf_counter() - started,
    )
    predicted = predict(np.arange(len(gene_ids))).numpy() * scale + centre
    return Fitted(
        network.cpu(),
        predicted,
        pd.DataFrame(history),
        stopper.best_epoch,
        training,
        centre,
        scale,
        extra_mean,
        extra_sd,
    )
