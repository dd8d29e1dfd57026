"""AnnData files (`.h5ad`): the expression sources and the compendium, gzip-compressed."""

from __future__ import annotations

from pathlib import Path

import anndata as ad


def write_h5ad(adata: ad.AnnData, path: str | Path) -> None:
    """Write `adata` gzip-compressed, creating the folder."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    adata.write_h5ad(path, compression="gzip")


def read_h5ad(path: str | Path) -> ad.AnnData:
    """Read an `.h5ad` file into memory."""
    return ad.read_h5ad(path)
