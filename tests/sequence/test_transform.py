"""Label transforms of a sequence table and the warning for a heavily skewed label: an
E. coli-like raw expression ratio (median ~0.03, a few values near 100)."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cistrans.errors import InputError
from cistrans.sequence.custom import SequenceSet, custom_windows
from cistrans.sequence.transform import transform_labels

RNG = np.random.default_rng(0)
RATIO = np.exp(RNG.normal(-3.5, 1.6, 400))  # lognormal: skewness in the tens


def labels(values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"ratio": values})


def test_a_skewed_label_is_warned_about_with_the_transform_to_set(
    caplog: pytest.LogCaptureFixture,
) -> None:
    train = np.ones(len(RATIO), dtype=bool)
    with caplog.at_level(logging.WARNING):
        kept = transform_labels(labels(RATIO), "none", train=train, path="ecoli.tsv")
    assert kept.ratio.tolist() == RATIO.tolist()
    message = caplog.text
    assert "ecoli.tsv: label 'ratio' is heavily skewed on the training sequences" in message
    assert "Fix: set sequence.table.transform to log (all values are > 0) or rank" in message
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        transform_labels(labels(np.log(RATIO)), "none", train=train, path="ecoli.tsv")
    assert caplog.text == ""


@pytest.mark.parametrize("transform", ["log", "log1p", "rank"])
def test_each_transform_removes_the_skew_and_keeps_the_order(transform: str) -> None:
    train = np.ones(len(RATIO), dtype=bool)
    result = transform_labels(labels(RATIO), transform, train=train, path="t").ratio
    # log1p only tames values well above 1; most of this ratio lies far below 1
    limit = stats.skew(RATIO) if transform == "log1p" else 2
    assert abs(stats.skew(result)) < limit < stats.skew(RATIO) + 1e-9
    assert stats.spearmanr(result, RATIO).statistic == pytest.approx(1.0)
    if transform == "rank":
        assert result.min() == 0.0 and result.max() == 1.0


def test_log_of_a_label_at_or_below_zero_names_the_column_and_a_transform_that_works() -> None:
    values = np.array([-0.5, 0.0, 1.0, 2.0])
    with pytest.raises(InputError) as error:
        transform_labels(labels(values), "log", train=np.ones(4, bool), path="lib.tsv")
    message = str(error.value)
    assert message.startswith("lib.tsv (column ratio): sequence.table.transform is log")
    assert "down to -0.5" in message and "Fix: use transform rank" in message


def test_the_windows_keep_the_raw_label_beside_the_transformed_one() -> None:
    n = 60
    sequences = SequenceSet(
        ids=[f"s{i}" for i in range(n)],
        sequences=["ACGT" * 10] * n,
        lengths=np.full(n, 40),
        labels=labels(RATIO[:n]),
        split=np.array(["train"] * 40 + ["validation"] * 10 + ["test"] * 10),
        source="lib.tsv",
    )
    _, _, table = custom_windows(sequences, {}, transform="log")
    assert table.ratio_raw.tolist() == pytest.approx(RATIO[:n].tolist())
    train = table[table.split == "train"]
    assert train.ratio.mean() == pytest.approx(0.0, abs=1e-6)
    assert stats.spearmanr(table.ratio, table.ratio_raw).statistic == pytest.approx(1.0)
