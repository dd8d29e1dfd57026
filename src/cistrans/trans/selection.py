"""The network's regularisation chosen on the validation split, as the ridge's penalty is:
one trained network per weight decay × dropout pair of `trans.selection`, scored by the
validation explained variance; the best is the trans model `network`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cistrans.trans.evaluate import explained_variance

if TYPE_CHECKING:  # the Snakefile reads the grid without importing torch
    from cistrans.trans.data import TransData
    from cistrans.trans.model import TransModel

log = logging.getLogger(__name__)

AXES = ("weight_decay", "dropout")
"""The regularisation settings chosen, each a list under trans.selection."""


@dataclass(frozen=True)
class Regularisation:
    """One point of the grid: Adam's weight decay and the dropout after each hidden layer."""

    weight_decay: float
    dropout: float

    @property
    def name(self) -> str:
        """A readable, file-safe name, e.g. ``weight_decay_0.0001-dropout_0.1``."""
        return f"weight_decay_{self.weight_decay:g}-dropout_{self.dropout:g}"


def selection_grid(
    *, weight_decay: Sequence[float], dropout: Sequence[float]
) -> list[Regularisation]:
    """Every pair of the two lists, weight decay varying slowest.

    Parameters
    ----------
    weight_decay, dropout
        The values tried (trans.selection.weight_decay, trans.selection.dropout).

    Returns
    -------
    list of Regularisation
        len(weight_decay) × len(dropout) points.
    """
    return [Regularisation(float(w), float(d)) for w in weight_decay for d in dropout]


def choose_regularisation(
    models: Sequence[TransModel],
    data: TransData,
    *,
    grid: Sequence[Regularisation],
) -> tuple[pd.DataFrame, int, list[str]]:
    """Score each network on the validation split and choose the best.

    Parameters
    ----------
    models
        One trained network per grid point, in the order of `grid`, each of `data`'s TFs
        and targets.
    data
        The compendium the networks were trained on; its validation rows score them.
    grid
        The regularisation each model was trained with.

    Returns
    -------
    table : pandas.DataFrame
        One row per grid point: weight_decay, dropout, name, validation_explained_variance,
        best_epoch and epochs_run (from the model's training record), chosen (bool).
    best : int
        The position in `grid` of the highest validation explained variance (the first on a
        tie).
    at_edge : list of str
        The settings (of `AXES`) whose chosen value is at an end of more than one value
        tried (not at a low end of 0, which cannot be widened); each is also warned.
    """
    if len(models) != len(grid) or not grid:
        raise ValueError(f"{len(models)} models for {len(grid)} grid points")
    validation = data.rows("validation")
    observed = data.outputs[validation]
    scores = np.array(
        [explained_variance(observed, model.predict(data.inputs[validation])) for model in models]
    )
    best = int(np.argmax(scores))
    records = [model.info.get("training", {}) for model in models]
    table = pd.DataFrame(
        {
            "weight_decay": [point.weight_decay for point in grid],
            "dropout": [point.dropout for point in grid],
            "name": [point.name for point in grid],
            "validation_explained_variance": scores,
            "best_epoch": [record.get("best_epoch") for record in records],
            "epochs_run": [record.get("epochs_run") for record in records],
            "chosen": np.arange(len(grid)) == best,
        }
    )
    chosen = grid[best]
    log.info(
        "network: %s chosen of %d (validation explained variance %.4f; the worst %.4f)",
        chosen.name,
        len(grid),
        scores[best],
        scores.min(),
    )
    at_edge = []
    for axis in AXES:
        values = sorted({getattr(point, axis) for point in grid})
        value = getattr(chosen, axis)
        if len(values) > 1 and (value == values[-1] or 0 < value == values[0]):
            at_edge.append(axis)
            log.warning(
                "network: the chosen %s %g is at the %s end of trans.selection.%s (%s); "
                "widen the grid there",
                axis,
                value,
                "low" if value == values[0] else "high",
                axis,
                ", ".join(f"{v:g}" for v in values),
            )
    return table, best, at_edge
