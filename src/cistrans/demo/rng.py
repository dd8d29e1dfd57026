"""One random generator per world stage, so that stages draw independently."""

from __future__ import annotations

import numpy as np

STAGES = {"network": 1, "genome": 2, "expression": 3, "knowledge": 4, "diseases": 5, "model": 6}


def stage_rng(seed: int, stage: str) -> np.random.Generator:
    """The generator of `stage` in the world of `seed`."""
    return np.random.default_rng([seed, STAGES[stage]])
