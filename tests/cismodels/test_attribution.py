"""Attributions and motifs of the one-hot models without a workflow: the run chosen by its
validation loss, DeepLIFT/SHAP that adds up through Xpresso's global max pool, in-silico
mutagenesis, the motif table built from patterns, and nothing to find without a crash."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
import torch

from cistrans.cismodels.attribution import (
    PATTERN_COLUMNS,
    Pattern,
    attributions,
    choose_best_run,
    cwm_table,
    explained_rows,
    modisco_patterns,
    pattern_table,
)
from cistrans.cismodels.networks import InputShape, Xpresso
from cistrans.dna import encode_bases, onehot_codes
from cistrans.errors import InputError

SITE = "GATTACA"


def history(losses: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"epoch": range(1, len(losses) + 1), "validation_loss": losses})


def test_the_best_run_has_the_lowest_best_validation_loss_and_a_nan_loss_never_wins() -> None:
    nan = float("nan")
    table = choose_best_run(
        {
            "xpresso/dna/seed_0": history([0.9, 0.8, 0.85]),
            "legnet/dna/seed_0": history([0.9, 0.7, 0.75]),
            "legnet/dna/seed_1": history([nan, nan]),  # diverged
        }
    )
    assert table.run.tolist() == ["legnet/dna/seed_0", "xpresso/dna/seed_0"]
    assert table.best_validation_loss.tolist() == [0.7, 0.8]
    assert table.best_epoch.tolist() == [2, 2] and table.chosen.tolist() == [True, False]
    with pytest.raises(InputError, match="no run has a finite validation loss"):
        choose_best_run({"xpresso/dna/seed_0": history([nan])})


def gattaca_detector(length: int) -> Xpresso:
    """Xpresso with one filter that scores GATTACA (+1 per matching base, -1 otherwise,
    bias -1: a site with 4 of its 7 bases passes the ReLU), a global max pool and a linear
    head: its prediction is max(0, best site score - 1)."""
    network = Xpresso(InputShape(4, length, 0), [1], [len(SITE)], [0], [], 0.0)
    weight = -torch.ones(1, 4, len(SITE))
    for j, base in enumerate(SITE):
        weight[0, "ACGT".index(base), j] = 1.0
    with torch.no_grad():
        network.convolutions[0].weight.copy_(weight)
        network.convolutions[0].bias.fill_(-1.0)
        network.head.layers[0].weight.fill_(1.0)
        network.head.layers[0].bias.fill_(0.0)
    return network.eval()


def sequences_with_sites(n: int, length: int, start: int) -> np.ndarray:
    """n random sequences (codes) with GATTACA at `start` in every other one."""
    codes = np.random.default_rng(1).integers(0, 4, (n, length)).astype(np.uint8)
    codes[::2, start : start + len(SITE)] = encode_bases([SITE])[0]
    return codes


@pytest.mark.parametrize("method", ["deep_lift_shap", "ism"])
def test_attributions_put_the_contribution_on_the_planted_site(method: str) -> None:
    """DeepLIFT/SHAP adds up exactly through the global max pool; both methods put each
    site sequence's largest contributions on the site."""
    codes = sequences_with_sites(6, 60, 20)
    hypothetical, gap = attributions(gattaca_detector(60), codes, method=method, shuffles=8, seed=0)
    assert hypothetical.shape == (6, 4, 60) and hypothetical.dtype == np.float32
    if method == "deep_lift_shap":
        assert gap < 1e-4
    else:
        assert np.isnan(gap)
    contributions = (hypothetical * onehot_codes(codes)).sum(axis=1)
    for row in range(0, 6, 2):
        top = np.argsort(contributions[row])[-len(SITE) :]
        assert set(top) == set(range(20, 20 + len(SITE))), (row, sorted(top))
        assert contributions[row, 20 : 20 + len(SITE)].sum() > 1.5


def test_without_a_rule_for_the_global_max_pool_deep_lift_shap_does_not_add_up(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """tangermeme has no DeepLIFT rule for nn.AdaptiveMaxPool1d and treats it as linear:
    without ours the contributions miss 69 % of the change here, and the log says so."""
    import tangermeme.deep_lift_shap as tangermeme

    original = tangermeme.deep_lift_shap

    def without_rule(*args: object, **options: object) -> torch.Tensor:
        return original(*args, **{**options, "additional_nonlinear_ops": None})

    monkeypatch.setattr(tangermeme, "deep_lift_shap", without_rule)
    codes = sequences_with_sites(6, 60, 20)
    with caplog.at_level(logging.WARNING):
        _, gap = attributions(gattaca_detector(60), codes, shuffles=8, seed=0)
    assert gap > 0.3 and "does not add up" in caplog.text and "method: ism" in caplog.text


def test_the_explained_rows_are_test_genes_drawn_at_random_in_row_order() -> None:
    genes = [f"g{i}" for i in range(10)]
    labels = pd.DataFrame({"gene_id": genes[::-1], "split": ["test", "train"] * 5})
    test = [i for i in range(10) if i % 2]  # the label table is in reverse order
    assert explained_rows(genes, labels, sequences=100, seed=0).tolist() == test
    few = explained_rows(genes, labels, sequences=3, seed=0)
    assert len(few) == 3 and set(few) <= set(test) and (np.diff(few) > 0).all()
    assert explained_rows(genes, labels, sequences=3, seed=0).tolist() == few.tolist()
    with pytest.raises(InputError, match="no test gene"):
        explained_rows(genes, labels.assign(split="train"), sequences=3, seed=0)


def pattern(name: str, sign: int, seqlets: int, site: str, scale: float) -> Pattern:
    ppm = onehot_codes(encode_bases([site]))[0].T.astype(float)
    return Pattern(name, sign, seqlets, sign * scale * ppm, ppm)


def test_the_motif_table_gives_each_pattern_its_sign_weight_and_match() -> None:
    """Two raising patterns and a lowering one on 50 sequences: weight = seqlets ×
    contribution / sequences, ordered by |weight|; each with its TOMTOM match."""
    patterns = [
        pattern("pos_patterns.pattern_0", 1, 40, "GATTACA", 0.1),  # 0.7 a seqlet, weight 0.56
        pattern("pos_patterns.pattern_1", 1, 10, "TTTAAA", 0.1),  # 0.6, weight 0.12
        pattern("neg_patterns.pattern_0", -1, 30, "CCGGAA", 0.2),  # -1.2, weight -0.72
    ]
    matches = pd.DataFrame(
        {
            "motif": [p.name for p in patterns],
            "match_id": ["MA0001.1", "MA0002.1", "MA0003.1"],
            "match_name": ["GATA", "TBP", "ETS"],
            "p_value": [1e-6, 1e-3, 1e-5],
            "q_value": [1e-4, 0.2, 1e-3],
        }
    )
    table = pattern_table(patterns, matches, 50)
    assert list(table.columns) == PATTERN_COLUMNS
    assert table.pattern.tolist() == [
        "neg_patterns.pattern_0", "pos_patterns.pattern_0", "pos_patterns.pattern_1"
    ]  # fmt: skip
    assert table.sign.tolist() == [-1, 1, 1] and table.seqlets.tolist() == [30, 40, 10]
    np.testing.assert_allclose(table.contribution, [-1.2, 0.7, 0.6])
    np.testing.assert_allclose(table.weight, [-0.72, 0.56, 0.12])
    assert table.consensus.tolist() == ["CCGGAA", "GATTACA", "TTTAAA"]
    assert table.width.tolist() == [6, 7, 6]
    # one base a position: (1 + 0.01) / 1.04 of it, 0.01 / 1.04 of the others
    assert table.information.to_numpy() == pytest.approx([1.766] * 3, abs=1e-3)
    assert table.match_name.tolist() == ["ETS", "GATA", "TBP"]
    assert table.q_value.tolist() == [1e-3, 1e-4, 0.2]
    motif = patterns[0].motif()
    assert motif.pwm.min() > 0 and np.allclose(motif.pwm.sum(axis=1), 1)
    cwms = cwm_table(patterns)
    assert list(cwms.columns) == ["pattern", "position", "A", "C", "G", "T"]
    assert len(cwms) == 7 + 6 + 6 and cwms.position.max() == 6
    gattaca = cwms[cwms.pattern == "pos_patterns.pattern_0"]
    assert gattaca.A.tolist() == pytest.approx([0, 0.1, 0, 0, 0.1, 0, 0.1])


def test_no_pattern_gives_a_header_only_table_and_says_why(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A model that predicts a constant has zero contributions everywhere: TF-MoDISco would
    crash on them; no pattern instead, with a log line."""
    codes = sequences_with_sites(6, 60, 20)
    settings = {"leiden_runs": 1, "min_seqlets": 100, "max_seqlets": 1000}
    with caplog.at_level(logging.INFO):
        patterns = modisco_patterns(codes, np.zeros((6, 4, 60), np.float32), settings)
    assert patterns == [] and "every contribution is zero" in caplog.text
    empty = pattern_table(patterns, None, 6)
    assert empty.empty and list(empty.columns) == PATTERN_COLUMNS
    assert cwm_table(patterns).empty
