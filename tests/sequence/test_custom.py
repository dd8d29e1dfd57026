"""Bring your own sequences: sequence tables and FASTA + label tables."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from cistrans.errors import InputError
from cistrans.sequence.custom import TableColumns, read_fasta_with_labels, read_sequence_table

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
    path = write("library.csv.gz", "id,sequence,label,split\na,ACGTn,1.5,train\nb,ACG,-2,TEST\n")
    library = read_sequence_table(path)
    assert library.ids == ["a", "b"]
    assert library.sequences == ["ACGTN", "ACGNN"]
    assert library.lengths.tolist() == [5, 3]
    assert library.labels.label.tolist() == [1.5, -2.0]
    assert library.split.tolist() == ["train", "test"]


def test_several_labels_and_named_columns(write: Callable) -> None:
    path = write("library.tsv", "name\tseq\tk562\thepg2\nx\tAAAA\t1\t2\n")
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
        ("id,sequence,label,split\na,ACG,1,holdout\n", r"split 'holdout' is not one of"),
        ("id,sequence,label\na,ACG\n", r"line 2\): 2 fields where the header has 3"),
        ("id,sequence,label\n", "holds no sequence"),
    ],
)
def test_bad_tables_name_the_line_and_the_fix(write: Callable, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as error:
        read_sequence_table(write("library.csv", text))
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
