"""Tests of cistrans.io.tables: required columns and delimited text files."""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.io.tables import read_delimited, require_columns


def _rows(path: Path, **options: Any) -> tuple[list[str], list[tuple[int, list[str]]]]:
    with read_delimited(path, **options) as table:
        return table.header, list(table)


def test_require_columns_passes_when_all_are_there() -> None:
    require_columns("table", pd.DataFrame(columns=["a", "b", "c"]), ("c", "a"))
    require_columns("x.tsv", ["a", "b"], ())


@pytest.mark.parametrize(
    ("table", "pattern"),
    [
        pytest.param(
            pd.DataFrame(columns=["gene_id", "score"]),
            r"^table: missing column\(s\) symbol, dbd; found gene_id, score\. "
            r"Fix: give columns gene_id, symbol, dbd$",
            id="DataFrame",
        ),
        pytest.param(
            ["gene_id", "score"],
            r"^table: missing column\(s\) symbol, dbd; found gene_id, score\. Fix: give columns",
            id="header line",
        ),
        pytest.param(
            pd.DataFrame(),
            r"^table: missing column\(s\) gene_id, symbol, dbd; found no columns\.",
            id="no columns",
        ),
    ],
)
def test_require_columns_names_missing_and_found(
    table: pd.DataFrame | list[str], pattern: str
) -> None:
    with pytest.raises(InputError, match=pattern):
        require_columns("table", table, ("gene_id", "symbol", "dbd"))


def test_require_columns_takes_fix_and_where() -> None:
    with pytest.raises(
        InputError, match=r"^a\.tsv \(line 1\): missing column\(s\) b; found a\. Fix: use B$"
    ):
        require_columns("a.tsv", ["a"], ["b"], fix="use B", where="line 1")


def test_rows_are_strings_numbered_by_line(tmp_path: Path) -> None:
    path = tmp_path / "a.tsv.gz"
    path.write_bytes(gzip.compress(b'id\tnote\tn\r\n\r\nA\t"x, y\t007\n\nB\t\t1e3\n'))
    header, rows = _rows(path, quoting=csv.QUOTE_NONE)
    assert header == ["id", "note", "n"]
    assert rows == [(3, ["A", '"x, y', "007"]), (5, ["B", "", "1e3"])]


@pytest.mark.parametrize(
    ("text", "header"),
    [
        ("tf\tconfidence, level\nA\tB\n", ["tf", "confidence, level"]),
        ("tf,confidence\nA,B\n", ["tf", "confidence"]),
        (' tf ,"target "\nA,B\n', ["tf", "target"]),
    ],
)
def test_delimiter_is_sniffed_from_the_header(tmp_path: Path, text: str, header: list[str]) -> None:
    path = tmp_path / "table.txt"
    path.write_text(text)
    assert _rows(path, delimiter=None, strip_names=True) == (header, [(2, ["A", "B"])])


def test_a_file_of_blank_lines_has_no_header_and_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "blank.tsv"
    path.write_text("\n\n")
    assert _rows(path) == ([], [])


def test_an_empty_file_is_named_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.tsv"
    path.write_text("")
    with pytest.raises(InputError, match=r"empty\.tsv: the file is empty \(0 bytes.*Fix: down"):
        _rows(path)


@pytest.mark.parametrize(
    ("name", "text", "options", "problem"),
    [
        pytest.param(
            "a.tsv",
            "a\tb\n1\t2\n1\t2\t3\n",
            {},
            r" \(line 3\): 3 tab-separated fields where the header has 2\. "
            r"Fix: download the file again$",
            id="tab-separated row too long",
        ),
        pytest.param(
            "a.csv",
            "a,b\n1\n",
            {"delimiter": ",", "field_fix": "repair it"},
            r" \(line 2\): 1 fields where the header has 2\. Fix: repair it$",
            id="comma-separated row too short",
        ),
        pytest.param(
            "a.tsv",
            "a\tc\n1\t2\n",
            {"required": ("a", "b"), "fix": "give a and b"},
            r" \(line 1\): missing column\(s\) b; found a, c\. Fix: give a and b$",
            id="required column missing",
        ),
        pytest.param(
            "blank.tsv",
            "\n",
            {"required": ("a",)},
            r" \(line 1\): missing column\(s\) a; found no columns\.",
            id="blank file lacks required columns",
        ),
    ],
)
def test_malformed_tables_name_file_and_line(
    write_text: Callable[[str, str], Path],
    name: str,
    text: str,
    options: dict[str, Any],
    problem: str,
) -> None:
    """`problem`: what the message says after the file's path."""
    path = write_text(name, text)
    with pytest.raises(InputError, match=f"^{re.escape(str(path))}{problem}"):
        _rows(path, **options)


def test_undecodable_text_in_a_row_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.tsv"
    path.write_bytes("a\tb\n1\tcafé\n".encode("latin-1"))
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}: not UTF-8 text"):
        _rows(path)
