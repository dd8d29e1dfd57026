"""GENCODE GTF annotation: 9 tab-separated fields, `key "value";` attributes."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.errors import InputError
from cistrans.io.files import open_text_read, open_text_write

# The feature types of a GENCODE GTF, in the order they follow one another.
GTF_FEATURES = (
    "gene",
    "transcript",
    "exon",
    "CDS",
    "UTR",
    "start_codon",
    "stop_codon",
    "Selenocysteine",
)
GTF_COLUMNS = ("seqname", "source", "feature", "start", "end", "score", "strand", "frame")
# Attributes that become columns of `read_gtf`; missing ones are "".
ATTRIBUTE_COLUMNS = ("gene_id", "gene_type", "gene_name", "transcript_id", "transcript_type")
READ_COLUMNS = (
    "seqname", "source", "feature", "start", "end", "strand", "frame", *ATTRIBUTE_COLUMNS, "tags",
)  # fmt: skip
STRANDS = frozenset("+-.")
_ATTRIBUTE = re.compile(r'\s*([^\s";]+)\s+(?:"([^"]*)"|([^\s;]+))\s*(?:;|$)')
_VERSION = re.compile(r"\.\d+(?=_PAR_Y$|$)")
_FIX = "give a GTF file such as GENCODE's gencode.v44.annotation.gtf.gz"


def write_gtf(
    path: str | Path,
    records: pd.DataFrame,
    description: str = "simulated annotation of a GENCODE-like genome",
    provider: str = "cistrans",
) -> None:
    """Write `records` as a GENCODE-style GTF with `##description/##provider/##format` lines.

    records: columns seqname, source, feature (one of GTF_FEATURES), start, end (1-based,
    inclusive), score, strand, frame, attributes; `attributes` holds a list of (key, value)
    pairs per row, written in order (keys may repeat, e.g. `tag`); int values are written
    bare (`level 2;`), the rest quoted. Gzipped when `path` ends in `.gz`.
    """
    unknown = sorted(set(records["feature"]) - set(GTF_FEATURES))
    if unknown:
        raise ValueError(f"features {unknown} are not GENCODE GTF features {GTF_FEATURES}")
    with open_text_write(path) as handle:
        handle.write(f"##description: {description}\n##provider: {provider}\n##format: gtf\n")
        fields = records[list(GTF_COLUMNS)].astype(str).itertuples(index=False)
        for row, attributes in zip(fields, records["attributes"], strict=True):
            handle.write("\t".join([*row, _format_attributes(attributes)]) + "\n")


def _format_attributes(attributes: Iterable[tuple[str, object]]) -> str:
    """`key "value"; key 2; ...` from (key, value) pairs; ints bare, the rest quoted."""
    parts = []
    for key, value in attributes:
        bare = isinstance(value, int | np.integer) and not isinstance(value, bool)
        parts.append(f"{key} {value};" if bare else f'{key} "{value}";')
    return " ".join(parts)


def read_gtf(path: str | Path, features: Collection[str] | None = None) -> pd.DataFrame:
    """Read a GTF (plain or gzipped) into one row per record, comment lines skipped.

    features: keep only these feature types (all when None).
    Columns: seqname, source, feature, start, end (int, 1-based inclusive), strand, frame,
    gene_id, gene_type, gene_name, transcript_id, transcript_type ("" when absent; IDs keep
    their versions, see `strip_version`), tags (tuple of every `tag` value), and
    exon_number (nullable Int64) when any record has one.
    """
    keep = None if features is None else frozenset(features)
    rows = []
    with open_text_read(path) as handle:
        for number, line in enumerate(handle, start=1):
            if line.startswith("#"):
                continue
            fields = line.rstrip("\r\n").split("\t")
            if fields == [""]:
                continue
            if len(fields) != 9:
                raise InputError(
                    path, f"{len(fields)} tab-separated fields, not 9", _FIX, where=f"line {number}"
                )
            if keep is None or fields[2] in keep:
                rows.append(_parse_record(path, number, fields))
    return _records_table(rows)


def _parse_record(path: str | Path, number: int, fields: list[str]) -> tuple:
    """One GTF line's values in `_records_table` order; InputError on bad coordinates."""
    seqname, source, feature, start, end, _score, strand, frame, attributes = fields
    if not (start.isdigit() and end.isdigit()):
        raise InputError(
            path, f"start {start!r} or end {end!r} is not an integer", _FIX, where=f"line {number}"
        )
    if int(start) > int(end):
        raise InputError(path, f"start {start} > end {end}", _FIX, where=f"line {number}")
    if strand not in STRANDS:
        raise InputError(
            path, f"strand {strand!r} is not one of + - .", _FIX, where=f"line {number}"
        )
    values: dict[str, str] = {}
    tags = []
    for key, quoted, bare in _ATTRIBUTE.findall(attributes):
        if key == "tag":
            tags.append(quoted or bare)
        else:
            values.setdefault(key, quoted or bare)
    exon_number = values.get("exon_number")
    if exon_number is not None and not exon_number.isdigit():
        raise InputError(
            path, f"exon_number {exon_number!r} is not an integer", _FIX, where=f"line {number}"
        )
    return (
        seqname,
        source,
        feature,
        int(start),
        int(end),
        strand,
        frame,
        *(values.get(key, "") for key in ATTRIBUTE_COLUMNS),
        tuple(tags),
        None if exon_number is None else int(exon_number),
    )


def _records_table(rows: list[tuple]) -> pd.DataFrame:
    """The `read_gtf` table from `_parse_record` tuples."""
    table = pd.DataFrame(rows, columns=[*READ_COLUMNS, "exon_number"])
    table = table.astype({"start": np.int64, "end": np.int64, "exon_number": "Int64"})
    if table["exon_number"].isna().all():
        table = table.drop(columns="exon_number")
    return table


def strip_version(gene_id: str) -> str:
    """An Ensembl ID without its `.N` version (`ENSG00000117118.9` → `ENSG00000117118`).

    A `_PAR_Y` suffix (GENCODE's copies of pseudoautosomal genes on chrY) is kept, so the
    two copies stay distinct: `ENSG00000002586.20_PAR_Y` → `ENSG00000002586_PAR_Y`.
    """
    return _VERSION.sub("", gene_id)
