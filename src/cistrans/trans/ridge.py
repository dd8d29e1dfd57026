"""The trans linear baseline: closed-form ridge regression (`cistrans.ridge`) of every
target on the standardised TFs, its penalty chosen on the validation split."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import numpy as np
import torch

from cistrans.ridge import choose_penalty, coefficients, decompose, validation_errors
from cistrans.trans.data import TransData
from cistrans.trans.model import Architecture, TransModel, build_network
from cistrans.trans.train import fitted_model, standardise, warn_if_underdetermined

log = logging.getLogger(__name__)


def fit_ridge(data: TransData, alphas: Sequence[float]) -> TransModel:
    """Ridge of the targets on the TFs (train split), the penalty with the lowest validation
    MSE among `alphas`.

    Parameters
    ----------
    data
        The compendium: inputs (samples, TFs), outputs (samples, targets), split.
    alphas
        The penalties tried.

    Returns
    -------
    TransModel
        One linear layer (targets × TFs), so that evaluation, light-up and the disease steps
        read it like the network; the grid, its validation errors and the choice in its
        sidecar (``info["ridge"]``).
    """
    if not alphas:
        raise ValueError("ridge needs at least one penalty")
    started = time.perf_counter()
    train, validation = data.rows("train"), data.rows("validation")
    warn_if_underdetermined(len(train), len(data.tf_ids))
    in_mean, in_sd = standardise(data.inputs[train])
    out_mean, out_sd = standardise(data.outputs[train])

    def scaled(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (data.inputs[rows] - in_mean) / in_sd, (data.outputs[rows] - out_mean) / out_sd

    fit = decompose(*scaled(train))
    errors = validation_errors(fit, *scaled(validation), alphas).mean(axis=1)  # one penalty
    best = choose_penalty(errors, alphas)
    alpha = float(alphas[best])
    arch = Architecture(len(data.tf_ids), len(data.target_ids), [], "elu", 0.0)
    network = build_network(arch)
    with torch.no_grad():
        network[0].weight.copy_(torch.from_numpy(coefficients(fit, alpha).T.copy()))
        network[0].bias.zero_()  # standardised training outputs have mean 0
    seconds = time.perf_counter() - started
    log.info(
        "ridge: penalty %g chosen of %d (validation MSE, standardised, %.4f), %.1f s",
        alpha,
        len(alphas),
        errors[best],
        seconds,
    )
    return fitted_model(
        network,
        arch,
        data,
        scalers=(in_mean, in_sd, out_mean, out_sd),
        info={
            "ridge": {
                "alphas": [float(a) for a in alphas],
                "validation_mse_standardised": [float(e) for e in errors],
                "alpha": alpha,
                "seconds": round(seconds, 2),
                "n_train": len(train),
                "n_validation": len(validation),
            }
        },
    )
