"""AnnData files (`.h5ad`): the expression sources and the compendium, gzip-compressed."""

from __future__ import annotations

from pathlib import Path

import anndata as ad

from cistrans.io.files import reading, rerun_rule

H5AD_DAMAGED = (OSError, EOFError, ValueError, KeyError)
"""What h5py and anndata raise on a cut or corrupt `.h5ad` file."""


def write_h5ad(adata: ad.AnnData, path: str | Path) -> None:
    """Write `adata` gzip-compressed, creating the folder."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    adata.write_h5ad(path, compression="gzip")


def read_h5ad(path: str | Path, fix: str | None = None) -> ad.AnnData:
    """Read an `.h5ad` file into memory.

    A missing, empty, truncated or corrupt file raises `InputError` naming it, with `fix`
    (default: delete it and rerun the rule that makes it; see `cistrans.io.files.rerun_rule`).
    """
    with reading(path, "HDF5 (.h5ad) file", fix or rerun_rule(), H5AD_DAMAGED) as path:
        return ad.read_h5ad(path)
