"""Your own gene labels (`inputs.label_table`): a TSV/CSV with gene_id and label columns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.errors import InputError
from cistrans.io.files import OWN_FILE_AGAIN
from cistrans.io.gtf import strip_version
from cistrans.io.tables import read_delimited


def read_label_table(path: str | Path) -> pd.DataFrame:
    """gene_id (version stripped) and label_raw, one row per gene.

    Raises `InputError` naming the line of a non-numeric label or a repeated gene, and
    naming the file when it is missing, empty, truncated or corrupt.
    """
    rows: dict[str, float] = {}
    with read_delimited(
        path, delimiter=None, required=("gene_id", "label"), damaged_fix=OWN_FILE_AGAIN
    ) as table:
        at = {name: table.header.index(name) for name in ("gene_id", "label")}
        for line, fields in table:
            gene = strip_version(fields[at["gene_id"]].strip())
            value = pd.to_numeric(fields[at["label"]], errors="coerce")
            if not np.isfinite(value):
                raise InputError(
                    path, f"label {fields[at['label']]!r} is not a number", "give numeric labels",
                    f"line {line}",
                )  # fmt: skip
            if gene in rows:
                raise InputError(
                    path, f"gene {gene} repeats", "give each gene once", f"line {line}"
                )
            rows[gene] = float(value)
    return pd.DataFrame({"gene_id": list(rows), "label_raw": list(rows.values())})
