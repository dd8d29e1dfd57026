"""Contextual regression on known motifs (the JASPAR mode) without a workflow: site regions
from a FIMO sites table, the network's algebra, training on planted site counts, and the
motifs' importance pooled over seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from cistrans.cismodels.networks import InputShape
from cistrans.ctxreg.jaspar_mode import (
    IMPORTANCE_COLUMNS,
    fit_jaspar_mode,
    pooled_importance,
    site_regions,
)
from cistrans.ctxreg.network import ContextSettings, KnownMotifRegression, context_pool
from cistrans.io.motifs import Motif
from tests.cismodels.test_sequence_models import FAST, genes_of

CONTEXT = {"pool": 10, "channels": [8], "kernel_size": 3, "dense": [16], "dropout": 0.0}
SETTINGS = {"l1": 1e-4, "context": CONTEXT, "training": FAST}


def sites_table(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(gene, motif, start, start + 5, "+", 10.0, 1e-5) for gene, motif, start in rows],
        columns=["gene_id", "motif_id", "start", "end", "strand", "score", "p_value"],
    )


def test_a_site_counts_in_the_region_where_it_starts_and_others_are_ignored() -> None:
    sites = sites_table([("g1", "M2", 0), ("g1", "M2", 9), ("g1", "M1", 10), ("g0", "M1", 57),
                         ("g9", "M1", 3), ("g0", "OTHER", 3)])  # fmt: skip
    regions = site_regions(sites, ["g0", "g1"], ["M1", "M2"], length=60, pool=10)
    assert regions.shape == (2, 6, 2) and regions.dtype == np.float32
    assert regions[1, 0, 1] == 2 and regions[1, 1, 0] == 1  # both M2 sites in 0-9, M1 in 10-19
    assert regions[0, 5, 0] == 1  # the last region
    assert regions.sum() == 4  # g9 (not a gene) and OTHER (not a motif) left out


def test_a_short_sequence_keeps_two_regions_and_one_region_counts_the_sites() -> None:
    """An 8-base MPRA-like sequence: the context's pool shrinks to half of it."""
    sites = sites_table([("g0", "M1", 6), ("g0", "M1", 1)])
    pool = context_pool(ContextSettings(**CONTEXT), 8)
    regions = site_regions(sites, ["g0"], ["M1"], length=8, pool=pool)
    assert pool == 4 and regions.shape == (1, 2, 1) and regions[0, :, 0].tolist() == [1, 1]
    assert site_regions(sites, ["g0"], ["M1"], length=8, pool=8).tolist() == [[[2]]]


def test_the_prediction_is_the_sum_of_the_known_motifs_contributions() -> None:
    torch.manual_seed(0)
    network = KnownMotifRegression(InputShape(3, 6, 0), ContextSettings(**CONTEXT), 1e-4)
    network.eval()
    x = torch.rand(5, 3, 6)
    counts, weights = network.parts(x)
    assert counts.shape == weights.shape == (5, 3)
    assert torch.allclose(counts, x.sum(dim=2))
    predicted = network(x)
    assert torch.allclose(predicted[:, 0], network.contributions(x).sum(dim=1) + network.bias)


def test_the_jaspar_mode_learns_planted_counts_with_their_signs_and_its_control_does_not() -> None:
    """Labels 0.8 × sites of M0 − 0.6 × sites of M1 (+ noise), two motifs neutral.
    Measured (90 test genes, seeds 0-2): pearson_r2 0.90-0.94 observed, 0.02-0.16 on
    permuted training labels (four motifs: a random function of their counts can correlate
    with the label by chance); M0 and M1 ranked 1-2 with their signs."""
    rng = np.random.default_rng(0)
    regions = rng.poisson(0.3, size=(600, 6, 4)).astype(np.float32)
    counts = regions.sum(axis=1)
    labels = 0.8 * counts[:, 0] - 0.6 * counts[:, 1] + rng.normal(0, 0.3, 600)
    genes = genes_of(labels)
    motifs = [Motif(f"M{k}", f"TF{k}", np.full((6, 4), 0.25)) for k in range(4)]
    observed = fit_jaspar_mode(regions, genes, motifs, settings=SETTINGS, seed=0, control=False)
    control = fit_jaspar_mode(regions, genes, motifs, settings=SETTINGS, seed=0, control=True)
    assert observed.metrics.pearson_r2.iloc[0] > 0.7
    assert observed.metrics.pearson_r2.iloc[0] > 4 * control.metrics.pearson_r2.iloc[0]
    importance = observed.importance.set_index("motif_id")
    assert list(observed.importance.columns) == IMPORTANCE_COLUMNS
    assert set(importance.index[importance["rank"] <= 2]) == {"M0", "M1"}
    assert importance.mean_contribution.M0 > 0 > importance.mean_contribution.M1
    with_sites = {f"M{k}": int(n) for k, n in enumerate((counts > 0).sum(axis=0))}
    assert importance.name.M0 == "TF0" and importance.genes_with_sites.to_dict() == with_sites


def test_importance_pools_the_seeds_mean_and_range() -> None:
    seed_0 = pd.DataFrame({"motif_id": ["A", "B"], "name": ["a", "b"], "genes_with_sites": [5, 7],
                           "mean_contribution": [0.3, -0.1], "mean_abs_contribution": [0.3, 0.2],
                           "rank": [1, 2]})  # fmt: skip
    seed_1 = seed_0.assign(mean_contribution=[0.1, -0.5], mean_abs_contribution=[0.1, 0.5],
                           rank=[2, 1])  # fmt: skip
    pooled = pooled_importance([seed_0, seed_1]).set_index("motif_id")
    assert pooled.mean_contribution.to_dict() == {"B": -0.3, "A": 0.2}
    assert pooled.mean_contribution_min.B == -0.5 and pooled.mean_contribution_max.B == -0.1
    assert pooled["rank"].to_dict() == {"B": 1, "A": 2}
