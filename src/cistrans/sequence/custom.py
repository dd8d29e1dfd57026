"""Bring your own sequences: a sequence table, or a FASTA with a label table.

MPRA and promoter libraries come as tens of thousands of short sequences (80–300 bp) with one
or more measured activities. Every cis model reads them the same way as genome windows: the
sequences padded with `N` on the right to the longest one, and one label per sequence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.errors import InputError, few
from cistrans.io.fasta import read_fasta_records
from cistrans.io.tables import read_delimited
from cistrans.sequence.labels import split_genes, zscore

SPLITS = frozenset({"train", "validation", "test"})
_ID_COLUMNS = ("id", "name", "gene_id", "sequence_id", "seq_id")
_SEQUENCE_COLUMNS = ("sequence", "seq")
_DNA = re.compile(r"^[ACGTN]+$")
_FIX_TABLE = (
    "give a TSV/CSV with a header: id, sequence, label (or several label_* columns), and "
    "optionally split (train/validation/test)"
)


@dataclass
class SequenceSet:
    """Sequences with labels, as the cis models read them.

    ids: unique names. sequences: upper-case ACGTN, each padded with `N` to `length`.
    lengths: the unpadded lengths. labels: one row per sequence, one column per label.
    split: train | validation | test per sequence, or None when the table gave none.
    """

    ids: list[str]
    sequences: list[str]
    lengths: np.ndarray
    labels: pd.DataFrame
    split: np.ndarray | None

    @property
    def length(self) -> int:
        return len(self.sequences[0])


@dataclass(frozen=True)
class TableColumns:
    """Which columns of a sequence or label table hold what; None finds them by name.

    The fields are the keys of config `sequence.table`. Found by name when None:
    id_column: id, name, gene_id, sequence_id or seq_id; sequence_column: sequence or seq;
    label_columns: label and every label_* column; split_column: a column named split
    (optional).
    """

    id_column: str | None = None
    sequence_column: str | None = None
    label_columns: tuple[str, ...] | None = None
    split_column: str | None = None

    def find(self, path: str | Path, header: list[str], sequence: bool) -> dict[str, object]:
        """The column names to read from `header`; InputError naming what is missing."""
        found: dict[str, object] = {
            "id": self._one(path, header, self.id_column, _ID_COLUMNS, "id")
        }
        if sequence:
            found["sequence"] = self._one(
                path, header, self.sequence_column, _SEQUENCE_COLUMNS, "sequence"
            )
        labels = (
            list(self.label_columns)
            if self.label_columns
            else [name for name in header if name.lower() == "label" or name.startswith("label_")]
        )
        _require(path, header, labels or ["label"], "label")
        found["labels"] = labels
        split = self.split_column or next(
            (name for name in header if name.lower() == "split"), None
        )
        if split is not None:
            _require(path, header, [split], "split")
        found["split"] = split
        return found

    @staticmethod
    def _one(
        path: str | Path, header: list[str], name: str | None, choices: tuple[str, ...], what: str
    ) -> str:
        if name is not None:
            _require(path, header, [name], what)
            return name
        lowered = {column.lower(): column for column in header}
        found = next((lowered[choice] for choice in choices if choice in lowered), None)
        if found is None:
            raise InputError(
                path,
                f"no {what} column (looked for {', '.join(choices)}); found {', '.join(header)}",
                f"name the column in config (sequence.table) or {_FIX_TABLE}",
                "line 1",
            )
        return found


def _require(path: str | Path, header: list[str], names: list[str], what: str) -> None:
    missing = [name for name in names if name not in header]
    if missing:
        raise InputError(
            path,
            f"no {what} column {', '.join(missing)}; found {', '.join(header)}",
            f"name the column in config (sequence.table) or {_FIX_TABLE}",
            "line 1",
        )


def _clean_sequence(path: str | Path, line: int, sequence: str) -> str:
    sequence = sequence.strip().upper()
    if not sequence or not _DNA.match(sequence):
        bad = sorted(set(sequence) - set("ACGTN")) or ["(empty)"]
        raise InputError(
            path,
            f"the sequence has letters other than A, C, G, T, N: {''.join(bad)[:10]}",
            "give DNA sequences (IUPAC ambiguity codes as N)",
            f"line {line}",
        )
    return sequence


def _number(path: str | Path, line: int, column: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InputError(
            path,
            f"{column} {text!r} is not a finite number",
            "give a numeric label for every sequence (drop rows without one)",
            f"line {line}",
        )
    return value


def read_sequence_table(path: str | Path, columns: TableColumns = TableColumns()) -> SequenceSet:
    """A TSV/CSV (optionally gzipped) with id, sequence and label column(s), optional split."""
    with read_delimited(path, delimiter=None, field_fix=_FIX_TABLE) as table:
        names = columns.find(path, table.header, sequence=True)
        at = {name: table.header.index(name) for name in table.header}
        ids, sequences, labels, splits = [], [], [], []
        for line, fields in table:
            ids.append((line, fields[at[names["id"]]].strip()))
            sequences.append(_clean_sequence(path, line, fields[at[names["sequence"]]]))
            labels.append([_number(path, line, c, fields[at[c]]) for c in names["labels"]])
            if names["split"] is not None:
                splits.append(_split_value(path, line, fields[at[names["split"]]]))
    return _sequence_set(path, ids, sequences, labels, names["labels"], splits or None)


def _split_value(path: str | Path, line: int, value: str) -> str:
    value = value.strip().lower()
    if value not in SPLITS:
        raise InputError(
            path,
            f"split {value!r} is not one of train, validation, test",
            "leave the split column out to let the config split the sequences",
            f"line {line}",
        )
    return value


def read_fasta_with_labels(
    fasta: str | Path, labels: str | Path, columns: TableColumns = TableColumns()
) -> SequenceSet:
    """A FASTA of sequences and a label table (id and label column(s), optional split)."""
    records = {}
    for line, name, sequence in read_fasta_records(fasta, "give FASTA: '>name' lines, then bases"):
        if name in records:
            raise InputError(
                fasta, f"sequence name {name!r} repeats", "name each once", f"line {line}"
            )
        records[name] = _clean_sequence(fasta, line, sequence)
    if not records:
        raise InputError(fasta, "holds no sequence", "give a FASTA with '>' records")
    with read_delimited(labels, delimiter=None, field_fix=_FIX_TABLE) as table:
        names = columns.find(labels, table.header, sequence=False)
        at = {name: table.header.index(name) for name in table.header}
        ids, sequences, values, splits = [], [], [], []
        for line, fields in table:
            name = fields[at[names["id"]]].strip()
            if name not in records:
                raise InputError(
                    labels,
                    f"id {name!r} has no sequence in {fasta}",
                    "label only sequences of the FASTA (names up to the first space)",
                    f"line {line}",
                )
            ids.append((line, name))
            sequences.append(records[name])
            values.append([_number(labels, line, c, fields[at[c]]) for c in names["labels"]])
            if names["split"] is not None:
                splits.append(_split_value(labels, line, fields[at[names["split"]]]))
    return _sequence_set(labels, ids, sequences, values, names["labels"], splits or None)


def _raise_repeats(
    path: str | Path,
    ids: list[tuple[int, str]],
    sequences: list[str],
    splits: list[str] | None,
    repeats: list[tuple[int, int]],
) -> None:
    """InputError for ids given more than once: how many, the first few with their lines,
    and how many repeat the same sequence (in two splits, such a copy leaks into the test)."""
    shown = [f"{ids[a][1]} (lines {ids[a][0]} and {ids[b][0]})" for a, b in repeats]
    same = sum(sequences[a] == sequences[b] for a, b in repeats)
    across = 0 if splits is None else sum(splits[a] != splits[b] for a, b in repeats)
    leak = f", {across} of them in two different splits" if across else ""
    raise InputError(
        path,
        f"{len(repeats)} ids repeat an earlier line: {few(shown)}; {same} of the repeats "
        f"carry the same sequence{leak}",
        "give each sequence once: drop the later copies (a sequence in both the training and "
        "the test split would be scored on what the model saw)",
        f"line {ids[repeats[0][1]][0]}",
    )


def _sequence_set(
    path: str | Path,
    ids: list[tuple[int, str]],
    sequences: list[str],
    labels: list[list[float]],
    label_columns: list[str],
    splits: list[str] | None,
) -> SequenceSet:
    """Check ids are unique, pad the sequences and assemble the set."""
    if not ids:
        raise InputError(path, "holds no sequence", _FIX_TABLE)
    seen: dict[str, int] = {}
    repeats: list[tuple[int, int]] = []  # (index of the first, index of the repeat)
    for index, (line, name) in enumerate(ids):
        if not name:
            raise InputError(path, "an empty id", "name every sequence", f"line {line}")
        if name in seen:
            repeats.append((seen[name], index))
        else:
            seen[name] = index
    if repeats:
        _raise_repeats(path, ids, sequences, splits, repeats)
    lengths = np.array([len(s) for s in sequences])
    longest = int(lengths.max())
    names = ["label" if c.lower() == "label" else c for c in label_columns]
    return SequenceSet(
        ids=[name for _, name in ids],
        sequences=[s.ljust(longest, "N") for s in sequences],
        lengths=lengths,
        labels=pd.DataFrame(labels, columns=names),
        split=None if splits is None else np.array(splits, dtype=object),
    )


def custom_windows(
    sequences: SequenceSet, split: dict
) -> tuple[list[str], pd.DataFrame, pd.DataFrame]:
    """The user's sequences as the cis models read genome windows.

    Returns the FASTA names (spaces become underscores), the window table (gene_id, name,
    length, padded) and the label table (gene_id, split, then `<label>_raw` and `<label>`
    z-scored with the training sequences, per label column). split: the `sequence.split`
    settings, used (in random mode) when the table gives no split column.
    """
    ids = ["_".join(name.split()) for name in sequences.ids]
    windows = pd.DataFrame(
        {
            "gene_id": ids,
            "name": sequences.ids,
            "length": sequences.lengths,
            "padded": sequences.length - sequences.lengths,
        }
    )
    if sequences.split is None:
        given = split_genes(windows.assign(chrom=""), **{**split, "mode": "random"})
    else:
        given = sequences.split
    scaled, _ = zscore(sequences.labels, given == "train")
    labels = pd.DataFrame({"gene_id": ids, "split": given})
    for column in sequences.labels.columns:
        labels[f"{column}_raw"] = sequences.labels[column].to_numpy()
        labels[column] = scaled[column].to_numpy()
    return ids, windows, labels
