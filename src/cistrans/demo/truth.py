"""Reading the demo world's truth tables back, with clear errors when one is damaged."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from cistrans.errors import InputError
from cistrans.io.tables import require_columns

REBUILD = "delete resources/demo and rerun snakemake to rebuild the demo world"


def read_truth(path: str | Path, columns: Sequence[str]) -> pd.DataFrame:
    """A tab-separated truth table that must hold `columns`; empty cells stay ""."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found", REBUILD)
    try:
        table = pd.read_csv(path, sep="\t", keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise InputError(path, f"not a readable table ({error})", REBUILD) from error
    require_columns(path, table, columns, fix=REBUILD)
    return table
