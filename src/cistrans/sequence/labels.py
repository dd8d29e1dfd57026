"""Expression labels of the cis models and their gene splits.

A gene's label is log10(median expression + 0.1) (Xpresso, TExCNN), the median taken over
samples or over the medians of each tissue, z-scored with the statistics of the training
genes. Gene splits are random with fixed sizes (Xpresso's 1,000 / 1,000) or by chromosome.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.errors import InputError
from cistrans.io.files import rerun_rule

log = logging.getLogger(__name__)

LABEL_MODES = ("samples", "tissues")
SPLIT_MODES = ("random", "chromosomes")


def median_expression(
    values: np.ndarray, tissues: np.ndarray, log_base: float, median_over: str
) -> tuple[np.ndarray, pd.DataFrame]:
    """Median linear expression per gene, and per tissue.

    values: shape (samples, genes), log(x + 1) expression in base `log_base` (the compendium's
    `X`). tissues: shape (samples,). median_over: "samples" takes the median over all samples,
    "tissues" the median of the tissue medians (every tissue counts once, as Xpresso's median
    over 56 tissues). Returns the per-gene medians, shape (genes,), and the tissue medians as
    a genes × tissues table (columns in sorted order).
    """
    if median_over not in LABEL_MODES:
        raise ValueError(f"unknown median_over {median_over!r}; known: {', '.join(LABEL_MODES)}")
    linear = np.power(log_base, values.astype(np.float64)) - 1.0
    names = sorted(set(tissues))
    by_tissue = pd.DataFrame({name: np.median(linear[tissues == name], axis=0) for name in names})
    overall = np.median(linear, axis=0) if median_over == "samples" else by_tissue.median(axis=1)
    return np.asarray(overall), by_tissue


def log_label(median: np.ndarray | pd.DataFrame, pseudocount: float) -> np.ndarray:
    """log10(median + pseudocount), negatives (rounding below zero) clipped to 0 first."""
    return np.log10(np.clip(median, 0.0, None) + pseudocount)


def zscore(values: pd.DataFrame, train: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each column z-scored with the mean and SD of the `train` rows (SD 0 counts as 1).

    Returns the scaled table and the statistics (index mean, sd; one column per column).
    """
    mean = values[train].mean()
    sd = values[train].std(ddof=0).replace(0.0, 1.0)
    return (values - mean) / sd, pd.DataFrame({"mean": mean, "sd": sd}).T


def split_genes(
    genes: pd.DataFrame,
    mode: str,
    validation_size: int,
    test_size: int,
    validation_chromosomes: Sequence[str],
    test_chromosomes: Sequence[str],
    seed: int,
    rows: str = "genes with a label",
) -> np.ndarray:
    """train | validation | test for each row of `genes` (columns gene_id, chrom).

    random: `validation_size` and `test_size` genes drawn with `seed`, the rest train.
    chromosomes: genes on the named chromosomes are held out (leave-chromosomes-out).
    rows: what the rows are, for the message when the sizes leave no training row.
    """
    n = len(genes)
    split = np.full(n, "train", dtype=object)
    if mode == "random":
        if validation_size + test_size >= n:
            raise InputError(
                "config keys 'sequence.split.validation_size' and 'sequence.split.test_size'",
                f"{validation_size} + {test_size} = {validation_size + test_size} held out of "
                f"the {n:,} {rows}: none is left for training",
                f"lower them so that their sum leaves a training share of the {n:,}, e.g. "
                f"{max(n // 10, 1)} and {max(n // 10, 1)}",
            )
        order = np.random.default_rng(seed).permutation(n)
        split[order[:validation_size]] = "validation"
        split[order[validation_size : validation_size + test_size]] = "test"
        return split
    if mode != "chromosomes":
        raise ValueError(f"unknown split mode {mode!r}; known: {', '.join(SPLIT_MODES)}")
    present = set(genes.chrom)
    for key, names in (("validation", validation_chromosomes), ("test", test_chromosomes)):
        missing = sorted(set(names) - present)
        if not names or missing:
            raise InputError(
                f"config key 'sequence.split.{key}_chromosomes'",
                f"{list(names)} names no chromosome of the genes"
                if not names or len(missing) == len(names)
                else f"{missing} hold no gene",
                f"name chromosomes that hold genes, e.g. {sorted(present)[:4]}",
            )
        split[genes.chrom.isin(list(names)).to_numpy()] = key
    if not (split == "train").any():
        raise InputError(
            "config key 'sequence.split'",
            "the held-out chromosomes hold every gene",
            "hold out fewer chromosomes",
        )
    return split


def gene_labels(
    compendium: str | Path,
    genes: pd.DataFrame,
    median_over: str,
    pseudocount: float,
    log_base: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Labels of the genes that the compendium measures.

    genes: the gene table of the windows (gene_id first). Returns (labels, by_tissue):
    labels has gene_id, median_expression, label_raw (log10(median + pseudocount));
    by_tissue has gene_id and log10(median + pseudocount) per tissue. Genes the compendium
    lacks (e.g. filtered as unexpressed) are left out and counted in the log.
    """
    from cistrans.io.h5ad import read_h5ad  # imports anndata, slow: only when needed

    adata = read_h5ad(compendium, rerun_rule("expression_compendium"))
    measured = genes.gene_id[genes.gene_id.isin(adata.var_names)].to_numpy()
    if len(measured) == 0:
        raise InputError(
            compendium,
            "shares no gene ID with the annotation's genes",
            "build the compendium and the windows from the same genome annotation",
        )
    log.info(
        "%d of %d genes have expression in the compendium; the rest get no label",
        len(measured),
        len(genes),
    )
    values = np.asarray(adata[:, measured].X)
    overall, by_tissue = median_expression(
        values, adata.obs.tissue.to_numpy(dtype=str), log_base, median_over
    )
    labels = pd.DataFrame(
        {
            "gene_id": measured,
            "median_expression": overall,
            "label_raw": log_label(overall, pseudocount),
        }
    )
    tissue_labels = log_label(by_tissue, pseudocount)
    tissue_labels.insert(0, "gene_id", measured)
    return labels, tissue_labels


def match_user_labels(
    labels: pd.DataFrame, genes: pd.DataFrame, source: str | Path
) -> pd.DataFrame:
    """The user's labels (gene_id, label_raw) checked against the windows' genes: at least
    one gene must match, else `InputError` naming `source` and an example ID."""
    if not labels.gene_id.isin(genes.gene_id).any():
        raise InputError(
            source,
            f"no gene_id matches a gene of the annotation (e.g. {labels.gene_id.iloc[0]!r})"
            if len(labels)
            else "holds no label",
            "use the Ensembl gene IDs of the windows' gene table (sequence_genes)",
        )
    return labels


def label_genes(genes: pd.DataFrame, raw: pd.DataFrame, split: dict) -> pd.DataFrame:
    """The windows' genes with a label: gene_id, symbol, chrom, split, the raw columns of
    `raw` (gene_id first, then e.g. median_expression, label_raw) and `label` (label_raw
    z-scored with the training genes). split: the `sequence.split` settings."""
    labelled = genes.merge(raw, on="gene_id")
    labelled["split"] = split_genes(labelled, **split)
    scaled, _ = zscore(labelled[["label_raw"]], (labelled.split == "train").to_numpy())
    labelled["label"] = scaled["label_raw"]
    return labelled[["gene_id", "symbol", "chrom", "split", *raw.columns[1:], "label"]]
