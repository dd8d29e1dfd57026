"""Shared pieces of the table readers and writers: required columns and delimited text files.

`require_columns` checks that a DataFrame argument or a file's header line has the columns a
function needs. `read_delimited` opens a plain or gzipped delimited text file with a header
line and yields its rows as lists of strings, numbered by line, with the checks every reader
makes (required columns, one field per header column) raising `InputError`.

Small sheets the user writes (a sample sheet, the disease sheet) are read whole by
`read_sheet` and checked against a JSON schema of one row by `validate_table` (the schemas
ship in `cistrans/io/schemas/`, loaded by `table_schema`), so that their missing-column and
bad-value messages come from one place; `require_unique` names repeated IDs.
"""

from __future__ import annotations

import csv
import importlib.resources
import itertools
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pandas as pd
import yaml

from cistrans.errors import SHOWN, InputError
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
    damaged_fix: str | None = None,
) -> Iterator[DelimitedTable]:
    """Open a plain or gzipped delimited text file with a header line, reading strings only.

    delimiter: the field separator; None takes a tab when the header line has one, else a
    comma. quoting: a `csv.QUOTE_*` constant (`csv.QUOTE_NONE` for free text holding
    quotes). strip_names: strip spaces around the header's column names. required: columns
    the header must name, else `InputError` (at line 1) with `fix`. field_fix: the fix given
    when a row has the wrong number of fields. Missing and empty (0-byte) files, undecodable
    text and truncated or corrupt gzip streams raise `InputError` too, with `damaged_fix`
    (see `cistrans.io.files.reading`) for the empty or damaged file.
    """
    with open_text_read(path, damaged_fix) as handle:
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


@dataclass(frozen=True)
class Sheet:
    """A small table read whole by `read_sheet`.

    table: the rows, string cells ("" where empty), columns as the header names them.
    header_line: the file line of the header (1 for an empty file). lines: the file line of
    each row (comment and blank lines skipped), for messages.
    """

    table: pd.DataFrame
    header_line: int
    lines: list[int]


def read_sheet(
    path: str | Path,
    *,
    delimiter: str | None = "\t",
    comment: str | None = None,
    fix: str = "give one value per column of the header",
    damaged_fix: str | None = None,
    schema: str | None = None,
) -> Sheet:
    """Read a small delimited sheet (plain or gzipped; a sample or disease sheet) whole.

    delimiter: the field separator; None takes a tab when the header line has one, else a
    comma. comment: lines starting with it are skipped, as blank lines are. The header is
    the first other line (a UTF-8 byte-order mark before it is dropped). A row with fewer
    fields than the header is filled with "" (so is a trailing empty column); a row with
    more non-empty fields, or a header naming a column twice, raises `InputError` naming
    the line, with `fix` for the former. Missing, empty (0-byte) and damaged files raise
    `InputError` too, with `damaged_fix` (see `cistrans.io.files.reading`). schema: the name
    of a table schema (`table_schema`) the rows are checked against (`validate_table`).
    """
    with open_text_read(path, damaged_fix) as handle:
        numbered = [
            (number, line.rstrip("\r\n"))
            for number, line in enumerate(handle, start=1)
            if line.strip() and not (comment and line.startswith(comment))
        ]
    if not numbered:
        return Sheet(pd.DataFrame(), 1, [])
    header_line, first = numbered[0]
    first = first.removeprefix("\ufeff")
    if delimiter is None:
        delimiter = "\t" if "\t" in first else ","
    header = _fields(first, delimiter)
    require_unique(
        path,
        header,
        range(1, len(header) + 1),
        what="column names",
        fix="give each column once",
        unit="column",
        where=f"line {header_line}",
    )
    rows, lines = [], []
    for number, line in numbered[1:]:
        fields = _fields(line, delimiter)
        if any(fields[len(header) :]):
            raise InputError(
                path,
                f"{len(fields)} fields where the header has {len(header)}",
                fix,
                f"line {number}",
            )
        rows.append(fields[: len(header)] + [""] * (len(header) - len(fields)))
        lines.append(number)
    sheet = Sheet(pd.DataFrame(rows, columns=header, dtype=object), header_line, lines)
    if schema is not None:
        validate_table(
            sheet.table, table_schema(schema), path=path, first_line=header_line + 1, lines=lines
        )
    return sheet


def _fields(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def table_schema(name: str) -> dict[str, Any]:
    """The JSON schema of one row of a user's table, shipped with cistrans as
    `cistrans/io/schemas/<name>.schema.yaml`: `samples` (the sample sheet of a custom
    matrix) or `diseases` (the disease sheet). For `validate_table`."""
    resource = importlib.resources.files("cistrans.io") / "schemas" / f"{name}.schema.yaml"
    return yaml.safe_load(resource.read_text(encoding="utf-8"))


_TYPE_NAMES = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
}


def validate_table(
    table: pd.DataFrame,
    schema: Mapping[str, Any],
    *,
    path: str | Path,
    first_line: int = 2,
    lines: Sequence[int] | None = None,
) -> None:
    """Check `table` against `schema`, the JSON schema of one row (the shape Snakemake's
    `validate` takes for a DataFrame: each row is one object of its non-empty cells).

    The schema's `required` columns must be in the header; then every row must fit its
    `properties` (type, pattern, enum, minLength, ...). NaN or None cells are left out of
    a row's object, so an empty required cell breaks `required`; text in a column of type
    number, integer or boolean is read as one first. Extra columns are allowed.

    path: the file the table was read from, which the message names. first_line: the file
    line after the header, the first row's; lines: the file line of each row instead, where
    rows are not on consecutive lines (`Sheet.lines`). Raises
    `InputError`: for missing columns, at the header's line, naming the columns found, with
    the schema's `description` as the fix; else for the first bad cell (rows in order,
    columns in the schema's order), naming its line, column and value, with the column's
    `description` as the fix ("give <description>").
    """
    required = list(schema.get("required", ()))
    missing = [column for column in required if column not in table.columns]
    if missing:
        raise InputError(
            path,
            f"missing column(s) {', '.join(missing)}; found "
            f"{', '.join(map(str, table.columns)) or 'no columns'}",
            schema.get("description") or f"give columns {', '.join(required)}",
            f"line {first_line - 1}",
        )
    properties = schema.get("properties", {})
    validator = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)(
        schema
    )
    if lines is None:
        lines = range(first_line, first_line + len(table))
    for line, row in zip(lines, table.to_dict("records"), strict=True):
        record = {
            str(column): _typed(value, properties.get(column, {}))
            for column, value in row.items()
            if not (value is None or (pd.api.types.is_scalar(value) and pd.isna(value)))
        }
        error = next(iter(validator.iter_errors(record)), None)
        if error is not None:
            raise _cell_error(path, error, line, properties)


def _typed(value: Any, spec: Mapping[str, Any]) -> Any:
    """Text read from a file as the number or boolean its column's schema asks for (as is
    when it is not one: the schema then names the wrong type)."""
    kind = spec.get("type")
    if not isinstance(value, str) or kind not in ("number", "integer", "boolean"):
        return value
    text = value.strip()
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return value
    return {"true": True, "false": False}.get(text.lower(), value)


def _cell_error(
    path: str | Path, error: jsonschema.ValidationError, line: int, properties: Mapping[str, Any]
) -> InputError:
    """The message of a row's first schema error: line, column, value, and the fix."""
    if error.validator == "required":
        column = next(c for c in error.validator_value if c not in error.instance)
        problem = "empty cell"
    else:
        column = str(error.path[0]) if error.path else "?"
        problem = _problem(error, properties.get(column, {}).get("title"))
    spec = properties.get(column, {})
    fix = f"give {spec['description']}" if "description" in spec else error.message
    return InputError(path, problem, fix, f"line {line}, column {column}")


def _problem(error: jsonschema.ValidationError, title: str | None) -> str:
    """What is wrong with a cell, in words."""
    value, rule = error.instance, error.validator_value
    if error.validator == "minLength":
        return "empty cell" if value == "" else f"{value!r} is too short"
    if error.validator == "pattern":
        return f"{value!r} is not {title}" if title else f"{value!r} does not match {rule}"
    if error.validator == "type":
        return f"{value!r} is not {_TYPE_NAMES.get(rule, rule)}"
    if error.validator == "enum":
        return f"{value!r} is not one of {', '.join(map(repr, rule))}"
    return error.message


def require_unique(
    source: str | Path,
    ids: Sequence[Hashable],
    positions: Sequence[int],
    *,
    what: str,
    fix: str,
    unit: str = "line",
    where: str | None = None,
) -> None:
    """Raise `InputError` when an ID of `ids` repeats.

    positions: where each ID stands (its line, or column with `unit="column"`), for the
    message. what: what the IDs are, plural (e.g. "gene IDs"; tuples are shown joined by
    ", "). The message counts the repeated IDs and names the first few with the places of
    each; it is located at `where`, by default the first repeat's second occurrence.
    """
    places: dict[Hashable, list[int]] = {}
    for value, position in zip(ids, positions, strict=True):
        places.setdefault(value, []).append(position)
    repeated = {value: found for value, found in places.items() if len(found) > 1}
    if not repeated:
        return
    shown = [
        f"{_shown_id(value)} ({unit}s {', '.join(map(str, found[:SHOWN]))}"
        f"{', ...' if len(found) > SHOWN else ''})"
        for value, found in list(repeated.items())[:SHOWN]
    ]
    more = f" and {len(repeated) - SHOWN} more" if len(repeated) > SHOWN else ""
    first = next(iter(repeated.values()))
    raise InputError(
        source,
        f"repeated {what} ({len(repeated)}): {'; '.join(shown)}{more}",
        fix,
        where or f"{unit} {first[1]}",
    )


def _shown_id(value: Hashable) -> str:
    return ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)
