"""The in-silico spacing check: a motif pair inserted at each spacing into background
promoters (test windows shuffled by tangermeme, keeping their dinucleotides:
`cistrans.cismodels.attribution.dinucleotide_shuffles`), and the trained models' predicted
change.

Shapes: codes (sequences, length) uint8 (A, C, G, T = 0…3, N = 4); sites as codes too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import torch

from cistrans.ctxreg.network import ContextualRegression
from cistrans.dna import onehot_codes


def _predict(networks: Sequence[ContextualRegression], codes: np.ndarray) -> np.ndarray:
    """(sequences,) the networks' mean prediction (standardised label units)."""
    x = torch.from_numpy(onehot_codes(codes).astype(np.float32))
    with torch.inference_mode():
        return np.mean([network.eval()(x)[:, 0].numpy() for network in networks], axis=0)


def spacing_scan(
    networks: Sequence[ContextualRegression],
    backgrounds: np.ndarray,
    site_a: np.ndarray,
    site_b: np.ndarray,
    *,
    position: int,
    spacings: Sequence[int],
) -> pd.DataFrame:
    """Per spacing: site A written at `position` and site B `spacing` bases after A's end in
    every background; the mean predicted change against the background (`change`), its
    standard error, and the interaction, change(A and B) − change(A) − change(B).

    Parameters
    ----------
    networks
        The trained networks (every seed), their predictions averaged; put in eval mode.
    backgrounds
        (sequences, length) uint8 base codes, the background windows (not modified).
    site_a, site_b
        (width,) uint8 base codes of the two sites.
    position
        Where site A starts in every background (0-based).
    spacings
        The spacings tried, in bases between A's end and B's start, in order; the scan
        stops at the first one whose site B would run past the window's end.

    Returns
    -------
    pd.DataFrame
        One row per spacing tried: spacing, change (mean over the backgrounds, in
        standardised label units), change_se, interaction.
    """
    base = _predict(networks, backgrounds)
    with_a = backgrounds.copy()
    with_a[:, position : position + len(site_a)] = site_a
    change_a = _predict(networks, with_a) - base
    rows = []
    for spacing in spacings:
        start = position + len(site_a) + spacing
        if start + len(site_b) > backgrounds.shape[1]:
            break
        with_b, both = backgrounds.copy(), with_a.copy()
        with_b[:, start : start + len(site_b)] = site_b
        both[:, start : start + len(site_b)] = site_b
        change = _predict(networks, both) - base
        change_b = _predict(networks, with_b) - base
        rows.append(
            {
                "spacing": spacing,
                "change": float(change.mean()),
                "change_se": float(change.std(ddof=1) / np.sqrt(len(change))),
                "interaction": float((change - change_a - change_b).mean()),
            }
        )
    return pd.DataFrame(rows)
