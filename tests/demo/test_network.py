"""The simulated network: its shape follows the settings, and it survives a write/read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cistrans.demo.dynamics import Dynamics, tf_activity
from cistrans.demo.motifs import information_content
from cistrans.demo.network import SWITCH, Network, simulate_network
from cistrans.demo.rng import stage_rng

SETTINGS = {
    "n_tfs": 40, "n_master_regulators": 5, "n_targets": 200, "min_regulators": 2,
    "max_regulators": 4, "master_edge_fraction": 0.3, "n_tissues": 4, "fraction_lncrna": 0.1,
    "n_cis_motifs": 6,
}  # fmt: skip


@pytest.fixture(scope="module")
def network() -> Network:
    return simulate_network(stage_rng(3, "network"), "JASPAR2024", **SETTINGS)


def test_sizes_and_regulator_counts_follow_the_settings(network: Network) -> None:
    genes = network.genes
    assert len(genes) == 240 and genes.is_tf.sum() == 40 and genes.is_master.sum() == 5
    per_target = network.edges[network.edges.target.isin(genes.symbol[~genes.is_tf])]
    counts = per_target.groupby("target").size()
    assert counts.between(2, 4).all() and len(counts) == 200
    assert network.programmes.shape == (4, 5)
    assert (genes.cis_role == "cooperative").sum() == 2
    assert set(genes.gene_type) == {"protein_coding", "lncRNA"}


def test_a_few_distinct_informative_motifs_carry_the_cis_effects(network: Network) -> None:
    """The n_cis_motifs TFs with a cis effect have the most informative motifs, one per
    DNA-binding-domain family; every other TF but the cooperative pair is neutral."""
    tfs = network.tfs.assign(bits=[information_content(m) for m in network.motifs])
    active = tfs[tfs.cis_effect != 0]
    assert len(active) == 6 and set(active.cis_role) <= {"activating", "repressive"}
    assert active.dbd.is_unique
    assert (np.sign(active.cis_effect) == active.tf_sign).all()
    others = tfs[(tfs.cis_effect == 0) & (tfs.cis_role != "cooperative")]
    assert (others.cis_role == "neutral").all() and len(others) == 40 - 6 - 2
    # no neutral TF of a family not yet taken is more informative than the least of the kept
    free = others[~others.dbd.isin(active.dbd)]
    assert free.empty or free.bits.max() <= active.bits.min()
    fewer = {**SETTINGS, "n_cis_motifs": 2}
    same = simulate_network(stage_rng(3, "network"), "JASPAR2024", **fewer)
    assert same.edges.equals(network.edges)  # the choice draws nothing: trans side unchanged


def test_edge_signs_are_their_tfs_roles(network: Network) -> None:
    sign = network.genes.set_index("symbol").tf_sign
    assert (network.edges.sign == network.edges.tf.map(sign)).all()


def test_each_tf_switches_its_targets_in_a_minority_of_samples(network: Network) -> None:
    """Switch edges (TF -> non-TF gene) share their TF's threshold and steepness; thresholds
    sit at the 65-90 % quantiles of the TFs' activities, so each TF is on in 10-35 %."""
    edges = network.edges
    tfs = set(network.genes.symbol[network.genes.is_tf])
    switch = edges[edges.response == SWITCH]
    assert set(switch.target).isdisjoint(tfs) and set(edges.target[edges.response != SWITCH]) <= tfs
    assert (switch.groupby("tf")[["threshold", "steepness"]].nunique() == 1).all().all()
    dynamics = Dynamics.of(network)
    activity = tf_activity(dynamics, np.arange(4000) % 4, np.random.default_rng(0))
    thresholds = dynamics.switch_thresholds()
    has_targets = np.isfinite(thresholds)
    on = (activity[has_targets] > thresholds[has_targets, None]).mean(axis=1)
    assert has_targets.sum() > 30 and on.min() > 0.05 and on.max() < 0.45
    assert 0.15 < on.mean() < 0.3


def test_write_read_round_trip(network: Network, tmp_path: Path) -> None:
    names = ("genes", "edges", "masters", "programmes", "motifs")
    paths = {name: tmp_path / name for name in names}
    network.write(**paths)
    back = Network.read(paths["genes"], paths["edges"], paths["programmes"], paths["motifs"])
    pd.testing.assert_frame_equal(back.genes, network.genes, check_exact=False, atol=1e-4)
    pd.testing.assert_frame_equal(back.edges, network.edges, check_exact=False, atol=1e-4)
    pd.testing.assert_frame_equal(
        back.programmes, network.programmes, check_exact=False, atol=1e-4, check_names=False
    )
    assert [m.motif_id for m in back.motifs] == [m.motif_id for m in network.motifs]


def test_the_same_seed_draws_the_same_network() -> None:
    first = simulate_network(stage_rng(3, "network"), "JASPAR2024", **SETTINGS)
    again = simulate_network(stage_rng(3, "network"), "JASPAR2024", **SETTINGS)
    other = simulate_network(stage_rng(4, "network"), "JASPAR2024", **SETTINGS)
    pd.testing.assert_frame_equal(first.edges, again.edges)
    assert not first.edges.equals(other.edges)
