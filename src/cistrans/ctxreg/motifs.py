"""The learned filters read as motifs: a PWM per filter from the sites it counts, how far
each moved from its initial weights in training, and the match of each to known motifs with
TOMTOM (memelite).

memelite's TOMTOM scores aligned columns by their Euclidean distance (MEME's own TOMTOM
defaults to Pearson correlation), with p-values from the distribution of column scores
against the targets; each filter's q-values are Benjamini–Hochberg over its p-values against
all targets (TOMTOM's per-query q-values), so every filter gets its own.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd
import torch
from statsmodels.stats.multitest import multipletests

from cistrans.cismodels.sources import ArraySource
from cistrans.ctxreg.network import ContextualRegression
from cistrans.io.motifs import Motif
from cistrans.training import predict_in_batches

STRONG = 0.5
"""Site activation (the relative score's share above the threshold) of a filter's strong
sites, from which its PWM is read."""
PSEUDOCOUNT = 0.01
"""Added to each base's share of a filter PWM before normalising."""
UNMOVED_CORRELATION = 0.99
"""A filter whose final weights correlate with its initial ones at least this much (column-
centred, see `filter_movement`) stayed at its initial weights."""
UNMOVED_WARNING_SHARE = 0.1
"""The share of a run's filters that may stay at their initial weights without a warning."""

log = logging.getLogger(__name__)


def filter_pwms(
    network: ContextualRegression,
    source: ArraySource,
    gene_ids: Sequence[str],
    *,
    batch_size: int = 64,
) -> tuple[np.ndarray, np.ndarray]:
    """Each filter's PWM from its strong sites on `gene_ids` (both strands): the
    sub-sequences under every position whose site activation is at least `STRONG`,
    weighted by it.

    Parameters
    ----------
    network
        The trained network, whose motif layer is read.
    source
        The one-hot windows of `gene_ids`, (genes, 4, length).
    gene_ids
        (genes,) the genes whose sites are read, e.g. the training genes.
    batch_size
        Genes per forward pass.

    Returns
    -------
    tuple of np.ndarray
        The PWMs (K, width, 4) float64 (rows sum to 1, with PSEUDOCOUNT added), and the
        number of strong sites of each filter (K,) int64.
    """
    layer = network.motifs
    filters, _, width = layer.raw.shape

    def strong_sites(batch: slice) -> tuple[torch.Tensor, torch.Tensor]:
        both, activation = layer.strand_sites(source.batch(list(gene_ids[batch])))
        activation = activation * (activation >= STRONG)
        windows = both.unfold(2, width, 1)  # (2·batch, 4, positions, width)
        weighted = torch.einsum("nkp,ncpw->kwc", activation, windows).double()
        return weighted, (activation > 0).sum(dim=(0, 2))

    weighted = torch.zeros(filters, width, 4, dtype=torch.float64)
    sites = torch.zeros(filters, dtype=torch.long)
    batches = predict_in_batches(
        network, strong_sites, len(gene_ids), batch_size=batch_size, join=False
    )
    for batch_weighted, batch_sites in batches:  # summed in order, as they come
        weighted += batch_weighted
        sites += batch_sites
    shares = weighted.numpy() + PSEUDOCOUNT * np.maximum(weighted.numpy().sum(-1, keepdims=True), 1)
    return shares / shares.sum(axis=2, keepdims=True), sites.numpy()


def filter_movement(initial: torch.Tensor, final: torch.Tensor) -> pd.DataFrame:
    """How far each filter moved in training, from its non-negative weights before and
    after.

    Parameters
    ----------
    initial
        (K, 4, width) the filters' weights before training (not modified).
    final
        (K, 4, width) the filters' weights after training (not modified).

    Returns
    -------
    pd.DataFrame
        One row per filter: `filter` (its index), `correlation` (Pearson's r of the initial
        and final weights with each column's mean over the four bases removed: what the
        relative score reads, blind to a column's offset and the filter's scale; 1 where
        both are flat, 0 where one is), `relative_change` (‖final − initial‖ / ‖initial‖
        of the weights themselves), and `moved`: whether the correlation fell below
        UNMOVED_CORRELATION.

    Raises
    ------
    ValueError
        When the two do not share one shape (K, 4, width).
    """
    initial, final = initial.detach().double().cpu(), final.detach().double().cpu()
    if initial.shape != final.shape or initial.dim() != 3:
        raise ValueError(
            f"initial and final filters must share one shape (K, 4, width), not "
            f"{tuple(initial.shape)} and {tuple(final.shape)}"
        )
    before = (initial - initial.mean(dim=1, keepdim=True)).flatten(1)
    after = (final - final.mean(dim=1, keepdim=True)).flatten(1)
    # each column of both sums to zero, so their product over their norms is Pearson's r
    norms = before.norm(dim=1) * after.norm(dim=1)
    both_flat = ((before.norm(dim=1) == 0) & (after.norm(dim=1) == 0)).double()
    correlation = torch.where(
        norms > 0, (before * after).sum(dim=1) / norms.clamp_min(1e-300), both_flat
    ).numpy()
    change = (final - initial).flatten(1).norm(dim=1) / initial.flatten(1).norm(dim=1)
    return pd.DataFrame(
        {
            "filter": np.arange(len(initial)),
            "correlation": correlation,
            "relative_change": change.numpy(),
            "moved": correlation < UNMOVED_CORRELATION,
        }
    )


def log_filter_movement(movement: pd.DataFrame, fix: str | None) -> None:
    """Log how many filters of `movement` moved, and warn, naming `fix`, when more than
    UNMOVED_WARNING_SHARE of them stayed at their initial weights.

    Parameters
    ----------
    movement
        One row per filter, from `filter_movement` (correlation, relative_change, moved).
    fix
        What to change when too many stayed, in the caller's words (e.g. its config keys);
        None: no warning (the permuted-label control, whose filters have no motif to
        learn).

    Returns
    -------
    None
    """
    unmoved = int((~movement.moved).sum())
    log.info(
        "filters moved: %d of %d changed their shape (correlation with their initial weights "
        "below %g; median %.3f, median relative change of the weights %.3f); %d stayed at "
        "their initial weights",
        len(movement) - unmoved,
        len(movement),
        UNMOVED_CORRELATION,
        movement.correlation.median(),
        movement.relative_change.median(),
        unmoved,
    )
    if fix is not None and unmoved > UNMOVED_WARNING_SHARE * len(movement):
        log.warning(
            "%d of %d filters (more than %.0f %%) stayed at their initial weights: they count "
            "random sites, not motifs learned from the labels; %s",
            unmoved,
            len(movement),
            100 * UNMOVED_WARNING_SHARE,
            fix,
        )


def match_motifs(queries: Sequence[Motif], targets: Sequence[Motif]) -> pd.DataFrame:
    """TOMTOM of every query against every target.

    Parameters
    ----------
    queries
        (queries,) the motifs matched, e.g. the learned filters.
    targets
        (targets,) the motifs matched against, e.g. JASPAR.

    Returns
    -------
    pd.DataFrame
        One row per query: motif, consensus, its best target (match_id, match_name),
        p_value, q_value (over that query's targets), offset, overlap, strand, and
        n_matches_q05, its number of targets at q < 0.05.
    """
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
