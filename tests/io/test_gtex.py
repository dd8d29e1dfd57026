"""Tests of cistrans.io.gtex: GTEx sample attributes and donor IDs."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.io.gtex import (
    SAMPLE_ATTRIBUTE_COLUMNS,
    gtex_donor,
    read_sample_attributes,
    write_sample_attributes,
)

NOTE = '"2 pieces, ~15% vessel stroma, rep delineated"'
# Two genuine DNA-sample rows of the v8 file: 17 filled fields, then 46 empty ones.
REAL_ROWS = (
    "GTEX-1117F-0003-SM-58Q7G\t\tB1\t\t\tBlood\tWhole Blood\t0013756\t1188\t\tBP-38516\t"
    "DNA isolation_Whole Blood_QIAGEN Puregene (Manual)\t05/02/2013\tLCSET-4574\t01/15/2014\t"
    "Standard Exome Sequencing v3 (ICE)\tWES" + "\t" * 46 + "\n"
    f"GTEX-1117F-0226-SM-5GZZ7\t0\tB1\t{NOTE}\t6.8\tAdipose Tissue\tAdipose - Subcutaneous\t"
    "0002190" + "\t" * 9 + "RNASEQ" + "\t" * 46 + "\n"
)


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "SAMPID": ["GTEX-1117F-0226-SM-5GZZ7", "GTEX-1117F-0426-SM-5EGHI"],
            "SMTS": ["Adipose Tissue", "Muscle"],
            "SMTSD": ["Adipose - Subcutaneous", "Muscle - Skeletal"],
            "SMUBRID": ["0002190", "0011907"],
            "SMPTHNTS": [NOTE, None],
            "SMRIN": [6.8, np.nan],
            "SMAFRZE": ["RNASEQ", "RNASEQ"],
            "split": ["train", "test"],
        }
    )


def test_round_trip_keeps_text_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "attributes.txt"
    write_sample_attributes(path, _table())
    table = read_sample_attributes(path)
    assert list(table.columns) == [*SAMPLE_ATTRIBUTE_COLUMNS, "split"]
    assert table["SAMPID"].tolist() == _table()["SAMPID"].tolist()
    assert table["SMUBRID"].tolist() == ["0002190", "0011907"]
    assert table["SMPTHNTS"].tolist() == [NOTE, ""]
    assert table["SMRIN"].tolist() == ["6.8", ""]
    assert table["SMAFRZE"].tolist() == ["RNASEQ", "RNASEQ"]
    assert table["SMCENTER"].tolist() == ["", ""]
    assert table["split"].tolist() == ["train", "test"]


def test_written_header_follows_gtex_order(tmp_path: Path) -> None:
    path = tmp_path / "attributes.txt"
    write_sample_attributes(path, _table())
    header, first = path.read_text().splitlines()[:2]
    assert header.startswith("SAMPID\tSMATSSCR\tSMCENTER\tSMPTHNTS\tSMRIN\tSMTS\tSMTSD\tSMUBRID")
    assert len(SAMPLE_ATTRIBUTE_COLUMNS) == 63
    assert first.split("\t")[:8] == [
        "GTEX-1117F-0226-SM-5GZZ7", "", "", NOTE, "6.8", "Adipose Tissue",
        "Adipose - Subcutaneous", "0002190",
    ]  # fmt: skip


def test_reads_genuine_rows(write_text: Callable[[str, str], Path]) -> None:
    header = "\t".join(SAMPLE_ATTRIBUTE_COLUMNS)
    path = write_text("real.txt", f"{header}\n{REAL_ROWS}")
    table = read_sample_attributes(path)
    assert table.shape == (2, 63)
    assert table["SMUBRID"].tolist() == ["0013756", "0002190"]
    assert table["SMAFRZE"].tolist() == ["WES", "RNASEQ"]
    assert table.loc[1, "SMPTHNTS"] == NOTE
    assert table.loc[0, "SMNABTCHT"] == "DNA isolation_Whole Blood_QIAGEN Puregene (Manual)"
    assert table.loc[0, "SME2PCTS"] == ""


def test_trailing_tabs_do_not_shift_columns(write_text: Callable[[str, str], Path]) -> None:
    text = "SAMPID\tSMTS\tSMTSD\nS-1\tBlood\tWhole Blood\t\nS-2\tLung\tLung\t\n"
    table = read_sample_attributes(write_text("a.txt", text))
    assert table.to_dict("list") == {
        "SAMPID": ["S-1", "S-2"],
        "SMTS": ["Blood", "Lung"],
        "SMTSD": ["Whole Blood", "Lung"],
    }


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        pytest.param(
            "a.txt",
            "SAMPID\tSMTS\tTISSUE\nGTEX-1\tBlood\tBlood\n",
            r" \(header\): missing the columns SMTSD .*SAMPID, SMTS, TISS",
            id="missing columns are listed",
        ),
        pytest.param(
            "a.txt",
            "SAMPID\tSMTS\tSMTSD\nS-1\tBlood\tWhole Blood\nS-2\tLung\tLung\nS-1\tLung\tLung\n",
            r" \(column SAMPID\): 1 SAMPIDs appear more than once: S-1\.",
            id="duplicated sample IDs are listed",
        ),
        pytest.param(
            "a.txt",
            "SAMPID\tSMTS\tSMTSD\nS-1\tBlood\tWhole Blood\nS-2\tLung\tLung\textra\n",
            r": .*line 3",
            id="row with too many fields names its line",
        ),
        pytest.param("empty.txt", "", r": the file is empty \(0 bytes", id="empty file"),
    ],
)
def test_malformed_files_are_input_errors(
    write_text: Callable[[str, str], Path], name: str, text: str, problem: str
) -> None:
    """`problem`: what the message says after the file's path."""
    path = write_text(name, text)
    with pytest.raises(InputError, match=re.escape(str(path)) + problem):
        read_sample_attributes(path)


def test_writer_requires_tissue_columns(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="SMTSD"):
        write_sample_attributes(tmp_path / "a.txt", _table().drop(columns="SMTSD"))


@pytest.mark.parametrize(
    ("sample_id", "donor"),
    [
        ("GTEX-1117F-0226-SM-5GZZ7", "GTEX-1117F"),
        ("GTEX-1117F", "GTEX-1117F"),
        ("K-562-SM-26GMQ", "K-562"),
    ],
)
def test_donor_is_the_first_two_dash_fields(sample_id: str, donor: str) -> None:
    assert gtex_donor(sample_id) == donor


def test_donor_of_a_malformed_id_is_an_input_error() -> None:
    with pytest.raises(InputError, match="'GTEX1117F' has fewer than two"):
        gtex_donor("GTEX1117F")
