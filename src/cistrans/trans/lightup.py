"""Light-up: read the trained network by perturbing one TF at a time around the mean input.

Default (`perturbation="fold"`): the TF's expression goes up and down by `factor`-fold, i.e.
± log_base(factor) on log inputs; the score of TF j on target g is half the difference
between the up and down predictions, in the model's log units (a log fold change of the
target). `perturbation="value"` is the paper's: the input *value* times `factor` (a log
value doubled is not a 2-fold change). `score="paper_ratio"` gives the paper's
ln(pred_perturbed / pred_baseline) for ln(count + 1) outputs, up-perturbation only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cistrans.trans.model import Predictor

PERTURBATIONS = ("fold", "value")
SCORES = ("log_difference", "paper_ratio")


def perturbed_inputs(
    mean: np.ndarray, *, factor: float, perturbation: str, log_base: float
) -> tuple[np.ndarray, np.ndarray]:
    """Up and down inputs, each (TFs, TFs): row j is the mean with TF j changed.

    Parameters
    ----------
    mean
        (TFs,) the mean input (raw log expression).
    factor
        The fold change of the perturbation.
    perturbation
        "fold": TF j ± log_base(factor) (its expression `factor`-fold up and down, on log
        inputs); "value": TF j's input value times and divided by `factor`.
    log_base
        The base of the log inputs (for "fold").

    Returns
    -------
    up, down : np.ndarray
        (TFs, TFs) in `mean`'s float type, row j the mean with TF j raised (lowered).
    """
    n = len(mean)
    up = np.repeat(mean[None, :], n, axis=0)
    down = up.copy()
    if perturbation == "fold":
        step = np.log(factor) / np.log(log_base)
        up[np.arange(n), np.arange(n)] += step
        down[np.arange(n), np.arange(n)] -= step
    elif perturbation == "value":
        up[np.arange(n), np.arange(n)] *= factor
        down[np.arange(n), np.arange(n)] /= factor
    else:
        raise ValueError(
            f"unknown perturbation {perturbation!r}; known: {', '.join(PERTURBATIONS)}"
        )
    return up, down


def lightup(
    model: Predictor,
    *,
    factor: float = 2.0,
    perturbation: str = "fold",
    score: str = "log_difference",
    log_base: float = 2.0,
    batch_size: int = 512,
) -> pd.DataFrame:
    """TF × target score matrix, `batch_size` perturbed TFs per forward pass.

    Parameters
    ----------
    model
        The predictor (one model or an ensemble).
    factor, perturbation, log_base
        The perturbation (`perturbed_inputs`).
    score
        "log_difference" or "paper_ratio" (see the module's docstring).
    batch_size
        TFs per forward pass: besides the result, memory holds (batch_size, targets) arrays.

    Returns
    -------
    pd.DataFrame
        (TFs, targets) in the predictions' float type, index the TF ids (named tf),
        columns the target ids.
    """
    if score not in SCORES:
        raise ValueError(f"unknown score {score!r}; known: {', '.join(SCORES)}")
    mean = model.input_mean.astype(np.float32)
    up, down = perturbed_inputs(mean, factor=factor, perturbation=perturbation, log_base=log_base)
    baseline = model.predict(mean[None, :])[0]
    values = None
    for start in range(0, len(mean), batch_size):
        raised = model.predict(up[start : start + batch_size], batch_size)
        if score == "log_difference":
            block = (raised - model.predict(down[start : start + batch_size], batch_size)) / 2.0
        else:
            block = np.log(np.expm1(raised).clip(1e-6) / np.expm1(baseline).clip(1e-6))
        if values is None:
            values = np.empty((len(mean), block.shape[1]), dtype=block.dtype)
        values[start : start + batch_size] = block
    return pd.DataFrame(values, index=pd.Index(model.tf_ids, name="tf"), columns=model.target_ids)


def tf_importance(scores: pd.DataFrame) -> pd.Series:
    """Mean |light-up| of each TF over all targets: how much the network listens to it.

    Parameters
    ----------
    scores
        (TFs, targets) light-up (`lightup`), index the TF ids.

    Returns
    -------
    pd.Series
        (TFs,) the mean |score| of each TF, indexed by TF id, highest first.
    """
    return scores.abs().mean(axis=1).sort_values(ascending=False)


def importance_table(scores: pd.DataFrame, model: Predictor) -> pd.DataFrame:
    """Columns tf, importance (`tf_importance`, most important first), symbol.

    Parameters
    ----------
    scores
        (TFs, targets) light-up (`lightup`), index the TF ids.
    model
        The predictor the scores are of (its TF ids and symbols).

    Returns
    -------
    pd.DataFrame
        One row per TF, most important first: tf (the id), importance, symbol.
    """
    ranking = tf_importance(scores).rename("importance").rename_axis("tf").reset_index()
    symbols = dict(zip(model.tf_ids, model.tf_symbols, strict=True))
    return ranking.assign(symbol=ranking.tf.map(symbols))
