"""Bring your own sequences: sequence tables and FASTA + label tables."""

from __future__ import annotations

import gzip
import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from cistrans.errors import InputError
from cistrans.sequence.custom import (
    TableColumns,
    custom_windows,
    read_fasta_with_labels,
    read_sequence_table,
)
from cistrans.sequence.labels import split_genes
from tests.conftest import copy_workflow, run_snakemake

REAL = Path(__file__).resolve().parents[3] / "shared" / "real"


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    def write_file(name: str, text: str) -> Path:
        path = tmp_path / name
        if name.endswith(".gz"):
            path.write_bytes(gzip.compress(text.encode()))
        else:
            path.write_text(text)
        return path

    return write_file


def test_a_table_pads_sequences_to_the_longest_and_keeps_labels(write: Callable) -> None:
    path = write(
        "library.csv.gz",
        "id,sequence,label,split\na,ACGTn,1.5,train\nb,ACG,-2,TEST\nc,AC,0,train\n",
    )
    library = read_sequence_table(path, TableColumns(split_column="split"))
    assert library.ids == ["a", "b", "c"]
    assert library.sequences == ["ACGTN", "ACGNN", "ACNNN"]
    assert library.lengths.tolist() == [5, 3, 2]
    assert library.labels.label.tolist() == [1.5, -2.0, 0.0]
    assert library.split.tolist() == ["train", "test", "train"]


def test_several_labels_and_named_columns(write: Callable) -> None:
    path = write("library.tsv", "name\tseq\tk562\thepg2\nx\tAAAA\t1\t2\ny\tCCCC\t3\t5\n")
    library = read_sequence_table(path, TableColumns(label_columns=("k562", "hepg2")))
    assert library.labels.columns.tolist() == ["k562", "hepg2"]
    assert library.split is None


def test_a_fasta_with_a_label_table(write: Callable) -> None:
    fasta = write("library.fa", ">s1 first\nACGT\nAC\n>s2\nGG\n")
    labels = write("labels.tsv", "id\tlabel_a\tlabel_b\ns2\t1\t2\ns1\t3\t4\n")
    library = read_fasta_with_labels(fasta, labels)
    assert library.ids == ["s2", "s1"]
    assert library.sequences == ["GGNNNN", "ACGTAC"]
    assert library.labels.loc[1].tolist() == [3.0, 4.0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,sequence,label\na,ACGU,1\n", r"line 2\): the sequence has letters other than"),
        ("id,sequence,label\na,ACG,1\na,ACG,2\n", r"line 3\): 1 ids repeat.*a \(lines 2 and 3\)"),
        (
            "id,sequence,label,split\na,ACG,1,train\nb,CC,2,train\na,ACG,1,test\nb,GG,2,train\n",
            r"line 4\): 2 ids repeat.*1 of the repeats carry the same sequence, 1 of them in two",
        ),
        ("id,sequence,label\na,ACG,high\n", r"line 2\): label 'high' is not a finite number"),
        ("id,sequence,score\na,ACG,1\n", r"line 1\): no label column label"),
        ("key,sequence,label\na,ACG,1\n", r"no id column \(looked for id"),
        (
            "id,sequence,label,split\na,ACG,1,train\nb,CC,2,holdout\n",
            r"line 3\): split 'holdout' in column 'split' is not one of: train or training; "
            r"validation, val, valid or dev; test \(in any case\)\. Fix: give every row one",
        ),
        ("id,sequence,label\na,ACG\n", r"line 2\): 2 fields where the header has 3"),
        ("id,sequence,label\n", "holds no sequence"),
    ],
)
def test_bad_tables_name_the_line_and_the_fix(write: Callable, text: str, message: str) -> None:
    split = "split" if text.startswith("id,sequence,label,split") else None
    with pytest.raises(InputError, match=message) as error:
        read_sequence_table(write("library.csv", text), TableColumns(split_column=split))
    assert "Fix:" in str(error.value) and "library.csv" in str(error.value)


def test_a_label_for_a_sequence_the_fasta_lacks_is_named(write: Callable) -> None:
    fasta = write("library.fa", ">s1\nACGT\n")
    labels = write("labels.tsv", "id\tlabel\ns1\t1\ns9\t2\n")
    with pytest.raises(InputError, match=r"labels.tsv \(line 3\): id 's9' has no sequence"):
        read_fasta_with_labels(fasta, labels)


def test_the_real_lentimpra_sample_reads_with_its_activity_column() -> None:
    if not REAL.exists():
        pytest.skip("../shared/real not available")
    library = read_sequence_table(
        REAL / "lentimpra_human_sample_train.txt", TableColumns(label_columns=("mean_value",))
    )
    assert len(library.ids) == 1000 and library.length == 230
    assert library.ids[0] == "seq22915_Reversed:"
    assert library.labels.mean_value.iloc[0] == pytest.approx(-0.551)


# A sequence table shaped like the DREAM-challenge lentiMPRA files in ../shared/real
# (seq_id, seq, mean_value, fold; ids seq<N>_F or seq<N>_Reversed:), lengths of one's own.
DREAM = TableColumns(label_columns=("mean_value",))


def dream_table(lengths: list[int], seed: int = 0, **columns: list) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    numbers = rng.permutation(100_000)[: len(lengths)]
    table = pd.DataFrame(
        {
            "seq_id": [f"seq{n}_{'F' if n % 2 else 'Reversed:'}" for n in numbers],
            "seq": ["".join(rng.choice(list("ACGT"), size=n)) for n in lengths],
            "mean_value": rng.normal(-0.6, 1.06, len(lengths)).round(3),
            "fold": rng.integers(0, 10, len(lengths)),
        }
    )
    return table.assign(**columns)


def save(table: pd.DataFrame, path: Path) -> Path:
    table.to_csv(path, sep="\t", index=False)
    return path


def test_a_uniform_library_reads_without_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        library = read_sequence_table(save(dream_table([230] * 300), tmp_path / "t.txt"), DREAM)
    assert library.length == 230 and not caplog.records


def test_a_few_long_sequences_are_named_with_what_padding_costs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An E. coli-like library: ~150-bp fragments and three of 400-900 bp (2.7-6x)."""
    lengths = [int(n) for n in np.random.default_rng(1).integers(140, 161, 200)]
    lengths[10], lengths[50], lengths[120] = 400, 650, 900
    table = dream_table(lengths)
    with caplog.at_level(logging.WARNING, logger="cistrans"):
        library = read_sequence_table(save(table, tmp_path / "ecoli.txt"), DREAM)
    assert library.length == 900
    (record,) = caplog.records
    message = record.getMessage()
    median = np.median(lengths)
    padded = 1 - sum(lengths) / (len(lengths) * 900)
    assert message.startswith(f"{tmp_path / 'ecoli.txt'}: 3 of 200 sequences are more than 2x")
    assert f"the median length ({median:g} bp)" in message
    assert f"{table.seq_id[10]} (line 12, 400 bp)" in message
    assert f"{table.seq_id[120]} (line 122, 900 bp)" in message
    assert f"padded with N to the longest (900 bp), so {padded:.0%} of the padded" in message
    assert "Fix: trim the long sequences" in message


def test_sequences_that_would_make_the_windows_mostly_n_are_refused(tmp_path: Path) -> None:
    lengths = [150] * 100 + [1_600, 2_000]
    table = dream_table(lengths)
    with pytest.raises(InputError) as error:
        read_sequence_table(save(table, tmp_path / "ecoli.txt"), DREAM)
    text = str(error.value)
    assert text.startswith(f"{tmp_path / 'ecoli.txt'} (line 102): 2 of 102 sequences")
    assert f"{table.seq_id[100]} (line 102, 1,600 bp)" in text and "(2,000 bp)" in text
    assert "the longest is 13x the median (over 10x is refused" in text
    assert "Fix: trim the long sequences to the library's length or drop them" in text


def test_the_real_lentimpra_sample_with_three_tripled_sequences_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    if not REAL.exists():
        pytest.skip("../shared/real not available")
    table = pd.read_csv(REAL / "lentimpra_human_sample_train.txt", sep="\t")
    for row in (3, 500, 999):
        table.loc[row, "seq"] = table.seq[row] * 3
    with caplog.at_level(logging.WARNING, logger="cistrans"):
        read_sequence_table(save(table, tmp_path / "sample.txt"), DREAM)
    message = caplog.records[0].getMessage()
    assert "3 of 1,000 sequences are more than 2x the median length (230 bp)" in message
    assert "seq22915_Reversed:" not in message and f"{table.seq_id[3]} (line 5, 690 bp)" in message
    padded = 1 - (997 * 230 + 3 * 690) / (1000 * 690)  # 66%: a third of the bases are N
    assert f"so {padded:.0%} of the padded windows are N (0% without them)" in message


def test_long_sequences_of_a_fasta_are_named_with_the_fasta_line(
    write: Callable, caplog: pytest.LogCaptureFixture
) -> None:
    fasta = write(
        "library.fa",
        "".join(f">s{i}\n{'ACGT' * 5}\n" for i in range(5)) + ">s5\n" + "A" * 50 + "\n",
    )
    labels = write("labels.tsv", "id\tlabel\n" + "".join(f"s{i}\t{i}\n" for i in range(6)))
    with caplog.at_level(logging.WARNING, logger="cistrans"):
        read_fasta_with_labels(fasta, labels)
    message = caplog.records[0].getMessage()
    assert message.startswith(f"{fasta}: 1 of 6 sequences are more than 2x the median length")
    assert "(20 bp): s5 (line 11, 50 bp);" in message


@pytest.mark.parametrize(
    ("columns", "label_columns", "message"),
    [
        (
            {"mean_value": 0.0},
            ("mean_value",),
            r"\(column mean_value\): label 'mean_value' has no spread: all 40 sequences have "
            r"the value 0, so a model has nothing to learn\. Fix: name the column that holds",
        ),
        (
            {"replicate": 1},
            ("mean_value", "replicate"),
            r"\(column replicate\): label 'replicate' has no spread: all 40 sequences",
        ),
        (
            {"split": ["train"] * 30 + ["validation"] * 5 + ["test"] * 5,
             "mean_value": [1.5] * 30 + list(range(10))},
            ("mean_value",),
            r"label 'mean_value' has no spread in the training split: all 30 training sequences "
            r"have the value 1\.5.*Fix: put sequences with different values in the training",
        ),
        (
            {"split": ["validation"] * 20 + ["test"] * 20},
            ("mean_value",),
            r"the split column marks no sequence 'train'\. Fix: mark training sequences",
        ),
    ],
)  # fmt: skip
def test_labels_without_spread_are_refused_at_the_door(
    tmp_path: Path, columns: dict, label_columns: tuple[str, ...], message: str
) -> None:
    table = dream_table([230] * 40, **columns)
    split = "split" if "split" in columns else None
    named = TableColumns(label_columns=label_columns, split_column=split)
    with pytest.raises(InputError, match=message) as error:
        read_sequence_table(save(table, tmp_path / "t.txt"), named)
    assert str(tmp_path / "t.txt") in str(error.value)


def test_labels_constant_in_a_random_training_split_are_refused(tmp_path: Path) -> None:
    split = {"mode": "random", "validation_size": 5, "test_size": 5,
             "validation_chromosomes": [], "test_chromosomes": [], "seed": 0}  # fmt: skip
    table = dream_table([230] * 40)
    given = split_genes(pd.DataFrame({"gene_id": table.seq_id, "chrom": ""}), **split)
    table["mean_value"] = np.where(given == "train", 2.0, np.arange(40.0))
    library = read_sequence_table(save(table, tmp_path / "t.txt"), DREAM)
    with pytest.raises(InputError, match=r"t.txt \(column mean_value\): .* no spread in the "
                       r"training split: all 30 training sequences have the value 2"):  # fmt: skip
        custom_windows(library, split)


SPLIT = {"mode": "random", "validation_size": 20, "test_size": 20,
         "validation_chromosomes": [], "test_chromosomes": [], "seed": 0}  # fmt: skip


def test_short_sequences_that_carry_the_label_are_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """E. coli-like: 140-160-bp fragments and 30 strong positive controls of 96 bp, the only
    short sequences; the padding alone would tell a model they are strong."""
    rng = np.random.default_rng(3)
    lengths = [int(n) for n in rng.integers(140, 161, 270)] + [96] * 30
    table = dream_table(lengths)
    table.loc[270:, "mean_value"] = rng.normal(5, 1, 30).round(3)
    library = read_sequence_table(save(table, tmp_path / "ecoli.txt"), DREAM)
    with caplog.at_level(logging.WARNING, logger="cistrans"):
        _, _, labels = custom_windows(library, SPLIT)
    (record,) = caplog.records
    message = record.getMessage()
    train = labels.split.to_numpy() == "train"
    short = train & (np.array(lengths) < 0.9 * np.median(lengths))
    assert message.startswith(
        f"{tmp_path / 'ecoli.txt'}: the length of a sequence tells its label 'mean_value': on "
        f"the {train.sum()} training sequences, "
    )
    assert f"the {short.sum()} sequences shorter than 90% of the median length (150 bp) have" in (
        message
    )
    assert "(rank-biserial r +1.00)" in message and "padded with N to the longest (160 bp)" in (
        message
    )
    assert "Fix: give sequences of one length" in message


def test_a_label_that_grows_with_length_is_warned_about_and_a_uniform_one_is_not(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rng = np.random.default_rng(4)
    lengths = [int(n) for n in rng.integers(150, 231, 200)]
    table = dream_table(lengths)
    with caplog.at_level(logging.WARNING, logger="cistrans"):
        custom_windows(read_sequence_table(save(table, tmp_path / "t.txt"), DREAM), SPLIT)
        assert not caplog.records  # lengths vary, the label does not follow them
        table["mean_value"] = (np.array(lengths) / 50 + rng.normal(0, 0.5, 200)).round(3)
        custom_windows(read_sequence_table(save(table, tmp_path / "t.txt"), DREAM), SPLIT)
    (record,) = caplog.records
    assert "on the 160 training sequences, Spearman ρ of length and label +0.7" in (
        record.getMessage()
    )


def test_a_named_split_column_maps_its_values(tmp_path: Path) -> None:
    values = ["Train", "training", "val", "VALID", "Validation", "dev", "test", " TEST "]
    table = dream_table([230] * 8, fold_name=values)
    columns = TableColumns(label_columns=("mean_value",), split_column="fold_name")
    library = read_sequence_table(save(table, tmp_path / "t.txt"), columns)
    assert library.split.tolist() == ["train"] * 2 + ["validation"] * 4 + ["test"] * 2


def test_a_split_column_the_config_does_not_name_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The yeast promoter tables carry `split` = test on every row: read without it, the
    config's sequence.split splits them."""
    path = save(dream_table([110] * 40, split=["test"] * 40), tmp_path / "yeast.txt")
    with caplog.at_level(logging.WARNING, logger="cistrans"):
        library = read_sequence_table(path, DREAM)
    assert library.split is None
    (record,) = caplog.records
    assert record.getMessage() == (
        f"{path}: the column 'split' is ignored: the sequences are split by the config "
        "(sequence.split). Fix: to use the table's split instead, set "
        "sequence.table.split_column: split (values train or training; validation, val, "
        "valid or dev; test (in any case))"
    )
    split = {"mode": "random", "validation_size": 5, "test_size": 5,
             "validation_chromosomes": [], "test_chromosomes": [], "seed": 0}  # fmt: skip
    _, _, labels = custom_windows(library, split)
    assert labels.split.value_counts().to_dict() == {"train": 30, "validation": 5, "test": 5}


def test_one_split_value_for_every_row_is_refused_with_the_column_named(
    tmp_path: Path, write: Callable
) -> None:
    path = save(dream_table([110] * 40, split=["test"] * 40), tmp_path / "yeast.txt")
    named = TableColumns(label_columns=("mean_value",), split_column="split")
    with pytest.raises(InputError) as error:
        read_sequence_table(path, named)
    assert str(error.value) == (
        f"{path} (column split): the split column 'split' puts every sequence in 'test' "
        "(40 rows): nothing is left to train, validate or test on. Fix: give the column "
        "train, validation and test rows, or leave sequence.table.split_column out to let "
        "sequence.split split the sequences"
    )
    fasta = write("library.fa", ">s1\nACGT\n>s2\nGGCA\n")
    labels = write("labels.tsv", "id\tlabel\tfold\ns1\t1\tval\ns2\t2\tValid\n")
    with pytest.raises(InputError, match=r"labels.tsv \(column fold\): the split column 'fold' "
                       r"puts every sequence in 'validation' \(2 rows\)"):  # fmt: skip
        read_fasta_with_labels(fasta, labels, TableColumns(split_column="fold"))


def table_workflow(tmp_path: Path, table: Path) -> tuple[Path, dict]:
    """A workflow copy whose own.yaml runs `table` as a sequence table (10/10 held out)."""
    workdir = copy_workflow(tmp_path / "workflow")
    config = {
        "inputs": {"sequence_table": str(table)},
        "sequence": {
            "source": "table",
            "table": {"label_columns": ["mean_value"]},
            "split": {"validation_size": 10, "test_size": 10},
        },
    }
    (workdir / "own.yaml").write_text(yaml.safe_dump(config))
    return workdir, config


@pytest.mark.workflow
def test_rule_sequence_table_reads_a_split_column_only_when_named(tmp_path: Path) -> None:
    """A DeepSTARR-like table (split train / val / test): without split_column the config
    splits it and the log says the column is ignored; named, its values are mapped;
    a yeast-like column (test on every row) is refused with the column named."""
    rng = np.random.default_rng(2)
    given = rng.permutation(["train"] * 30 + ["val"] * 15 + ["test"] * 15).tolist()
    table = save(dream_table([150] * 60, split=given), tmp_path / "library.tsv")
    workdir, config = table_workflow(tmp_path, table)
    target = ("results/sequence/labels.tsv", "--cores", "1", "--configfile", "own.yaml")
    run_snakemake(workdir, *target)
    log = (workdir / "logs" / "sequence" / "table.log").read_text()
    assert "the column 'split' is ignored: the sequences are split by the config" in log
    assert "60 sequences of up to 150 bp: " in log and ", split by sequence.split" in log
    labels = pd.read_csv(workdir / "results" / "sequence" / "labels.tsv", sep="\t")
    assert labels.split.value_counts().to_dict() == {"train": 40, "validation": 10, "test": 10}

    config["sequence"]["table"]["split_column"] = "split"
    (workdir / "own.yaml").write_text(yaml.safe_dump(config))
    run_snakemake(workdir, *target, "--forcerun", "sequence_table")
    log = (workdir / "logs" / "sequence" / "table.log").read_text()
    assert "is ignored" not in log and "split by the table's column 'split'" in log
    labels = pd.read_csv(workdir / "results" / "sequence" / "labels.tsv", sep="\t")
    expected = [{"val": "validation"}.get(value, value) for value in given]
    assert labels.split.tolist() == expected

    save(dream_table([150] * 60, split=["test"] * 60), table)
    refused = run_snakemake(workdir, *target, check=False)
    assert refused.returncode != 0
    assert f"cistrans: {table} (column split): the split column 'split' puts every " in (
        refused.stderr
    )


@pytest.mark.workflow
def test_rule_sequence_table_warns_in_its_log_and_refuses_mostly_n_windows(
    tmp_path: Path,
) -> None:
    lengths = [150] * 58 + [400, 500]
    table = save(dream_table(lengths), tmp_path / "library.tsv")
    workdir, config = table_workflow(tmp_path, table)
    target = ("results/sequence/labels.tsv", "--cores", "1", "--configfile", "own.yaml")
    run_snakemake(workdir, *target)
    log = (workdir / "logs" / "sequence" / "table.log").read_text()
    assert "WARNING cistrans.sequence.custom" in log
    assert "2 of 60 sequences are more than 2x the median length (150 bp)" in log
    assert "(line 61, 500 bp)" in log and "60 sequences of up to 500 bp" in log

    save(dream_table([150] * 58 + [400, 2_000]), table)
    refused = run_snakemake(workdir, *target, check=False)
    log = (workdir / "logs" / "sequence" / "table.log").read_text()
    assert refused.returncode != 0
    assert "over 10x is refused" in log and "Traceback" not in log
    assert f"cistrans: {table} (line 60): 2 of 60 sequences" in refused.stderr
