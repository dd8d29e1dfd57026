"""Closed-form ridge regression with its penalty chosen on a validation split: the strongest
simple baseline beside every model (trans: TFs → targets; cis: k-mer counts or mRNA features →
expression).

One singular value decomposition of the standardised training inputs serves the whole grid:
with X = U S Vᵀ, the coefficients for penalty α are V diag(s / (s² + α)) Uᵀ Y, so each
candidate costs one product. The objective is sklearn's `Ridge`: ‖Y − XB‖² + α‖B‖² on
standardised X and Y (α is on the scale of the number of training samples).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def validation_errors(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_validation: np.ndarray,
    y_validation: np.ndarray,
    alphas: Sequence[float],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validation MSE of ridge for each of `alphas`, from one SVD.

    x_*: (samples, features), y_*: (samples, outputs), all standardised with the training
    statistics. Returns (mse per alpha, V, s, Uᵀ Y) for `coefficients`.
    """
    u, s, vt = np.linalg.svd(x_train.astype(np.float64), full_matrices=False)
    projected = (u.T @ y_train.astype(np.float64)).astype(np.float32)  # (rank, outputs)
    rotated = (x_validation.astype(np.float64) @ vt.T).astype(np.float32)  # (samples, rank)
    errors = np.empty(len(alphas))
    for i, alpha in enumerate(alphas):
        shrink = (s / (s**2 + alpha)).astype(np.float32)
        predicted = (rotated * shrink) @ projected
        errors[i] = float(np.mean((predicted - y_validation) ** 2))
    return errors, vt.T, s, projected


def coefficients(v: np.ndarray, s: np.ndarray, projected: np.ndarray, alpha: float) -> np.ndarray:
    """Ridge coefficients (features, outputs) for penalty `alpha` from `validation_errors`'
    SVD."""
    return ((v * (s / (s**2 + alpha))) @ projected).astype(np.float32)


def edge_of_grid(alphas: Sequence[float], best: int) -> str | None:
    """ "low" or "high" when the chosen penalty (position `best`) is at that end of a grid of
    more than one value (the grid should then be widened), else None."""
    if len(alphas) > 1 and best == 0:
        return "low"
    if len(alphas) > 1 and best == len(alphas) - 1:
        return "high"
    return None
