"""Closed-form ridge regression with its penalty chosen on a validation split: the strongest
simple baseline beside every model (trans: TFs → targets; cis: k-mer counts or mRNA features →
expression).

One singular value decomposition of the standardised training inputs serves the whole grid
and every output: with X = U S Vᵀ, the coefficients for penalty α are
V diag(s / (s² + α)) Uᵀ Y, so each candidate costs one product. The objective is sklearn's
`Ridge`: ‖Y − XB‖² + α‖B‖² on standardised X and Y (α is on the scale of the number of
training samples).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)


@dataclass
class RidgeDecomposition:
    """v: (features, rank) and s: (rank,) of the training inputs' SVD; projected: Uᵀ Y,
    (rank, outputs) float32."""

    v: np.ndarray
    s: np.ndarray
    projected: np.ndarray


def decompose(x_train: np.ndarray, y_train: np.ndarray) -> RidgeDecomposition:
    """The SVD of standardised training inputs x_train (samples, features) and the training
    outputs y_train (samples, outputs) projected on it."""
    u, s, vt = np.linalg.svd(x_train.astype(np.float64), full_matrices=False)
    projected = (u.T @ y_train.astype(np.float64)).astype(np.float32)
    return RidgeDecomposition(vt.T, s, projected)


def validation_errors(
    fit: RidgeDecomposition,
    x_validation: np.ndarray,
    y_validation: np.ndarray,
    alphas: Sequence[float],
) -> np.ndarray:
    """Validation MSE of each output for each of `alphas`: (alphas, outputs).

    x_validation: (samples, features), y_validation: (samples, outputs), standardised with the
    training statistics.
    """
    rotated = (x_validation.astype(np.float64) @ fit.v).astype(np.float32)  # (samples, rank)
    errors = np.empty((len(alphas), fit.projected.shape[1]))
    for i, alpha in enumerate(alphas):
        shrink = (fit.s / (fit.s**2 + alpha)).astype(np.float32)
        predicted = (rotated * shrink) @ fit.projected
        errors[i] = ((predicted - y_validation) ** 2).mean(axis=0)
    return errors


def choose_penalty(errors: np.ndarray, alphas: Sequence[float]) -> int:
    """The penalty with the lowest validation error.

    Parameters
    ----------
    errors
        (alphas,) validation errors, one per penalty.
    alphas
        The penalties tried.

    Returns
    -------
    int
        The position of the chosen penalty in `alphas`.
    """
    return int(np.argmin(errors))


def warn_at_grid_ends(chosen: Iterable[float], alphas: Sequence[float], *, key: str) -> None:
    """Warn for each chosen penalty at an end of a grid of more than one value: the best
    penalty may lie beyond it.

    Parameters
    ----------
    chosen
        The penalties chosen (one per fit).
    alphas
        The grid they were chosen from.
    key
        The config key of the grid, named by the rule's script.

    Returns
    -------
    None
    """
    if len(alphas) < 2:
        return
    ends = {float(min(alphas)): "low", float(max(alphas)): "high"}
    for alpha in sorted({float(a) for a in chosen} & set(ends)):
        log.warning(
            "ridge: the chosen penalty %g is at the %s end of %s; widen the grid",
            alpha,
            ends[alpha],
            key,
        )


def coefficients(
    fit: RidgeDecomposition, alpha: float, outputs: slice | list[int] = slice(None)
) -> np.ndarray:
    """Ridge coefficients (features, outputs) for penalty `alpha`, of the chosen `outputs`."""
    return ((fit.v * (fit.s / (fit.s**2 + alpha))) @ fit.projected[:, outputs]).astype(np.float32)
