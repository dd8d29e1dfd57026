"""Scoring your own sequences with a trained one-hot cis model (rule predict): a table of id
and sequence, each scored in the units of the model's label; with an `alternative` column, a
table of variants, each scored as the predicted difference, alternative − reference."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.cismodels.saved import SequenceModel
from cistrans.errors import InputError
from cistrans.io.files import OWN_FILE_AGAIN
from cistrans.io.tables import read_delimited

ID, SEQUENCE, ALTERNATIVE = "id", "sequence", "alternative"
_FIX = (
    "give a TSV/CSV with a header: id, sequence and, for variants, alternative (the "
    "sequence with the variant; the sequence column holds the reference)"
)


@dataclass
class NewSequences:
    """A table of sequences to score. ids, sequences, lines: one per row (lines: the row's
    line in `source`); alternatives: the variant sequences, None for a table without an
    alternative column."""

    ids: list[str]
    sequences: list[str]
    alternatives: list[str] | None
    lines: list[int]
    source: str


def read_new_sequences(path: str | Path) -> NewSequences:
    """A TSV or CSV (optionally gzipped) with columns id and sequence, and optionally
    alternative. The sequences are checked when scored (`SequenceModel.encode`: letters,
    length).

    Parameters
    ----------
    path
        The table.

    Returns
    -------
    NewSequences
        The ids, sequences, alternatives (None without that column) and line of each row.

    Raises
    ------
    InputError
        Naming the file and line for a missing column, an empty or repeated id, or a table
        without rows.
    """
    with read_delimited(
        path, delimiter=None, required=(ID, SEQUENCE), fix=_FIX, field_fix=_FIX,
        damaged_fix=OWN_FILE_AGAIN,
    ) as table:  # fmt: skip
        at = {name: table.header.index(name) for name in table.header}
        variants = ALTERNATIVE in at
        ids, sequences, alternatives, lines = [], [], [], []
        seen: dict[str, int] = {}
        for line, fields in table:
            name = fields[at[ID]].strip()
            if not name:
                raise InputError(path, "an empty id", "name every sequence", f"line {line}")
            if name in seen:
                raise InputError(
                    path,
                    f"id {name!r} repeats line {seen[name]}",
                    "give each sequence (or variant) its own id",
                    f"line {line}",
                )
            seen[name] = line
            ids.append(name)
            sequences.append(fields[at[SEQUENCE]])
            if variants:
                alternatives.append(fields[at[ALTERNATIVE]])
            lines.append(line)
    if not ids:
        raise InputError(path, "holds no sequence", _FIX)
    return NewSequences(ids, sequences, alternatives if variants else None, lines, str(path))


def _columns(name: str, values: np.ndarray, labels: list[str]) -> dict[str, np.ndarray]:
    """One column per output: `name`, or `name_<label>` for a model of several labels."""
    if len(labels) == 1:
        return {name: values[:, 0]}
    return {f"{name}_{label}": values[:, i] for i, label in enumerate(labels)}


def score_sequences(
    model: SequenceModel, table: NewSequences, *, batch_size: int = 256
) -> pd.DataFrame:
    """The predictions of `model` for each row of `table`, in the units of its label.

    Parameters
    ----------
    model
        A one-hot cis or contextual-regression model (`cistrans.models.load_model`).
    table
        From `read_new_sequences`; each sequence is read as `SequenceModel.encode` says
        (the model's window length; a shorter table sequence padded; any other length
        refused, naming the line).
    batch_size
        Sequences per forward pass.

    Returns
    -------
    pd.DataFrame
        One row per sequence: id and `predicted`; for a table of variants, id,
        `reference`, `alternative` and `difference` (alternative − reference). A model of
        several labels (the cell-type mode) gets one such column per label, suffixed
        `_<label>`.
    """

    def scored(sequences: list[str], column: str) -> np.ndarray:
        where = [f"line {line}, column {column}" for line in table.lines]
        codes = model.encode(sequences, source=table.source, where=where)
        return model.predict(codes, batch_size=batch_size)

    labels = model.labels
    reference = scored(table.sequences, SEQUENCE)
    if table.alternatives is None:
        return pd.DataFrame({ID: table.ids, **_columns("predicted", reference, labels)})
    alternative = scored(table.alternatives, ALTERNATIVE)
    return pd.DataFrame(
        {
            ID: table.ids,
            **_columns("reference", reference, labels),
            **_columns("alternative", alternative, labels),
            **_columns("difference", alternative - reference, labels),
        }
    )
