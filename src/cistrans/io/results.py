"""Reading back the tables and JSON files that earlier steps wrote, with errors naming the step.

A step's inputs are often another step's outputs (light-up scores, TF importance, the demo
world's truth). When one of them is missing or damaged, the error names the file, what is
wrong with it and the rule that makes it, so that the fix is to rebuild that step, not to
delete something unrelated.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anndata as ad
import pandas as pd

from cistrans.errors import InputError
from cistrans.io.files import DAMAGED_OR_INVALID, reading, rerun_rule
from cistrans.io.h5ad import read_h5ad
from cistrans.io.tables import require_columns


def rebuild_fix(made_by: str) -> str:
    """The fix for a damaged output of rule `made_by`: rebuild it with that rule."""
    return rerun_rule(made_by)


def _existing(path: str | Path, made_by: str) -> tuple[Path, str]:
    """`path` as a Path and the fix naming rule `made_by`; `InputError` when it is missing."""
    path, fix = Path(path), rebuild_fix(made_by)
    if not path.is_file():
        raise InputError(path, "file not found", fix)
    return path, fix


def read_result_table(
    path: str | Path, columns: Sequence[str], made_by: str, **options: Any
) -> pd.DataFrame:
    """A tab-separated table written by rule `made_by` that must hold `columns`.

    Empty cells stay "" (`keep_default_na=False`) unless `options` (passed to
    `pandas.read_csv`) say otherwise. Raises `InputError` naming the file and the rule when
    the file is missing, unreadable or lacks a column.
    """
    path, fix = _existing(path, made_by)
    try:
        with reading(path, fix=fix):
            table = pd.read_csv(path, sep="\t", **{"keep_default_na": False, **options})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise InputError(path, f"not a readable table ({error})", fix) from error
    require_columns(path, table, columns, fix=fix)
    return table


def read_result_json(path: str | Path, keys: Sequence[str], made_by: str) -> dict[str, Any]:
    """A JSON object written by rule `made_by` that must hold `keys`."""
    path, fix = _existing(path, made_by)
    with reading(path, "JSON file", fix, DAMAGED_OR_INVALID):
        content = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(content, dict):
        raise InputError(path, "not a JSON object", fix)
    missing = [key for key in keys if key not in content]
    if missing:
        raise InputError(path, f"missing key(s) {', '.join(missing)}", fix)
    return content


def write_json(content: object, path: str | Path) -> None:
    """Write a result as indented JSON (numpy scalars as floats), ending in a newline."""
    Path(path).write_text(json.dumps(content, indent=2, default=float) + "\n", encoding="utf-8")


def write_text(text: str, path: str | Path) -> None:
    """Write a text result (e.g. Markdown) as UTF-8 with LF line ends."""
    Path(path).write_text(text, encoding="utf-8", newline="\n")


def write_matrix(matrix: pd.DataFrame, path: str | Path) -> None:
    """Write a labelled matrix (e.g. TF × target scores) as Parquet, index kept."""
    matrix.to_parquet(path)


def read_result_parquet(path: str | Path, columns: Sequence[str], made_by: str) -> pd.DataFrame:
    """A Parquet table written by rule `made_by` that must hold `columns`."""
    path, fix = _existing(path, made_by)
    table = _read_parquet(path, fix, "table")
    require_columns(path, table, columns, fix=fix)
    return table


def _read_parquet(path: Path, fix: str, kind: str) -> pd.DataFrame:
    """Parquet file `path`; an InputError saying the Parquet `kind` is truncated or corrupt."""
    with reading(path, f"Parquet {kind}", fix, DAMAGED_OR_INVALID):
        return pd.read_parquet(path)


def read_result_h5ad(path: str | Path, var_columns: Sequence[str], made_by: str) -> ad.AnnData:
    """An `.h5ad` file written by rule `made_by` whose var table must hold `var_columns`."""
    path, fix = _existing(path, made_by)
    adata = read_h5ad(path, fix)
    require_columns(path, adata.var, var_columns, fix=fix, where="var (the motifs)")
    return adata


def read_result_matrix(path: str | Path, made_by: str) -> pd.DataFrame:
    """A labelled matrix written by `write_matrix` in rule `made_by`."""
    path, fix = _existing(path, made_by)
    return _read_parquet(path, fix, "matrix")
