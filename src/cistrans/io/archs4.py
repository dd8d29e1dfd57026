"""ARCHS4 human gene HDF5: counts in `data/expression` (genes x samples), metadata in `meta/`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from cistrans.errors import InputError
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
    repeats allowed) as uint32, shape=(genes, len(sample_index)), in the order asked."""
    index = np.asarray(sample_index)
    if index.ndim != 1 or (index.size and not np.issubdtype(index.dtype, np.integer)):
        raise ValueError(f"sample_index must be 1-D integers, got {index.dtype} {index.shape}")
    with _open_archs4(path) as h5:
        expression = _expression(h5, path)
        if index.size and (index.min() < 0 or index.max() >= expression.shape[1]):
            raise ValueError(
                f"sample_index must lie in [0, {expression.shape[1]}), "
                f"got {index.min()}..{index.max()}"
            )
        columns, order = np.unique(index, return_inverse=True)
        return expression[:, columns][:, order]


@contextmanager
def _open_archs4(path: str | Path) -> Iterator[h5py.File]:
    """Open an HDF5 file for reading, with InputError when it is missing or not HDF5."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found", "check the path in the config or download it")
    if not h5py.is_hdf5(path):
        raise InputError(path, "not an HDF5 file", _FIX)
    try:
        h5 = h5py.File(path, "r")
    except OSError as error:
        raise InputError(path, f"the HDF5 file cannot be opened ({error})", _FIX) from None
    with h5:
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
