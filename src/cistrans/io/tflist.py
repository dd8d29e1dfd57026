"""Lists of human transcription factors: the Lambert et al. 2018 census and plain symbol lists.

Two inputs are accepted and told apart by content:

- `DatabaseExtract_v_1.01.csv` (humantfs v1.01): comma CSV with quoted fields that contain
  commas, a `number` index column, header names with trailing spaces and `None` for missing
  values. Rows with `Is TF?` == `Yes` are the 1,639 TFs.
- `TF_names_v_1.01.txt`: one symbol per line (CRLF or LF line endings, blank lines ignored).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from cistrans.errors import InputError
from cistrans.io.files import open_text_read, open_text_write
from cistrans.io.tables import read_delimited, require_columns

LAMBERT_HEADER: tuple[str, ...] = (
    "number",
    "Ensembl ID",
    "HGNC symbol",
    "DBD",
    "Is TF?",
    "TF assessment",
    "Binding mode",
    "Motif status",
    "Final Notes",
    "Final Comments",
    "Interpro ID(s)",
    "EntrezGene ID",
    "EntrezGene Description",
    "PDB ID",
    "TF tested by HT-SELEX?",
    "TF tested by PBM?",
    "Conditional Binding Requirements ",
    "Original Comments",
    "Vaquerizas 2009 classification",
    "CisBP considers it a TF?",
    "TFCat classification",
    "Is a GO TF?",
    "Initial assessment ",
    "Curator 1",
    "Curator 2",
    "TFclass considers it a TF? ",
    "Go Evidence",
    "Pfam Domains (By ENSP ID)",
    "Is C2H2 ZF(KRAB)?",
)
"""The 29 column names of `DatabaseExtract_v_1.01.csv`, trailing spaces included."""

LAMBERT_REQUIRED: tuple[str, ...] = ("Ensembl ID", "HGNC symbol", "Is TF?")
TF_LIST_COLUMNS: tuple[str, ...] = ("gene_id", "symbol")
WRITE_COLUMNS: tuple[str, ...] = ("gene_id", "symbol", "dbd", "is_tf")

_MISSING = "None"
_ENSEMBL_GENE = re.compile(r"(ENS[A-Z]*G\d+)(\.\d+)?")
_FORMATS_FIX = (
    "use the Lambert 2018 DatabaseExtract_v_1.01.csv or a text file with one gene symbol per line"
)


def read_tf_list(path: str | Path) -> pd.DataFrame:
    """Read transcription factors from a Lambert CSV or a one-symbol-per-line file.

    A first line containing a comma marks the Lambert CSV (rows with `Is TF?` == `Yes` are
    kept); anything else is read as a symbol list.

    Returns a DataFrame with one row per TF in file order and columns `gene_id` (Ensembl ID
    without version; "" when missing or not an Ensembl ID, as the census's `DUX1_HUMAN`)
    and `symbol` (str, surrounding spaces stripped). A row repeating an earlier symbol
    or gene ID is dropped (the first is kept).
    """
    with open_text_read(path) as handle:
        first_line = handle.readline()
    read = _read_lambert if "," in first_line else _read_symbols
    tfs = _drop_duplicates(read(path))
    if tfs.empty:
        raise InputError(path, "the file lists no transcription factors", _FORMATS_FIX)
    return tfs


def write_lambert_tf_list(path: str | Path, tfs: pd.DataFrame) -> None:
    """Write `tfs` in the layout of the Lambert `DatabaseExtract_v_1.01.csv`.

    `tfs` has columns `gene_id`, `symbol`, `dbd` (str) and `is_tf` (bool), one row per gene.
    The file has all 29 columns; `number` counts 0..n-1, `Is TF?` is `Yes`/`No`, and every
    other cell, or an empty value, is `None`. The same table always gives the same bytes.
    """
    require_columns("tfs", tfs, WRITE_COLUMNS)
    if not pd.api.types.is_bool_dtype(tfs["is_tf"]):
        raise InputError("tfs", "column `is_tf` is not boolean", "give True/False values")
    with open_text_write(path) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(LAMBERT_HEADER)
        rows = tfs[list(WRITE_COLUMNS)].itertuples(index=False, name=None)
        for number, (gene_id, symbol, dbd, is_tf) in enumerate(rows):
            known = {
                "number": str(number),
                "Ensembl ID": _cell(gene_id),
                "HGNC symbol": _cell(symbol),
                "DBD": _cell(dbd),
                "Is TF?": "Yes" if is_tf else "No",
            }
            writer.writerow([known.get(name, _MISSING) for name in LAMBERT_HEADER])


def _read_lambert(path: str | Path) -> pd.DataFrame:
    """TFs (`Is TF?` == `Yes`) of a Lambert CSV as columns gene_id, symbol."""
    rows = []
    with read_delimited(
        path,
        delimiter=",",
        strip_names=True,
        required=LAMBERT_REQUIRED,
        fix=_FORMATS_FIX,
        field_fix="quote fields that contain commas, or download the file again",
    ) as table:
        positions = [table.header.index(name) for name in LAMBERT_REQUIRED]
        for _, fields in table:
            gene_id, symbol, is_tf = (fields[i].strip() for i in positions)
            if is_tf == "Yes":
                rows.append((_ensembl_gene(gene_id), _value(symbol)))
    return pd.DataFrame(rows, columns=list(TF_LIST_COLUMNS))


def _read_symbols(path: str | Path) -> pd.DataFrame:
    """Symbols of a one-per-line list as columns gene_id (all ""), symbol."""
    with open_text_read(path) as handle:
        text = handle.read()
    symbols = []
    for number, line in enumerate(text.splitlines(), start=1):
        symbol = line.strip()
        if any(char.isspace() for char in symbol):
            raise InputError(
                path, f"{symbol!r} is not one gene symbol", _FORMATS_FIX, f"line {number}"
            )
        if symbol:
            symbols.append(symbol)
    return pd.DataFrame({"gene_id": [""] * len(symbols), "symbol": symbols})


def _drop_duplicates(tfs: pd.DataFrame) -> pd.DataFrame:
    """Drop rows that repeat an earlier non-empty symbol or gene ID, and rows with neither."""
    repeated = (tfs["symbol"].ne("") & tfs["symbol"].duplicated()) | (
        tfs["gene_id"].ne("") & tfs["gene_id"].duplicated()
    )
    anonymous = tfs["symbol"].eq("") & tfs["gene_id"].eq("")
    return tfs[~(repeated | anonymous)].reset_index(drop=True)


def _value(cell: str) -> str:
    """A Lambert cell with its `None` marker turned into ""."""
    return "" if cell == _MISSING else cell


def _ensembl_gene(cell: str) -> str:
    """An Ensembl gene ID without its version; "" for anything else (`None`, `DUX1_HUMAN`)."""
    match = _ENSEMBL_GENE.fullmatch(cell)
    return match.group(1) if match else ""


def _cell(value: object) -> str:
    """A value as a Lambert cell: `None` when missing or empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return _MISSING
    return str(value)
