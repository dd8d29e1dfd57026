"""The genes a cis model sees: labels and gene splits, mRNA features and window sequences,
aligned on the gene IDs they share."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cistrans.errors import InputError
from cistrans.io.fasta import read_fasta_records
from cistrans.io.results import read_result_table

log = logging.getLogger(__name__)

SPLITS = ("train", "validation", "test")


@dataclass
class CisGenes:
    """gene_ids: (genes,); labels: (genes,) float, or (genes, outputs) in the cell-type mode;
    split: (genes,) train | validation | test;
    sequences: the windows, in gene order; mrna: (genes, features) or None."""

    gene_ids: list[str]
    labels: np.ndarray
    split: np.ndarray
    sequences: list[str]
    mrna: np.ndarray | None
    mrna_names: list[str]

    def rows(self, split: str) -> np.ndarray:
        return np.flatnonzero(self.split == split)


def label_column(labels: pd.DataFrame) -> str:
    """The label a cis model fits: `label` (genome source), else the first z-scored label
    column of your own sequence table (not gene_id, split or a `<label>_raw` column).

    Parameters
    ----------
    labels
        The label table, one row per gene.

    Returns
    -------
    str
        The column's name.
    """
    if "label" in labels:
        return "label"
    candidates = [
        column
        for column in labels.columns
        if column not in ("gene_id", "split", "symbol", "chrom") and not column.endswith("_raw")
    ]
    if not candidates:
        raise ValueError("the label table holds no label column")
    return candidates[0]


def align_genes(
    labels: pd.DataFrame,
    sequences: Mapping[str, str] | Collection[str],
    mrna: pd.DataFrame | None,
    *,
    min_shared_fraction: float,
    sources: tuple[str, str],
    outputs: Sequence[str] | None = None,
) -> CisGenes:
    """The labelled genes that have a window (and mRNA features, when given), in label order.

    Genes outside the intersection are reported in the log.

    Parameters
    ----------
    labels
        gene_id, split and a label column (`label_column`; `sequence_labels` or
        `sequence_table`), one row per gene.
    sequences
        Gene id → window, or the ids of the genes a model's inputs hold
        (CisGenes.sequences is then empty).
    mrna
        (genes, features) index gene_id, one column per feature; or None.
    min_shared_fraction
        The smallest share of the labelled genes the intersection may hold.
    sources
        The label table and the windows, named in errors.
    outputs
        Label columns fitted together (the cell-type mode's tissues; labels then (genes,
        outputs)); None: the one label of `label_column`.

    Returns
    -------
    CisGenes
        gene_ids (genes,), labels (genes,) or (genes, outputs), split (genes,), the windows
        and the mRNA features (genes, features) or None.

    Raises
    ------
    InputError
        When the intersection is empty or below `min_shared_fraction` of the labelled genes,
        naming both files.
    """
    keep = labels.gene_id.isin(set(sequences))
    if mrna is not None:
        keep &= labels.gene_id.isin(mrna.index)
    shared = labels[keep.to_numpy()]
    fraction = len(shared) / max(len(labels), 1)
    if len(shared) == 0 or fraction < min_shared_fraction:
        raise InputError(
            sources[0],
            f"only {len(shared):,} of its {len(labels):,} genes ({fraction:.0%}) appear "
            f"in {sources[1]}" + (" and mRNA features" if mrna is not None else ""),
            "build the labels and windows from the same genes (rerun the sequence rules), or "
            "lower cis.min_shared_fraction",
        )
    if len(shared) < len(labels):
        log.warning(
            "%d of %d labelled genes lack a window or mRNA features and are left out",
            len(labels) - len(shared),
            len(labels),
        )
    for split in SPLITS:
        if not (shared.split == split).any():
            raise InputError(
                sources[0],
                f"no gene in split {split!r} (of the {len(shared):,} labelled genes with a window)",
                "lower sequence.split.validation_size and test_size, hold out fewer chromosomes "
                "or mark rows train in the table's split column"
                if split == "train"
                else f"hold out genes for it: sequence.split.{split}_size (random mode), "
                f"chromosomes that hold genes in sequence.split.{split}_chromosomes, or rows "
                f"marked {split} in the table's split column",
            )
    ids = shared.gene_id.tolist()
    return CisGenes(
        gene_ids=ids,
        labels=shared[list(outputs) if outputs else label_column(shared)].to_numpy(dtype=float),
        split=shared.split.to_numpy(dtype=str),
        sequences=[sequences[gene] for gene in ids] if isinstance(sequences, Mapping) else [],
        mrna=None if mrna is None else mrna.loc[ids].to_numpy(dtype=np.float32),
        mrna_names=[] if mrna is None else list(mrna.columns),
    )


def permuted(labels: np.ndarray, split: np.ndarray, seed: int) -> np.ndarray:
    """The labels with the training genes' labels shuffled among themselves (the control:
    validation and test labels stay true, so the control is scored on real genes).

    Parameters
    ----------
    labels
        (genes,) or (genes, outputs) the labels.
    split
        (genes,) train | validation | test.
    seed
        Seeds the shuffle.

    Returns
    -------
    np.ndarray
        The labels, of the shape of `labels`, the training rows permuted.
    """
    shuffled = labels.copy()
    train = np.flatnonzero(split == "train")
    shuffled[train] = labels[np.random.default_rng(seed).permutation(train)]
    return shuffled


def tissue_labels(
    labels: pd.DataFrame, by_tissue: pd.DataFrame, source: str
) -> tuple[pd.DataFrame, list[str]]:
    """The cell-type mode's labels, for the genes of both tables.

    Parameters
    ----------
    labels
        The gene labels (gene_id, split, ...).
    by_tissue
        gene_id and one column per tissue (log10 median expression in it).
    source
        The by-tissue table's path, named in errors.

    Returns
    -------
    tuple
        The labels (gene_id, split and one column per tissue) and the tissues.

    Raises
    ------
    InputError
        Naming `source` when it holds no tissue (your own sequence table has none).
    """
    tissues = [column for column in by_tissue.columns if column != "gene_id"]
    if not tissues or by_tissue.empty:
        raise InputError(
            source,
            "holds no tissue: the cell-type mode needs labels from a compendium with tissues",
            "leave cis.by_tissue.models empty for this run",
        )
    return labels[["gene_id", "split"]].merge(by_tissue, on="gene_id", how="inner"), tissues


def read_cis_tables(
    labels_path: str, mrna_path: str | None
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Read the cis inputs' label table and mRNA features.

    Parameters
    ----------
    labels_path
        The label table (gene_id, split, label columns).
    mrna_path
        The mRNA features table, or None (windows from your own sequence table have none).

    Returns
    -------
    tuple
        The label table, one row per gene, and the mRNA features (genes, features), index
        gene_id (None without a path).
    """
    labels = read_result_table(labels_path, ["gene_id", "split"], made_by="sequence_labels")
    if mrna_path is None:
        return labels, None
    mrna = read_result_table(mrna_path, ["gene_id"], made_by="sequence_features")
    return labels, mrna.set_index("gene_id")


def read_windows(path: str, crop: Mapping[str, int | None] | None) -> dict[str, str]:
    """Each gene's window from the windows FASTA, in file order.

    Parameters
    ----------
    path
        The windows FASTA.
    crop
        The keyword arguments of `crop_bounds`: only the part around the TSS that they name;
        None for the whole window.

    Returns
    -------
    dict of str to str
        Gene ID → its window.
    """
    records = read_fasta_records(
        path, fix="rebuild it with `snakemake --forcerun sequence_windows`"
    )
    windows = {name: sequence for _, name, sequence in records}
    if crop:
        start, stop = crop_bounds(**crop)
        windows = {name: sequence[start:stop] for name, sequence in windows.items()}
    return windows


def crop_bounds(
    window_upstream: int,
    length: int,
    *,
    upstream: int | None,
    downstream: int | None,
    key: str = "cis.window",
) -> tuple[int, int]:
    """(start, stop) positions of −upstream…+downstream inside a window that starts
    `window_upstream` bases before the TSS and is `length` long (None: the window's end).

    Parameters
    ----------
    window_upstream
        Bases of the window before the TSS (the TSS is position `window_upstream`).
    length
        The window's length.
    upstream
        Bases before the TSS to keep; None: from the window's start.
    downstream
        Bases from the TSS on to keep; None: to the window's end.
    key
        The config section that sets `upstream` and `downstream`, named in the error
        (saved with them in a model's sidecar window).

    Returns
    -------
    tuple of int
        (start, stop), 0 <= start < stop <= length: the slice of the window to keep.

    Raises
    ------
    InputError
        When −upstream…+downstream does not lie inside the window.
    """
    start = 0 if upstream is None else window_upstream - upstream
    stop = length if downstream is None else window_upstream + downstream
    if start < 0 or stop > length or start >= stop:
        raise InputError(
            f"config keys '{key}.upstream' / '{key}.downstream'",
            f"−{upstream}…+{downstream} does not lie inside the window "
            f"(−{window_upstream}…+{length - window_upstream})",
            "keep them within sequence.upstream / sequence.downstream, or leave them unset",
        )
    return start, stop
