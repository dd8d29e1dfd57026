"""LegNet: its shapes, pools that fit a short window, both strands read, the recipe scaled to
a small library, and a planted motif recovered (on either strand) that its permuted-label
control cannot."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cistrans.cismodels.attribution import attributions
from cistrans.cismodels.fit import Training
from cistrans.cismodels.networks import InputShape, LegNet, reverse_complement
from cistrans.cismodels.runs import fit_run
from cistrans.cismodels.stem import (
    best_site_scores,
    choose_stem_motifs,
    motif_kernels,
    seed_stem,
)
from cistrans.errors import InputError
from cistrans.io.motifs import Motif
from tests.cismodels.test_sequence_models import genes_of, planted_onehot

SMALL = {"stem_channels": 16, "stem_kernel_size": 7, "block_sizes": [16, 24],
         "kernel_size": 5, "pools": [2, 2], "resize_factor": 2, "dropout": 0.0}  # fmt: skip


def test_legnet_maps_windows_to_outputs_and_shrinks_pools_to_a_short_window() -> None:
    network = LegNet(InputShape(4, 230, 3, outputs=2), **SMALL).eval()
    assert network(torch.rand(5, 4, 230), torch.rand(5, 3)).shape == (5, 2)
    short = LegNet(InputShape(4, 3, 0), **{**SMALL, "pools": [4, 4]})
    assert short.pools == [3, 1]
    assert short.eval()(torch.rand(2, 4, 3)).shape == (2, 1)
    with pytest.raises(InputError, match="one pool per block"):
        LegNet(InputShape(4, 230, 0), **{**SMALL, "pools": [2]})


def test_a_prediction_is_the_mean_of_the_window_and_its_flagged_reverse_complement() -> None:
    torch.manual_seed(0)
    network = LegNet(InputShape(4, 50, 0), **SMALL).eval()
    x = torch.nn.functional.one_hot(torch.randint(0, 4, (4, 50)), 4).float().transpose(1, 2)
    # ACGT one-hot: the complement reverses the channels (A<->T, C<->G)
    assert torch.equal(reverse_complement(x)[:, 0], x[:, 3].flip(1))
    with torch.inference_mode():
        forward = network.head(network.strand(x, False))
        reverse = network.head(network.strand(x, True))
        assert torch.allclose(network(x), (forward + reverse) / 2, atol=1e-6)
        assert not torch.allclose(forward, reverse)  # the flag channel and strand matter


def test_the_published_batch_is_scaled_to_a_small_library() -> None:
    recipe = Training("adamw", 0.01, 1024, 30, 30, weight_decay=0.1, schedule="one_cycle",
                      min_steps_per_epoch=32)  # fmt: skip
    assert recipe.batch_size_for(200_000) == 1024  # the published library keeps its batch
    assert recipe.batch_size_for(960) == 30  # the DREAM sample's training split
    assert recipe.batch_size_for(100) == 16  # never below 16
    assert Training("adam", 0.01, 1024, 3, 3).batch_size_for(960) == 1024  # only when asked


def test_legnet_recovers_a_planted_motif_and_its_control_does_not() -> None:
    """The motif planted 0-4 times in 200-bp windows (label: the count plus noise), on one
    strand; with the reverse-complement augmentation the network must read it whichever
    strand a training window is shown on. Measured: test pearson_r2 0.857 (observed),
    0.028 (permuted training labels), 1-2 s each."""
    source, labels = planted_onehot(500)
    genes = genes_of(labels)
    training = {"optimiser": "adamw", "learning_rate": 0.01, "batch_size": 32,
                "max_epochs": 6, "patience": 6, "weight_decay": 0.1,
                "schedule": "one_cycle"}  # fmt: skip
    settings = {**SMALL, "pools": [4, 4], "training": training}
    observed = fit_run(
        "legnet",
        "legnet",
        source,
        genes,
        feature_set="dna",
        tf=None,
        settings=settings,
        seed=0,
        control=False,
    )[0]
    control = fit_run(
        "legnet",
        "legnet",
        source,
        genes,
        feature_set="dna",
        tf=None,
        settings=settings,
        seed=0,
        control=True,
    )[0]
    observed, control = observed.iloc[0], control.iloc[0]
    assert observed["pearson_r2"] > 0.7 and control["pearson_r2"] < 0.1
    assert observed["status"] == "ok" and np.isfinite(observed["spearman_rho"])


def test_the_stem_is_seeded_with_the_motifs_that_follow_the_labels_one_per_family() -> None:
    """Three motifs: the planted TGACTCA (AP-1, family bZIP), a second bZIP motif and an
    unrelated one; the planted one is chosen first, its family only once, and its log-odds
    fill the first stem filter (scaled), the flag column zero."""
    source, labels = planted_onehot(200)
    uniform = np.full((8, 4), 0.25)
    ap1 = np.full((7, 4), 0.01)
    ap1[np.arange(7), ["ACGT".index(b) for b in "TGACTCA"]] = 0.97
    motifs = [
        Motif("MA1", "other", uniform, "zinc"),
        Motif("MA2", "AP-1", ap1, "bZIP"),
        Motif("MA3", "bZIP-like", ap1[::-1, ::-1].copy(), "bZIP"),
    ]
    kernels = motif_kernels(motifs, 5)  # cut to the 5 most informative positions
    assert kernels.shape == (3, 4, 5)
    assert motif_kernels(motifs, 11)[1, :, :2].abs().sum() == 0  # centred between zeros
    ids = [f"g{i}" for i in range(len(labels))]
    scores = best_site_scores(motif_kernels(motifs, 7), source, ids)
    chosen = choose_stem_motifs(motifs, scores, labels, count=3)
    assert chosen[0] in (1, 2) and len(chosen) == 2  # one bZIP, then the other family
    network = LegNet(InputShape(4, 200, 0), **{**SMALL, "stem_kernel_size": 7})
    names = seed_stem(network, motifs, source, ids, labels, count=2)
    assert len(names) == 2 and names[0].startswith(("MA2", "MA3"))
    weight = network.stem[0].weight.detach()
    first = motif_kernels([motifs[int(names[0][2]) - 1]], 7)[0]
    assert torch.allclose(weight[0, :4] / weight[0, :4].std(), first / first.std(), atol=1e-5)
    assert weight[:2, 4].abs().sum() == 0


def test_legnet_attributions_add_up_to_its_change_in_prediction() -> None:
    """DeepLIFT/SHAP (tangermeme) on a LegNet whose batch norms have seen data: the
    contributions sum to the change in prediction against the shuffled references (the
    head runs once per strand, so tangermeme pairs each row with its own references).
    Measured gap: 3e-6 of the change."""
    torch.manual_seed(0)
    network = LegNet(InputShape(4, 80, 0), **SMALL)
    with torch.no_grad():  # running statistics away from their start
        for _ in range(5):
            codes = torch.randint(0, 4, (64, 80))
            network(torch.nn.functional.one_hot(codes, 4).float().transpose(1, 2))
    codes = np.random.default_rng(0).integers(0, 4, (20, 80)).astype(np.uint8)
    hypothetical, gap = attributions(network, codes, shuffles=8, seed=0)
    assert hypothetical.shape == (20, 4, 80) and gap < 1e-3
