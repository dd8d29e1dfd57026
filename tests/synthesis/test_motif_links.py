"""The cis–trans motif links without a workflow: TFs matched to their motifs, a TF's top
targets tested for its motif's sites, and motif importance against the pruning rank."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.io.motifs import Motif
from cistrans.synthesis.motif_links import (
    learned_motif_importance,
    link_scores,
    link_summary,
    motif_importance_ranks,
    motif_target_links,
    site_presence,
    tf_motifs,
)
from cistrans.trans.data import TransData

PWM = np.full((6, 4), 0.25)


def test_a_tf_takes_the_motifs_of_its_name_and_of_its_dimers() -> None:
    motifs = [Motif("M1", "Gata1", PWM), Motif("M2", "TEAD1::GATA1", PWM),
              Motif("M3", "SOX2", PWM)]  # fmt: skip
    links = tf_motifs(motifs, ["g1", "g2"], ["GATA1", "TEAD1"], source="compendium.h5ad")
    assert sorted(zip(links.tf, links.motif_id, strict=True)) == [
        ("g1", "M1"), ("g1", "M2"), ("g2", "M2")
    ]  # fmt: skip


def world(seed: int = 2) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
    """400 targets; TF A lights up the 40 targets that carry its motif MA (and sites of MA
    also lie in 60 others), TF B's scores ignore its motif's sites; the control scores are
    noise. (Measured over seeds 0-7: A's Mann-Whitney p < 3e-4, AUC 0.62-0.73, 30-36 of
    its top 40 with a site; B's p 0.005-0.89, so one seed in eight links B by chance.)"""
    rng = np.random.default_rng(seed)
    targets = [f"t{i}" for i in range(400)]
    has_a = np.zeros(400, dtype=bool)
    has_a[:100] = True
    has_b = rng.random(400) < 0.3
    lightup = rng.normal(0, 1, (2, 400))
    lightup[0, :40] += 3.0  # A regulates 40 of the targets with its site
    scores = {"lightup": pd.DataFrame(lightup, index=["A", "B"], columns=targets),
              "spearman": pd.DataFrame(rng.random((2, 400)), index=["A", "B"],
                                       columns=targets)}  # fmt: skip
    sites = pd.DataFrame(
        [(t, "MA", 5) for t, has in zip(targets, has_a, strict=True) if has]
        + [(t, "MB", 9) for t, has in zip(targets, has_b, strict=True) if has],
        columns=["gene_id", "motif_id", "start"],
    )
    links = pd.DataFrame({"tf": ["A", "B"], "symbol": ["A", "B"], "motif_id": ["MA", "MB"],
                          "motif_name": ["A", "B"]})  # fmt: skip
    return scores, links, site_presence(sites, targets)


def test_a_tf_whose_top_targets_carry_its_motif_is_linked_and_the_control_is_not() -> None:
    scores, links, presence = world()
    table = motif_target_links(
        scores, links, presence, top_targets=40, fdr=0.05, source="sites.parquet"
    ).set_index("tf")
    assert table.genes.tolist() == [400, 400] and table.genes_with_site.A == 100
    assert table.lightup_linked.A and not table.lightup_linked.B
    assert table.lightup_top_with_site.A >= 25 and table.lightup_top_expected.A == 10
    assert table.lightup_auc.A > 0.6 and 0.4 < table.lightup_auc.B < 0.6
    assert not table.spearman_linked.any()
    summary = link_summary(table.reset_index(), ["lightup", "spearman"], 0.05)
    assert summary.linked_share.tolist() == [0.5, 0.0] and summary.pairs.tolist() == [2, 2]


def test_a_motif_in_every_target_or_none_cannot_be_tested() -> None:
    scores, links, presence = world()
    presence["MB"] = True
    table = motif_target_links(
        scores, links, presence, top_targets=40, fdr=0.05, source="sites.parquet"
    )
    assert table.tf.tolist() == ["A"]


def test_motif_importance_follows_the_pruning_rank() -> None:
    links = pd.DataFrame({"tf": ["a", "b", "c", "c"], "symbol": ["A", "B", "C", "C"],
                          "motif_id": ["M1", "M2", "M3", "M4"],
                          "motif_name": ["A", "B", "C", "C"]})  # fmt: skip
    rank = pd.Series({"a": 1, "b": 2, "c": 3})
    importance = {"jaspar_mode": pd.Series({"M1": 0.9, "M2": 0.5, "M3": 0.1, "M4": 0.2}),
                  "learned_filters": pd.Series({"M1": 0.3})}  # fmt: skip
    per_tf, summary = motif_importance_ranks(links, rank, importance)
    assert per_tf.set_index("tf").jaspar_mode.to_dict() == {"a": 0.9, "b": 0.5, "c": 0.2}
    rows = summary.set_index("importance")
    assert rows.spearman_rho.jaspar_mode == -1.0 and rows.tfs.jaspar_mode == 3
    assert rows.tfs.learned_filters == 1 and np.isnan(rows.spearman_rho.learned_filters)


def test_a_learned_filter_counts_for_its_jaspar_match_only_when_significant() -> None:
    contributions = np.array([[1.0, -2.0, 4.0], [3.0, 2.0, 0.0]])
    matches = pd.DataFrame({"match_id": ["M1", "M1", "M2"], "q_value": [0.01, 0.02, 0.5]})
    assert learned_motif_importance(contributions, matches, 0.05).to_dict() == {"M1": 2.0}


def test_no_tf_named_by_a_motif_and_no_testable_pair_name_their_file() -> None:
    with pytest.raises(InputError, match="compendium.h5ad.*no JASPAR motif is named"):
        tf_motifs([Motif("M1", "SOX2", PWM)], ["g1"], ["ENSG0001"], source="compendium.h5ad")
    scores, links, presence = world()
    presence["MA"] = presence["MB"] = True
    with pytest.raises(InputError, match="sites.parquet.*no TF's motif has sites"):
        motif_target_links(
            scores, links, presence, top_targets=40, fdr=0.05, source="sites.parquet"
        )


def test_a_target_without_a_window_is_not_counted_as_lacking_the_site() -> None:
    """Only the targets in `presence` (those with a window) are tested."""
    scores, links, _ = world()
    sites = pd.DataFrame({"gene_id": ["t0", "t1", "t5"], "motif_id": ["MA", "MA", "MB"],
                          "start": [3, 40, 7]})  # fmt: skip
    presence = site_presence(sites, ["t0", "t1", "t2", "t3", "t5", "t6"])
    table = motif_target_links(
        scores, links, presence, top_targets=2, fdr=0.05, source="sites.parquet"
    )
    assert table.genes.tolist() == [6, 6] and table.genes_with_site.tolist() == [2, 1]


def test_the_scores_are_light_up_absolute_spearman_and_light_up_over_shuffled_targets() -> None:
    rng = np.random.default_rng(0)
    inputs, outputs = rng.normal(size=(30, 2)), rng.normal(size=(30, 3))
    outputs[:, 0] = -inputs[:, 0]  # target 0 falls as TF 0 rises
    data = TransData(inputs, outputs, ["A", "B"], ["A", "B"], ["x", "y", "z"], ["X", "Y", "Z"],
                     np.array(["train"] * 30), np.array(["t"] * 30))  # fmt: skip
    lightup = pd.DataFrame([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], index=["A", "B"],
                           columns=["z", "y", "x"])  # fmt: skip
    scores = link_scores(lightup, data, 0)
    assert list(scores["lightup"].columns) == ["x", "y", "z"]
    assert scores["spearman"].loc["A", "x"] == pytest.approx(1.0)
    shuffled = scores["shuffled_targets"].to_numpy()
    assert sorted(shuffled[0]) == [1.0, 2.0, 3.0]
    assert (np.argsort(shuffled[0]) == np.argsort(shuffled[1])).all()  # one permutation
