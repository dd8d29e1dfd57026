"""The learned filters read as motifs: a PWM per filter from the sites it counts, and the
match of each to known motifs with TOMTOM (memelite).

memelite's TOMTOM scores aligned columns by their Euclidean distance (MEME's own TOMTOM
defaults to Pearson correlation), with p-values from the distribution of column scores
against the targets; each filter's q-values are Benjamini–Hochberg over its p-values against
all targets (TOMTOM's per-query q-values), so every filter gets its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import torch
from statsmodels.stats.multitest import multipletests

from cistrans.cismodels.sources import ArraySource
from cistrans.ctxreg.network import ContextualRegression
from cistrans.io.motifs import Motif

STRONG = 0.5
"""Site activation (the relative score's share above the threshold) of a filter's strong
sites, from which its PWM is read."""
PSEUDOCOUNT = 0.01
"""Added to each base's share of a filter PWM before normalising."""


def filter_pwms(
    network: ContextualRegression,
    source: ArraySource,
    gene_ids: Sequence[str],
    batch_size: int = 64,
) -> tuple[np.ndarray, np.ndarray]:
    """Each filter's PWM from its strong sites on `gene_ids` (both strands): the
    sub-sequences under every position whose site activation is at least `STRONG`,
    weighted by it. Returns PWMs (K, width, 4) and those sites' numbers (K,)."""
    network.eval()
    layer = network.motifs
    filters, _, width = layer.raw.shape
    weighted = torch.zeros(filters, width, 4, dtype=torch.float64)
    sites = torch.zeros(filters, dtype=torch.long)
    with torch.inference_mode():
        for start in range(0, len(gene_ids), batch_size):
            x = source.batch(list(gene_ids[start : start + batch_size]))
            both, activation = layer.strand_sites(x)
            activation = activation * (activation >= STRONG)
            windows = both.unfold(2, width, 1)  # (2·batch, 4, positions, width)
            weighted += torch.einsum("nkp,ncpw->kwc", activation, windows).double()
            sites += (activation > 0).sum(dim=(0, 2))
    shares = weighted.numpy() + PSEUDOCOUNT * np.maximum(weighted.numpy().sum(-1, keepdims=True), 1)
    return shares / shares.sum(axis=2, keepdims=True), sites.numpy()


def match_motifs(queries: Sequence[Motif], targets: Sequence[Motif]) -> pd.DataFrame:
    """TOMTOM of every query against every target: per query its best target (motif_id,
    name, p, q over that query's targets, offset, overlap, strand) and its number of
    targets at q < 0.05."""
    from memelite import tomtom

    # one memory layout and type for every call, so numba compiles its kernels once
    p, _, offsets, overlaps, strands = tomtom(
        [np.ascontiguousarray(q.pwm.T, dtype=np.float64) for q in queries],
        [np.ascontiguousarray(t.pwm.T, dtype=np.float64) for t in targets],
    )
    q = np.vstack([multipletests(row, method="fdr_bh")[1] for row in p])
    best = p.argmin(axis=1)
    rows = np.arange(len(queries))
    return pd.DataFrame(
        {
            "motif": [m.motif_id for m in queries],
            "consensus": [m.consensus for m in queries],
            "match_id": [targets[j].motif_id for j in best],
            "match_name": [targets[j].name for j in best],
            "p_value": p[rows, best],
            "q_value": q[rows, best],
            "offset": offsets[rows, best].astype(int),
            "overlap": overlaps[rows, best].astype(int),
            "strand": np.where(strands[rows, best] == 0, "+", "-"),
            "n_matches_q05": (q < 0.05).sum(axis=1),
        }
    )
