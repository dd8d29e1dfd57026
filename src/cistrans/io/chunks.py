"""Embedding chunk files: the float16 segment embeddings of one chunk of genes.

Chunks: a `.npy` array (float16 `[genes, segments, hidden]`) and a one-column TSV sidecar
(`gene_id`, one row per gene in array order). Both are written under temporary names and
renamed into place, the sidecar first, so an interrupted job never leaves a half-written
chunk, and a chunk whose `.npy` exists is complete.

Chunks are what the embedding jobs scatter over (`chunk_bounds`, one Snakemake scatter item
`i-of-n` each) and what the sequence models read back, memory-mapped.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.errors import InputError
from cistrans.io.files import DAMAGED_OR_INVALID, reading

GENE_COLUMN = "gene_id"


def chunk_bounds(n_genes: int, n_chunks: int) -> list[tuple[int, int]]:
    """`n_chunks` consecutive [start, stop) gene ranges covering 0…n_genes, sizes differing
    by at most one (empty ranges when there are more chunks than genes)."""
    if n_chunks < 1:
        raise InputError("config key 'embed.chunks'", f"{n_chunks} chunks", "use 1 or more")
    edges = [n_genes * i // n_chunks for i in range(n_chunks + 1)]
    return list(zip(edges[:-1], edges[1:], strict=True))


def write_chunk(
    npy_path: str | Path,
    genes_path: str | Path,
    embeddings: np.ndarray,
    gene_ids: Sequence[str],
) -> None:
    """Write `embeddings` (float16 (genes, segments, hidden)) and its gene_id sidecar."""
    if embeddings.ndim != 3:
        raise ValueError(f"embeddings of shape {embeddings.shape} are not 3-dimensional")
    write_gene_array(npy_path, genes_path, embeddings.astype(np.float16, copy=False), gene_ids)


def write_gene_array(
    npy_path: str | Path,
    genes_path: str | Path,
    array: np.ndarray,
    gene_ids: Sequence[str],
) -> None:
    """Write `array` (genes, ...) in its own dtype and its gene_id sidecar.

    Each file goes to a temporary name in its folder and is renamed into place (the sidecar
    first), so no reader ever sees a partial array.
    """
    if array.ndim < 2 or len(array) != len(gene_ids):
        raise ValueError(f"an array of shape {array.shape} does not match {len(gene_ids)} gene ids")
    npy_path, genes_path = Path(npy_path), Path(genes_path)
    for path in (npy_path, genes_path):
        path.parent.mkdir(parents=True, exist_ok=True)
    genes_tmp = genes_path.with_name(f".{genes_path.name}.{os.getpid()}.tmp")
    npy_tmp = npy_path.with_name(f".{npy_path.name}.{os.getpid()}.tmp")
    try:
        genes_tmp.write_text("".join(f"{g}\n" for g in [GENE_COLUMN, *gene_ids]), encoding="utf-8")
        with open(npy_tmp, "wb") as handle:
            np.save(handle, np.ascontiguousarray(array))
        os.replace(genes_tmp, genes_path)
        os.replace(npy_tmp, npy_path)
    finally:
        genes_tmp.unlink(missing_ok=True)
        npy_tmp.unlink(missing_ok=True)


def read_chunk(
    npy_path: str | Path, genes_path: str | Path, mmap: bool = False
) -> tuple[np.ndarray, list[str]]:
    """A chunk's float16 (genes, segments, hidden) array and its gene ids, checked to agree.

    mmap: map the array read-only instead of reading it into memory.
    """
    embeddings, gene_ids = read_gene_array(
        npy_path, genes_path, "rerun the embedding rule for this chunk", mmap
    )
    if embeddings.ndim != 3:
        raise InputError(
            npy_path,
            f"array of shape {embeddings.shape} is not (genes, segments, hidden)",
            "rerun the embedding rule for this chunk",
        )
    return embeddings, gene_ids


def read_gene_array(
    npy_path: str | Path, genes_path: str | Path, rerun: str, mmap: bool = False
) -> tuple[np.ndarray, list[str]]:
    """An array (genes, ...) and its gene ids, checked to agree; `rerun`: the fix to name
    (how to remake the pair). mmap: map the array read-only instead of reading it."""
    npy_path, genes_path = Path(npy_path), Path(genes_path)
    for path in (npy_path, genes_path):
        if not path.is_file():
            raise InputError(path, "no such file", rerun)
    damaged = f"delete it and {rerun}"
    with reading(npy_path, "NumPy array file", damaged, DAMAGED_OR_INVALID):
        array = np.load(npy_path, mmap_mode="r" if mmap else None)
    with reading(genes_path, "gene list", damaged, DAMAGED_OR_INVALID):
        lines = genes_path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0] != GENE_COLUMN:
        raise InputError(
            genes_path,
            f"the first line is {lines[0] if lines else 'missing'!r}, "
            f"not the header {GENE_COLUMN!r}",
            f"{rerun} (the sidecar is damaged)",
            "line 1",
        )
    gene_ids = lines[1:]
    if array.ndim < 2 or len(array) != len(gene_ids):
        raise InputError(
            npy_path,
            f"array of shape {array.shape} does not match the {len(gene_ids)} genes "
            f"of {genes_path.name}",
            f"{rerun} (its two files come from different runs)",
        )
    return array, gene_ids


def gather_chunks(
    npy_paths: Sequence[str | Path], genes_paths: Sequence[str | Path]
) -> tuple[np.ndarray, list[str]]:
    """All chunks in the given order: float16 (all genes, segments, hidden) and gene ids.

    InputError when chunks differ in segments or hidden size, or a gene appears twice.
    """
    if len(npy_paths) != len(genes_paths):
        raise ValueError(f"{len(npy_paths)} arrays but {len(genes_paths)} gene files")
    arrays, gene_ids = [], []
    for npy_path, genes_path in zip(npy_paths, genes_paths, strict=True):
        embeddings, genes = read_chunk(npy_path, genes_path)
        if arrays and embeddings.shape[1:] != arrays[0].shape[1:]:
            raise InputError(
                npy_path,
                f"shape {embeddings.shape} differs from the first chunk's {arrays[0].shape} "
                "beyond the gene axis",
                "rerun the embedding of all chunks with one model and segmentation",
            )
        arrays.append(embeddings)
        gene_ids.extend(genes)
    repeated = len(gene_ids) - len(set(gene_ids))
    if repeated:
        raise InputError(
            "embedding chunks",
            f"{repeated} gene id(s) appear in more than one chunk",
            "rerun the embedding of all chunks from one windows file",
        )
    return np.concatenate(arrays, axis=0), gene_ids


def chunk_of(scatteritem: str) -> tuple[int, int]:
    """(0-based chunk index, number of chunks) of a Snakemake scatter item `i-of-n`."""
    index, total = scatteritem.split("-of-")
    return int(index) - 1, int(total)


def chunk_index(embeddings: Sequence[str], genes: Sequence[str], index: str | Path) -> pd.DataFrame:
    """One row per chunk (file names, n_genes, segments, hidden_size, first and last gene),
    after reading each back (memory-mapped); chunks that differ in segments or hidden size
    raise `InputError` naming `index`."""
    rows = []
    for npy, names in zip(embeddings, genes, strict=True):
        array, ids = read_chunk(npy, names, mmap=True)
        rows.append(
            {
                "chunk": Path(npy).name,
                "genes_file": Path(names).name,
                "n_genes": len(ids),
                "segments": array.shape[1],
                "hidden_size": array.shape[2],
                "first_gene": ids[0] if ids else "",
                "last_gene": ids[-1] if ids else "",
            }
        )
    table = pd.DataFrame(rows)
    if table.segments.nunique() > 1 or table.hidden_size.nunique() > 1:
        raise InputError(
            index, "chunks differ in segments or hidden size", "rerun embed_chunk for all chunks"
        )
    return table
