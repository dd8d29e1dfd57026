"""Normalisation, gene harmonisation, TF marking and splits, on small hand-made inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cistrans.expression.genes import expressed, mark_tfs, resolve_duplicates
from cistrans.expression.normalise import ln_count, log2_tpm, log_cpm, normalise_counts
from cistrans.expression.splits import assign_splits


def test_log_cpm_corrects_library_size_and_ln_count_does_not() -> None:
    counts = np.array([[10, 20], [90, 180]], dtype=np.uint32)  # sample 2 = twice the depth
    cpm = log_cpm(counts)
    np.testing.assert_allclose(cpm[:, 0], cpm[:, 1])
    np.testing.assert_allclose(cpm[0, 0], np.log2(1e5 + 1), rtol=1e-6)
    np.testing.assert_allclose(ln_count(counts), np.log1p(counts.astype(float)), rtol=1e-6)
    assert normalise_counts(counts, "ln_count").dtype == np.float32
    tpm = np.array([0.0, 1.0, 3.0], dtype=np.float32)
    np.testing.assert_allclose(log2_tpm(tpm), [0.0, 1.0, 2.0])
    assert tpm[2] == 3.0  # not changed unless asked
    assert log2_tpm(tpm, inplace=True) is tpm and tpm[2] == 2.0
    with pytest.raises(ValueError, match="log_cpm, ln_count"):
        normalise_counts(counts, "tmm")


def test_duplicate_ids_keep_the_most_expressed_and_are_reported() -> None:
    ids = ["ENSG1.1", "ENSG2.3", "ENSG1.2", "ENSG3.1", "ENSG3.1_PAR_Y", "ENSG2.4"]
    means = np.array([1.0, 5.0, 3.0, 2.0, 2.0, 5.0])
    kept, report = resolve_duplicates(means, ids)
    assert kept.tolist() == [1, 2, 3, 4]
    assert report.to_dict("list") == {
        "gene_id": ["ENSG1", "ENSG2"],
        "dropped_id": ["ENSG1.1", "ENSG2.4"],
        "kept_id": ["ENSG1.2", "ENSG2.3"],
    }


def test_tfs_are_found_by_id_then_by_symbol() -> None:
    var = pd.DataFrame(
        {"symbol": ["GATA1", "TP53", "NEWNAME", "SPI1"]}, index=["E1", "E2", "E3", "E4"]
    )
    tfs = pd.DataFrame(
        {"gene_id": ["E1", "E9", "", "E3"], "symbol": ["GATA1", "SPI1", "MYC", "OLDNAME"]}
    )
    mask, counts = mark_tfs(var, tfs)
    assert mask.tolist() == [True, False, True, True]
    assert counts == {
        "listed": 4, "found_by_id": 2, "found_by_symbol": 1, "not_found": 1,
        "not_found_tfs": ["MYC"],
    }  # fmt: skip


def test_expression_filter_counts_samples_at_or_above_the_threshold() -> None:
    values = np.array([[0.0, 1.0, 2.0, 0.0], [0.0, 0.0, 0.5, 0.9], [1.0, 1.0, 1.0, 1.0]])
    assert expressed(values, 1.0, 0.5).tolist() == [True, False, True]
    assert expressed(values, 1.0, 0.75).tolist() == [False, False, True]


@pytest.mark.parametrize("mode", ["series", "random"])
def test_splits_have_the_configured_sizes_and_a_fixed_seed(mode: str) -> None:
    rng = np.random.default_rng(0)
    series = pd.Series(rng.choice([f"GSE{i}" for i in range(60)], size=1200))
    split = assign_splits(series, mode, 0.1, 0.2, seed=4)
    shares = pd.Series(split).value_counts(normalize=True)
    assert shares["test"] == pytest.approx(0.2, abs=0.03)
    assert shares["validation"] == pytest.approx(0.1, abs=0.03)
    assert (split == assign_splits(series, mode, 0.1, 0.2, seed=4)).all()
    assert not (split == assign_splits(series, mode, 0.1, 0.2, seed=5)).all()


def test_series_splits_never_put_a_series_on_two_sides_and_random_ones_do() -> None:
    series = pd.Series(np.repeat([f"GSE{i}" for i in range(40)], 25))
    sides_per_series = {
        mode: pd.DataFrame({"series": series, "split": assign_splits(series, mode, 0.1, 0.1, 1)})
        .groupby("series")
        .split.nunique()
        for mode in ("series", "random")
    }
    assert (sides_per_series["series"] == 1).all()
    assert (sides_per_series["random"] > 1).any()


def test_a_series_larger_than_a_split_share_is_warned_about(
    caplog: pytest.LogCaptureFixture,
) -> None:
    series = pd.Series(["cohort_a"] * 16 + [f"small{i}" for i in range(84)])
    split = assign_splits(series, "series", 0.1, 0.1, seed=0)
    side = split[0]
    assert "series 'cohort_a' holds 16 of 100 samples (16%)" in caplog.text
    assert f"went whole to the {side} split" in caplog.text
    caplog.clear()
    assign_splits(pd.Series([f"s{i % 20}" for i in range(100)]), "series", 0.1, 0.1, seed=0)
    assert "holds" not in caplog.text


@pytest.mark.parametrize(
    ("fractions", "empty", "fix"),
    [
        ((0.5, 0.5), "train", "lower expression.split.validation_fraction and test_fraction so "
         "that their sum leaves a training share"),
        ((0.0, 0.2), "validation", "set expression.split.validation_fraction above 0"),
        ((0.2, 0.0), "test", "set expression.split.test_fraction above 0"),
    ],
)  # fmt: skip
def test_an_empty_split_is_warned_about_with_the_fix_that_fills_it(
    caplog: pytest.LogCaptureFixture, fractions: tuple[float, float], empty: str, fix: str
) -> None:
    for mode in ("random", "series"):
        caplog.clear()
        split = assign_splits(pd.Series([f"s{i}" for i in range(20)]), mode, *fractions, seed=0)
        assert not (split == empty).any()
        assert f"no sample went to the {empty} split" in caplog.text, mode
        assert f"Fix: {fix}" in caplog.text, mode
