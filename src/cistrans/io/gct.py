"""GTEx expression matrices in GCT 1.2: `#1.2`, a dimensions line, a header, one row per gene."""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cistrans.errors import InputError
from cistrans.io.files import open_text_read, open_text_write

GCT_VERSION = "#1.2"
_TRAILING_ZEROS = re.compile(r"\.?0+(?=\t|$)")


@dataclass(frozen=True)
class GctTable:
    """A GCT file in memory.

    values: float32, shape=(genes, samples). names: gene IDs as in the file (versions kept).
    descriptions: the `Description` column (gene symbols, not unique). sample_ids: column names.
    """

    values: np.ndarray
    names: list[str]
    descriptions: list[str]
    sample_ids: list[str]


def write_gct(
    path: str | Path,
    values: np.ndarray,
    names: Sequence[str],
    descriptions: Sequence[str],
    sample_ids: Sequence[str],
    decimals: int | None = 4,
) -> None:
    """Write `values` (shape=(genes, samples)) as GCT 1.2, gzipped when `path` ends in `.gz`.

    With `decimals=None` the values must be integral (counts) and are written as integers;
    otherwise each value is rounded to `decimals` places and trailing zeros are trimmed
    (`0`, `12.5`, `0.0312`). The same inputs always give byte-identical files.
    """
    values = np.asarray(values)
    _check_inputs(values, names, descriptions, sample_ids, decimals)
    with open_text_write(path) as handle:
        handle.write(f"{GCT_VERSION}\n{values.shape[0]}\t{values.shape[1]}\n")
        handle.write("\t".join(["Name", "Description", *sample_ids]) + "\n")
        for name, description, row in zip(
            names, descriptions, _format_rows(values, decimals), strict=True
        ):
            handle.write(f"{name}\t{description}\t{row}\n")


def _check_inputs(
    values: np.ndarray,
    names: Sequence[str],
    descriptions: Sequence[str],
    sample_ids: Sequence[str],
    decimals: int | None,
) -> None:
    """Raise ValueError unless the labels fit `values` and hold no tabs or line breaks, and
    the values are integral when `decimals` is None."""
    if values.ndim != 2:
        raise ValueError(f"values must be 2-D (genes, samples), got shape {values.shape}")
    if not len(names) == len(descriptions) == values.shape[0]:
        raise ValueError(
            f"{len(names)} names and {len(descriptions)} descriptions "
            f"for {values.shape[0]} gene rows"
        )
    if len(sample_ids) != values.shape[1]:
        raise ValueError(f"{len(sample_ids)} sample IDs for {values.shape[1]} sample columns")
    for label in (*names, *descriptions, *sample_ids):
        if re.search(r"[\t\r\n]", label):
            raise ValueError(f"label {label!r} contains a tab or line break")
    if decimals is None and not (
        np.all(np.isfinite(values)) and np.array_equal(values, np.round(values))
    ):
        raise ValueError("decimals=None writes integer counts, but values are not integral")


def _format_rows(values: np.ndarray, decimals: int | None) -> Iterator[str]:
    """Tab-joined text of each row of `values` (shape=(genes, samples)), one row at a time."""
    if decimals is None:
        for row in values:
            yield "\t".join(map(str, row.astype(np.int64).tolist()))
        return
    template = "\t".join([f"%.{decimals}f"] * values.shape[1])
    for row in values:
        rounded = np.round(row.astype(np.float64), decimals) + 0.0  # + 0.0 makes -0.0 0.0
        text = template % tuple(rounded.tolist())
        yield _TRAILING_ZEROS.sub("", text) if decimals > 0 else text


def read_gct(path: str | Path) -> GctTable:
    """Read a GCT 1.2 file (plain or gzipped) into a `GctTable`.

    The dimensions line may disagree with the body (subsets of GTEx files keep the original
    line): the body counts, and a warning says so. Malformed content raises `InputError`.
    """
    with open_text_read(path) as handle:
        _check_version(path, handle.readline())
        dims = _parse_dims(path, handle.readline())
        sample_ids = _parse_header(path, handle.readline())
        names, descriptions, rows = [], [], []
        for number, line in enumerate(handle, start=4):
            fields = line.rstrip("\r\n").split("\t")
            if fields == [""]:
                continue
            rows.append(_parse_values(path, number, fields, sample_ids))
            names.append(fields[0])
            descriptions.append(fields[1])
    values = np.vstack(rows) if rows else np.empty((0, len(sample_ids)), dtype=np.float32)
    if dims != values.shape:
        warnings.warn(
            f"{path}: the dimensions line says {dims[0]} genes x {dims[1]} samples, "
            f"the body holds {values.shape[0]} x {values.shape[1]}; using the body",
            stacklevel=2,
        )
    return GctTable(values, names, descriptions, sample_ids)


def _check_version(path: str | Path, line: str) -> None:
    """Raise InputError unless the first line is `#1.2`."""
    if line.rstrip("\r\n") != GCT_VERSION:
        raise InputError(
            path,
            f"the first line is {line.rstrip()[:40]!r}, not {GCT_VERSION!r}",
            "give a GCT 1.2 file (GTEx gene_tpm / gene_reads .gct.gz)",
            where="line 1",
        )


def _parse_dims(path: str | Path, line: str) -> tuple[int, int]:
    """(genes, samples) from the dimensions line, e.g. `56200\\t17382`."""
    fields = line.split()
    if len(fields) != 2 or not all(field.isdigit() for field in fields):
        raise InputError(
            path,
            f"the dimensions line is {line.rstrip()[:40]!r}, not '<genes><TAB><samples>'",
            "give a GCT 1.2 file; its second line holds the number of genes and samples",
            where="line 2",
        )
    return int(fields[0]), int(fields[1])


def _parse_header(path: str | Path, line: str) -> list[str]:
    """Sample IDs from the `Name Description <samples>` header; they must be unique."""
    fields = line.rstrip("\r\n").split("\t")
    if [field.lower() for field in fields[:2]] != ["name", "description"]:
        raise InputError(
            path,
            f"the header starts {fields[:2]}, not ['Name', 'Description']",
            "give a GCT 1.2 file; its third line is 'Name<TAB>Description<TAB><sample IDs>'",
            where="line 3",
        )
    sample_ids = fields[2:]
    repeated = sorted(sample for sample, count in Counter(sample_ids).items() if count > 1)
    if repeated:
        raise InputError(
            path,
            f"{len(repeated)} sample IDs appear more than once: {', '.join(repeated[:10])}",
            "give each sample column a unique ID",
            where="line 3",
        )
    return sample_ids


def _parse_values(
    path: str | Path, number: int, fields: list[str], sample_ids: list[str]
) -> np.ndarray:
    """The numeric cells of one data row as float32, shape=(samples,)."""
    if len(fields) != len(sample_ids) + 2:
        raise InputError(
            path,
            f"{len(fields)} tab-separated fields where the header has {len(sample_ids) + 2}",
            "repair or download the file again; every row needs Name, Description and "
            "one value per sample",
            where=f"line {number}",
        )
    try:
        return np.array(fields[2:], dtype=np.float32)
    except ValueError:
        for column, cell in enumerate(fields[2:]):
            if not _is_number(cell):
                raise InputError(
                    path,
                    f"value {cell!r} is not a number",
                    "repair or download the file again",
                    where=f"line {number}, sample {sample_ids[column]}",
                ) from None
        raise


def _is_number(text: str) -> bool:
    """Whether `text` parses as a float32."""
    try:
        np.float32(text)
    except ValueError:
        return False
    return True
