"""TF→target knowledge tables: TRRUST v2, CollecTRI and DoRothEA, read into one tidy shape.

- TRRUST v2 (`trrust_rawdata.human.tsv`): no header, tab-separated
  `TF, target, mode, PMIDs`; modes Activation/Repression/Unknown; PMIDs joined by `;`;
  a pair can repeat with different modes (all rows are kept, the caller decides).
- CollecTRI (`CollecTRI_regulons.csv`): CSV `source,target,weight,resources,references,
  sign_decision`; the sign of `weight` gives the mode.
- DoRothEA, in either of its published layouts (told apart by the header):
  - as OmniPath serves it (the workflow's download, `interactions?datasets=dorothea&...
    &genesymbols=yes&fields=dorothea_level`): TSV `source, target` (UniProt accessions),
    `source_genesymbol, target_genesymbol`, `is_directed, is_stimulation, is_inhibition,
    consensus_direction, consensus_stimulation, consensus_inhibition` (0/1) and
    `dorothea_level`, which may hold several levels (`A;B`: the first is taken, as
    decoupler does). Symbols come from the gene-symbol columns; the mode from stimulation
    and inhibition (the consensus ones when the file has them): Activation when only
    stimulating, Repression when only inhibiting, Unknown when both or neither;
  - the R package's table (`dorothea_hs`): TSV or CSV `tf, confidence, target, mor`; the
    sign of `mor` gives the mode.
  Confidence runs from A (best) to E.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from cistrans.errors import InputError
from cistrans.io.files import open_text_read, open_text_write
from cistrans.io.tables import read_delimited, require_columns

MODES: tuple[str, ...] = ("Activation", "Repression", "Unknown")
TRRUST_COLUMNS: tuple[str, ...] = ("tf", "target", "mode", "pmids")
TF_TARGET_COLUMNS: tuple[str, ...] = ("tf", "target", "mode")
TF_TARGET_FORMATS: tuple[str, ...] = ("trrust", "collectri", "dorothea")
CONFIDENCE_LEVELS: tuple[str, ...] = ("A", "B", "C", "D", "E")
DOROTHEA_LAYOUTS: dict[str, tuple[str, ...]] = {
    "OmniPath": (
        "source_genesymbol",
        "target_genesymbol",
        "is_stimulation",
        "is_inhibition",
        "dorothea_level",
    ),
    "R package": ("tf", "confidence", "target", "mor"),
}
"""The columns each DoRothEA layout must have (OmniPath's `consensus_stimulation` and
`consensus_inhibition` are used when present)."""

_MISSING_NUMBERS = frozenset({"", "NA", "NaN", "nan"})
_FLAGS = {"1": True, "0": False, "true": True, "false": False}


def read_trrust(path: str | Path) -> pd.DataFrame:
    """Read a TRRUST v2 raw table (no header; TF, target, mode, PMIDs; tab-separated).

    Returns a DataFrame with columns `tf`, `target`, `mode`, `pmids` (all str; `pmids`
    as in the file, joined by `;`), one row per line in file order, repeated pairs kept.
    """
    rows = []
    with open_text_read(path) as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for fields in reader:
            if fields:
                rows.append(_trrust_row(path, fields, reader.line_num))
    if not rows:
        raise InputError(path, "the file holds no TF-target rows", "use a TRRUST v2 raw data file")
    return pd.DataFrame(rows, columns=list(TRRUST_COLUMNS))


def write_trrust(path: str | Path, edges: pd.DataFrame) -> None:
    """Write `edges` (columns tf, target, mode, pmids) as a TRRUST raw table.

    No header, tab-separated, rows in table order; missing `pmids` are written empty.
    """
    require_columns("edges", edges, TRRUST_COLUMNS)
    unknown = sorted({str(mode) for mode in edges["mode"]} - set(MODES))
    if unknown:
        raise InputError("edges", f"unknown mode(s) {unknown}", f"use {', '.join(MODES)}")
    with open_text_write(path) as handle:
        for tf, target, mode, pmids in edges[list(TRRUST_COLUMNS)].itertuples(
            index=False, name=None
        ):
            pmids_text = "" if pd.isna(pmids) else str(pmids)
            handle.write(f"{tf}\t{target}\t{mode}\t{pmids_text}\n")


def read_tf_target_table(
    path: str | Path, format: str, min_confidence: str | None = None
) -> pd.DataFrame:
    """Read a TF→target table in one of `TF_TARGET_FORMATS` into tidy columns.

    Returns a DataFrame with columns `tf`, `target`, `mode` (one of `MODES`), plus
    `confidence` (A–E) for DoRothEA, one row per edge in file order. DoRothEA is read as
    OmniPath serves it or as the R package's table (`DOROTHEA_LAYOUTS`, told apart by the
    header). `min_confidence` (DoRothEA only) keeps edges at that level or better, e.g. "C"
    keeps A, B and C (an OmniPath `A;B` counts as A).
    """
    if format not in TF_TARGET_FORMATS:
        raise InputError(
            path,
            f"unknown TF-target format {format!r}",
            f"use one of {', '.join(TF_TARGET_FORMATS)}",
        )
    if format == "dorothea":
        return _read_dorothea(path, min_confidence)
    if min_confidence is not None:
        raise InputError(
            path,
            f"min_confidence applies to DoRothEA tables, not {format!r}",
            "drop min_confidence, or use format 'dorothea'",
        )
    if format == "trrust":
        return read_trrust(path)[list(TF_TARGET_COLUMNS)]
    return _read_collectri(path)


def _trrust_row(path: str | Path, fields: list[str], line: int) -> tuple[str, str, str, str]:
    """One checked TRRUST row: tf, target, mode, pmids."""
    if len(fields) != len(TRRUST_COLUMNS):
        raise InputError(
            path,
            f"{len(fields)} tab-separated fields where TRRUST has 4 (TF, target, mode, PMIDs)",
            "give every line four tab-separated fields",
            where=f"line {line}",
        )
    tf, target, mode, pmids = fields
    if mode not in MODES:
        raise InputError(
            path,
            f"unknown mode {mode!r}",
            f"use one of {', '.join(MODES)} (TRRUST files have no header line)",
            where=f"line {line}",
        )
    return tf, target, mode, pmids


def _read_collectri(path: str | Path) -> pd.DataFrame:
    """CollecTRI edges as columns tf, target, mode (from the sign of `weight`)."""
    rows = [
        (row["source"], row["target"], _mode_from_sign(path, row["weight"], "weight", line))
        for line, row in _read_named_rows(path, ("source", "target", "weight"))
    ]
    return pd.DataFrame(rows, columns=list(TF_TARGET_COLUMNS))


def _read_dorothea(path: str | Path, min_confidence: str | None) -> pd.DataFrame:
    """DoRothEA edges, OmniPath or R layout, as columns tf, target, mode, confidence."""
    if min_confidence is not None and min_confidence not in CONFIDENCE_LEVELS:
        raise InputError(
            "min_confidence",
            f"{min_confidence!r} is not a DoRothEA confidence level",
            f"use one of {', '.join(CONFIDENCE_LEVELS)}",
        )
    layout = _dorothea_layout(path)
    edge = _omnipath_edge if layout == "OmniPath" else _r_package_edge
    rows = []
    for line, row in _read_named_rows(path, DOROTHEA_LAYOUTS[layout]):
        tf, target, mode, confidence = edge(path, row, line)
        if confidence not in CONFIDENCE_LEVELS:
            column = "dorothea_level" if layout == "OmniPath" else "confidence"
            raise InputError(
                path,
                f"unknown confidence {confidence!r}",
                f"use one of {', '.join(CONFIDENCE_LEVELS)}",
                where=f"line {line}, column {column}",
            )
        if min_confidence is None or confidence <= min_confidence:
            rows.append((tf, target, mode, confidence))
    return pd.DataFrame(rows, columns=[*TF_TARGET_COLUMNS, "confidence"])


def _dorothea_layout(path: str | Path) -> str:
    """The key of `DOROTHEA_LAYOUTS` whose columns the file's header has (OmniPath first).

    Raises `InputError` naming the columns found and both accepted layouts otherwise.
    """
    with read_delimited(path, delimiter=None, strip_names=True) as table:
        header = table.header
    for layout, columns in DOROTHEA_LAYOUTS.items():
        if set(columns) <= set(header):
            return layout
    accepted = "; or ".join(
        f"{layout} ({', '.join(columns)})" for layout, columns in DOROTHEA_LAYOUTS.items()
    )
    raise InputError(
        path,
        f"not a DoRothEA table: the header has {', '.join(header) or 'no columns'}",
        f"give DoRothEA as OmniPath serves it or as the R package's table, with the columns "
        f"of {accepted}",
        where="line 1",
    )


def _omnipath_edge(path: str | Path, row: dict[str, str], line: int) -> tuple[str, str, str, str]:
    """tf, target, mode, confidence of one OmniPath row.

    The mode comes from `consensus_stimulation`/`consensus_inhibition` when the file has
    both, else from `is_stimulation`/`is_inhibition`; the confidence is the first of the
    `;`-joined `dorothea_level`s.
    """
    prefix = (
        "consensus" if {"consensus_stimulation", "consensus_inhibition"} <= row.keys() else "is"
    )
    stimulation = _flag(path, row, f"{prefix}_stimulation", line)
    inhibition = _flag(path, row, f"{prefix}_inhibition", line)
    mode = "Unknown"
    if stimulation != inhibition:
        mode = "Activation" if stimulation else "Repression"
    confidence = row["dorothea_level"].split(";")[0].strip()
    return row["source_genesymbol"], row["target_genesymbol"], mode, confidence


def _r_package_edge(path: str | Path, row: dict[str, str], line: int) -> tuple[str, str, str, str]:
    """tf, target, mode (from the sign of `mor`), confidence of one R-package row."""
    mode = _mode_from_sign(path, row["mor"], "mor", line)
    return row["tf"], row["target"], mode, row["confidence"]


def _flag(path: str | Path, row: dict[str, str], column: str, line: int) -> bool:
    """An OmniPath 0/1 column (True/False accepted too) as a bool."""
    value = _FLAGS.get(row[column].strip().lower())
    if value is None:
        raise InputError(
            path,
            f"{row[column]!r} is not 0 or 1",
            f"give 0 or 1 in column {column}, as OmniPath writes it",
            where=f"line {line}, column {column}",
        )
    return value


def _read_named_rows(
    path: str | Path, required: Sequence[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, {column: value}) for each row of a CSV or TSV with a header.

    The delimiter is a tab when the header line has one, else a comma. Raises `InputError`
    when a `required` column is missing, a row has the wrong number of fields, or the file
    has no rows.
    """
    count = 0
    with read_delimited(
        path,
        delimiter=None,
        strip_names=True,
        required=required,
        fix=f"give a header line with columns {', '.join(required)}",
        field_fix="give every row one value per header column",
    ) as table:
        for line, fields in table:
            count += 1
            yield line, dict(zip(table.header, fields, strict=True))
    if count == 0:
        raise InputError(path, "the file holds no TF-target rows", "use a complete table")


def _mode_from_sign(path: str | Path, text: str, column: str, line: int) -> str:
    """Activation for a positive number, Repression for a negative one, else Unknown."""
    if text.strip() in _MISSING_NUMBERS:
        return "Unknown"
    try:
        number = float(text)
    except ValueError:
        raise InputError(
            path,
            f"{text!r} is not a number",
            f"give a signed number or NA in column {column}",
            where=f"line {line}, column {column}",
        ) from None
    if number > 0:
        return "Activation"
    if number < 0:
        return "Repression"
    return "Unknown"
