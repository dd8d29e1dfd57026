"""The values of a user's expression matrix, checked against the kind the config declares.

`expression.custom_values` says what a custom matrix holds: log expression (used as is),
TPM or counts. `check_values` stops on cells no kind allows (empty, NaN, inf), on values the
declared kind cannot take (negative TPM or counts) or surely does not (log values above
`LOG_MAX`), and warns (through `logging`, so into the rule's log) where a real table can
legitimately look odd: counts that are not whole numbers (estimated counts), TPM columns
whose sums are far from 10^6 (genes filtered out before).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cistrans.errors import SHOWN, InputError

log = logging.getLogger(__name__)

LOG_MAX = 30.0
"""Log expression above this is surely not a log: log2 of 10^9 is 30."""
TPM_SUM = 1e6
TPM_SUM_FACTOR = 2.0
"""A TPM column summing to less than TPM_SUM / TPM_SUM_FACTOR or more than TPM_SUM ×
TPM_SUM_FACTOR earns a warning."""
_KEY = "expression.custom_values"


@dataclass(frozen=True)
class _Cells:
    """Names the cells of a genes × samples matrix for messages: by gene and sample, and by
    file line when the matrix is a text table (`first_line`: the line of the first gene)."""

    gene_ids: Sequence[object]
    sample_ids: Sequence[object]
    first_line: int | None

    def name(self, gene: int, sample: int) -> str:
        line = "" if self.first_line is None else f" (line {self.first_line + gene})"
        return f"gene {self.gene_ids[gene]} × sample {self.sample_ids[sample]}{line}"

    def where(self, gene: int, sample: int) -> str:
        if self.first_line is None:
            return f"gene {self.gene_ids[gene]}, sample {self.sample_ids[sample]}"
        return f"line {self.first_line + gene}, column {self.sample_ids[sample]}"

    def few(self, mask: np.ndarray) -> tuple[str, str]:
        """The first `SHOWN` cells of `mask` (gene by gene), named; and where the first is."""
        positions: list[tuple[int, int]] = []
        for gene in np.flatnonzero(mask.any(axis=1)):
            positions += [(gene, sample) for sample in np.flatnonzero(mask[gene])]
            if len(positions) >= SHOWN:
                break
        named = "; ".join(self.name(gene, sample) for gene, sample in positions[:SHOWN])
        return named, self.where(*positions[0])


def check_values(
    values: np.ndarray,
    gene_ids: Sequence[object],
    sample_ids: Sequence[object],
    kind: str,
    *,
    path: str | Path,
    first_line: int | None = None,
) -> None:
    """Check a user's expression matrix against its declared kind, before normalisation.

    values: shape=(genes, samples), as read. gene_ids, sample_ids: the row and column IDs,
    for messages. kind: `expression.custom_values` (log, tpm or counts). path: the matrix
    file. first_line: the file line of the first gene's row (a text table), or None (an
    `.h5ad`): messages then name cells by gene and sample alone.

    Raises `InputError` naming the file, the first offending cell, how many there are and
    the fix: for empty or non-finite cells; negative values where `kind` is tpm or counts;
    values above `LOG_MAX` where it is log. Warns for counts that are not whole numbers and
    for TPM columns far from summing to 10^6. Returns nothing; `values` is not modified.
    """
    cells = _Cells(gene_ids, sample_ids, first_line)
    _check_finite(values, cells, path)
    if kind in ("tpm", "counts"):
        _check_not_negative(values, cells, path, kind)
    if kind == "log":
        _check_log_range(values, cells, path)
    if kind == "counts":
        _warn_fractional_counts(values, cells, path)
    if kind == "tpm":
        _warn_tpm_sums(values, sample_ids, path)


def _check_finite(values: np.ndarray, cells: _Cells, path: str | Path) -> None:
    bad = ~np.isfinite(values)
    count = int(bad.sum())
    if not count:
        return
    named, where = cells.few(bad)
    genes, samples = int(bad.any(axis=1).sum()), int(bad.any(axis=0).sum())
    raise InputError(
        path,
        f"{count:,} empty or non-finite cell(s) (blank, NA, NaN or inf) in {genes:,} gene(s) "
        f"and {samples:,} sample(s), e.g. {named}",
        "fill them (e.g. 0 where a gene was not detected) or drop the genes (rows) or "
        "samples (columns) that hold them",
        where,
    )


def _check_not_negative(values: np.ndarray, cells: _Cells, path: str | Path, kind: str) -> None:
    negative = values < 0
    count = int(negative.sum())
    if not count:
        return
    named, where = cells.few(negative)
    raise InputError(
        path,
        f"{count:,} negative value(s) (the lowest {float(values.min()):.6g}), e.g. {named}; "
        f"{_KEY} is {kind}, which is never negative",
        f"if the matrix holds log expression (or batch-corrected values), set {_KEY}: log; "
        "else correct the negative cells",
        where,
    )


def _check_log_range(values: np.ndarray, cells: _Cells, path: str | Path) -> None:
    if values.size == 0 or float(values.max()) <= LOG_MAX:
        return
    above = values > LOG_MAX
    whole = bool(np.all(values == np.round(values)))
    guess = "counts (they are whole numbers)" if whole else "tpm (or counts, for read counts)"
    gene, sample = np.unravel_index(int(np.argmax(values)), values.shape)
    raise InputError(
        path,
        f"values up to {float(values.max()):,.6g} ({int(above.sum()):,} cell(s) above "
        f"{LOG_MAX:g}, the highest at {cells.name(gene, sample)}) while {_KEY} is log; log "
        "expression stays below ~30, so these are surely TPM or counts",
        f"set {_KEY}: {guess}",
        cells.where(gene, sample),
    )


def _warn_fractional_counts(values: np.ndarray, cells: _Cells, path: str | Path) -> None:
    fractional = values != np.round(values)
    count = int(fractional.sum())
    if not count:
        return
    named, _ = cells.few(fractional)
    log.warning(
        "%s: %s is counts, but %s of %s values are not whole numbers (e.g. %s); estimated "
        "counts (RSEM, salmon) are fine as they are, but if the matrix holds TPM or log "
        "expression, set %s: tpm or log",
        *(path, _KEY, f"{count:,}", f"{values.size:,}", named, _KEY),
    )


def _warn_tpm_sums(values: np.ndarray, sample_ids: Sequence[object], path: str | Path) -> None:
    sums = values.sum(axis=0, dtype=np.float64)
    far = (sums < TPM_SUM / TPM_SUM_FACTOR) | (sums > TPM_SUM * TPM_SUM_FACTOR)
    if not far.any():
        return
    shown = [f"{sample_ids[i]} (sum {sums[i]:,.0f})" for i in np.flatnonzero(far)[:SHOWN]]
    log.warning(
        "%s: %s is tpm, but %d of %d sample columns sum far from 10^6 (median column sum "
        "%s; e.g. %s); a TPM table sums to 10^6 per sample, somewhat less once genes are "
        "filtered out. If the matrix holds log expression, set %s: log; if read counts, "
        "counts",
        *(path, _KEY, int(far.sum()), len(sums), f"{float(np.median(sums)):,.0f}"),
        *(", ".join(shown), _KEY),
    )
