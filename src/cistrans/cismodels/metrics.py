"""The figures every cis model is scored by, named for what they are: the squared Pearson
correlation (what Xpresso and TExCNN publish as R²) is not the coefficient of determination
(which also charges a prediction for its offset and scale, and is lower); Spearman's rho
beside them, which a few outlying labels cannot carry. And each trained run's status: ok,
not converged, or collapsed (left out of the comparison's figures)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def regression_metrics(observed: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """pearson_r2, r2 (1 − SSres/SStot), pearson_r, spearman_rho and n of (n,) arrays.

    Parameters
    ----------
    observed
        (n,) the observed labels.
    predicted
        (n,) the predictions.

    Returns
    -------
    dict of str to float
        pearson_r2, r2, pearson_r, spearman_rho (NaN where either array is constant; r2
        NaN where the labels are) and n (an int).
    """
    observed = np.asarray(observed, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    constant = np.ptp(predicted) == 0 or np.ptp(observed) == 0
    pearson = np.nan if constant else float(np.corrcoef(observed, predicted)[0, 1])
    spearman = np.nan if constant else _rank_correlation(observed, predicted)
    total = float(((observed - observed.mean()) ** 2).sum())
    residual = float(((observed - predicted) ** 2).sum())
    return {
        "pearson_r2": pearson**2,
        "r2": 1.0 - residual / total if total > 0 else np.nan,
        "pearson_r": pearson,
        "spearman_rho": spearman,
        "n": int(len(observed)),
    }


OK, NOT_CONVERGED, COLLAPSED = "ok", "not_converged", "collapsed"
POOLED_STATUSES = (OK, NOT_CONVERGED)
"""A run's `status` in its metrics: the comparison pools the runs of these into its
min / mean / max and counts the collapsed ones apart."""

COLLAPSE_TOLERANCE = 1e-5
"""Test predictions whose standard deviation is below this share of the test labels' count
as constant (a collapsed network: dead units, one output for every input). The demo's weakest
runs that still rank genes (TExCNN on the random tiny DNABERT) sit at 2-3e-4."""


def constant_predictions(
    observed: np.ndarray, predicted: np.ndarray, tolerance: float = COLLAPSE_TOLERANCE
) -> str:
    """Why the test predictions count as constant (their sd below `tolerance` times that of
    the `observed` labels), or "" when they do not.

    Parameters
    ----------
    observed
        (n,) the test labels.
    predicted
        (n,) their predictions.
    tolerance
        The largest share of the labels' sd that counts as constant.

    Returns
    -------
    str
        The reason, with both sds; "" when the predictions vary.
    """
    predicted_sd, observed_sd = float(np.std(predicted)), float(np.std(observed))
    if predicted_sd > tolerance * observed_sd:
        return ""
    return (
        f"its test predictions are constant (sd {predicted_sd:.3g} against the test labels' "
        f"{observed_sd:.3g})"
    )


def training_status(
    epochs: int,
    best_epoch: int,
    max_epochs: int,
    *,
    loss_fell: bool = True,
    control: bool = False,
    annealed: bool = False,
) -> tuple[str, str]:
    """A training's status and why, from the `epochs` it ran, the `best_epoch` kept,
    `max_epochs` and whether its training loss ever fell below its first epoch's
    (`loss_fell`, see `training_loss_fell`): COLLAPSED when it never did (not for a
    permuted-label `control`, which has nothing to learn), NOT_CONVERGED when it ran to
    `max_epochs` with its best epoch the last, else OK (why ""). A best epoch of 1 alone is
    no collapse: a large library can teach a model most of what it will learn in one epoch.
    An `annealed` training (a one-cycle schedule, whose learning rate falls to ~0 at
    max_epochs) is never NOT_CONVERGED: its best epoch is the last by design.

    Parameters
    ----------
    epochs
        The epochs it ran.
    best_epoch
        The epoch kept.
    max_epochs
        The most epochs it could run.
    loss_fell
        Whether its training loss fell below its first epoch's.
    control
        A permuted-label control.
    annealed
        Trained with a one-cycle schedule.

    Returns
    -------
    tuple of str
        The status (OK, NOT_CONVERGED or COLLAPSED) and why ("" for OK).
    """
    if not loss_fell and epochs > 1 and not control:
        return COLLAPSED, f"its training loss never fell below its first epoch's ({epochs} epochs)"
    if epochs >= max_epochs and best_epoch == epochs and not annealed:
        return NOT_CONVERGED, f"best epoch {best_epoch} of max_epochs {max_epochs}"
    return OK, ""


def training_loss_fell(train_losses: np.ndarray, tolerance: float = 1e-3) -> bool:
    """Whether a training's per-epoch losses ever fell by more than `tolerance` (relative)
    below the first epoch's; a network stuck on a constant stays flat.

    Parameters
    ----------
    train_losses
        (epochs,) the training loss of each epoch.
    tolerance
        The relative fall that counts.

    Returns
    -------
    bool
        True when a later epoch's loss fell that far, or there is one epoch or none.
    """
    if len(train_losses) < 2:
        return True
    return bool(np.min(train_losses[1:]) < train_losses[0] * (1 - tolerance))


def run_status(
    observed: np.ndarray,
    predicted: np.ndarray,
    *,
    epochs: int,
    best_epoch: int,
    max_epochs: int,
    control: bool = False,
    tolerance: float = COLLAPSE_TOLERANCE,
    loss_fell: bool = True,
    annealed: bool = False,
) -> tuple[str, str]:
    """A trained run's status and why, from its test genes' labels and predictions and its
    training (`training_status`): COLLAPSED when the predictions are constant
    (`constant_predictions`) or the training loss never fell, NOT_CONVERGED when it stopped
    at `max_epochs` still improving, else OK (why ""). A permuted-label `control` is never
    COLLAPSED: a constant is what it should predict.

    Parameters
    ----------
    observed
        (n,) the test genes' labels.
    predicted
        (n,) their predictions.
    epochs
        The epochs it ran.
    best_epoch
        The epoch kept.
    max_epochs
        The most epochs it could run.
    control
        A permuted-label control.
    tolerance
        `constant_predictions`' tolerance.
    loss_fell
        Whether its training loss fell below its first epoch's (`training_loss_fell`).
    annealed
        Trained with a one-cycle schedule.

    Returns
    -------
    tuple of str
        The status (OK, NOT_CONVERGED or COLLAPSED) and why ("" for OK).
    """
    constant = constant_predictions(observed, predicted, tolerance)
    if constant and not control:
        return COLLAPSED, constant
    return training_status(
        epochs, best_epoch, max_epochs, loss_fell=loss_fell, control=control, annealed=annealed
    )


def _rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rho: the Pearson correlation of average ranks (ties share their mean rank).

    NumPy and pandas instead of scipy.stats, whose import (~0.9 s) every training job would
    otherwise pay for two numbers.
    """
    ranks = pd.DataFrame({"a": a, "b": b}).rank(method="average")
    return float(np.corrcoef(ranks.a, ranks.b)[0, 1])


def profile_correlations(
    observed: np.ndarray, predicted: np.ndarray, tissue_means: np.ndarray
) -> np.ndarray:
    """Per gene, the Pearson r of its predicted and observed levels across tissues, each
    taken relative to `tissue_means` (tissues,), the training genes' mean in every tissue.

    Without the tissue means, any model that adds them back, even one trained on shuffled
    genes, would share the average gene's profile with every gene and score high.

    Parameters
    ----------
    observed
        (genes, tissues) the observed levels.
    predicted
        (genes, tissues) the predicted levels.
    tissue_means
        (tissues,) the training genes' mean in every tissue.

    Returns
    -------
    np.ndarray
        (genes,) float, NaN where a profile is flat: a tissue-blind model, one level for
        every tissue, scores NaN.
    """
    obs = observed - tissue_means
    pred = predicted - tissue_means
    obs = obs - obs.mean(axis=1, keepdims=True)
    pred = pred - pred.mean(axis=1, keepdims=True)
    norm = np.sqrt((obs**2).sum(axis=1) * (pred**2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(norm > 1e-12, (obs * pred).sum(axis=1) / norm, np.nan)
