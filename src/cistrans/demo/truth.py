"""Writing the demo world's truth tables, the planted answers that methods are scored on.

Each table goes to the path its rule declares; rules that read one back use
`cistrans.io.results.read_result_table`, whose errors name the rule that makes it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cistrans.io.tables import write_tsv


def write_truth_table(table: pd.DataFrame, path: str | Path, index: bool = False) -> None:
    """Write `table` as TSV (`write_tsv`) with floats to 4 decimals; `index` keeps the index."""
    write_tsv(table, path, index=index, float_format="%.4f")
