"""Gene identities: versions stripped, symbols and types from the annotation, duplicates
resolved, TFs marked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from cistrans.errors import InputError
from cistrans.io.gtf import strip_version

GENE_ID_KINDS = ("auto", "ensembl", "symbol")
ENSEMBL_ID = re.compile(r"^ENS[A-Z]*G\d{6,}(\.\d+)?(_PAR_Y)?$")


def gene_annotation(gtf_genes: pd.DataFrame) -> pd.DataFrame:
    """Per gene (index gene_id without version): symbol and gene_type, from GTF gene rows."""
    genes = gtf_genes[gtf_genes.feature == "gene"]
    return pd.DataFrame(
        {"symbol": genes.gene_name.to_numpy(), "gene_type": genes.gene_type.to_numpy()},
        index=pd.Index(genes.gene_id.map(strip_version).to_numpy(), name="gene_id"),
    )


def detect_gene_ids(gene_ids: Sequence[str]) -> str:
    """ "ensembl" when most IDs look like Ensembl gene IDs (ENSG..., versions allowed), else
    "symbol"."""
    matches = [bool(ENSEMBL_ID.match(str(gene_id))) for gene_id in gene_ids]
    return "ensembl" if matches and np.mean(matches) >= 0.5 else "symbol"


def gene_keys(
    gene_ids: Sequence[str],
    kind: str,
    annotation: pd.DataFrame | None,
    source: str,
) -> np.ndarray:
    """The compendium's key of each gene of a source: its Ensembl ID without version, or, for
    symbols, the annotation's Ensembl ID of that `gene_name` when it names one gene (else the
    symbol itself).

    gene_ids: the source's IDs; kind: "ensembl" or "symbol" ("auto": `detect_gene_ids`);
    annotation: `gene_annotation` (None: no GTF). A declared kind that matches almost no
    annotation gene while the other kind does is an InputError naming both counts.
    """
    ids = [str(gene_id) for gene_id in gene_ids]
    if kind == "auto":
        kind = detect_gene_ids(ids)
    if kind not in ("ensembl", "symbol"):
        raise ValueError(f"unknown gene ID kind {kind!r}; known: {', '.join(GENE_ID_KINDS)}")
    stripped = [strip_version(gene_id) for gene_id in ids]
    if annotation is None:
        return np.array(stripped if kind == "ensembl" else ids, dtype=object)
    counts = annotation.symbol.value_counts()
    unique_names = annotation[annotation.symbol.map(counts).eq(1)]
    to_id = pd.Series(unique_names.index.to_numpy(), index=unique_names.symbol.to_numpy())
    by_id = int(pd.Index(stripped).isin(annotation.index).sum())
    by_symbol = int(pd.Index(ids).isin(to_id.index).sum())
    chosen, other = (by_id, by_symbol) if kind == "ensembl" else (by_symbol, by_id)
    if chosen < 0.1 * len(ids) and other > chosen:
        fix_kind = "symbol" if kind == "ensembl" else "ensembl"
        raise InputError(
            source,
            f"{by_id:,} of {len(ids):,} genes match the annotation by ID; {by_symbol:,} match "
            f"by symbol (read as {kind})",
            f"set expression.custom_gene_ids: {fix_kind}",
        )
    if kind == "ensembl":
        return np.array(stripped, dtype=object)
    return np.array([to_id.get(gene_id, gene_id) for gene_id in ids], dtype=object)


def resolve_duplicates(
    means: np.ndarray, gene_ids: list[str], keys: Sequence[str] | None = None
) -> tuple[np.ndarray, pd.DataFrame]:
    """Where genes share a key (by default their ID without version), keep the one with the
    highest mean.

    means: (genes,) mean expression; keys: each gene's compendium key (`gene_keys`).
    Returns the kept row positions (in order) and a report with one row per dropped gene
    (gene_id: the key, dropped_id, kept_id). Ties keep the first row, so the choice is
    deterministic.
    """
    stripped = np.array(
        [strip_version(gene_id) for gene_id in gene_ids] if keys is None else list(keys),
        dtype=object,
    )
    order = np.argsort(-np.asarray(means), kind="stable")
    first_seen = ~pd.Series(stripped[order]).duplicated().to_numpy()
    kept = np.sort(order[first_seen])
    dropped = np.setdiff1d(np.arange(len(gene_ids)), kept)
    winner = dict(zip(stripped[kept], np.asarray(gene_ids, dtype=object)[kept], strict=True))
    report = pd.DataFrame(
        {
            "gene_id": stripped[dropped],
            "dropped_id": np.asarray(gene_ids, dtype=object)[dropped],
            "kept_id": [winner[g] for g in stripped[dropped]],
        }
    )
    return kept, report


def mark_tfs(var: pd.DataFrame, tf_list: pd.DataFrame) -> tuple[np.ndarray, dict[str, Any]]:
    """Which genes of `var` (index gene_id, column symbol) are TFs of `tf_list`
    (columns gene_id, symbol): by Ensembl ID, else by symbol for list rows without a match.

    Returns the mask (genes,) and a report: the counts listed, found_by_id, found_by_symbol,
    not_found, and `not_found_tfs`, the symbols (the ID where a row has no symbol) of the
    list's TFs that are not among `var`'s genes — absent from the data, or removed by the
    compendium's gene type and expression filters — in list order.
    """
    listed_ids = {g for g in tf_list.gene_id if g}
    by_id = var.index.isin(listed_ids)
    unmatched = tf_list[~tf_list.gene_id.isin(var.index)]
    by_symbol = var.symbol.isin(set(unmatched.symbol)).to_numpy() & ~by_id
    found = by_id | by_symbol
    missing = unmatched[~unmatched.symbol.isin(set(var.symbol[by_symbol]))]
    names = [symbol or gene_id for symbol, gene_id in zip(missing.symbol, missing.gene_id,
                                                         strict=True)]  # fmt: skip
    report = {
        "listed": len(tf_list),
        "found_by_id": int(by_id.sum()),
        "found_by_symbol": int(by_symbol.sum()),
        "not_found": len(names),
        "not_found_tfs": names,
    }
    return found, report


def expressed(values: np.ndarray, min_expression: float, min_sample_fraction: float) -> np.ndarray:
    """Genes at or above `min_expression` in at least `min_sample_fraction` of samples."""
    return (values >= min_expression).mean(axis=1) >= min_sample_fraction
