"""Training the trans network: standardised inputs and outputs, Adam on MSE, early stopping."""

from __future__ import annotations

import logging
import time

import numpy as np
import torch
from tqdm import tqdm

from cistrans.training import EarlyStopping, choose_device, seed_everything
from cistrans.trans.data import TransData
from cistrans.trans.model import Architecture, TransModel, build_network

log = logging.getLogger(__name__)


def standardise(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column mean and sd (sd 1 where a column is constant).

    Parameters
    ----------
    values
        (samples, columns) the training split's values.

    Returns
    -------
    mean : np.ndarray
        (columns,) float32.
    sd : np.ndarray
        (columns,) float32, the population sd (ddof 0); 1 where it is 1e-6 or less.
    """
    mean = values.mean(axis=0)
    sd = values.std(axis=0)
    return mean.astype(np.float32), np.where(sd > 1e-6, sd, 1.0).astype(np.float32)


def warn_if_underdetermined(n_train: int, n_tfs: int) -> None:
    """Log a warning when there are fewer training samples than TF inputs.

    Parameters
    ----------
    n_train
        The number of training samples.
    n_tfs
        The number of TF inputs.

    Returns
    -------
    None
    """
    if n_train < n_tfs:
        log.warning(
            "%d training samples for %d TFs: fewer samples than inputs, so the fit leans on "
            "its regularisation (weight decay, early stopping, the ridge penalty); add "
            "samples or prune TFs before reading much into the weights",
            n_train,
            n_tfs,
        )


def train_model(
    data: TransData,
    *,
    hidden_layers: list[int],
    activation: str,
    dropout: float,
    batch_size: int,
    learning_rate: float,
    weight_decay: float,
    max_epochs: int,
    patience: int,
    seed: int,
    device: str,
) -> TransModel:
    """Train the trans network on the train split, stopping early on the validation split;
    return the best model.

    Mini-batches index the one in-memory copy of the compendium and are standardised on the
    fly, so no second copy of the matrix is made. Torch uses the threads the caller set
    (`cistrans.training.use_threads`: the job's threads in the workflow).

    Parameters
    ----------
    data
        The compendium: inputs (samples, TFs), outputs (samples, targets), split (samples,).
    hidden_layers
        The hidden layers' widths ([] for a linear model).
    activation
        The hidden layers' activation.
    dropout
        The dropout after each hidden layer.
    batch_size
        Samples per training step.
    learning_rate
        Adam's learning rate.
    weight_decay
        Adam's weight decay.
    max_epochs
        The most epochs.
    patience
        Epochs without a better validation loss before stopping.
    seed
        Seeds the initial weights and the batch order.
    device
        auto, cpu or cuda.

    Returns
    -------
    TransModel
        The network (on the CPU) with the TFs' (TFs,) and targets' (targets,) scalers of the
        training split and its training record.
    """
    seed_everything(seed)
    target = choose_device(device)
    train, validation = data.rows("train"), data.rows("validation")
    warn_if_underdetermined(len(train), len(data.tf_ids))
    in_mean, in_sd = standardise(data.inputs[train])
    out_mean, out_sd = standardise(data.outputs[train])
    arch = Architecture(
        len(data.tf_ids), len(data.target_ids), list(hidden_layers), activation, dropout
    )
    network = build_network(arch).to(target)
    optimiser = torch.optim.Adam(network.parameters(), lr=learning_rate, weight_decay=weight_decay)
    stats = [torch.as_tensor(a, device=target) for a in (in_mean, in_sd, out_mean, out_sd)]

    def batch(rows: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        x = torch.as_tensor(data.inputs[rows], device=target)
        y = torch.as_tensor(data.outputs[rows], device=target)
        return (x - stats[0]) / stats[1], (y - stats[2]) / stats[3]

    generator = np.random.default_rng(seed)
    stopper = EarlyStopping(patience)
    started = time.perf_counter()
    epochs = tqdm(range(max_epochs), desc="epochs", mininterval=5)
    for epoch in epochs:
        network.train()
        order = generator.permutation(train)
        for start in range(0, len(order), batch_size):
            x, y = batch(np.sort(order[start : start + batch_size]))
            optimiser.zero_grad()
            loss = torch.nn.functional.mse_loss(network(x), y)
            loss.backward()
            optimiser.step()
        network.eval()
        with torch.inference_mode():
            x, y = batch(validation)
            validation_loss = float(torch.nn.functional.mse_loss(network(x), y))
        epochs.set_postfix(validation_loss=f"{validation_loss:.4f}")
        if stopper.step(epoch, validation_loss, network):
            break
    network.load_state_dict(stopper.best_state)
    seconds = time.perf_counter() - started
    log.info(
        "trained %s: best epoch %d, validation MSE (standardised) %.4f, %.1f s",
        hidden_layers or "linear",
        stopper.best_epoch,
        stopper.best_loss,
        seconds,
    )
    return fitted_model(
        network.cpu(),
        arch,
        data,
        scalers=(in_mean, in_sd, out_mean, out_sd),
        info={
            "training": {
                "best_epoch": stopper.best_epoch,
                "validation_mse_standardised": stopper.best_loss,
                "epochs_run": epoch + 1,
                "seconds": round(seconds, 2),
                "batch_size": batch_size,
                "learning_rate": learning_rate,
                "weight_decay": weight_decay,
                "patience": patience,
                "seed": seed,
                "device": str(target),
                "n_train": len(train),
                "n_validation": len(validation),
            }
        },
    )


def fitted_model(
    network: torch.nn.Sequential,
    arch: Architecture,
    data: TransData,
    *,
    scalers: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    info: dict,
) -> TransModel:
    """A TransModel of `data`'s genes.

    Parameters
    ----------
    network
        The trained network (read on standardised inputs and outputs).
    arch
        Its architecture.
    data
        The compendium it was trained on: its TF and target IDs and symbols.
    scalers
        Input mean and sd (TFs,), output mean and sd (targets,), from the training split.
    info
        The record saved in the sidecar (e.g. ``{"training": ...}`` or
        ``{"ridge": ...}``).

    Returns
    -------
    TransModel
        The network with `data`'s genes, the scalers and `info` (no copies made).
    """
    return TransModel(
        network,
        arch,
        data.tf_ids,
        data.tf_symbols,
        data.target_ids,
        data.target_symbols,
        *scalers,
        info=info,
    )
