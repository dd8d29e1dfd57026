"""Gene labels (log10 median expression) and gene splits of the cis models."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.io.labels import read_label_table
from cistrans.sequence.custom import custom_windows, read_sequence_table
from cistrans.sequence.labels import (
    label_genes,
    log_label,
    match_user_labels,
    median_expression,
    split_genes,
    zscore,
)


def test_medians_over_samples_and_over_tissue_medians_differ_as_designed() -> None:
    # gene 0: 1 in three samples of tissue A, 15 in one sample of tissue B (log2(x + 1) input)
    linear = np.array([[1.0], [1.0], [1.0], [15.0]])
    tissues = np.array(["A", "A", "A", "B"])
    over_samples, by_tissue = median_expression(np.log2(linear + 1), tissues, 2.0, "samples")
    over_tissues, _ = median_expression(np.log2(linear + 1), tissues, 2.0, "tissues")
    assert over_samples == pytest.approx([1.0])
    assert over_tissues == pytest.approx([8.0])  # median of the tissue medians 1 and 15
    assert by_tissue.columns.tolist() == ["A", "B"]
    assert by_tissue.loc[0].tolist() == pytest.approx([1.0, 15.0])


def test_natural_log_inputs_come_back_linear() -> None:
    values = np.log1p(np.array([[9.9], [9.9]]))
    median, _ = median_expression(values, np.array(["A", "A"]), np.e, "samples")
    assert log_label(median, 0.1) == pytest.approx([1.0])


def test_zscore_uses_training_rows_only() -> None:
    values = pd.DataFrame({"label": [0.0, 2.0, 100.0]})
    scaled, statistics = zscore(values, np.array([True, True, False]))
    assert scaled.label.tolist() == pytest.approx([-1.0, 1.0, 99.0])
    assert statistics.loc["mean", "label"] == 1.0 and statistics.loc["sd", "label"] == 1.0


def genes(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "gene_id": [f"G{i}" for i in range(n)],
            "chrom": ["chr1", "chr2", "chr3", "chr4"] * (n // 4),
        }
    )


def test_random_splits_have_the_sizes_and_follow_the_seed() -> None:
    table = genes(40)
    split = split_genes(table, "random", 5, 7, [], [], seed=1)
    assert (split == "validation").sum() == 5 and (split == "test").sum() == 7
    assert (split == split_genes(table, "random", 5, 7, [], [], seed=1)).all()
    assert not (split == split_genes(table, "random", 5, 7, [], [], seed=2)).all()


def test_chromosome_splits_hold_out_whole_chromosomes() -> None:
    table = genes(40)
    split = split_genes(table, "chromosomes", 0, 0, ["chr2"], ["chr3", "chr4"], seed=0)
    assert set(table.chrom[split == "validation"]) == {"chr2"}
    assert set(table.chrom[split == "test"]) == {"chr3", "chr4"}
    assert set(table.chrom[split == "train"]) == {"chr1"}


@pytest.mark.parametrize(
    ("mode", "sizes", "validation", "test", "message"),
    [
        ("random", (30, 10), [], [], "none is left for training"),
        ("chromosomes", (0, 0), ["chrX"], ["chr1"], "names no chromosome"),
        ("chromosomes", (0, 0), ["chr1", "chr2"], ["chr3", "chr4"], "hold every gene"),
    ],
)
def test_impossible_splits_are_named(
    mode: str, sizes: tuple[int, int], validation: list[str], test: list[str], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        split_genes(genes(40), mode, *sizes, validation, test, seed=0)


def test_split_sizes_that_leave_no_training_gene_name_both_keys_and_the_rows(
    tmp_path: Path,
) -> None:
    with pytest.raises(InputError) as caught:
        split_genes(genes(40), "random", 1000, 1000, [], [], seed=0)
    assert str(caught.value) == (
        "config keys 'sequence.split.validation_size' and 'sequence.split.test_size': 1000 + "
        "1000 = 2000 held out of the 40 genes with a label: none is left for training. Fix: "
        "lower them so that their sum leaves a training share of the 40, e.g. 4 and 4"
    )
    table = tmp_path / "library.tsv"
    table.write_text("id\tsequence\tlabel\n" + "".join(f"s{i}\tACGT\t{i}\n" for i in range(12)))
    split = {"mode": "random", "validation_size": 6, "test_size": 6,
             "validation_chromosomes": [], "test_chromosomes": [], "seed": 0}  # fmt: skip
    with pytest.raises(
        InputError, match=r"6 \+ 6 = 12 held out of the 12 sequences of " + re.escape(str(table))
    ):
        custom_windows(read_sequence_table(table), split)


@pytest.fixture
def windows_table(tmp_path: Path) -> Path:
    path = tmp_path / "windows.tsv"
    table = genes(40).assign(symbol=lambda t: "S" + t.gene_id, tss=100, strand="+")
    table.to_csv(path, sep="\t", index=False)
    return path


def test_a_users_label_table_gives_the_labels(tmp_path: Path, windows_table: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("gene_id,label\n" + "".join(f"G{i}.3,{i}\n" for i in range(30)))
    genes = pd.read_csv(windows_table, sep="\t")
    table = label_genes(
        genes, match_user_labels(read_label_table(labels), genes, labels),
        {"mode": "random", "validation_size": 5, "test_size": 5,
         "validation_chromosomes": [], "test_chromosomes": [], "seed": 0},
    )  # fmt: skip
    assert table.columns.tolist() == ["gene_id", "symbol", "chrom", "split", "label_raw", "label"]
    assert len(table) == 30 and table.label_raw.tolist() == list(range(30))
    assert table.label[table.split == "train"].mean() == pytest.approx(0.0, abs=1e-5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("gene_id,label\nG1,high\n", r"line 2\): label 'high' is not a number"),
        ("gene_id,label\nG1,1\nG1.2,2\n", r"line 3\): gene G1 repeats"),
        ("gene_id,label\nX1,1\n", "no gene_id matches a gene of the annotation"),
        ("gene,label\nG1,1\n", "missing column"),
    ],
)
def test_bad_label_tables_are_named(
    tmp_path: Path, windows_table: Path, text: str, message: str
) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text(text)
    genes = pd.read_csv(windows_table, sep="\t")
    with pytest.raises(InputError, match=message):
        match_user_labels(read_label_table(labels), genes, labels)
