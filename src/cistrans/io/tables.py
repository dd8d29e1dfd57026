"""Shared pieces of the table readers and writers: required columns and delimited text files.

`require_columns` checks that a DataFrame argument or a file's header line has the columns a
function needs. `read_delimited` opens a plain or gzipped delimited text file with a header
line and yields its rows as lists of strings, numbered by line, with the checks every reader
makes (required columns, one field per header column) raising `InputError`.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cistrans.errors import InputError
from cistrans.io.files import open_text_read

if TYPE_CHECKING:
    from _csv import Reader

_DOWNLOAD_AGAIN = "download the file again"


def require_columns(
    source: str | Path,
    table: pd.DataFrame | Sequence[str],
    columns: Sequence[str],
    fix: str | None = None,
    where: str | None = None,
) -> None:
    """Raise `InputError` unless `table` has every one of `columns`.

    source: the file path or argument name the message names. table: a DataFrame, or the
    column names of a header line. The message names the missing columns and lists those
    `table` has; `fix` defaults to "give columns <columns>".
    """
    present = list(table.columns) if isinstance(table, pd.DataFrame) else list(table)
    missing = [column for column in columns if column not in present]
    if missing:
        found = ", ".join(map(str, present)) or "no columns"
        raise InputError(
            source,
            f"missing column(s) {', '.join(missing)}; found {found}",
            fix or f"give columns {', '.join(columns)}",
            where,
        )


def write_tsv(
    table: pd.DataFrame, path: str | Path, index: bool = False, float_format: str | None = "%.6g"
) -> None:
    """Write a result table as TSV: LF line ends, floats with 6 significant digits (or as
    `float_format` says; None writes them in full)."""
    table.to_csv(path, sep="\t", index=index, lineterminator="\n", float_format=float_format)


@dataclass
class DelimitedTable:
    """An open delimited text file: its header line, then `(line number, fields)` per row.

    Iterating yields each non-blank row as a list of strings, and raises `InputError` naming
    the line when a row has more or fewer fields than the header.
    """

    path: str | Path
    header: list[str]
    delimiter: str
    field_fix: str
    _reader: Reader

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        kind = "tab-separated fields" if self.delimiter == "\t" else "fields"
        for fields in self._reader:
            if not fields:
                continue
            line = self._reader.line_num
            if len(fields) != len(self.header):
                raise InputError(
                    self.path,
                    f"{len(fields)} {kind} where the header has {len(self.header)}",
                    self.field_fix,
                    f"line {line}",
                )
            yield line, fields


@contextmanager
def read_delimited(
    path: str | Path,
    *,
    delimiter: str | None = "\t",
    quoting: int = csv.QUOTE_MINIMAL,
    strip_names: bool = False,
    required: Sequence[str] = (),
    fix: str = _DOWNLOAD_AGAIN,
    field_fix: str = _DOWNLOAD_AGAIN,
) -> Iterator[DelimitedTable]:
    """Open a plain or gzipped delimited text file with a header line, reading strings only.

    delimiter: the field separator; None takes a tab when the header line has one, else a
    comma. quoting: a `csv.QUOTE_*` constant (`csv.QUOTE_NONE` for free text holding
    quotes). strip_names: strip spaces around the header's column names. required: columns
    the header must name, else `InputError` (at line 1) with `fix`. field_fix: the fix given
    when a row has the wrong number of fields. An empty file has an empty header and no rows.
    Missing files, undecodable text and broken gzip streams raise `InputError` too.
    """
    with open_text_read(path) as handle:
        first_line = handle.readline()
        if delimiter is None:
            delimiter = "\t" if "\t" in first_line else ","
        reader = csv.reader(
            itertools.chain([first_line], handle), delimiter=delimiter, quoting=quoting
        )
        header = next(reader, [])
        if strip_names:
            header = [name.strip() for name in header]
        if required:
            require_columns(path, header, required, fix, "line 1")
        yield DelimitedTable(path, header, delimiter, field_fix, reader)
