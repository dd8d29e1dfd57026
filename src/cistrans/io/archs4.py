"""ARCHS4 human gene HDF5: counts in `data/expression` (genes x samples), metadata in `meta/`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from cistrans.errors import InputError
from cistrans.io.files import reading
from cistrans.io.tables import require_columns

EXPRESSION = "data/expression"
GENES = "meta/genes"
SAMPLES = "meta/samples"
# Each exposed column and the dataset names it has in ARCHS4 releases, newest last.
GENE_SPELLINGS = {
    "symbol": ("symbol", "gene_symbol"),
    "ensembl_gene": ("ensembl_gene", "ensembl_gene_id"),
}
READS_ALIGNED = ("readsaligned", "alignedreads")
_CHUNK_BYTES = 1 << 20
_CHUNK_CACHE_BYTES = 64 << 20  # several chunks of the real files, whatever their layout
_READ_BLOCK_SAMPLES = 1024
_FIX = "give an ARCHS4 human gene HDF5 file (human_gene_v2.*.h5) or download it again"


def write_archs4(
    path: str | Path, counts: np.ndarray, genes: pd.DataFrame, samples: pd.DataFrame
) -> None:
    """Write an ARCHS4-style HDF5 file; the same inputs always give byte-identical files.

    counts: non-negative integers, shape=(genes, samples), stored as uint32 in gzip-compressed
    chunks of whole sample columns. genes: one row per gene with at least `symbol` and
    `ensembl_gene`; samples: one row per sample. Each column becomes `meta/genes/<col>` or
    `meta/samples/<col>`: numbers as they are, everything else as UTF-8 bytes.
    """
    counts = _as_counts(counts)
    if len(genes) != counts.shape[0] or len(samples) != counts.shape[1]:
        raise ValueError(
            f"{len(genes)} genes x {len(samples)} samples of metadata "
            f"for counts of shape {counts.shape}"
        )
    require_columns("genes", genes, tuple(GENE_SPELLINGS))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    block = max(1, min(counts.shape[1], _CHUNK_BYTES // (4 * counts.shape[0])))
    with h5py.File(path, "w") as h5:
        h5.create_dataset(
            EXPRESSION,
            data=counts,
            chunks=(counts.shape[0], block),
            compression="gzip",
            compression_opts=4,
            shuffle=True,
            track_times=False,
        )
        _write_columns(h5, GENES, genes)
        _write_columns(h5, SAMPLES, samples)


def _as_counts(counts: np.ndarray) -> np.ndarray:
    """`counts` as a non-empty uint32 matrix; ValueError when it does not fit."""
    counts = np.asarray(counts)
    if counts.ndim != 2 or 0 in counts.shape:
        raise ValueError(f"counts must be a non-empty (genes, samples) matrix, got {counts.shape}")
    if not np.issubdtype(counts.dtype, np.integer):
        raise ValueError(f"counts must be integers, got {counts.dtype}")
    if counts.min() < 0 or counts.max() > np.iinfo(np.uint32).max:
        raise ValueError("counts must lie in the uint32 range")
    return counts.astype(np.uint32, copy=False)


def _write_columns(h5: h5py.File, group: str, table: pd.DataFrame) -> None:
    """One 1-D dataset `<group>/<column>` per column of `table`."""
    for column in table.columns:
        if not isinstance(column, str) or "/" in column or not column:
            raise ValueError(f"column name {column!r} cannot be an HDF5 dataset name")
        h5.create_dataset(f"{group}/{column}", data=_column_array(table[column]), track_times=False)


def _column_array(column: pd.Series) -> np.ndarray:
    """Numbers as they are; anything else as fixed-length UTF-8 bytes (NA as b"")."""
    if pd.api.types.is_numeric_dtype(column):
        return column.to_numpy()
    text = column.astype(object).where(column.notna(), "").astype(str).to_numpy(dtype=str)
    return np.char.encode(text, "utf-8")


def read_archs4_genes(path: str | Path) -> pd.DataFrame:
    """Gene metadata, one row per row of `data/expression`.

    Columns: `symbol`, `ensembl_gene` (from either ARCHS4 spelling) and `biotype` when the
    file has it; strings decoded from UTF-8.
    """
    with _open_archs4(path) as h5:
        datasets = {
            column: _dataset(h5, path, GENES, spellings)
            for column, spellings in GENE_SPELLINGS.items()
        }
        if f"{GENES}/biotype" in h5:
            datasets["biotype"] = _dataset(h5, path, GENES, ("biotype",))
        return _table(h5, path, datasets, axis=0)


def read_archs4_samples(path: str | Path, fields: Sequence[str] | None = None) -> pd.DataFrame:
    """Sample metadata, one row per column of `data/expression`.

    fields: the `meta/samples` datasets to read (all when None). Strings are decoded from
    UTF-8 (undecodable bytes replaced), numbers stay numbers. `readsaligned` (v2.2) and
    `alignedreads` (newer) are both exposed as `reads_aligned`, and may be asked for by
    any of the three names.
    """
    with _open_archs4(path) as h5:
        if fields is None:
            group = h5.get(SAMPLES)
            if not isinstance(group, h5py.Group):
                raise InputError(path, f"no group {SAMPLES}", _FIX, where=SAMPLES)
            fields = [name for name, item in group.items() if isinstance(item, h5py.Dataset)]
        datasets = {}
        for field in fields:
            if field in ("reads_aligned", *READS_ALIGNED):
                datasets["reads_aligned"] = _dataset(h5, path, SAMPLES, READS_ALIGNED)
            else:
                datasets[field] = _dataset(h5, path, SAMPLES, (field,))
        return _table(h5, path, datasets, axis=1)


def read_archs4_counts(path: str | Path, sample_index: np.ndarray) -> np.ndarray:
    """Counts of the samples at `sample_index` (columns of `data/expression`, any order,
    repeats allowed) as uint32, shape=(genes, len(sample_index)), in the order asked.

    The whole selection is held in memory; `iter_archs4_blocks` reads it a block at a time.
    """
    index = _sample_index(sample_index)
    with _open_archs4(path, _CHUNK_CACHE_BYTES) as h5:
        expression = _expression(h5, path)
        _check_range(index, expression.shape[1])
        counts = np.empty((expression.shape[0], index.size), dtype=np.uint32)
        for positions, block in _blocks(expression, index, _READ_BLOCK_SAMPLES):
            counts[:, positions] = block
    return counts


def iter_archs4_blocks(
    path: str | Path, sample_index: np.ndarray, block_size: int = 1000
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Counts of the samples at `sample_index` (columns of `data/expression`, any order,
    repeats allowed), `block_size` samples at a time, so a caller can normalise them block by
    block without holding the whole selection.

    Yields `(positions, counts)`: positions, int64 shape=(n,), are indices into
    `sample_index`; counts, uint32 shape=(genes, n) with n <= block_size, hold their
    columns (`counts[:, j]` is column `sample_index[positions[j]]`). Blocks come in the
    order of the file's columns (sorted, whole runs of neighbouring columns read at once)
    and together cover every position once. Arguments and the file are checked at the call
    (ValueError, InputError); the file is then open until the iterator ends.
    """
    if block_size < 1:
        raise ValueError(f"block_size must be positive, got {block_size}")
    index = _sample_index(sample_index)
    with _open_archs4(path) as h5:
        _check_range(index, _expression(h5, path).shape[1])
    return _iter_blocks(path, index, block_size)


def _iter_blocks(
    path: str | Path, index: np.ndarray, block_size: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """`_blocks` of a file's `data/expression`, opened for as long as the iteration lasts."""
    with _open_archs4(path, _CHUNK_CACHE_BYTES) as h5:
        yield from _blocks(_expression(h5, path), index, block_size)


def _sample_index(sample_index: np.ndarray) -> np.ndarray:
    """`sample_index` as a 1-D int64 array; ValueError unless it is 1-D integers."""
    index = np.asarray(sample_index)
    if index.ndim != 1 or (index.size and not np.issubdtype(index.dtype, np.integer)):
        raise ValueError(f"sample_index must be 1-D integers, got {index.dtype} {index.shape}")
    return index.astype(np.int64)


def _check_range(index: np.ndarray, n_samples: int) -> None:
    """ValueError unless every entry of `index` is a column of a matrix of `n_samples`."""
    if index.size and (index.min() < 0 or index.max() >= n_samples):
        raise ValueError(
            f"sample_index must lie in [0, {n_samples}), got {index.min()}..{index.max()}"
        )


def _blocks(
    expression: h5py.Dataset, index: np.ndarray, block_size: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """`(positions, counts)` of `index` (checked to be in range), `block_size` positions at
    a time in column order; each run of neighbouring columns is read with one call."""
    order = np.argsort(index, kind="stable")
    for start in range(0, index.size, block_size):
        positions = order[start : start + block_size]
        columns, inverse = np.unique(index[positions], return_inverse=True)
        block = np.empty((expression.shape[0], columns.size), dtype=np.uint32)
        breaks = np.flatnonzero(np.diff(columns) != 1) + 1
        for run_start, run_end in zip(np.r_[0, breaks], np.r_[breaks, columns.size], strict=True):
            first, last = columns[run_start], columns[run_end - 1] + 1
            expression.read_direct(block, np.s_[:, first:last], np.s_[:, run_start:run_end])
        yield positions, block if columns.size == positions.size else block[:, inverse]


@contextmanager
def _open_archs4(path: str | Path, chunk_cache_bytes: int | None = None) -> Iterator[h5py.File]:
    """Open an HDF5 file for reading, with InputError when it is missing, empty, not HDF5, or
    truncated or corrupt (when opened, or when its data are read in the `with` block).

    chunk_cache_bytes: the size of each dataset's chunk cache (HDF5's default when None),
    so that a chunk split between two reads is decompressed once."""
    missing_fix = "check the path in the config or download it"
    with reading(path, "HDF5 file", missing_fix=missing_fix) as path:
        if not h5py.is_hdf5(path):
            raise InputError(path, "not an HDF5 file", _FIX)
        with h5py.File(path, "r", rdcc_nbytes=chunk_cache_bytes) as h5:
            yield h5


def _dataset(h5: h5py.File, path: str | Path, group: str, names: Sequence[str]) -> h5py.Dataset:
    """The first of `<group>/<name>` that exists; InputError listing what exists otherwise."""
    for name in names:
        item = h5.get(f"{group}/{name}")
        if isinstance(item, h5py.Dataset):
            return item
    wanted = " or ".join(f"{group}/{name}" for name in names)
    parent = h5.get(group)
    present = sorted(parent) if isinstance(parent, h5py.Group) else sorted(h5)
    where = group if isinstance(parent, h5py.Group) else "/"
    raise InputError(
        path,
        f"no dataset {wanted} (in {where}: {', '.join(present[:30]) or 'nothing'})",
        _FIX,
        where=wanted,
    )


def _expression(h5: h5py.File, path: str | Path) -> h5py.Dataset:
    """`data/expression`, checked to be a 2-D matrix."""
    group, name = EXPRESSION.split("/")
    expression = _dataset(h5, path, group, (name,))
    if expression.ndim != 2:
        raise InputError(
            path, f"{EXPRESSION} has shape {expression.shape}, not (genes, samples)", _FIX
        )
    return expression


def _table(
    h5: h5py.File, path: str | Path, datasets: dict[str, h5py.Dataset], axis: int
) -> pd.DataFrame:
    """Columns read from 1-D `datasets`, each as long as `data/expression` along `axis`."""
    length = _expression(h5, path).shape[axis]
    kind = ("genes", "samples")[axis]
    for dataset in datasets.values():
        if dataset.shape != (length,):
            raise InputError(
                path,
                f"{dataset.name} has shape {dataset.shape} but {EXPRESSION} has {length} {kind}",
                _FIX,
                where=dataset.name,
            )
    return pd.DataFrame({column: _values(dataset) for column, dataset in datasets.items()})


def _values(dataset: h5py.Dataset) -> np.ndarray:
    """A 1-D dataset in memory: strings decoded from UTF-8, numbers as stored."""
    if h5py.check_string_dtype(dataset.dtype) is not None:
        return dataset.asstr(encoding="utf-8", errors="replace")[()]
    return dataset[()]
