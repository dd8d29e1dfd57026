"""Bring your own sequences: a sequence table, or a FASTA with a label table.

MPRA and promoter libraries come as tens of thousands of short sequences (80–300 bp) with one
or more measured activities. Every cis model reads them the same way as genome windows: the
sequences padded with `N` on the right to the longest one, and one label per sequence.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.errors import InputError, few
from cistrans.io.fasta import read_fasta_records
from cistrans.io.files import OWN_FILE_AGAIN
from cistrans.io.tables import read_delimited
from cistrans.sequence.labels import split_genes, zscore
from cistrans.sequence.transform import transform_labels

log = logging.getLogger(__name__)

# The values a split column (sequence.table.split_column) may hold, in any case, and the
# split each names (the DREAM lentiMPRA files say `valid`, DeepSTARR's `val`).
SPLIT_VALUES = {
    "train": "train",
    "training": "train",
    "validation": "validation",
    "val": "validation",
    "valid": "validation",
    "dev": "validation",
    "test": "test",
}
_SPLIT_ALLOWED = "train or training; validation, val, valid or dev; test (in any case)"
# Lengths: a sequence longer than LONG × the median is named in a warning (the median window
# would then be more than half N); a longest sequence over REFUSED × the median is an error
# (the median window would be over 90% N). The DREAM human lentiMPRA sample (3 × 1,000
# sequences) is uniformly 230 bp (ratio 1.0, no N) and a 150-230 bp library has a ratio of
# about 1.2, so neither threshold touches a library designed to one length.
LONG = 2.0
REFUSED = 10.0
# Length carrying the label (check_length_label): every model sees a sequence's length (its N
# padding; its site counts scale with its real bases). Warned when, on the training
# sequences, |Spearman ρ| of length and label reaches LENGTH_RHO, or the sequences shorter
# than SHORT × the median length (at least SHORT_GROUP of them) differ from the rest by a
# rank-biserial |r| of at least SHORT_SHIFT: an E. coli library's only short sequences were
# its 96 strong positive controls.
LENGTH_RHO = 0.2
SHORT = 0.9
SHORT_GROUP = 10
SHORT_SHIFT = 0.5
_ID_COLUMNS = ("id", "name", "gene_id", "sequence_id", "seq_id")
_SEQUENCE_COLUMNS = ("sequence", "seq")
_DNA = re.compile(r"^[ACGTN]+$")
_FIX_TABLE = (
    "give a TSV/CSV with a header: id, sequence, label (or several label_* columns), and "
    "optionally a split column (train/validation/test) named in sequence.table.split_column"
)


@dataclass
class SequenceSet:
    """Sequences with labels, as the cis models read them.

    ids: unique names. sequences: upper-case ACGTN, each padded with `N` to `length`.
    lengths: the unpadded lengths. labels: one row per sequence, one column per label.
    split: train | validation | test per sequence, or None when the table gave none.
    source: the file the labels came from (for messages).
    """

    ids: list[str]
    sequences: list[str]
    lengths: np.ndarray
    labels: pd.DataFrame
    split: np.ndarray | None
    source: str = ""

    @property
    def length(self) -> int:
        return len(self.sequences[0])


@dataclass(frozen=True)
class TableColumns:
    """Which columns of a sequence or label table hold what; None finds them by name.

    The fields are the keys of config `sequence.table`. Found by name when None:
    id_column: id, name, gene_id, sequence_id or seq_id; sequence_column: sequence or seq;
    label_columns: label and every label_* column. split_column is never found by name: a
    table's split is used only when the config names its column (a column called split is
    otherwise ignored, with a warning), so sequence.split is not overridden unawares.
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
        if self.split_column is not None:
            _require(path, header, [self.split_column], "split")
        else:
            _warn_unread_split(path, header)
        found["split"] = self.split_column
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


def _warn_unread_split(path: str | Path, header: list[str]) -> None:
    """Warn that a column called split (any case) is not read: the config does not name it."""
    unread = next((name for name in header if name.lower() == "split"), None)
    if unread is not None:
        log.warning(
            "%s: the column %r is ignored: the sequences are split by the config "
            "(sequence.split). Fix: to use the table's split instead, set "
            "sequence.table.split_column: %s (values %s)",
            path,
            unread,
            unread,
            _SPLIT_ALLOWED,
        )


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
    """A TSV/CSV (optionally gzipped) with id, sequence and label column(s), and a split
    column when `columns.split_column` names one."""
    with read_delimited(
        path, delimiter=None, field_fix=_FIX_TABLE, damaged_fix=OWN_FILE_AGAIN
    ) as table:
        names = columns.find(path, table.header, sequence=True)
        at = {name: table.header.index(name) for name in table.header}
        ids, sequences, labels, splits = [], [], [], []
        for line, fields in table:
            ids.append((line, fields[at[names["id"]]].strip()))
            sequences.append(_clean_sequence(path, line, fields[at[names["sequence"]]]))
            labels.append([_number(path, line, c, fields[at[c]]) for c in names["labels"]])
            if names["split"] is not None:
                splits.append(_split_value(path, line, names["split"], fields[at[names["split"]]]))
    _check_split_column(path, names["split"], splits)
    return _sequence_set(path, ids, sequences, labels, names["labels"], splits or None)


def _split_value(path: str | Path, line: int, column: str, value: str) -> str:
    """train, validation or test from a split column's `value` (SPLIT_VALUES, any case)."""
    split = SPLIT_VALUES.get(value.strip().lower())
    if split is None:
        raise InputError(
            path,
            f"split {value.strip()!r} in column {column!r} is not one of: {_SPLIT_ALLOWED}",
            "give every row one of these values, or leave sequence.table.split_column out to "
            "let sequence.split split the sequences",
            f"line {line}",
        )
    return split


def _check_split_column(path: str | Path, column: str | None, splits: list[str]) -> None:
    """InputError when the split column puts every sequence in one split (the yeast
    promoter tables say `test` on every row)."""
    if column is not None and len(set(splits)) == 1:
        raise InputError(
            path,
            f"the split column {column!r} puts every sequence in {splits[0]!r} "
            f"({len(splits):,} rows): nothing is left to train, validate or test on",
            "give the column train, validation and test rows, or leave "
            "sequence.table.split_column out to let sequence.split split the sequences",
            f"column {column}",
        )


def read_fasta_with_labels(
    fasta: str | Path, labels: str | Path, columns: TableColumns = TableColumns()
) -> SequenceSet:
    """A FASTA of sequences and a label table (id and label column(s), and a split column
    when `columns.split_column` names one)."""
    records, fasta_lines = {}, {}
    for line, name, sequence in read_fasta_records(fasta, "give FASTA: '>name' lines, then bases"):
        if name in records:
            raise InputError(
                fasta, f"sequence name {name!r} repeats", "name each once", f"line {line}"
            )
        records[name] = _clean_sequence(fasta, line, sequence)
        fasta_lines[name] = line
    if not records:
        raise InputError(fasta, "holds no sequence", "give a FASTA with '>' records")
    with read_delimited(
        labels, delimiter=None, field_fix=_FIX_TABLE, damaged_fix=OWN_FILE_AGAIN
    ) as table:
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
                splits.append(
                    _split_value(labels, line, names["split"], fields[at[names["split"]]])
                )
    _check_split_column(labels, names["split"], splits)
    lines = [fasta_lines[name] for _, name in ids]
    return _sequence_set(
        labels, ids, sequences, values, names["labels"], splits or None, (fasta, lines)
    )


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
    sequence_file: tuple[str | Path, list[int]] | None = None,
) -> SequenceSet:
    """Check ids are unique, lengths and labels usable; pad the sequences and assemble the set.

    sequence_file: the FASTA the sequences came from and each one's header line, when it is
    not `path` (whose lines are in `ids`).
    """
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
    source, lines = sequence_file or (path, [line for line, _ in ids])
    check_lengths(source, [name for _, name in ids], lines, lengths)
    longest = int(lengths.max())
    names = ["label" if c.lower() == "label" else c for c in label_columns]
    table = pd.DataFrame(labels, columns=names)
    split = None if splits is None else np.array(splits, dtype=object)
    check_label_spread(path, table, label_columns, None if split is None else split == "train")
    return SequenceSet(
        ids=[name for _, name in ids],
        sequences=[s.ljust(longest, "N") for s in sequences],
        lengths=lengths,
        labels=table,
        split=split,
        source=str(path),
    )


def check_lengths(path: str | Path, ids: list[str], lines: list[int], lengths: np.ndarray) -> None:
    """Warn about sequences far longer than the rest; InputError when padding would swamp.

    Every sequence is padded with N to the longest. ids, lines: each sequence's name and line
    in `path`; lengths: shape=(len(ids),), unpadded. A sequence longer than LONG × the median
    is named in a warning with the share of N that padding costs; a longest sequence over
    REFUSED × the median is refused.
    """
    median = float(np.median(lengths))
    longest = int(lengths.max())
    long = np.flatnonzero(lengths > LONG * median)
    if not len(long):
        return
    padded = 1 - lengths.sum() / (len(lengths) * longest)
    rest = np.delete(lengths, long)
    without = 1 - rest.sum() / (len(rest) * rest.max())
    named = few([f"{ids[i]} (line {lines[i]}, {lengths[i]:,} bp)" for i in long])
    found = (
        f"{len(long)} of {len(lengths):,} sequences are more than {LONG:g}x the median length "
        f"({median:g} bp): {named}; every sequence is padded with N to the longest "
        f"({longest:,} bp), so {padded:.0%} of the padded windows are N "
        f"({without:.0%} without them)"
    )
    fix = (
        "trim the long sequences to the library's length or drop them, or split the library "
        "by length into separate tables"
    )
    if longest > REFUSED * median:
        raise InputError(
            path,
            f"{found}; the longest is {longest / median:.0f}x the median (over "
            f"{REFUSED:g}x is refused: the typical window would be over 90% N)",
            fix,
            f"line {lines[long[0]]}",
        )
    log.warning("%s: %s. Fix: %s", path, found, fix)


def check_length_label(
    path: str | Path, lengths: np.ndarray, labels: pd.DataFrame, train: np.ndarray
) -> None:
    """Warn, per label, when a sequence's length alone tells its label on the training
    sequences (LENGTH_RHO, SHORT, SHORT_GROUP, SHORT_SHIFT), with the numbers.

    lengths: shape=(sequences,), unpadded. labels: one column per label. train:
    shape=(sequences,) bool.
    """
    from scipy.stats import mannwhitneyu, spearmanr

    length = lengths[train]
    if len(length) < 3 or np.ptp(length) == 0:
        return
    median = float(np.median(lengths))
    short = length < SHORT * median
    for column in labels.columns:
        values = labels[column].to_numpy()[train]
        found = []
        rho = float(spearmanr(length, values).statistic)
        if abs(rho) >= LENGTH_RHO:
            found.append(f"Spearman ρ of length and label {rho:+.2f}")
        if SHORT_GROUP <= short.sum() <= len(short) - SHORT_GROUP:
            u = mannwhitneyu(values[short], values[~short]).statistic
            r = 2 * u / (short.sum() * (~short).sum()) - 1
            if abs(r) >= SHORT_SHIFT:
                found.append(
                    f"the {int(short.sum()):,} sequences shorter than {SHORT:.0%} of the median "
                    f"length ({median:g} bp) have a median label of "
                    f"{np.median(values[short]):.3g} against {np.median(values[~short]):.3g} "
                    f"for the rest (rank-biserial r {r:+.2f})"
                )
        if found:
            log.warning(
                "%s: the length of a sequence tells its label %r: on the %s training "
                "sequences, %s. Every sequence is padded with N to the longest (%d bp), so a "
                "model can read the label from the padding alone (windows.tsv lists each "
                "sequence's length and padding). Fix: give sequences of one length (trim "
                "them, or extend the short ones with their real flanks), or leave out the "
                "short ones (e.g. controls) that are not part of the library",
                path, column, f"{len(length):,}", "; ".join(found), int(lengths.max()),
            )  # fmt: skip


def check_label_spread(
    path: str | Path,
    labels: pd.DataFrame,
    columns: list[str],
    train: np.ndarray | None,
    split_fix: str = "put sequences with different values in the training split (split column)",
) -> None:
    """InputError naming a label column that is constant, in all rows or in the training rows.

    labels: one column per label, in the order of `columns` (their names in the file).
    train: shape=(len(labels),) bool, or None when the split is not known yet. split_fix: the
    fix when only the training rows are constant.
    """
    if train is not None and not train.any():
        raise InputError(
            path,
            "the split column marks no sequence 'train'",
            "mark training sequences 'train', or leave sequence.table.split_column out to let "
            "the config split the sequences",
        )
    for name, column in zip(columns, labels.columns, strict=True):
        values = labels[column].to_numpy()
        if _constant(values):
            raise InputError(
                path,
                f"label {name!r} has no spread: {_all_have(len(values), 'sequence')} the "
                f"value {values[0]:g}, so a model has nothing to learn",
                "name the column that holds the measured activity in "
                "sequence.table.label_columns (not a replicate, batch or fold column), or drop "
                "this one",
                f"column {name}",
            )
        if train is not None and _constant(values[train]):
            raise InputError(
                path,
                f"label {name!r} has no spread in the training split: "
                f"{_all_have(int(train.sum()), 'training sequence')} the value "
                f"{values[train][0]:g}, so a model has nothing to learn",
                split_fix,
                f"column {name}",
            )


def _constant(values: np.ndarray) -> bool:
    return bool(np.ptp(values) <= 1e-12 * max(1.0, float(np.abs(values).max())))


def _all_have(count: int, what: str) -> str:
    return f"the one {what} has" if count == 1 else f"all {count:,} {what}s have"


def custom_windows(
    sequences: SequenceSet, split: dict, *, transform: str = "none"
) -> tuple[list[str], pd.DataFrame, pd.DataFrame]:
    """The user's sequences as the cis models read genome windows.

    Returns the FASTA names (spaces become underscores), the window table (gene_id, name,
    length, padded) and the label table (gene_id, split, then `<label>_raw`, the table's
    value, and `<label>`, transformed by `transform` (`sequence.table.transform`, see
    `cistrans.sequence.transform`) and z-scored with the training sequences, per label
    column). split: the `sequence.split` settings, used (in random mode) when the table
    gives no split column.
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
        given = split_genes(
            windows.assign(chrom=""),
            **{**split, "mode": "random"},
            rows=f"sequences of {sequences.source or 'the sequence table'}",
        )
        check_label_spread(
            sequences.source or "the sequence table",
            sequences.labels,
            list(sequences.labels.columns),
            given == "train",
            "give labels that vary between more of the sequences, or a split column that puts "
            "sequences with different values in the training split",
        )
    else:
        given = sequences.split
    check_length_label(
        sequences.source or "the sequence table", sequences.lengths, sequences.labels,
        given == "train",
    )  # fmt: skip
    transformed = transform_labels(
        sequences.labels, transform, train=given == "train",
        path=sequences.source or "the sequence table",
    )  # fmt: skip
    scaled, _ = zscore(transformed, given == "train")
    labels = pd.DataFrame({"gene_id": ids, "split": given})
    for column in sequences.labels.columns:
        labels[f"{column}_raw"] = sequences.labels[column].to_numpy()
        labels[column] = scaled[column].to_numpy()
    return ids, windows, labels
